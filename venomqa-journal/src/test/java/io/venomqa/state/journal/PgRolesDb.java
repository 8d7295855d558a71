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
 * {@link #close()}.
 */
final class PgRolesDb implements JournalDb {

    private final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    final String database = "vqlp_" + id;
    final String owner = "vqlp_" + id + "_owner";
    final String venomqa = "vqlp_" + id + "_venomqa";
    final String app = "vqlp_" + id + "_app";

    PgRolesDb() {
        try {
            try (Connection c = connect("test", PgDb.USER); Statement st = c.createStatement()) {
                st.execute("create database " + database);
                st.execute("create role " + owner + " nologin");
                st.execute("create role " + venomqa + " login nosuperuser nocreatedb nocreaterole in role " + owner);
                st.execute("create role " + app + " login nosuperuser nocreatedb nocreaterole");
            }
            try (Connection c = connect(database, PgDb.USER); Statement st = c.createStatement()) {
                st.execute("grant connect on database " + database + " to " + venomqa + ", " + app);
                st.execute("grant create on database " + database + " to " + venomqa);
                st.execute("create schema shop authorization " + owner);
                st.execute("grant usage on schema shop to " + app);
                st.execute("alter default privileges for role " + owner + " in schema shop grant select, insert, update, "
                        + "delete on tables to " + app);
                st.execute("alter default privileges for role " + owner + " in schema shop grant usage on sequences to " + app);
            }
        } catch (SQLException e) {
            throw new AssertionError("The journal tests need PostgreSQL at " + PgDb.HOST + ":" + PgDb.PORT + " (user "
                    + PgDb.USER + ") and none is reachable: " + e.getMessage(), e);
        }
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
        try (Connection c = connect("test", PgDb.USER); Statement st = c.createStatement()) {
            st.execute("drop database if exists " + database + " with (force)");
            for (String role : List.of(app, venomqa, owner)) {
                st.execute("drop role if exists " + role);
            }
        }
    }
}
