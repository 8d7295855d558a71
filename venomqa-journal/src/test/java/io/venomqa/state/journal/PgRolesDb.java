package io.venomqa.state.journal;

import io.venomqa.state.StateConfig;
import io.venomqa.state.postgres.PostgreSQLStateManager;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * A database of its own on the test PostgreSQL server with three roles of random names, as a
 * team would set them up: {@code owner} owns schema {@code shop} and its tables (DDL of the test
 * runs as it), VenomQA's role is a member of it with {@code CREATE} on the database and no
 * superuser, and the application's role has DML on the tables only. Everything is dropped by
 * {@link #close()}, or, for a test class's database ({@link #PgRolesDb(OwnPgDatabase)}), put back as new.
 */
final class PgRolesDb implements JournalDb {

    final String database;
    final String owner;
    final String venomqa;
    final String app;
    /** The test class's database, given back by {@link #close()}; null when this one made its own. */
    private final OwnPgDatabase classDatabase;

    PgRolesDb() {
        classDatabase = null;
        database = "vqlp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        owner = database + "_owner";
        venomqa = database + "_venomqa";
        app = database + "_app";
        try {
            try (Connection c = connect("test", PgDb.USER); Statement st = c.createStatement()) {
                st.execute("create database " + database);
            }
            try (Connection c = connect(database, PgDb.USER); Statement st = c.createStatement()) {
                createRoles(database, st);
                createSchema(st);
            }
        } catch (SQLException e) {
            throw new AssertionError("The journal tests need PostgreSQL at " + PgDb.HOST + ":" + PgDb.PORT + " (user "
                    + PgDb.USER + ") and none is reachable: " + e.getMessage(), e);
        }
    }

    /**
     * The database and roles of the test class's {@code classDatabase} (made by {@link #classDatabase()}), as
     * new for this test, and a new schema {@code shop}: what {@link #PgRolesDb()} gives, without making a
     * database and three roles per test.
     */
    PgRolesDb(OwnPgDatabase classDatabase) {
        this.classDatabase = classDatabase;
        database = classDatabase.take();
        owner = database + "_owner";
        venomqa = database + "_venomqa";
        app = database + "_app";
        try (Connection c = connect(database, PgDb.USER); Statement st = c.createStatement()) {
            createSchema(st);
        } catch (SQLException e) {
            throw new AssertionError("Could not make schema shop in database " + database + ": " + e.getMessage(), e);
        }
    }

    /**
     * A database of a test class's own for {@link #PgRolesDb(OwnPgDatabase)}, with the three roles; their
     * attributes and memberships must be as made after each test, like the rest of the database.
     */
    static OwnPgDatabase classDatabase() {
        return new OwnPgDatabase("vqlp_", PgRolesDb::createRoles, (database, st) -> {
            for (String role : List.of(database + "_app", database + "_venomqa", database + "_owner")) {
                st.execute("drop role if exists " + role);
            }
        }, database -> "select 'role ' || r.rolname || ' ' || r.rolsuper || r.rolcreatedb || r.rolcreaterole || r.rolcanlogin "
                + "|| r.rolinherit || r.rolbypassrls || ' ' || coalesce((select string_agg(g.rolname, ',' order by g.rolname) "
                + "from pg_catalog.pg_auth_members m join pg_catalog.pg_roles g on g.oid = m.roleid where m.member = r.oid), '') "
                + "|| ' ' || coalesce((select string_agg(array_to_string(s.setconfig, ','), ';') from pg_catalog.pg_db_role_setting s "
                + "where s.setrole = r.oid), '') from pg_catalog.pg_roles r where r.rolname like '" + database + "\\_%'");
    }

    /** The roles of {@code database} (in it, as the superuser), and their rights on it. */
    private static void createRoles(String database, Statement st) throws SQLException {
        String owner = database + "_owner";
        String venomqa = database + "_venomqa";
        String app = database + "_app";
        st.execute("create role " + owner + " nologin");
        st.execute("create role " + venomqa + " login nosuperuser nocreatedb nocreaterole in role " + owner);
        st.execute("create role " + app + " login nosuperuser nocreatedb nocreaterole");
        st.execute("grant connect on database " + database + " to " + venomqa + ", " + app);
        st.execute("grant create on database " + database + " to " + venomqa);
    }

    /** Schema {@code shop}, owned by the owner role, whose tables the application's role may write. */
    private void createSchema(Statement st) throws SQLException {
        st.execute("create schema shop authorization " + owner);
        st.execute("grant usage on schema shop to " + app);
        st.execute("alter default privileges for role " + owner + " in schema shop grant select, insert, update, "
                + "delete on tables to " + app);
        st.execute("alter default privileges for role " + owner + " in schema shop grant usage on sequences to " + app);
    }

    private static Connection connect(String db, String user) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        return DriverManager.getConnection("jdbc:postgresql://" + PgDb.HOST + ":" + PgDb.PORT + "/" + db, p);
    }

    @Override
    public StateConfig.Builder config() {
        return StateConfig.builder().backend("postgresql")
                .url("postgresql://" + venomqa + "@" + PgDb.HOST + ":" + PgDb.PORT + "/" + database)
                .option("schema", "shop").option("checkpoint_strategy", "journal");
    }

    @Override
    public PostgreSQLStateManager manager() {
        return new PostgreSQLStateManager(config().build());
    }

    /** The application's role, search_path = shop. */
    @Override
    public Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", app);
        p.setProperty("currentSchema", "shop");
        return DriverManager.getConnection("jdbc:postgresql://" + PgDb.HOST + ":" + PgDb.PORT + "/" + database, p);
    }

    /** DDL and set-up data, as the tables' owner. */
    @Override
    public void exec(String... sql) throws SQLException {
        try (Connection c = connect(database, PgDb.USER); Statement st = c.createStatement()) {
            st.execute("set role " + owner);
            st.execute("set search_path = shop");
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    /** Statements in the database as the superuser (role memberships, say). */
    void asSuperuser(String... sql) throws SQLException {
        try (Connection c = connect(database, PgDb.USER); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        if (classDatabase != null) {
            classDatabase.giveBack();
            return;
        }
        try (Connection c = connect("test", PgDb.USER); Statement st = c.createStatement()) {
            st.execute("drop database if exists " + database + " with (force)");
            for (String role : List.of(app, venomqa, owner)) {
                st.execute("drop role if exists " + role);
            }
        }
    }
}
