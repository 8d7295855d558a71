package io.venomqa.state.mysql;

import io.venomqa.core.CredentialMasker;
import io.venomqa.state.ResetException;
import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.spi.CheckpointStrategyProvider;
import io.venomqa.state.jdbc.spi.ConnectionSpec;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.ResetPlan;
import io.venomqa.state.jdbc.spi.SchemaInfo;
import io.venomqa.state.jdbc.spi.SequenceSnapshot;
import io.venomqa.state.jdbc.spi.TableInfo;
import io.venomqa.state.mysql.internal.MySQLCharsets;
import io.venomqa.state.mysql.internal.MySQLConnectionSpec;
import io.venomqa.state.mysql.internal.MySQLMultiStatements;
import io.venomqa.state.mysql.internal.MySQLResetStatements;
import io.venomqa.state.mysql.internal.MySQLSavepointStrategy;
import io.venomqa.state.mysql.internal.MySQLSequences;
import io.venomqa.state.mysql.internal.MySQLUserVariables;
import io.venomqa.state.jdbc.spi.Finding;
import io.venomqa.state.spi.OptionSpec;
import org.jooq.SQLDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The MySQL and MariaDB dialect of {@code venomqa-backend-jdbc}, over MySQL Connector/J.
 *
 * <p>What it guarantees, and why (details and the facts behind them: {@code docs/mysql-backend.md}):
 * <ul>
 *   <li>The schema is the database named in the URL; only base tables count (views and MariaDB
 *       sequences are left out of tracking and reset).</li>
 *   <li>{@link #reset} empties each table with {@code TRUNCATE TABLE} (its AUTO_INCREMENT counter
 *       moved, or it is large, or it has a {@code DELETE} trigger) or {@code DELETE} (small, counter
 *       unmoved), with {@code FOREIGN_KEY_CHECKS=0} for its session, because InnoDB refuses to
 *       truncate a referenced table otherwise (error 1701); the plan it receives has already been
 *       checked so that no table outside the reset set references one inside it, so turning the
 *       checks off cannot leave dangling rows. {@code TRUNCATE} is DDL: it commits implicitly,
 *       which is why the reset is committed anyway and why it ends every checkpoint. A table with
 *       no rows and an unused AUTO_INCREMENT counter is skipped (no DDL for nothing).</li>
 *   <li>AUTO_INCREMENT counters are <b>not</b> restored by a savepoint rollback: InnoDB hands out ids
 *       outside transactions and only DDL (which commits) can set the counter
 *       ({@link #counterRestore()} is {@code COMMITS}, so the savepoint strategy leaves them alone);
 *       resets restart the counters at 1. The journal, which commits its undo anyway, restores them
 *       with {@link #captureSequences} and {@link #restoreSequences}, MariaDB {@code SEQUENCE} objects
 *       included (the same holds for them: not restored by a savepoint rollback, restored by the
 *       journal).</li>
 *   <li>A lost connection is recognised by SQLSTATE class {@code 08} (Connector/J's
 *       {@code CommunicationsException} after {@code KILL}) and by MariaDB's 1927 / MySQL's 1053.</li>
 * </ul>
 */
public final class MySQLDialect extends JdbcDialect {

    private static final Logger LOG = LoggerFactory.getLogger(MySQLDialect.class);

    /** Option choosing what {@code connect()} does about MyISAM and other non-transactional tables: {@code fail} or {@code warn}. */
    public static final String OPTION_NON_TRANSACTIONAL = MySQLSavepointStrategy.OPTION_NON_TRANSACTIONAL;

    /**
     * Option: how long a reset's {@code TRUNCATE} waits for another connection's lock on a table
     * before failing (a duration; default 30 s), instead of the server's {@code lock_wait_timeout}.
     */
    public static final String OPTION_RESET_LOCK_TIMEOUT = "reset_lock_timeout";

    /** Default of {@value #OPTION_RESET_LOCK_TIMEOUT}. */
    public static final Duration DEFAULT_RESET_LOCK_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Option {@code schema}: on MySQL/MariaDB a schema is a database, and VenomQA works in the one
     * {@code db_url} names; the option is accepted only when it names that same database, so that
     * {@code schema: other_db} is an error instead of being silently ignored.
     */
    public static final String OPTION_SCHEMA = "schema";
    /** Option: the connection's character set (also {@code charset=} in the URL). */
    public static final String OPTION_CHARSET = MySQLConnectionSpec.OPTION_CHARSET;
    /** Option: another spelling of {@code user}. */
    public static final String OPTION_USERNAME = MySQLConnectionSpec.OPTION_USERNAME;

    private static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.oneOf(OPTION_NON_TRANSACTIONAL, "fail",
                    "What connect() does about MyISAM and other tables without transactions: fail or warn.", "fail", "warn"),
            OptionSpec.duration(OPTION_RESET_LOCK_TIMEOUT, "30s",
                    "How long a reset's TRUNCATE waits for another connection's lock on a table."),
            OptionSpec.text(OPTION_CHARSET, MySQLCharsets.DEFAULT, "The connection's character set (or charset= in db_url)."),
            OptionSpec.text(OPTION_USERNAME, null, "Another spelling of user."),
            OptionSpec.text(OPTION_SCHEMA, "the database of db_url",
                    "Must name the database of db_url when given: on MySQL a schema is a database."));

    /** MariaDB's ER_CONNECTION_KILLED and the server-shutdown error: the session is gone. */
    private static final Set<Integer> CONNECTION_GONE_CODES = Set.of(1927, 1053, 2006, 2013);

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    /**
     * InnoDB's plain reads are consistent reads: they take no row lock and read past the run's
     * uncommitted rows. {@code CHECKSUM TABLE} takes only a shared metadata lock, which the run's
     * writes do not block (MySQL commits any DDL at once, so the run never holds an exclusive one).
     */
    @Override
    public boolean readsBesideTheRunNeverWait() {
        return true;
    }

    /**
     * A {@code FLOAT} as the {@code DOUBLE} it is: the server sends a {@code FLOAT} as text with six
     * significant digits (16777215 as 16777200, 12345.67 as 12345.7), so a change below the sixth digit
     * read as none; the value as a {@code DOUBLE} is sent with every digit it needs, as text like a
     * {@code DOUBLE}'s, {@code TIME}'s, {@code DATETIME}'s and {@code TIMESTAMP}'s (see below). And the columns
     * Connector/J turns into another type, read as the text the journal shows: a {@code TINYINT(1)}
     * ({@code BOOLEAN}) as its number (the driver gives {@code true} for 1 and for 5, so a change from one to
     * the other read as none), a {@code BIT(n)} as its number too ({@code b'1011'} as {@code 11}, MySQL's own
     * printable form, {@code b + 0}; the driver gives bytes, or a {@code Boolean} for {@code BIT(1)}, and names
     * both types {@code BIT}), a {@code YEAR} as its four digits (the driver gives a date).
     */
    @Override
    public java.util.Optional<String> exactRead(String qualifiedColumn, int jdbcType, String typeName) {
        String type = typeName == null ? "" : typeName.toUpperCase(java.util.Locale.ROOT);
        if (jdbcType == java.sql.Types.REAL || type.startsWith("FLOAT")) {
            return java.util.Optional.of("cast(cast(" + qualifiedColumn + " as double) as char)");
        }
        if (type.startsWith("DOUBLE") || type.startsWith("TIME") || type.startsWith("DATETIME")) {
            // The server's text: the driver printed a DOUBLE its own way (1.0E20, 100.0), dropped a negative
            // TIME's sign (-00:00:01 read as 00:00:01, a change between them as none) and a zero fraction of
            // a DATETIME(6) or TIMESTAMP(6)
            return java.util.Optional.of("cast(" + qualifiedColumn + " as char)");
        }
        if (jdbcType == java.sql.Types.BIT || jdbcType == java.sql.Types.BOOLEAN || type.equals("BIT")) {
            // TINYINT(1) and BIT(n) alike: the driver names both BIT, and a bit value plus 0 is its number
            return java.util.Optional.of("(" + qualifiedColumn + " + 0)");
        }
        if (type.equals("YEAR")) {
            return java.util.Optional.of("cast(" + qualifiedColumn + " as char)");
        }
        return java.util.Optional.empty();
    }

    /**
     * The count of the database's tables and the sum of a 60-bit hash of each name, exact as a {@code DECIMAL}
     * sum ({@code GROUP_CONCAT} would be cut at {@code group_concat_max_len}). Names only: the server answers
     * them from its data dictionary without opening a table (reading {@code create_time} too opened every
     * table, measured 0.36 ms against 0.2 ms for three), so a table dropped and created again under its name
     * within one window is not seen. The database is the connection's ({@code database()}), the manager's schema.
     */
    @Override
    public java.util.Optional<String> tableSetVersion(String schemaName) {
        return java.util.Optional.of("(select concat(count(*), ':', coalesce(sum(cast(conv(substr(md5(table_name), 1, 15), 16, "
                + "10) as unsigned)), 0)) from information_schema.tables where table_schema = database())");
    }

    /** The session's {@code time_zone}, in which a {@code TIMESTAMP} reads. */
    @Override
    public java.util.Optional<String> valueTextSettings() {
        return java.util.Optional.of("concat('time_zone ', @@session.time_zone)");
    }

    /** {@code INVISIBLE} columns (MariaDB 10.3+, MySQL 8.0.23+), which {@code select *} leaves out. */
    @Override
    public java.util.Optional<String> hiddenColumnsQuery() {
        return java.util.Optional.of("select table_name, column_name from information_schema.columns where table_schema = ? "
                + "and extra like '%INVISIBLE%' order by table_name, ordinal_position");
    }

    /**
     * {@code CHECKSUM TABLE} of every table in one statement: the server sums a checksum of each row
     * (order-free, 32 bits per row), reading the rows where they are, so nothing but one number per
     * table crosses the wire. It commits nothing. A table that no longer exists gives {@code null}.
     */
    @Override
    public java.util.Optional<Map<String, String>> tableDigests(JdbcSession session, List<TableInfo> tables)
            throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        if (tables.isEmpty()) {
            return java.util.Optional.of(out);
        }
        StringJoiner names = new StringJoiner(", ", "checksum table ", "");
        tables.forEach(t -> names.add(session.qualified(t.name())));
        // One result row per table named, in the order named (checked by name, as a result that did not
        // match would compare the wrong tables).
        try (Statement st = session.connection().createStatement(); ResultSet rs = st.executeQuery(names.toString())) {
            for (TableInfo t : tables) {
                String expected = session.schemaName() + "." + t.name();
                if (!rs.next() || !rs.getString(1).equalsIgnoreCase(expected)) {
                    throw new SQLException("CHECKSUM TABLE did not answer for " + expected + " in the order asked");
                }
                out.put(t.name(), rs.getString(2));
            }
        }
        return java.util.Optional.of(out);
    }

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public String displayName() {
        return "MySQL/MariaDB";
    }

    @Override
    public SQLDialect jooqDialect() {
        return SQLDialect.MYSQL;
    }

    @Override
    public ConnectionSpec connectionSpec(StateConfig config, Duration connectTimeout) {
        MySQLConnectionSpec spec = MySQLConnectionSpec.of(config, connectTimeout);
        checkSchemaOption(config, spec);
        return new ConnectionSpec(spec.jdbcUrl(), spec.properties(), spec.maskedUrl());
    }

    /** Connects despite non-transactional tables, so that {@link #diagnose} can name them all. */
    @Override
    public StateConfig inspectionConfig(StateConfig config) {
        return config.toBuilder().option(OPTION_NON_TRANSACTIONAL, "warn").build();
    }

    /**
     * Tables without transactions among those checkpoints cover (the same query {@code connect()}
     * uses to refuse them): a problem, or a warning when {@code non_transactional_tables: warn}.
     */
    @Override
    public List<Finding> diagnose(JdbcSession session, StateConfig configured) throws SQLException {
        if (MySQLSavepointStrategy.allNonTransactionalTables(session).isEmpty()) {
            return List.of(Finding.ok("every table uses InnoDB (savepoints and rollback cover them)."));
        }
        Map<String, String> engines = MySQLSavepointStrategy.nonTransactionalTables(session);
        if (engines.isEmpty()) {
            return List.of(Finding.ok("every table checkpoints cover uses InnoDB (savepoints and rollback cover them)."));
        }
        boolean accepted = !MySQLSavepointStrategy.nonTransactionalPolicy(configured);
        List<Finding> out = new ArrayList<>();
        engines.forEach((table, engine) -> out.add(accepted
                ? Finding.warning("table " + table + " uses " + engine + ": rollbacks do not undo its rows (accepted with "
                        + OPTION_NON_TRANSACTIONAL + ": warn).")
                : Finding.problem("table " + table + " uses " + engine + ", which ignores transactions: rollbacks would not"
                        + " undo its rows.", "ALTER TABLE " + table + " ENGINE=InnoDB; or list it in exclude_tables if VenomQA"
                        + " should leave it alone.")));
        return out;
    }

    /** MySQL or MariaDB (Connector/J calls both MySQL) and the version. */
    @Override
    public String serverVersion(JdbcSession session) throws SQLException {
        String version = session.connection().getMetaData().getDatabaseProductVersion();
        return (isMariaDB(version) ? "MariaDB " : "MySQL ") + version;
    }

    @Override
    public java.util.Optional<String> connectionFailureFix(String message) {
        String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (lower.contains("unknown database")) {
            return java.util.Optional.of("The server answers but the database (MySQL: schema) named in db_url does not"
                    + " exist: CREATE DATABASE it, or correct its name in db_url.");
        }
        return java.util.Optional.empty();
    }

    /** {@code schema} may only repeat the database of the URL: a different one would be silently ignored. */
    private static void checkSchemaOption(StateConfig config, MySQLConnectionSpec spec) {
        String schema = config.optionString(OPTION_SCHEMA, null);
        if (schema == null || schema.isBlank()) {
            return;
        }
        String database = databaseOf(spec.jdbcUrl());
        if (!schema.strip().equals(database)) {
            throw new IllegalArgumentException("Option schema '" + schema.strip() + "' does not name the database of db_url "
                    + spec.maskedUrl() + (database.isEmpty() ? " (which names none)" : " ('" + database + "')")
                    + ": on MySQL/MariaDB a schema is a database, and VenomQA works in the one db_url names. Put it in"
                    + " the URL (mysql://user@host:3306/" + schema.strip() + ") and remove the schema option.");
        }
    }

    /** The database path segment of a {@code jdbc:mysql:} URL ({@code jdbc:mysql://h1,h2:3306/db?x=y} gives {@code db}). */
    static String databaseOf(String jdbcUrl) {
        int hosts = jdbcUrl.indexOf("//");
        String rest = hosts < 0 ? jdbcUrl : jdbcUrl.substring(hosts + 2);
        int q = rest.indexOf('?');
        if (q >= 0) {
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        return slash < 0 ? "" : java.net.URLDecoder.decode(rest.substring(slash + 1), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Opens the connection with Connector/J's driver itself, so no other driver on the class path that also claims {@code jdbc:mysql:} is picked. */
    @Override
    public Connection openConnection(ConnectionSpec spec) throws SQLException {
        Connection c = new com.mysql.cj.jdbc.Driver().connect(spec.jdbcUrl(), spec.properties());
        if (c == null) {
            throw new SQLException("MySQL Connector/J did not accept the URL " + spec.displayUrl(), "08001");
        }
        return c;
    }

    @Override
    public String resolveSchema(Connection connection, StateConfig config) throws SQLException {
        String database = connection.getCatalog();
        if (database == null || database.isEmpty()) {
            throw new SQLException("The URL " + config.maskedUrl() + " selects no database; VenomQA works inside one: "
                    + "mysql://user:password@host:3306/database", "3D000");
        }
        return database;
    }

    @Override
    public void initializeConnection(Connection connection, String schema, StateConfig config) throws SQLException {
        String requested = MySQLConnectionSpec.requestedCharset(config);
        String version = connection.getMetaData().getDatabaseProductVersion();
        try (Statement s = connection.createStatement()) {
            if (!isMariaDB(version)) {
                // MySQL 8 caches information_schema.TABLES.AUTO_INCREMENT for a day by default; reset
                // reads it to skip untouched tables, so it must be live (MariaDB has no such cache).
                try {
                    s.execute("SET SESSION information_schema_stats_expiry = 0");
                } catch (SQLException e) {
                    LOG.debug("information_schema_stats_expiry not available on {}: {}", version, e.getMessage());
                }
            }
            if (requested != null) {
                try (ResultSet rs = s.executeQuery("SELECT @@character_set_connection")) {
                    rs.next();
                    String actual = rs.getString(1);
                    if (!MySQLCharsets.satisfies(requested, actual)) {
                        throw new SQLException("Option charset '" + requested + "' was not taken by the server: the session uses '"
                                + actual + "'. Use a character set the server supports (SHOW CHARACTER SET).", "22023");
                    }
                }
            }
        }
    }

    /**
     * Base tables only, MariaDB's system-versioned ones included (their {@code TABLE_TYPE} is
     * {@code SYSTEM VERSIONED}; left out, they were neither reset nor journaled): MariaDB sequences
     * and views are not data a reset could empty.
     */
    @Override
    public SchemaInfo introspect(Connection connection, String schema) throws SQLException {
        SchemaInfo all = super.introspect(connection, schema);
        Set<String> baseTables = new HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN " + BASE_TABLE_TYPES)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    baseTables.add(rs.getString(1));
                }
            }
        }
        Map<String, TableInfo> kept = new LinkedHashMap<>();
        all.tables().forEach((name, t) -> {
            if (baseTables.contains(name)) {
                kept.put(name, t);
            }
        });
        return kept.size() == all.tables().size() ? all : new SchemaInfo(all.schema(), kept);
    }

    // ---- session settings ----------------------------------------------------------------------------

    /**
     * Session variables that change what the application's statements do or return, which
     * {@code ROLLBACK TO SAVEPOINT} leaves as they are (MySQL's variables are not transactional). Not
     * {@code autocommit} (the shared connection refuses changing it, and setting it back would commit),
     * nor {@code timestamp} (reading it gives the clock, and setting that back would freeze it). On MariaDB
     * the user variables too ({@code @x}, {@link MySQLUserVariables}; until 2026-12-06 afternoon they
     * outlived a rollback); MySQL's are not read.
     */
    private static final List<String> SESSION_SETTINGS = List.of("foreign_key_checks", "unique_checks", "sql_mode",
            "time_zone", "character_set_client", "character_set_connection", "character_set_results",
            "collation_connection", "auto_increment_increment", "auto_increment_offset", "sql_safe_updates",
            "sql_select_limit", "sql_auto_is_null", "sql_big_selects", "group_concat_max_len", "div_precision_increment",
            "lc_time_names", "default_week_format", "explicit_defaults_for_timestamp", "innodb_strict_mode",
            "innodb_lock_wait_timeout", "lock_wait_timeout");
    private static final List<String> MARIADB_SESSION_SETTINGS = List.of("check_constraint_checks", "tx_isolation",
            "tx_read_only", "max_statement_time");
    private static final List<String> MYSQL_SESSION_SETTINGS = List.of("transaction_isolation", "transaction_read_only",
            "max_execution_time");

    /**
     * {@link #SESSION_SETTINGS} and the server's own, in one {@code SELECT @@session.…}; on MariaDB then its user
     * variables, in one or two more ({@link MySQLUserVariables}).
     */
    @Override
    public Map<String, Object> sessionSettings(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>(SESSION_SETTINGS);
        boolean mariadb = isMariaDB(connection.getMetaData().getDatabaseProductVersion());
        names.addAll(mariadb ? MARIADB_SESSION_SETTINGS : MYSQL_SESSION_SETTINGS);
        StringJoiner select = new StringJoiner(", ", "SELECT ", "");
        names.forEach(n -> select.add("@@session." + n));
        Map<String, Object> out = new LinkedHashMap<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(select.toString())) {
            rs.next();
            for (int i = 0; i < names.size(); i++) {
                out.put(names.get(i), rs.getObject(i + 1));
            }
        }
        if (mariadb) {
            out.putAll(MySQLUserVariables.read(connection));
        }
        return out;
    }

    /** One {@code SET @@session.a = …, @x = …}, the values as read. */
    @Override
    public void restoreSessionSettings(Connection connection, Map<String, Object> changed) throws SQLException {
        StringJoiner set = new StringJoiner(", ", "SET ", "");
        changed.keySet().forEach(n -> set.add((MySQLUserVariables.isUserVariable(n)
                ? MySQLUserVariables.reference(n.substring(MySQLUserVariables.PREFIX.length())) : "@@session." + n) + " = ?"));
        try (PreparedStatement ps = connection.prepareStatement(set.toString())) {
            int i = 1;
            for (Object value : changed.values()) {
                ps.setObject(i++, value);
            }
            ps.execute();
        }
    }

    // ---- identity counters ---------------------------------------------------------------------------

    /** {@code ALTER TABLE … AUTO_INCREMENT} is DDL: it commits. */
    @Override
    public CounterRestore counterRestore() {
        return CounterRestore.COMMITS;
    }

    /**
     * The next AUTO_INCREMENT value of every table of {@code tables} that has one, keyed by table, and
     * the next value of every MariaDB {@code SEQUENCE} of the schema ({@code sequence n}, keyed by the
     * sequence's name: sequences and tables share one namespace). A sequence used since this session
     * last captured or restored it is read by taking its next value and giving it back with
     * {@code ALTER SEQUENCE … RESTART} (DDL: commits); see {@link MySQLSequences}.
     */
    @Override
    public SequenceSnapshot captureSequences(JdbcSession session, Collection<String> tables) throws SQLException {
        Counters now = counters(session);
        Map<String, String> values = new LinkedHashMap<>();
        now.autoIncrements().forEach((table, next) -> {
            if (tables.contains(table)) {
                values.put(table, next);
            }
        });
        values.putAll(MySQLSequences.capture(session, now.sequences()));
        return new SequenceSnapshot(values);
    }

    /** The schema's AUTO_INCREMENT values (table to next value) and its sequences' names, from one catalog read. */
    private record Counters(Map<String, String> autoIncrements, List<String> sequences) {
    }

    private static Counters counters(JdbcSession session) throws SQLException {
        Map<String, String> autoIncrements = new LinkedHashMap<>();
        List<String> sequences = new ArrayList<>();
        // Live values: initializeConnection() set information_schema_stats_expiry to 0 where MySQL 8 caches them.
        try (Statement st = session.connection().createStatement(); ResultSet rs = st.executeQuery(
                "select table_name, auto_increment, table_type from information_schema.tables where table_schema = database() "
                        + "and (auto_increment is not null or table_type = 'SEQUENCE') order by table_name")) {
            while (rs.next()) {
                if ("SEQUENCE".equals(rs.getString(3))) {
                    sequences.add(rs.getString(1));
                } else {
                    autoIncrements.put(rs.getString(1), String.valueOf(rs.getLong(2)));
                }
            }
        }
        return new Counters(autoIncrements, sequences);
    }

    /**
     * {@code ALTER TABLE … AUTO_INCREMENT} for every saved table whose counter moved, and
     * {@code ALTER SEQUENCE … RESTART} for every saved sequence that is not at its saved value (both
     * commit; a table or sequence dropped since is skipped). Never below a value a row holds: InnoDB
     * itself raises a counter set at or below the largest id to the next free one, and a sequence is
     * set past the largest value of a column whose default takes from it, with a warning.
     */
    @Override
    public void restoreSequences(JdbcSession session, SequenceSnapshot saved) throws SQLException {
        Counters now = counters(session);
        Map<String, String> sequences = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : saved.values().entrySet()) {
            if (MySQLSequences.isSequenceValue(e.getValue())) {
                sequences.put(e.getKey(), e.getValue());
            } else if (now.autoIncrements().containsKey(e.getKey()) && !e.getValue().equals(now.autoIncrements().get(e.getKey()))) {
                try (Statement st = session.connection().createStatement()) {
                    // DDL: commits implicitly and takes a metadata lock.
                    st.execute("alter table " + quote(e.getKey()) + " auto_increment = " + Long.parseLong(e.getValue()));
                }
            }
        }
        MySQLSequences.restore(session, sequences, now.sequences());
    }

    /**
     * The statements in chunks of up to {@value #TOGETHER_MAX_CHARS} characters, each chunk one text in
     * one round trip ({@link MySQLMultiStatements}); a statement longer than that goes alone. The chunk
     * stays well under the server's default {@code max_allowed_packet} (16 MiB) whatever the characters.
     */
    @Override
    public int[] executeTogether(Connection connection, List<String> statements) throws SQLException {
        int[] counts = new int[statements.size()];
        int from = 0;
        while (from < statements.size()) {
            int to = from;
            long chars = 0;
            while (to < statements.size() && (to == from || chars + statements.get(to).length() <= TOGETHER_MAX_CHARS)) {
                chars += statements.get(to).length() + 2;
                to++;
            }
            List<String> chunk = statements.subList(from, to);
            int[] done = chunk.size() == 1 ? null : MySQLMultiStatements.run(connection, chunk);
            if (done == null) {
                done = super.executeTogether(connection, chunk);
            }
            if (done.length != chunk.size()) {
                throw new SQLException("The server answered " + done.length + " of " + chunk.size() + " statements sent together");
            }
            System.arraycopy(done, 0, counts, from, done.length);
            from = to;
        }
        return counts;
    }

    /** The {@code TABLE_TYPE}s of tables holding data: MariaDB calls a system-versioned table {@code SYSTEM VERSIONED}. */
    public static final String BASE_TABLE_TYPES = "('BASE TABLE', 'SYSTEM VERSIONED')";

    /** Characters per text {@link #executeTogether} sends (4 bytes per character at most: 8 MiB). */
    static final int TOGETHER_MAX_CHARS = 2_000_000;

    /**
     * {@inheritDoc}
     *
     * <p>MySQL: each table is emptied the cheaper of two ways, foreign key checks off for the session
     * meanwhile (InnoDB then neither checks nor cascades, so no table outside the plan is touched):
     * <ul>
     *   <li>{@code TRUNCATE TABLE} where the AUTO_INCREMENT counter moved (only DDL restarts it, and
     *       one {@code TRUNCATE} costs what one {@code ALTER TABLE … AUTO_INCREMENT = 1} does), where
     *       the table holds {@value #DELETE_MAX_ROWS} rows or more (InnoDB's estimate), or where it
     *       has a {@code DELETE} trigger (a trigger could write elsewhere, even to an excluded table);</li>
     *   <li>{@code DELETE FROM} for the other tables with rows: no DDL, no table re-creation, all of
     *       them in the session's transaction, committed together.</li>
     * </ul>
     * A table with no rows and an unmoved counter is left alone. What each table holds is learnt in
     * one query ({@link #tableFacts}), and all the writes, with the session settings around them, go
     * to the server in one more round trip ({@link MySQLResetStatements}). The crossover and the measurements
     * behind it are in {@code docs/performance.md}. {@code TRUNCATE} commits implicitly <em>before it
     * runs, even when it then fails</em> (checked on MariaDB 10.11), and each one commits at once;
     * the {@code DELETE}s run first, so the first {@code TRUNCATE} commits them (without one, the
     * manager's commit does). So when a {@code TRUNCATE} fails, the error ({@link ResetException})
     * says that the run's earlier writes are committed, names the tables already empty for good and
     * those that were not reset, instead of pretending nothing happened. When a {@code DELETE} fails
     * before any {@code TRUNCATE}, nothing is committed.
     */
    @Override
    public void reset(JdbcSession session, ResetPlan plan) throws SQLException {
        Connection c = session.connection();
        long lockTimeout = Math.max(1, session.config().optionDuration(OPTION_RESET_LOCK_TIMEOUT, DEFAULT_RESET_LOCK_TIMEOUT).toSeconds());
        boolean mariaDb = isMariaDB(c.getMetaData().getDatabaseProductVersion());
        Map<String, TableFacts> facts = tableFacts(session, plan.tables(), mariaDb, lockTimeout);
        List<String> toDelete = new ArrayList<>();
        List<String> toTruncate = new ArrayList<>();
        choose(session, plan.tables(), facts, toDelete, toTruncate);
        if (toDelete.isEmpty() && toTruncate.isEmpty()) {
            return; // no session settings touched either (benchmark row 3)
        }
        Set<String> versioned = new HashSet<>();
        facts.forEach((table, f) -> {
            if (f.versioned()) {
                versioned.add(table);
            }
        });
        MySQLResetStatements statements = new MySQLResetStatements(session, lockTimeout, toDelete, toTruncate, versioned);
        try {
            statements.run();
        } catch (SQLException e) {
            if (isConnectionLost(e)) {
                throw e;
            }
            int done = statements.completed();
            if (!statements.anyTruncateStarted(done)) {
                throw e; // nothing was committed: the manager rolls back and says so
            }
            List<String> emptied = statements.emptied(done);
            List<String> notReset = new ArrayList<>(plan.tableNames());
            notReset.removeAll(emptied);
            throw new ResetException("The mysql backend could not finish the reset (" + session.maskedUrl() + "): "
                    + CredentialMasker.maskText(e.getMessage()) + " [error " + e.getErrorCode() + "]. TRUNCATE commits "
                    + "implicitly in MySQL/MariaDB, before it runs and even when it fails: what the run wrote before the "
                    + "reset is committed, " + (emptied.isEmpty() ? "no table was emptied" : emptied + " are empty for good")
                    + ", and " + notReset + " were not reset. Every checkpoint was cleared. Fix the cause and call reset() again"
                    + (e.getErrorCode() == 1205 ? " (error 1205: another connection holds a lock on the table for longer than "
                    + OPTION_RESET_LOCK_TIMEOUT + " = " + lockTimeout + "s; end its transaction first)" : "") + ".", e);
        }
        LOG.debug("Reset {} on {}: DELETE {}, TRUNCATE {}", plan.tableNames(), session.maskedUrl(), toDelete, toTruncate);
    }

    /**
     * Below this many rows (InnoDB's estimate in {@code information_schema.TABLES.TABLE_ROWS}) a
     * table whose counter has not moved is emptied with {@code DELETE}, above it with
     * {@code TRUNCATE}: on MariaDB 10.11 a {@code TRUNCATE} costs about 3–4 ms whatever the size
     * (a table re-creation with its file syncs), a {@code DELETE} grows with the rows and passes it
     * between 1 000 and 3 000 rows (docs/performance.md, "Reset on MariaDB: DELETE or TRUNCATE").
     * An estimate that is off only costs time, never correctness.
     */
    static final long DELETE_MAX_ROWS = 1000;

    /**
     * What one round trip says about a table: its next AUTO_INCREMENT value (null: none), InnoDB's
     * row estimate, whether it holds a row now, and whether it is system-versioned (MariaDB).
     */
    record TableFacts(Long nextId, long estimatedRows, boolean hasRows, boolean versioned) {
    }

    /**
     * Sorts the plan's tables (in its order, children first) into those to {@code DELETE} and those
     * to {@code TRUNCATE}, leaving out the ones a reset would not change: no rows and a counter
     * that would hand out 1 next. A table with an identity column whose counter could not be read is
     * always truncated.
     */
    private static void choose(JdbcSession session, List<TableInfo> tables, Map<String, TableFacts> facts,
                               List<String> toDelete, List<String> toTruncate) throws SQLException {
        Set<String> small = new HashSet<>();
        for (TableInfo t : tables) {
            TableFacts f = facts.get(t.name());
            boolean counterMoved = f != null && f.nextId() != null ? f.nextId() > 1 : t.hasIdentity();
            if (!counterMoved && f != null && f.hasRows() && f.estimatedRows() < DELETE_MAX_ROWS) {
                small.add(t.name());
            }
        }
        if (!small.isEmpty()) {
            small.removeAll(tablesWithDeleteTriggers(session.connection(), session.schemaName()));
        }
        for (TableInfo t : tables) {
            TableFacts f = facts.get(t.name());
            boolean counterMoved = f != null && f.nextId() != null ? f.nextId() > 1 : t.hasIdentity();
            if (small.contains(t.name()) && !f.versioned()) {
                toDelete.add(t.name());
            } else if (counterMoved || f != null && f.hasRows()) {
                toTruncate.add(t.name()); // a versioned one is emptied otherwise: MySQLResetStatements
            }
        }
    }

    /**
     * The counter, row estimate and emptiness of each table, in one query (benchmark rows 2 and 3:
     * this was three round trips). The emptiness is a <em>locking</em> read ({@code LOCK IN SHARE
     * MODE}): under REPEATABLE READ a plain read sees the snapshot the run's transaction took at its
     * first read, and would call a table empty whose rows another connection committed since. The
     * shared lock on a table's first row is held until the reset commits; on MariaDB the wait for
     * it is bounded by {@value #OPTION_RESET_LOCK_TIMEOUT} ({@code SET STATEMENT}).
     */
    static Map<String, TableFacts> tableFacts(JdbcSession session, List<TableInfo> tables, boolean mariaDb,
                                              long lockTimeout) throws SQLException {
        Map<String, TableFacts> out = new LinkedHashMap<>();
        if (tables.isEmpty()) {
            return out;
        }
        // The catalog's rows (counter, estimate) and one row per table saying whether it has rows, as
        // one UNION ALL: joining the two made MariaDB scan information_schema once per table.
        StringJoiner sql = new StringJoiner(" UNION ALL ",
                (mariaDb ? "SET STATEMENT innodb_lock_wait_timeout = " + lockTimeout + " FOR " : "")
                        + "SELECT TABLE_NAME, AUTO_INCREMENT, TABLE_ROWS, NULL, TABLE_TYPE = 'SYSTEM VERSIONED' FROM information_schema.TABLES"
                        + " WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN " + BASE_TABLE_TYPES + " UNION ALL ", "");
        for (TableInfo t : tables) {
            sql.add("SELECT ?, NULL, NULL, EXISTS (SELECT 1 FROM " + session.qualified(t.name()) + " LIMIT 1 LOCK IN SHARE MODE), NULL");
        }
        Map<String, Long> nextIds = new HashMap<>();
        Map<String, Long> estimates = new HashMap<>();
        Set<String> withRows = new HashSet<>();
        Set<String> versioned = new HashSet<>();
        try (PreparedStatement ps = session.connection().prepareStatement(sql.toString())) {
            ps.setString(1, session.schemaName());
            int p = 2;
            for (TableInfo t : tables) {
                ps.setString(p++, t.name());
            }
            ps.execute(); // not executeQuery: Connector/J takes SET STATEMENT … FOR SELECT for an update
            try (ResultSet rs = ps.getResultSet()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    int hasRows = rs.getInt(4);
                    if (!rs.wasNull()) {
                        if (hasRows == 1) {
                            withRows.add(name);
                        }
                        continue;
                    }
                    if (rs.getBoolean(5)) {
                        versioned.add(name);
                    }
                    long next = rs.getLong(2);
                    nextIds.put(name, rs.wasNull() ? null : next);
                    long estimate = rs.getLong(3);
                    // no estimate: assume large, so that the choice falls on TRUNCATE
                    estimates.put(name, rs.wasNull() ? Long.MAX_VALUE : estimate);
                }
            }
        }
        for (TableInfo t : tables) {
            if (estimates.containsKey(t.name())) {
                out.put(t.name(), new TableFacts(nextIds.get(t.name()), estimates.get(t.name()), withRows.contains(t.name()),
                        versioned.contains(t.name())));
            }
        }
        return out;
    }

    /**
     * The tables of the schema with a {@code DELETE} trigger. Asked only when some table would be
     * emptied with {@code DELETE}: joined to the tables query as a correlated subquery it cost
     * 30 ms for 50 tables on MariaDB 10.11, against 0.6 ms for the tables alone and 0.8 ms for this.
     */
    private static Set<String> tablesWithDeleteTriggers(Connection c, String schema) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS"
                + " WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_MANIPULATION = 'DELETE'")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * "The storage engine for the table doesn't support SAVEPOINT" (error 1178) names no table: once the run's
     * transaction has touched an Aria table (even by reading it), MariaDB refuses every later savepoint. Say
     * which tables of the schema use an engine without savepoints and what to do.
     */
    @Override
    public java.util.Optional<String> explainFailure(JdbcSession session, SQLException e) {
        if (e.getErrorCode() != 1178) {
            return java.util.Optional.empty();
        }
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = session.connection().prepareStatement("select table_name, engine from "
                + "information_schema.tables where table_schema = ? and table_type = 'BASE TABLE' and engine is not null "
                + "and engine not in ('InnoDB', 'MyISAM', 'MEMORY', 'MRG_MyISAM') order by 1")) {
            ps.setString(1, session.schemaName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1) + " (" + rs.getString(2) + ")");
                }
            }
        } catch (SQLException ignored) {
            // the explanation without the list is still the right one
        }
        return java.util.Optional.of("The run's transaction has used a table whose engine does not support savepoints"
                + (tables.isEmpty() ? "" : " (in this schema: " + String.join(", ", tables) + ")") + ", and MariaDB then "
                + "refuses every savepoint of the transaction, so no checkpoint can be taken; excluding the table does not "
                + "help, since any use of it through sharedDataSource() counts. Convert the table to InnoDB "
                + "(ALTER TABLE … ENGINE=InnoDB), or use checkpoint_strategy: journal.");
    }

    @Override
    public boolean isConnectionLost(SQLException e) {
        if (super.isConnectionLost(e)) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && CONNECTION_GONE_CODES.contains(s.getErrorCode())) {
                return true;
            }
            if (t instanceof com.mysql.cj.jdbc.exceptions.CommunicationsException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<CheckpointStrategyProvider> checkpointStrategies() {
        return List.of(MySQLSavepointStrategy.PROVIDER);
    }

    @Override
    public String connectionChecklist(ConnectionSpec spec) {
        return super.connectionChecklist(spec)
                + "\n  5. on MySQL 8 with caching_sha2_password and no TLS: add allowPublicKeyRetrieval=true to a jdbc:mysql: URL.";
    }

    /** Whether Connector/J's product version string is a MariaDB server's ({@code 5.5.5-10.11.19-MariaDB-…}). */
    static boolean isMariaDB(String productVersion) {
        return productVersion != null && productVersion.toLowerCase(Locale.ROOT).contains("mariadb");
    }
}
