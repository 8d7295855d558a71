package io.venomqa.state.postgres.internal;

import io.venomqa.core.CredentialMasker;
import io.venomqa.core.DatabaseUrl;
import io.venomqa.state.StateConfig;
import io.venomqa.state.WorkerDatabaseException;
import io.venomqa.state.postgres.PostgreSQLDialect;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.JdbcWorkerDatabases;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * PostgreSQL worker databases, made one of two ways (option {@code worker_copies}):
 *
 * <ul>
 *   <li>{@code database}: {@code CREATE DATABASE <db>_vqw_<run>_<n> TEMPLATE <db>}, a file-level copy
 *       that costs about as much as the database's size on disk, dropped with {@code DROP DATABASE …
 *       WITH (FORCE)} (PostgreSQL 13 and later; plain {@code DROP DATABASE} before). Needs CREATEDB,
 *       and no other session connected to the source while copies are made: the admin session
 *       connects to the maintenance database {@code postgres}, where the run's advisory lock lives.</li>
 *   <li>{@code schema}: a schema {@code <schema>_vqw_<run>_<n>} in the same database, copied table by
 *       table by {@link PostgreSQLSchemaCopy} (which refuses what it cannot copy faithfully), dropped
 *       with {@code DROP SCHEMA … CASCADE}. Needs CREATE on the database only; other sessions may stay
 *       connected. The admin session connects to the database under test and holds the run's
 *       advisory lock there. Copy 1 is made from the source, copies 2 to n from copy 1, so all copies
 *       are the same state even while other sessions write the source. A worker's configuration is
 *       the source's with option {@code schema} set to its copy and {@code currentSchema=<copy>,public}
 *       in its URL, so an application started on that URL finds the copy's tables unqualified.</li>
 *   <li>{@code auto} (default): {@code database} when the role is a superuser or has CREATEDB,
 *       {@code schema} otherwise; the choice is logged once per source.</li>
 * </ul>
 *
 * In both modes the liveness lock is a session-level advisory lock keyed on the run, released by the
 * server when the admin session ends, the process dying included.
 */
public final class PostgreSQLWorkerDatabases extends JdbcWorkerDatabases {

    /** PostgreSQL's identifier limit (NAMEDATALEN - 1), in bytes. */
    private static final int MAX_NAME = 63;
    /** Sources whose automatic choice was already logged, so it is said once per JVM. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();
    private static final System.Logger LOG = System.getLogger(PostgreSQLWorkerDatabases.class.getName());

    /** How copies are made. */
    private enum Mode { DATABASE, SCHEMA }

    private volatile Mode mode;

    public PostgreSQLWorkerDatabases(StateConfig source, JdbcDialect dialect) {
        super(source, dialect, MAX_NAME);
    }

    /** Whether copies are schemas of the database under test (after {@code auto} is decided). */
    public boolean schemaCopies() {
        return mode() == Mode.SCHEMA;
    }

    private Mode mode() {
        Mode m = mode;
        if (m == null) {
            synchronized (this) {
                if (mode == null) {
                    mode = decideMode();
                }
                m = mode;
            }
        }
        return m;
    }

    /**
     * Option {@code worker_copies} of {@code config}: {@code auto}, {@code database} or {@code schema}.
     *
     * @throws IllegalArgumentException for any other value, saying which ones are valid
     */
    public static String requireValidMode(StateConfig config) {
        String value = config.optionString(PostgreSQLDialect.OPTION_WORKER_COPIES, PostgreSQLDialect.WORKER_COPIES_AUTO)
                .trim().toLowerCase(Locale.ROOT);
        if (!Set.of("database", "schema", PostgreSQLDialect.WORKER_COPIES_AUTO).contains(value)) {
            throw new IllegalArgumentException("Option " + PostgreSQLDialect.OPTION_WORKER_COPIES + " is '" + value
                    + "'; use auto, database or schema.");
        }
        return value;
    }

    private Mode decideMode() {
        String value;
        try {
            value = requireValidMode(source());
        } catch (IllegalArgumentException e) {
            throw new WorkerDatabaseException(e.getMessage(), e);
        }
        switch (value) {
            case "database":
                return Mode.DATABASE;
            case "schema":
                return Mode.SCHEMA;
            default:
                break;
        }
        boolean mayCreateDatabases;
        String role;
        // Closed again before any CREATE DATABASE … TEMPLATE, which waits (up to 5 s) for it to go.
        try (Connection c = dialect().openConnection(dialect().connectionSpec(source(), Duration.ofSeconds(30)));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select rolsuper or rolcreatedb, rolname from pg_catalog.pg_roles"
                     + " where rolname = current_user")) {
            mayCreateDatabases = rs.next() && rs.getBoolean(1);
            role = rs.getRow() > 0 ? rs.getString(2) : "?";
        } catch (SQLException e) {
            throw new WorkerDatabaseException("Worker databases of " + source().maskedUrl() + ": could not find whether"
                    + " the role may create databases (" + CredentialMasker.maskText(e.getMessage()) + "). Set "
                    + PostgreSQLDialect.OPTION_WORKER_COPIES + " to database or schema to choose without asking.", e);
        }
        Mode decided = mayCreateDatabases ? Mode.DATABASE : Mode.SCHEMA;
        if (LOGGED.add(source().maskedUrl() + " " + decided)) {
            LOG.log(System.Logger.Level.INFO, decided == Mode.DATABASE
                    ? "Worker copies of " + source().maskedUrl() + " are databases (CREATE DATABASE … TEMPLATE): role '"
                    + role + "' may create databases (" + PostgreSQLDialect.OPTION_WORKER_COPIES + ": auto)"
                    : "Worker copies of " + source().maskedUrl() + " are schemas of the same database (" + schema()
                    + "_vqw_…): role '" + role + "' may not create databases (" + PostgreSQLDialect.OPTION_WORKER_COPIES
                    + ": auto; grant CREATEDB for database copies)");
        }
        return decided;
    }

    /** The schema under test, copied in schema mode. */
    private String schema() {
        return source().optionString(PostgreSQLDialect.OPTION_SCHEMA, PostgreSQLDialect.DEFAULT_SCHEMA);
    }

    @Override
    protected String sourceName() {
        return mode() == Mode.SCHEMA ? schema() : super.sourceName();
    }

    @Override
    protected String adminUrl() {
        if (mode() == Mode.SCHEMA) {
            return source().url();
        }
        return DatabaseUrl.parse(source().url()).withDatabase("postgres");
    }

    @Override
    protected String copyUrl(String copy) {
        if (mode() == Mode.SCHEMA) {
            return withCurrentSchema(source().url(), copy + ",public");
        }
        return super.copyUrl(copy);
    }

    @Override
    protected void configureCopy(String copy, StateConfig.Builder config) {
        if (mode() == Mode.SCHEMA) {
            config.option(PostgreSQLDialect.OPTION_SCHEMA, copy);
        }
    }

    /**
     * {@code url} with its {@code currentSchema} query parameter (pgjdbc's search path) set to
     * {@code value}, replacing one that is there; every other part as written.
     */
    static String withCurrentSchema(String url, String value) {
        int hash = url.indexOf('#');
        String fragment = hash >= 0 ? url.substring(hash) : "";
        String rest = hash >= 0 ? url.substring(0, hash) : url;
        int q = rest.indexOf('?');
        String base = q >= 0 ? rest.substring(0, q) : rest;
        StringJoiner query = new StringJoiner("&", "?", "");
        if (q >= 0) {
            for (String p : rest.substring(q + 1).split("&")) {
                if (!p.isEmpty() && !p.split("=", 2)[0].equalsIgnoreCase("currentSchema")) {
                    query.add(p);
                }
            }
        }
        query.add("currentSchema=" + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
        return base + query + fragment;
    }

    @Override
    protected List<String> list(Connection admin, String prefix) throws SQLException {
        String sql = mode() == Mode.SCHEMA
                ? "select nspname from pg_catalog.pg_namespace where left(nspname, length(?)) = ? order by nspname"
                : "select datname from pg_catalog.pg_database where left(datname, length(?)) = ? order by datname";
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = admin.prepareStatement(sql)) {
            ps.setString(1, prefix);
            ps.setString(2, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    @Override
    protected boolean tryLock(Connection admin, String run) throws SQLException {
        return advisory(admin, "pg_try_advisory_lock", run);
    }

    @Override
    protected void unlock(Connection admin, String run) throws SQLException {
        advisory(admin, "pg_advisory_unlock", run);
    }

    private static boolean advisory(Connection admin, String function, String run) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement(
                "select " + function + "(hashtext('venomqa.workers'), hashtext(?))")) {
            ps.setString(1, run);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    @Override
    protected void create(Connection admin, String copy) throws SQLException {
        if (mode() == Mode.SCHEMA) {
            // Copies 2 to n from copy 1 (nobody writes it yet): every copy holds the same state.
            String from = firstCopy(copy) == null ? schema() : firstCopy(copy);
            PostgreSQLSchemaCopy.copy(admin, from, copy, source().maskedUrl());
            return;
        }
        try (Statement st = admin.createStatement()) {
            st.execute("create database " + dialect().quote(copy) + " template " + dialect().quote(sourceName()));
        }
        copySettings(admin, copy);
    }

    /**
     * The source's own settings ({@code ALTER DATABASE … SET search_path, timezone, …}, also those of
     * {@code ALTER ROLE … IN DATABASE}), which {@code CREATE DATABASE … TEMPLATE} does not carry over: an
     * application relying on the database's search path would use other tables in a copy without them.
     * List settings ({@code search_path} and the like) are stored as the list's text and given back as
     * such; every other value as a string literal.
     */
    private void copySettings(Connection admin, String copy) throws SQLException {
        List<String[]> settings = new ArrayList<>();
        try (PreparedStatement ps = admin.prepareStatement("select coalesce(r.rolname, ''), unnest(s.setconfig)"
                + " from pg_catalog.pg_db_role_setting s join pg_catalog.pg_database d on d.oid = s.setdatabase"
                + " left join pg_catalog.pg_roles r on r.oid = s.setrole where d.datname = ?")) {
            ps.setString(1, sourceName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    settings.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        try (Statement st = admin.createStatement()) {
            for (String[] setting : settings) {
                int eq = setting[1].indexOf('=');
                String name = setting[1].substring(0, eq);
                String value = setting[1].substring(eq + 1);
                if (!name.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                    throw new SQLException("database " + sourceName() + " has a setting named '" + name + "', which a worker"
                            + " copy cannot be given. Run with one worker, or reset it (ALTER DATABASE … RESET).");
                }
                String target = setting[0].isEmpty() ? "database " + dialect().quote(copy)
                        : "role " + dialect().quote(setting[0]) + " in database " + dialect().quote(copy);
                st.execute("alter " + target + " set " + name + " = "
                        + (LIST_SETTINGS.contains(name.toLowerCase(Locale.ROOT)) ? value : "'" + value.replace("'", "''") + "'"));
            }
        }
    }

    /** Settings whose value is a list that PostgreSQL stores as its text, identifiers quoted where needed. */
    private static final Set<String> LIST_SETTINGS = Set.of("search_path", "temp_tablespaces", "local_preload_libraries",
            "session_preload_libraries");

    @Override
    protected void drop(Connection admin, String copy) throws SQLException {
        if (mode() == Mode.SCHEMA) {
            try (Statement st = admin.createStatement()) {
                // A session still in a copy (an open transaction) would block the drop for ever: give up after 10 s,
                // and the set's close says to disconnect what uses it.
                st.execute("set lock_timeout = '10s'; drop schema if exists " + dialect().quote(copy) + " cascade");
            }
            return;
        }
        boolean force = admin.getMetaData().getDatabaseMajorVersion() >= 13;
        try (Statement st = admin.createStatement()) {
            st.execute("drop database if exists " + dialect().quote(copy) + (force ? " with (force)" : ""));
        }
    }

    @Override
    protected String explain(Exception e) {
        String state = e instanceof SQLException s ? s.getSQLState() : null;
        if ("55006".equals(state)) {
            return e.getMessage() + ". PostgreSQL copies a database (CREATE DATABASE … TEMPLATE) only while no other"
                    + " session is connected to it: stop the API, psql sessions and any VenomQA manager connected to '"
                    + sourceName() + "' while the worker databases are made, then connect them to the copies; or set"
                    + " worker_copies: schema to copy the schema inside the same database, which other sessions may use.";
        }
        if ("42501".equals(state) && mode() == Mode.SCHEMA) {
            return e.getMessage() + ". The user of db_url needs the CREATE privilege on database '" + super.sourceName()
                    + "' to make worker schemas (GRANT CREATE ON DATABASE " + super.sourceName() + " TO <user>), or"
                    + " CREATEDB for worker databases (ALTER ROLE <user> CREATEDB, worker_copies: database), or run"
                    + " with one worker.";
        }
        if ("55P03".equals(state) && mode() == Mode.SCHEMA) {
            return e.getMessage() + ". Another session holds a lock on a table being copied or dropped (a migration or"
                    + " reset on the source, or a manager or application still using a copy): let it finish or disconnect"
                    + " it, and run again.";
        }
        if ("42501".equals(state)) {
            return e.getMessage() + ". The user of db_url needs the CREATEDB privilege to make worker databases"
                    + " (ALTER ROLE <user> CREATEDB), or set worker_copies: schema (or auto) to make schema copies in"
                    + " the same database, or run with one worker.";
        }
        return e.getMessage();
    }
}
