package io.venomqa.state.journal;

import io.venomqa.state.StateConfig;
import io.venomqa.state.postgres.PostgreSQLStateManager;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * A random schema of its own on the test PostgreSQL server ({@code VENOMQA_TEST_POSTGRES_URL}, else
 * 127.0.0.1:5432 user postgres database test), dropped by {@link #close()}. Unreachable: fails
 * with a message saying so, never skips.
 */
final class PgDb implements JournalDb {

    static final String HOST = "127.0.0.1";
    static final int PORT = 5432;
    static final String USER = "postgres";
    static final String DATABASE = "test";

    final String schema = "vqj_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    final String url;
    /** The database: {@link #DATABASE}, or one of its own (see {@link #PgDb(boolean)}, {@link #PgDb(OwnPgDatabase)}). */
    final String database;
    /** The test class's database this schema is in, given back by {@link #close()}; null for the others. */
    private final OwnPgDatabase classDatabase;

    PgDb() {
        this(false);
    }

    /**
     * A schema in the test class's own database, which is as a new one for this test (see {@link OwnPgDatabase}):
     * what {@link #PgDb(boolean) PgDb(true)} gives, without making a database per test.
     */
    PgDb(OwnPgDatabase classDatabase) {
        this.classDatabase = classDatabase;
        database = classDatabase.take();
        url = "postgresql://" + USER + "@" + HOST + ":" + PORT + "/" + database;
        try {
            exec("create schema " + schema);
        } catch (SQLException e) {
            throw new AssertionError("Could not make schema " + schema + " in database " + database + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param ownDatabase work in a database of its own (dropped by {@link #close()}) rather than a
     *                    schema of {@link #DATABASE}: the journal's shared {@code venomqa} schema is
     *                    then this test's alone, so runs of other code versions on the same server
     *                    (whose trigger functions replace each other's there) cannot interfere
     */
    PgDb(boolean ownDatabase) {
        classDatabase = null;
        database = ownDatabase ? schema : DATABASE;
        String env = System.getenv("VENOMQA_TEST_POSTGRES_URL");
        url = env == null || env.isBlank() || ownDatabase
                ? "postgresql://" + USER + "@" + HOST + ":" + PORT + "/" + database : env;
        try {
            if (ownDatabase) {
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + DATABASE,
                        USER, null); java.sql.Statement st = c.createStatement()) {
                    st.execute("create database " + database);
                }
            }
            exec("create schema " + schema);
        } catch (SQLException e) {
            throw new AssertionError("The journal tests need PostgreSQL at " + HOST + ":" + PORT + " (user " + USER
                    + ", database " + DATABASE + ") or VENOMQA_TEST_POSTGRES_URL, and none is reachable: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public StateConfig.Builder config() {
        return StateConfig.builder().backend("postgresql").url(url).option("schema", schema)
                .option("checkpoint_strategy", "journal");
    }

    @Override
    public PostgreSQLStateManager manager() {
        return new PostgreSQLStateManager(config().build());
    }

    /** A new auto-commit connection, search_path = the schema: the "application". */
    @Override
    public Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("currentSchema", schema);
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, p);
    }

    /**
     * The state ({@code pg_stat_activity.state}, e.g. {@code idle}, {@code idle in transaction}) of the
     * manager's session, the one the journal's run record of this schema names; null when there is none.
     */
    String managerSessionState() throws SQLException {
        List<String> states = rows("select a.state from pg_stat_activity a join venomqa.runs r on r.pid = a.pid "
                + "where r.schema_name = '" + schema + "'");
        return states.isEmpty() ? null : states.get(0).substring("state=".length());
    }

    /**
     * {@code sql} wrapped so that neither the journal's triggers nor the foreign keys' see it, for tests of
     * what the undo does with a change made behind its back (needs a superuser): in one transaction, the
     * session takes the manager's place in the run record of {@code schema} (the journal's triggers are
     * silent only for that session with {@code venomqa.replaying} on) and sets replica mode (foreign key
     * triggers silent), then gives the place back. Replica mode alone no longer hides a write: the
     * journal's triggers fire in every session ({@code ENABLE ALWAYS}).
     */
    static String behindTheJournal(String schema, String sql) {
        String name = "E'" + schema.replace("\\", "\\\\").replace("'", "''") + "'";
        return "begin; create temp table venomqa_claimed on commit drop as select pid from venomqa.runs where schema_name = "
                + name + "; update venomqa.runs set pid = pg_backend_pid() where schema_name = " + name + "; "
                + "set local venomqa.replaying = 'on'; set local session_replication_role = replica; " + sql
                + "; update venomqa.runs set pid = (select pid from venomqa_claimed) where schema_name = " + name + "; commit;";
    }

    private final List<PostgreSQLStateManager> tracked = new ArrayList<>();

    /**
     * A manager of this database that {@link #close()} disconnects before dropping it; a disconnect
     * that fails there is ignored, since the tests that expect one assert it themselves.
     */
    PostgreSQLStateManager trackedManager() {
        return track(manager());
    }

    /** {@code m}, made one of the managers {@link #close()} disconnects (see {@link #trackedManager()}). */
    PostgreSQLStateManager track(PostgreSQLStateManager m) {
        tracked.add(m);
        return m;
    }

    /**
     * Every row of every table of the schema as its text (all float digits, ISO dates, a json
     * {@code null} distinct from SQL NULL), each under the table that stores it (a row of an
     * inheritance child or a partition under that child), then the sequences, the application's
     * triggers with their enabled state, and its rules: what an exact rollback must leave as it
     * found it.
     */
    List<String> dump() throws SQLException {
        try (Connection c = connect()) {
            return dump(c);
        }
    }

    /** {@link #dump()} of the first schema on {@code c}'s search path. */
    static List<String> dump(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.execute("set extra_float_digits = 3");
            st.execute("set datestyle = 'ISO, YMD'");
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("select relname from pg_class where relnamespace = current_schema()::regnamespace "
                    + "and relkind = 'r' order by 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                // Each column by name (the row's alias could be taken by a column), xml by its text cast: xml's
                // output function drops a version-1.0 declaration that the value still holds.
                List<String> cols = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("select quote_ident(a.attname), format_type(case when y.typtype = 'd' "
                        + "then y.typbasetype else a.atttypid end, null) from pg_attribute a join pg_type y on y.oid = a.atttypid "
                        + "where a.attrelid = (quote_ident(current_schema()) || '.' || quote_ident('" + t + "'))::regclass "
                        + "and a.attnum > 0 and not a.attisdropped order by a.attnum")) {
                    while (rs.next()) {
                        String type = rs.getString(2);
                        cols.add("vq_dump." + rs.getString(1) + (type.equals("xml") ? "::text" : type.equals("xml[]") ? "::text[]" : ""));
                    }
                }
                try (ResultSet rs = st.executeQuery("select (row(" + String.join(", ", cols) + "))::text from only \"" + t
                        + "\" vq_dump order by 1")) {
                    while (rs.next()) {
                        out.add(t + " " + rs.getString(1));
                    }
                }
            }
            try (ResultSet rs = st.executeQuery("select sequencename, last_value from pg_sequences "
                    + "where schemaname = current_schema() order by 1")) {
                while (rs.next()) {
                    out.add("sequence " + rs.getString(1) + " " + rs.getString(2));
                }
            }
            try (ResultSet rs = st.executeQuery("select c.relname || '.' || g.tgname || ' ' || g.tgenabled::text from pg_trigger g "
                    + "join pg_class c on c.oid = g.tgrelid where c.relnamespace = current_schema()::regnamespace "
                    + "and not g.tgisinternal and g.tgname not ilike 'venomqa%' order by 1")) {
                while (rs.next()) {
                    out.add("trigger " + rs.getString(1));
                }
            }
            try (ResultSet rs = st.executeQuery("select c.relname || '.' || r.rulename || ' ' || r.ev_enabled::text from pg_rewrite r "
                    + "join pg_class c on c.oid = r.ev_class where c.relnamespace = current_schema()::regnamespace "
                    + "and r.rulename <> '_RETURN' order by 1")) {
                while (rs.next()) {
                    out.add("rule " + rs.getString(1));
                }
            }
        }
        return out;
    }

    /** How many of VenomQA's objects the database holds: its schema and its triggers (0 once it is gone). */
    long venomqaObjects() throws SQLException {
        List<String> n = rows("select count(*) as n from pg_namespace where nspname = 'venomqa'");
        List<String> t = rows("select count(*) as n from pg_trigger where tgname ilike 'venomqa%'");
        return Long.parseLong(n.get(0).substring(2)) + Long.parseLong(t.get(0).substring(2));
    }

    /** Runs SQL in the psql client: another process with its own connection. */
    String psql(String sql) {
        return Cli.run(List.of("psql", "-h", HOST, "-p", String.valueOf(PORT), "-U", USER, "-d", database,
                "-v", "ON_ERROR_STOP=1", "-q", "-X", "-At"), "set search_path = " + schema + ";\n" + sql);
    }

    /** Disconnects the managers of {@link #trackedManager()} and {@link #track}, ignoring failures (see there). */
    void disconnectTracked() {
        for (PostgreSQLStateManager m : tracked) {
            try {
                m.disconnect();
            } catch (RuntimeException alreadyAsserted) {
                // see trackedManager()
            }
        }
        tracked.clear();
    }

    @Override
    public void close() throws SQLException {
        disconnectTracked();
        if (classDatabase != null) {
            classDatabase.giveBack();
            return;
        }
        if (!database.equals(DATABASE)) {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + DATABASE,
                    USER, null); java.sql.Statement st = c.createStatement()) {
                st.execute("drop database if exists " + database + " with (force)");
            }
            return;
        }
        exec("drop schema if exists " + schema + " cascade");
    }
}
