package io.venomqa.state.postgres;

import io.venomqa.state.StateConfig;
import io.venomqa.state.spi.BackendUrls;
import io.venomqa.state.jdbc.spi.ConnectionSpec;
import io.venomqa.core.DatabaseUrl;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.ResetPlan;
import io.venomqa.state.jdbc.spi.SequenceSnapshot;
import io.venomqa.state.jdbc.spi.TableInfo;
import io.venomqa.state.postgres.internal.PostgreSQLCounters;
import io.venomqa.state.spi.OptionSpec;
import org.jooq.SQLDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;

/**
 * PostgreSQL for {@link PostgreSQLStateManager}, through pgjdbc.
 *
 * <ul>
 *   <li>URLs: {@code postgresql://user:pass@host:5432/db}, {@code postgres://…} and
 *       {@code jdbc:postgresql://…}; host defaults to {@code localhost}, port to 5432. Query parameters
 *       that pgjdbc understands ({@code sslmode}, {@code ApplicationName}, …) are passed on; others
 *       (the seed's {@code pool_size}) are dropped with a logged note.</li>
 *   <li>Schema: option {@value #OPTION_SCHEMA} (default: the schema the URL's {@code currentSchema} makes
 *       current, else {@code public}; a {@code currentSchema} naming another schema is refused); the connection's
 *       {@code search_path} is set to it (then {@code public}), so an application using the shared
 *       DataSource finds its tables unqualified. The schema {@code venomqa} is reserved.</li>
 *   <li>Sequences: {@code nextval} is not transactional, so a savepoint rollback alone would leave
 *       the counters advanced. Every sequence of the schema (serial and identity columns included),
 *       of the search path, and that a column default there draws from wherever it lives,
 *       is read at each checkpoint ({@code last_value} and {@code is_called}, in the same round trip
 *       as the {@code SAVEPOINT}) and put back exactly with {@code setval} on rollback (in the same
 *       round trip as the {@code ROLLBACK TO}) and disconnect; only sequences that moved are set, and
 *       never below the largest value of the column a sequence belongs to (another session's committed
 *       row keeps its id free, with a warning). The journal uses the same code.
 *       {@code setval} is itself non-transactional: it takes effect at once, for every session.
 *       That is right for a test database used by one run. Sequences with {@code CACHE > 1} are
 *       restored to the value the server reserved, which may skip ids.</li>
 *   <li>Reset: one {@code TRUNCATE a, b, c RESTART IDENTITY} statement (never {@code CASCADE}: an
 *       excluded table is never emptied); tables that are already empty and have no identity column
 *       are left out, found with one query.</li>
 *   <li>A failed statement aborts a PostgreSQL transaction; the manager's own queries and the shared
 *       DataSource's auto-commit statements run inside a savepoint, so such a failure stays local. For
 *       the application's statements the driver sets that savepoint itself (pgjdbc's {@code autosave},
 *       switched on for the statement only, with {@code cleanupSavepoints}): it goes to the server with
 *       the statement and its release with the next request, so a statement costs one round trip,
 *       not three.</li>
 * </ul>
 */
public final class PostgreSQLDialect extends JdbcDialect {

    /** Option naming the schema whose tables are reset and tracked. */
    public static final String OPTION_SCHEMA = "schema";
    /** Default of {@value #OPTION_SCHEMA}. */
    public static final String DEFAULT_SCHEMA = "public";

    /**
     * Option choosing how worker databases are copied: {@code auto} (default), {@code database}
     * ({@code CREATE DATABASE … TEMPLATE}) or {@code schema} (schemas of the same database, for roles
     * without CREATEDB); see docs/workers.md.
     */
    public static final String OPTION_WORKER_COPIES = "worker_copies";
    /** Default of {@value #OPTION_WORKER_COPIES}: database copies when the role may create databases, else schema copies. */
    public static final String WORKER_COPIES_AUTO = "auto";

    /** Whether pgjdbc may guard statements on this connection (see {@link #runGuarded}), per connection. */
    private final Map<Connection, Boolean> driverGuards = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** The port of a host that names none. */
    static final int DEFAULT_PORT = 5432;

    /** pgjdbc connection properties passed on from the URL's query. */
    static final Set<String> DRIVER_PARAMETERS = Set.of("ssl", "sslmode", "sslcert", "sslkey", "sslrootcert",
            "sslfactory", "sslpassword", "ApplicationName", "options", "currentSchema", "connectTimeout",
            "socketTimeout", "loginTimeout", "tcpKeepAlive", "targetServerType", "gssEncMode", "channelBinding",
            "preferQueryMode", "prepareThreshold", "reWriteBatchedInserts", "stringtype", "sslNegotiation");

    @Override
    public List<OptionSpec> options() {
        return List.of(OptionSpec.text(OPTION_SCHEMA, DEFAULT_SCHEMA, "The schema whose tables are tracked and reset. Without it, "
                        + "the schema db_url's currentSchema makes current, else public; both given must agree."),
                OptionSpec.oneOf(OPTION_WORKER_COPIES, WORKER_COPIES_AUTO, "How worker databases are copied: database"
                        + " (CREATE DATABASE ... TEMPLATE, needs CREATEDB), schema (schemas of the same database) or auto"
                        + " (database when the role may create databases, else schema).", WORKER_COPIES_AUTO, "database", "schema"));
    }

    /**
     * The server's own words for a missing role or database ({@code role "qa" does not exist},
     * {@code database "qa_test" does not exist}) turned into what to do; both say "does not exist",
     * so telling them apart is this dialect's job, not the caller's. Also the refusal of sequences the
     * role may not set, whose message holds the grants.
     */
    @Override
    public java.util.Optional<String> connectionFailureFix(String message) {
        if (message == null) {
            return java.util.Optional.empty();
        }
        java.util.regex.Matcher role = java.util.regex.Pattern.compile("role \"([^\"]*)\" does not exist").matcher(message);
        if (role.find()) {
            String name = role.group(1);
            return java.util.Optional.of("The server answers but has no user (role) '" + name + "': create it (as a superuser: CREATE ROLE "
                    + name + " LOGIN PASSWORD '...';) or correct the user name in db_url.");
        }
        if (message.contains("may not set sequence")) { // PostgreSQLCounters' refusal: the GRANTs are in the message
            return java.util.Optional.of("Run the GRANT statements of the message as the sequences' owner (or a superuser), "
                    + "then connect again: a rollback puts the sequences back with setval.");
        }
        java.util.regex.Matcher db = java.util.regex.Pattern.compile("database \"([^\"]*)\" does not exist").matcher(message);
        if (db.find()) {
            return java.util.Optional.of("The server answers but has no database '" + db.group(1) + "': create it (CREATE DATABASE "
                    + db.group(1) + ";) or correct its name in db_url.");
        }
        return java.util.Optional.empty();
    }

    /**
     * The md5 of all rows' text (every column in its output form, so any changed value changes
     * it), in scan order: rows that only moved give a new value, which costs a re-read, never a
     * missed change. Cheaper than hashing each row and summing (measured: 0.3 ms against 3 ms for
     * 1 000 rows).
     */
    @Override
    public java.util.Optional<String> tableFingerprint(String qualifiedTable, List<String> columns) {
        // (alias.*), not a bare alias: a column of the same name would be read instead of the whole row (see WHOLE_ROW).
        return java.util.Optional.of("(select pg_catalog.count(*)::text || ':' || coalesce(pg_catalog.md5(pg_catalog.string_agg("
                + "(venomqa_fp_row.*)::text, ',')), '') from " + ownRows(qualifiedTable) + " venomqa_fp_row)");
    }

    /**
     * The columns whose text the driver makes itself, read as the server's text, which the journal shows too: a
     * {@code bit(1)} (the driver gives a {@code Boolean}: {@code true}), and the types the driver fetches in
     * binary once it has prepared the statement on the server and then prints its own way: arrays
     * ({@code {"1",NULL}}), floats ({@code 1.0E20}), {@code numeric} ({@code 1E-7}), {@code timetz} (moved to
     * UTC, so a change of the offset alone read as none), {@code point} and {@code box} ({@code (1.0,2.0)}).
     * Until 2026-12-05 change capture read them as text for its first reads of a table and in binary from the
     * fifth: every row of a table with an array column then read as updated. And any column the driver gives as a
     * {@code java.sql.Time} ({@link java.sql.Types#TIME}: {@code time} and {@code timetz}), whose text has no
     * fraction of a second: until 2026-12-06 an exploration's table contents took {@code 10:00:00.5} for
     * {@code 10:00:00}, and {@code 10:00+01} for {@code 09:00+00}, as one state.
     */
    @Override
    public java.util.Optional<String> exactRead(String qualifiedColumn, int jdbcType, String typeName) {
        boolean driverText = jdbcType == java.sql.Types.ARRAY || jdbcType == java.sql.Types.TIME
                || jdbcType == java.sql.Types.TIME_WITH_TIMEZONE || (typeName != null && (typeName.startsWith("_")
                || DRIVER_TEXT_TYPES.contains(typeName)));
        return driverText ? java.util.Optional.of(qualifiedColumn + "::text") : java.util.Optional.empty();
    }

    /**
     * The count and md5 of the names of the schema's tables (ordinary, partitioned and foreign), with their
     * oids, so that a table dropped and created again under its name changes it too: a scan of
     * {@code pg_class}, well under a millisecond for a few hundred relations.
     */
    @Override
    public java.util.Optional<String> tableSetVersion(String schemaName) {
        return java.util.Optional.of("(select pg_catalog.count(*)::text || ':' || coalesce(pg_catalog.md5(pg_catalog.string_agg("
                + "pg_catalog.quote_ident(c.relname::text) || ' ' || c.oid::text, ',' order by c.relname)), '') from pg_catalog.pg_class c "
                + "where c.relnamespace = (select n.oid from pg_catalog.pg_namespace n where n.nspname = '"
                + schemaName.replace("'", "''") + "') and c.relkind in ('r', 'p', 'f'))");
    }

    /**
     * The settings the text of a {@code timestamptz} (its zone), of dates ({@code DateStyle}), intervals and floats
     * depends on.
     */
    @Override
    public java.util.Optional<String> valueTextSettings() {
        return java.util.Optional.of("pg_catalog.concat_ws(', ', 'TimeZone ' || pg_catalog.current_setting('TimeZone'), "
                + "'DateStyle ' || pg_catalog.current_setting('DateStyle'), 'IntervalStyle ' || pg_catalog.current_setting('IntervalStyle'), "
                + "'extra_float_digits ' || pg_catalog.current_setting('extra_float_digits'))");
    }

    /** The types {@link #exactRead} reads as the server's text (pgjdbc's names for them). */
    private static final java.util.Set<String> DRIVER_TEXT_TYPES = java.util.Set.of("bit", "float4", "float8", "numeric",
            "timetz", "point", "box");

    /**
     * {@code ONLY t}: a parent's or a partitioned table's {@code select} also returns its children's rows,
     * which change capture then reported twice, once under the parent (until 2026-12-05: "+1 city +1 capital"
     * for one insert into {@code capital}); the journal reports them once, under the table that stores them.
     */
    @Override
    public String ownRows(String qualifiedTable) {
        return "only " + qualifiedTable;
    }

    /** The digest query of a session's tracked tables, prepared once; closed when the schema is read again. */
    private record DigestStatement(String sql, PreparedStatement statement) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            statement.close();
        }
    }

    /**
     * The text of the whole row of alias {@code venomqa_digest_row}. A bare alias ({@code venomqa_digest_row::text})
     * names a column of that name when the table has one, and the digest then covered that column only: another
     * connection's change to any other column went unseen ({@code check_other_writers}). {@code alias.*} always
     * names the relation, whatever its columns are called.
     */
    static final String WHOLE_ROW = "(venomqa_digest_row.*)::text";

    /** What {@link #tableDigests} reads of an empty table: no rows, and the sum of no hashes as 0. */
    static final String EMPTY_DIGEST = "0:0";

    /**
     * Every table's row count and the sum of a 64-bit hash of each row's text
     * ({@code hashtextextended}), in one query: order-free, computed on the server, so only one
     * value per table crosses the wire.
     */
    @Override
    public java.util.Optional<Map<String, String>> tableDigests(JdbcSession session, List<TableInfo> tables)
            throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        // A select list holds at most 1 664 entries: chunks of 1 000 tables, one round trip each.
        for (int from = 0; from < tables.size(); from += 1000) {
            List<TableInfo> chunk = tables.subList(from, Math.min(tables.size(), from + 1000));
            StringBuilder sql = new StringBuilder("select ");
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(select pg_catalog.count(*)::text || ':' || coalesce(pg_catalog.sum("
                        + "pg_catalog.hashtextextended(" + WHOLE_ROW + ", 0))::text, '0') from ")
                        .append(session.qualified(chunk.get(i).name())).append(" venomqa_digest_row)");
            }
            // Kept prepared for the session (the tables are the same until the schema is read again): after a
            // reset of 50 empty tables, planning the 50 subqueries each time was most of the read's ~2.5 ms.
            DigestStatement kept = session.cached("postgresql.tableDigests." + from, DigestStatement.class,
                    x -> new DigestStatement(sql.toString(), x.connection().prepareStatement(sql.toString())));
            try (Statement plain = kept.sql().equals(sql.toString()) ? null : session.connection().createStatement();
                 ResultSet rs = plain == null ? kept.statement().executeQuery() : plain.executeQuery(sql.toString())) {
                rs.next();
                for (int i = 0; i < chunk.size(); i++) {
                    out.put(chunk.get(i).name(), rs.getString(i + 1));
                }
            }
        }
        return java.util.Optional.of(out);
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String displayName() {
        return "PostgreSQL";
    }

    /**
     * PostgreSQL runs DDL inside the transaction, but a {@code COMMIT} (or {@code END}) sent as SQL text on
     * the manager's connection (a {@code data.sql} script run through {@code sharedDataSource()},
     * {@code JdbcTemplate.execute("COMMIT")}) commits the run's transaction all the same: every
     * checkpoint's savepoint is gone and the writes before it are permanent. Declared, so that the
     * savepoint strategy keeps its base savepoint here too: a rollback then says what happened instead of
     * the driver's "savepoint does not exist", and {@code disconnect()} says the database is not as it was
     * found instead of reporting nothing (until 2026-12-03 it rolled back the rest and said nothing).
     */
    @Override
    public String implicitCommitStatements() {
        return "COMMIT, END, ROLLBACK or ABORT sent as SQL text (as a script run through sharedDataSource() may), "
                + "instead of Connection.commit()/rollback()";
    }

    /** SQL state 3B001 (invalid_savepoint_specification): what rolling back to a savepoint of an ended transaction raises. */
    @Override
    public boolean isSavepointLost(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "3B001".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public SQLDialect jooqDialect() {
        return SQLDialect.POSTGRES;
    }

    @Override
    public ConnectionSpec connectionSpec(StateConfig config, Duration connectTimeout) {
        DatabaseUrl url = DatabaseUrl.parse(config.url());
        Properties props;
        String jdbcUrl;
        if (!BackendUrls.claims(name(), url.original())) {
            throw new IllegalArgumentException("db_url '" + url.masked() + "' is not a PostgreSQL URL; use "
                    + "postgresql://user:password@host:5432/database or jdbc:postgresql://host:5432/database");
        }
        if (url.isJdbc()) {
            jdbcUrl = url.original();
            props = credentials(null, config);
        } else {
            props = credentials(url, config);
            // The guard checked exactly these hosts (DatabaseUrl.hosts()): the driver gets them, no others.
            StringBuilder sb = new StringBuilder("jdbc:postgresql://").append(url.hostList(DEFAULT_PORT)).append('/');
            if (url.database() != null) {
                sb.append(encodeParameter(url.database()));
            }
            StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
            keepKnownParameters(url, DRIVER_PARAMETERS).forEach((k, v) -> query.add(k + "=" + encodeParameter(v)));
            jdbcUrl = sb.append(query).toString();
        }
        long seconds = Math.max(1, (connectTimeout.toMillis() + 999) / 1000);
        props.putIfAbsent("connectTimeout", String.valueOf(seconds));
        props.putIfAbsent("loginTimeout", String.valueOf(seconds));
        props.putIfAbsent("ApplicationName", "venomqa");
        props.put(CLEANUP_SAVEPOINTS, "true"); // see runGuarded
        return new ConnectionSpec(jdbcUrl, props, url.masked());
    }

    @Override
    public String resolveSchema(Connection connection, StateConfig config) throws SQLException {
        String option = config.optionString(OPTION_SCHEMA, null);
        String schema = option != null ? option : DEFAULT_SCHEMA;
        String searchPath = currentSchemaParameter(config);
        if (searchPath != null) {
            // The URL's currentSchema is the search path this connection was opened with, and the one an application
            // given the same URL works in: its first schema that exists is where the application's tables are. Until
            // 2026-12-05 it was ignored and 'public' tracked instead: a run "rolled back" while the application's
            // schema kept every write.
            String effective;
            try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("select current_schema()")) {
                effective = rs.next() ? rs.getString(1) : null;
            }
            if (effective == null) {
                throw new SQLException("db_url sets currentSchema=" + searchPath + ", and no schema of it exists in this "
                        + "database. Create the schema, or correct currentSchema (or set the option 'schema' and leave "
                        + "currentSchema out).", "3F000");
            }
            if (option == null) {
                schema = effective;
            } else if (!option.equals(effective)) {
                throw new SQLException("db_url sets currentSchema=" + searchPath + " (schema '" + effective + "') but the "
                        + "option 'schema' is '" + option + "': VenomQA tracks and resets one schema, and an application "
                        + "given this URL writes to the other. Make them name the same schema, or leave one of them out.",
                        "42P22");
            }
        }
        if (schema.equalsIgnoreCase("venomqa")) {
            throw new SQLException("Schema 'venomqa' is reserved for VenomQA's own tables; set the schema option to "
                    + "the schema of your application's tables");
        }
        List<String> schemas = new ArrayList<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("select nspname from pg_namespace where nspname not like 'pg\\_%' "
                     + "and nspname <> 'information_schema' order by nspname")) {
            while (rs.next()) {
                schemas.add(rs.getString(1));
            }
        }
        if (!schemas.contains(schema)) {
            throw new SQLException("Schema '" + schema + "' does not exist in this database. Schemas there: "
                    + String.join(", ", schemas) + ". Set the option 'schema' to one of them.", "3F000");
        }
        return schema;
    }

    /** The {@code currentSchema} parameter of the URL (pgjdbc's search path), or null when it has none. */
    private static String currentSchemaParameter(StateConfig config) {
        if (config.url() == null) {
            return null;
        }
        DatabaseUrl url = DatabaseUrl.parse(config.url());
        Map<String, String> parameters = url.parameters();
        if (url.isJdbc()) { // a jdbc: URL goes to pgjdbc as written; its query is read here as the driver reads it
            parameters = new LinkedHashMap<>();
            int q = url.original().indexOf('?');
            for (String pair : q < 0 ? new String[0] : url.original().substring(q + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                parameters.put(kv[0], kv.length > 1 ? java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8) : "");
            }
        }
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            if (p.getKey().equalsIgnoreCase("currentSchema") && p.getValue() != null && !p.getValue().isBlank()) {
                return p.getValue();
            }
        }
        return null;
    }

    @Override
    public void initializeConnection(Connection connection, String schema, StateConfig config) throws SQLException {
        // Session-level and outside the transaction, so that rollbacks never undo it.
        try (Statement st = connection.createStatement()) {
            String path = schema.equals(DEFAULT_SCHEMA) ? quote(schema) : quote(schema) + ", public";
            st.execute("set search_path to " + path);
        }
    }

    @Override
    public boolean statementErrorAbortsTransaction() {
        return true;
    }

    /**
     * Lets pgjdbc guard the statement ({@code autosave=always} for this call only): the driver sends
     * {@code SAVEPOINT PGJDBC_AUTOSAVE} in the same round trip as the statement, rolls back to it when
     * the statement fails, and, with {@code cleanupSavepoints} (which {@link #connectionSpec} sets),
     * sends its release ahead of the next request instead of waiting for it. The default guard's two
     * extra round trips per statement are gone. Falls back to the default for batches (pgjdbc's batch
     * path is not worth the difference), for a connection that is not pgjdbc's, where the user chose
     * an {@code autosave} mode, and where the URL turned {@code cleanupSavepoints} off (the driver's
     * savepoints would then nest one deeper with every statement).
     */
    @Override
    public <T> T runGuarded(Connection connection, boolean batch, GuardedStatement<T> statement) throws SQLException {
        org.postgresql.PGConnection pg = batch ? null : driverGuarded(connection);
        if (pg == null) {
            return super.runGuarded(connection, batch, statement);
        }
        pg.setAutosave(org.postgresql.jdbc.AutoSave.ALWAYS);
        try {
            return statement.run();
        } finally {
            pg.setAutosave(org.postgresql.jdbc.AutoSave.NEVER);
        }
    }

    /**
     * The guard of {@link #runGuarded}, plus, where the search path holds a deferrable constraint,
     * the check a real auto-commit statement gets at its implicit {@code COMMIT}: without it an insert
     * of a child row without its parent succeeded under VenomQA where it fails in production. The
     * check runs inside the guard's savepoint, so a violation undoes the statement alone; it costs the
     * plain guard's round trips plus one, and only on such schemas (looked up once per connection:
     * a deferrable constraint created by the application later is not seen).
     */
    @Override
    public <T> T runSharedAutoCommit(Connection connection, boolean batch, GuardedStatement<T> statement)
            throws SQLException {
        if (!hasDeferrableConstraints(connection)) {
            return runGuarded(connection, batch, statement);
        }
        return super.runGuarded(connection, batch, () -> {
            T result = statement.run();
            try (Statement st = connection.createStatement()) {
                st.execute(DEFERRED_CHECK);
            }
            return result;
        });
    }

    private boolean hasDeferrableConstraints(Connection connection) throws SQLException {
        Boolean known = deferrable.get(connection);
        if (known == null) {
            try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(
                    "select exists (select 1 from pg_catalog.pg_constraint c join pg_catalog.pg_namespace n "
                            + "on n.oid = c.connamespace where c.condeferrable "
                            + "and n.nspname = any (pg_catalog.current_schemas(false)))")) {
                rs.next();
                known = rs.getBoolean(1);
            }
            deferrable.put(connection, known);
        }
        return known;
    }

    /** Per connection: whether its search path holds a deferrable constraint (see {@link #runSharedAutoCommit}). */
    private final Map<Connection, Boolean> deferrable = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /**
     * Fires the checks deferred until commit without changing the constraints' modes for good: set
     * inside a savepoint that is rolled back, which puts back the modes and the checks still pending.
     */
    private static final String DEFERRED_CHECK = "SAVEPOINT venomqa_deferred_check; SET CONSTRAINTS ALL IMMEDIATE; "
            + "ROLLBACK TO SAVEPOINT venomqa_deferred_check; RELEASE SAVEPOINT venomqa_deferred_check";

    /**
     * Checks the constraints deferred until commit ({@code DEFERRABLE INITIALLY DEFERRED}, or deferred
     * by {@code SET CONSTRAINTS}) as a real {@code COMMIT} would, then releases the unit's savepoint,
     * all in one round trip (as many as the release alone). {@code RELEASE SAVEPOINT} checks none of
     * them: an application whose commit must fail on a missing parent row saw it succeed. The check
     * switches every constraint to immediate inside a savepoint that is then rolled back, which
     * fires the pending checks and afterwards puts back both the constraints' modes and the queue of
     * checks still pending (PostgreSQL keeps them per subtransaction). On a violation the text stops
     * at the error and the caller rolls the unit back.
     */
    @Override
    public void commitSharedUnit(Connection connection, java.sql.Savepoint unit) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(DEFERRED_CHECK + "; RELEASE SAVEPOINT " + quote(unit.getSavepointName()));
        }
    }

    private org.postgresql.PGConnection driverGuarded(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(org.postgresql.PGConnection.class)) {
            return null;
        }
        org.postgresql.PGConnection pg = connection.unwrap(org.postgresql.PGConnection.class);
        if (pg.getAutosave() != org.postgresql.jdbc.AutoSave.NEVER) {
            return null;
        }
        Boolean cleanup = driverGuards.get(connection);
        if (cleanup == null) {
            cleanup = cleansUpSavepoints(connection.getMetaData().getURL());
            driverGuards.put(connection, cleanup);
        }
        return cleanup ? pg : null;
    }

    /**
     * Whether a connection opened from {@link #connectionSpec} with this URL releases pgjdbc's
     * savepoints: the spec's properties turn it on, and a value in the URL overrides them.
     */
    static boolean cleansUpSavepoints(String jdbcUrl) {
        Properties fromUrl = jdbcUrl == null ? null : org.postgresql.Driver.parseURL(jdbcUrl, null);
        if (fromUrl == null) {
            return false;
        }
        String value = fromUrl.getProperty(CLEANUP_SAVEPOINTS);
        return value == null || Boolean.parseBoolean(value);
    }

    /** pgjdbc's property that releases its autosave savepoints after each statement. */
    static final String CLEANUP_SAVEPOINTS = "cleanupSavepoints";

    /** pgjdbc sends the statements of one text as one batch, each with its own result. */
    @Override
    public boolean sendsStatementsTogether() {
        return true;
    }

    @Override
    public boolean isConnectionLost(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                // 57P01 admin shutdown (pg_terminate_backend), 57P02 crash shutdown, 57P03 cannot connect now
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- sequences -------------------------------------------------------------------------------

    /** {@code setval} takes effect at once, outside the transaction, and can be called inside it. */
    @Override
    public CounterRestore counterRestore() {
        return CounterRestore.IN_TRANSACTION;
    }

    /**
     * Every sequence of the schema and the search path, and those their column defaults draw from, as
     * {@code last_value:is_called}; {@code tables} does not narrow it.
     */
    @Override
    public SequenceSnapshot captureSequences(JdbcSession session, Collection<String> tables) throws SQLException {
        return PostgreSQLCounters.capture(session, null);
    }

    /**
     * {@code setval} of every saved sequence that moved, never so that it hands out again an id it
     * handed out since and a row still holds (a row the caller did not undo), with a warning then;
     * dropped ones skipped.
     */
    @Override
    public void restoreSequences(JdbcSession session, SequenceSnapshot saved) throws SQLException {
        PostgreSQLCounters.restore(session, null, saved);
    }

    /** As the two-argument restore, without the guard for the sequences {@code exactTables} own. */
    @Override
    public void restoreSequences(JdbcSession session, SequenceSnapshot saved, java.util.Set<String> exactTables)
            throws SQLException {
        PostgreSQLCounters.restore(session, null, saved, exactTables);
    }

    /** The savepoint and the capture in one round trip (pgjdbc sends a multi-statement string at once). */
    @Override
    public SequenceSnapshot savepointAndCapture(JdbcSession session, String name, Collection<String> tables)
            throws SQLException {
        return PostgreSQLCounters.capture(session, name);
    }

    /** {@code ROLLBACK TO} and the restore in one round trip. */
    @Override
    public void rollbackAndRestore(JdbcSession session, String name, SequenceSnapshot saved) throws SQLException {
        PostgreSQLCounters.restore(session, name, saved);
    }

    /** A sequence as the reset sees it: where it starts and how it steps. */
    private record Sequence(String qualified, long start, long increment) {
    }

    // ---- reset -----------------------------------------------------------------------------------

    @Override
    public void reset(JdbcSession session, ResetPlan plan) throws SQLException {
        resetWithKnownDigests(session, plan);
    }

    /**
     * The tables the {@code TRUNCATE} emptied are known to be empty at the commit (digest {@code "0:0"}):
     * it holds their {@code ACCESS EXCLUSIVE} locks until then, so no other connection can write them. None
     * are given when one of the plan's tables has a trigger {@code ON TRUNCATE}: it may write anywhere. Not
     * reading them matters: the {@code TRUNCATE} gave them new files, so the digest's statement is planned
     * again at its next use (3.2 ms for 50 tables, of a 47 ms reset in benchmark row 2).
     */
    @Override
    public Map<String, String> resetWithKnownDigests(JdbcSession session, ResetPlan plan) throws SQLException {
        List<TableInfo> tables = plan.tables();
        TablesNow now = tablesNow(session, tables);
        Set<String> chosen = new LinkedHashSet<>(now.nonEmpty());
        List<TableInfo> empty = tables.stream().filter(t -> !now.nonEmpty().contains(t.name())).toList();
        if (!empty.isEmpty()) {
            // An empty table still needs the TRUNCATE when one of its sequences has moved: RESTART
            // IDENTITY puts it back. An empty table whose sequences are all at their start is skipped
            // (benchmark row 3: a reset of an already clean schema no longer truncates every table).
            // Only then are the sequences read: a table holding rows is truncated anyway (row 2).
            Map<String, Set<String>> owningSequences = tablesOwningSequences(session);
            Set<String> movedSequences = movedSequences(session);
            for (TableInfo t : empty) {
                Set<String> owned = owningSequences.get(t.name());
                if (owned != null ? owned.stream().anyMatch(movedSequences::contains) : t.hasIdentity()) {
                    chosen.add(t.name());
                }
            }
        }
        // TRUNCATE refuses a table referenced by a table outside the statement, even an empty one.
        boolean grew = true;
        while (grew) {
            grew = false;
            for (String parent : List.copyOf(chosen)) {
                for (var fk : plan.schema().referencing(parent)) {
                    if (plan.tableNames().contains(fk.fromTable()) && chosen.add(fk.fromTable())) {
                        grew = true;
                    }
                }
            }
        }
        if (chosen.isEmpty()) {
            return Map.of();
        }
        StringJoiner sql = new StringJoiner(", ", "truncate table ", " restart identity");
        for (TableInfo t : tables) { // the plan's order, children first, whatever order the tables were chosen in
            if (chosen.contains(t.name())) {
                // ONLY: a TRUNCATE of an inheritance parent empties its children too, also those exclude_tables
                // keeps or that live in another schema; each child in the plan is a table of the statement itself.
                // A partitioned table takes no ONLY (it has no rows of its own): tablesNow refused any of whose
                // partitions the plan leaves out.
                sql.add((now.partitioned().contains(t.name()) ? "" : "only ") + session.qualified(t.name()));
            }
        }
        try (Statement st = session.connection().createStatement()) {
            st.execute(sql.toString());
        }
        if (now.truncateTriggers()) {
            return Map.of();
        }
        Map<String, String> known = new LinkedHashMap<>();
        for (String t : chosen) {
            if (!now.parents().contains(t)) { // a parent's digest reads its children's rows, which TRUNCATE ONLY kept
                known.put(t, EMPTY_DIGEST);
            }
        }
        return known;
    }

    /**
     * Tables with a serial or identity column, from pg_depend (independent of what jOOQ reports),
     * each with the qualified names of the sequences it owns.
     */
    private Map<String, Set<String>> tablesOwningSequences(JdbcSession session) throws SQLException {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        try (PreparedStatement ps = session.connection().prepareStatement(
                "select distinct t.relname, s.relname from pg_class s join pg_depend d on d.objid = s.oid and d.deptype in ('a', 'i') "
                        + "join pg_class t on t.oid = d.refobjid join pg_namespace n on n.oid = t.relnamespace "
                        + "where s.relkind = 'S' and d.classid = 'pg_class'::regclass and n.nspname = ?")) {
            ps.setString(1, session.schemaName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new LinkedHashSet<>()).add(session.qualified(rs.getString(2)));
                }
            }
        }
        return out;
    }

    /**
     * Sequences of the schema whose next value is not their start value (or that could not be
     * matched with the cached list: treated as moved, so their table is truncated as before).
     */
    private Set<String> movedSequences(JdbcSession session) throws SQLException {
        // The reset may follow DDL that created sequences: read the list afresh rather than from the cache.
        List<Sequence> current = readSequences(session);
        Map<String, Long> next = nextValues(session, current);
        Set<String> moved = new LinkedHashSet<>();
        for (Sequence s : current) {
            Long n = next.get(s.qualified());
            if (n == null || n != s.start()) {
                moved.add(s.qualified());
            }
        }
        return moved;
    }

    private List<Sequence> readSequences(JdbcSession session) throws SQLException {
        List<Sequence> out = new ArrayList<>();
        try (PreparedStatement ps = session.connection().prepareStatement(
                "select c.relname, s.seqstart, s.seqincrement from pg_class c "
                        + "join pg_namespace n on n.oid = c.relnamespace join pg_sequence s on s.seqrelid = c.oid "
                        + "where c.relkind = 'S' and n.nspname = ? order by c.relname")) {
            ps.setString(1, session.schemaName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Sequence(session.qualified(rs.getString(1)), rs.getLong(2), rs.getLong(3)));
                }
            }
        }
        return out;
    }

    private Map<String, Long> nextValues(JdbcSession session, List<Sequence> sequences) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        if (sequences.isEmpty()) {
            return out;
        }
        StringJoiner sql = new StringJoiner(" union all ");
        for (int i = 0; i < sequences.size(); i++) {
            sql.add("select " + i + ", last_value, is_called from " + sequences.get(i).qualified());
        }
        try (Statement st = session.connection().createStatement(); ResultSet rs = st.executeQuery(sql.toString())) {
            while (rs.next()) {
                Sequence s = sequences.get(rs.getInt(1));
                long last = rs.getLong(2);
                out.put(s.qualified(), rs.getBoolean(3) ? last + s.increment() : last);
            }
        }
        return out;
    }

    /**
     * What the reset reads of its tables before it truncates: which hold rows, whether a trigger fires on a
     * truncate, which are partitioned tables, and which are inheritance parents.
     */
    private record TablesNow(Set<String> nonEmpty, boolean truncateTriggers, Set<String> partitioned, Set<String> parents) {
    }

    private TablesNow tablesNow(JdbcSession session, List<TableInfo> tables) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        Set<String> partitioned = new LinkedHashSet<>();
        Set<String> parents = new LinkedHashSet<>();
        if (tables.isEmpty()) {
            return new TablesNow(out, false, partitioned, parents);
        }
        // One statement, each row (table index, what, detail): 'r' holds rows, 't' some table has a trigger ON
        // TRUNCATE, 'p' a partitioned table (detail: a partition the plan leaves out, or null), 'i' an
        // inheritance parent.
        StringJoiner sql = new StringJoiner(" union all ");
        StringJoiner names = new StringJoiner(", ", "array[", "]::regclass[]");
        for (int i = 0; i < tables.size(); i++) {
            String table = session.qualified(tables.get(i).name());
            sql.add("select " + i + ", 'r', null::text where exists (select 1 from " + table + ")");
            names.add("'" + table.replace("'", "''") + "'");
        }
        // Under row-level security the read above sees only the rows the policies let through (a role that
        // is not the owner, or FORCE ROW LEVEL SECURITY): such a table counts as holding rows, so it is
        // truncated (TRUNCATE is not subject to row security) instead of being skipped as empty. One join
        // for all tables: a sub-select per table made the statement take twice as long to plan.
        sql.add("select (u.i - 1)::int, 'r', null from unnest(" + names + ") with ordinality u(r, i) "
                + "join pg_catalog.pg_class c on c.oid = u.r where c.relrowsecurity");
        // A trigger ON TRUNCATE (type bit 32), in whatever firing mode: a disabled one only costs the digest's read.
        sql.add("select 0, 't', null from (select 1 from pg_catalog.pg_trigger g where g.tgrelid = any(" + names
                + ") and (g.tgtype::int & 32) <> 0 limit 1) t");
        // A partitioned table, with each of its partitions (at any depth) that the plan leaves out: a TRUNCATE of the
        // partitioned table would empty those too, and TRUNCATE ONLY is refused on a partitioned table.
        sql.add("select (u.i - 1)::int, 'p', d.relid::regclass::text from unnest(" + names + ") with ordinality u(r, i) "
                + "join pg_catalog.pg_class c on c.oid = u.r and c.relkind = 'p' "
                + "left join lateral (select p.relid from pg_catalog.pg_partition_tree(u.r) p where p.relid <> all(" + names
                + ")) d on true");
        sql.add("select (u.i - 1)::int, 'i', null from unnest(" + names + ") with ordinality u(r, i) "
                + "join pg_catalog.pg_class c on c.oid = u.r and c.relkind = 'r' "
                + "where exists (select 1 from pg_catalog.pg_inherits h where h.inhparent = u.r)");
        boolean triggers = false;
        Map<String, List<String>> outside = new LinkedHashMap<>();
        try (Statement st = session.connection().createStatement(); ResultSet rs = st.executeQuery(sql.toString())) {
            while (rs.next()) {
                String table = tables.get(rs.getInt(1)).name();
                switch (rs.getString(2)) {
                    case "t" -> triggers = true;
                    case "p" -> {
                        partitioned.add(table);
                        String left = rs.getString(3);
                        if (left != null) {
                            outside.computeIfAbsent(table, k -> new ArrayList<>()).add(left);
                        }
                    }
                    case "i" -> parents.add(table);
                    default -> out.add(table);
                }
            }
        }
        if (!outside.isEmpty()) {
            StringJoiner which = new StringJoiner("; ");
            outside.forEach((table, left) -> which.add(table + " (partitions left out: " + String.join(", ", left) + ")"));
            throw new SQLException("reset() cannot empty the partitioned table(s) " + which + " without emptying the "
                    + "partitions left out of the reset too (by exclude_tables or tables_to_reset, or living in another "
                    + "schema); nothing was emptied. Reset a partitioned table together with all its partitions, or none "
                    + "of them.", "55000");
        }
        return new TablesNow(out, triggers, partitioned, parents);
    }

    @Override
    public String connectionChecklist(ConnectionSpec spec) {
        return super.connectionChecklist(spec)
                + "\n  5. pg_hba.conf allows this user from this host (try: psql \"" + psqlUrl(spec) + "\").";
    }

    /**
     * The connection as a URL psql takes ({@code postgresql://user@host:port/db}), without any password
     * (psql asks for it): a {@code jdbc:} URL is not one psql reads, and a masked password would be typed
     * as {@code ***}.
     */
    static String psqlUrl(ConnectionSpec spec) {
        try {
            io.venomqa.core.DatabaseUrl url = io.venomqa.core.DatabaseUrl.parse(spec.jdbcUrl());
            String user = spec.properties().getProperty("user", url.user());
            java.util.regex.Matcher inQuery = java.util.regex.Pattern.compile("[?&]user=([^&]*)").matcher(spec.jdbcUrl());
            if (user == null && inQuery.find()) {
                user = io.venomqa.core.DatabaseUrl.decode(inQuery.group(1));
            }
            String host = url.host() == null ? "localhost" : url.host();
            return "postgresql://" + (user == null || user.isEmpty() ? "" : java.net.URLEncoder.encode(user,
                    java.nio.charset.StandardCharsets.UTF_8) + "@") + (host.contains(":") ? "[" + host + "]" : host)
                    + (url.port() == null ? "" : ":" + url.port()) + "/" + (url.database() == null ? "" : url.database());
        } catch (RuntimeException e) {
            return spec.displayUrl();
        }
    }
}
