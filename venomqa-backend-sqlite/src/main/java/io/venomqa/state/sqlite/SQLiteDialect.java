package io.venomqa.state.sqlite;

import io.venomqa.state.StateConfig;
import io.venomqa.state.spi.BackendUrls;
import io.venomqa.state.jdbc.spi.ConnectionSpec;
import io.venomqa.state.jdbc.spi.ForeignKeyInfo;
import io.venomqa.core.DatabaseUrl;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.ResetPlan;
import io.venomqa.state.jdbc.spi.SequenceSnapshot;
import io.venomqa.state.jdbc.spi.TableInfo;
import io.venomqa.state.sqlite.internal.SQLiteResetQuery;
import io.venomqa.state.spi.OptionSpec;
import org.jooq.SQLDialect;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;

/**
 * SQLite for {@link SQLiteStateManager}, through sqlite-jdbc.
 *
 * <ul>
 *   <li>URLs (SQLAlchemy's spelling, as in the seed): {@code sqlite:///relative/path.db} (three
 *       slashes: relative to the working directory), {@code sqlite:////absolute/path.db} (four),
 *       {@code sqlite:path.db}, {@code sqlite::memory:} / {@code sqlite:///:memory:} (in-memory), and
 *       any {@code jdbc:sqlite:} URL. Query parameters that are SQLite pragmas
 *       ({@code foreign_keys}, {@code journal_mode}, …) are passed on; others are dropped with a logged note.</li>
 *   <li>Options: {@value #OPTION_TIMEOUT} (busy timeout: how long a statement waits for another
 *       connection's lock; a duration, default 5 s) and {@value #OPTION_FOREIGN_KEYS}
 *       ({@code PRAGMA foreign_keys}; default: whatever the URL or the driver says, which is off).</li>
 *   <li>Savepoints inside one deferred transaction. Row ids and {@code AUTOINCREMENT} counters
 *       ({@code sqlite_sequence}) are transactional in SQLite, so rollbacks restore them with no extra work
 *       ({@link #counterRestore()} is {@code TRANSACTIONAL}); the journal, whose undo is not a rollback,
 *       puts {@code sqlite_sequence} back with {@link #captureSequences} and {@link #restoreSequences}.</li>
 *   <li>Reset: {@code DELETE} from every reset table, children first, with {@code PRAGMA defer_foreign_keys}
 *       for cycles, then their rows of {@code sqlite_sequence} (so {@code AUTOINCREMENT} restarts at 1).
 *       The application's triggers do not fire: they are dropped in the reset's transaction and created
 *       again from their own text before its commit.
 *       SQLite's truncate optimization makes a {@code DELETE} without {@code WHERE} cheap, and nearly free on an empty table.
 *       The foreign-key check of a reset follows {@code PRAGMA foreign_keys}: when keys are not enforced,
 *       an excluded child table does not stop the reset of its parent.</li>
 *   <li>Limits: with the savepoint strategy the manager's transaction holds SQLite's write lock from
 *       {@code connect()} until {@code disconnect()} ({@code BEGIN IMMEDIATE}, see {@link #lockOutOtherWriters}),
 *       so another connection can read committed data but cannot write meanwhile (it waits the busy
 *       timeout, then fails with {@code SQLITE_BUSY}): applications in the same JVM should use
 *       {@code sharedDataSource()}, others the journal strategy. An in-memory database lives only as long as the manager's connection.</li>
 * </ul>
 */
public final class SQLiteDialect extends JdbcDialect {

    /** Option: SQLite busy timeout (a duration; a bare number is seconds). */
    public static final String OPTION_TIMEOUT = "timeout";
    /** Option: {@code PRAGMA foreign_keys} for the manager's connection. */
    public static final String OPTION_FOREIGN_KEYS = "foreign_keys";
    /** Default of {@value #OPTION_TIMEOUT}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    static final Set<String> PRAGMAS = Set.of("foreign_keys", "journal_mode", "synchronous", "busy_timeout",
            "cache_size", "mode", "cache", "open_mode", "recursive_triggers", "case_sensitive_like",
            "legacy_alter_table", "temp_store", "locking_mode");

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.duration(OPTION_TIMEOUT, "5s", "Busy timeout: how long a statement waits for another connection's lock."),
                OptionSpec.bool(OPTION_FOREIGN_KEYS, "the URL's, else off", "PRAGMA foreign_keys for the manager's connection."));
    }

    /**
     * SQLite has no hash function: the rows themselves, after the schema version, so that DDL (a
     * column added) changes it too. A value is its {@code quote()} literal (exact, REAL values
     * included), except text holding a NUL character, which is {@code t} and its bytes in hex:
     * {@code quote()} ends a text at its first NUL, so a change after one would not change the
     * fingerprint and the step's change would be missed ({@code instr} sees the whole text). Computed in
     * process, so only one value crosses JNI instead of every cell.
     */
    @Override
    public java.util.Optional<String> tableFingerprint(String qualifiedTable, List<String> columns) {
        if (columns.isEmpty()) {
            return java.util.Optional.empty();
        }
        StringJoiner row = new StringJoiner(" || ',' || ");
        for (String c : columns) {
            row.add("(case when typeof(" + quote(c) + ") = 'text' and instr(" + quote(c) + ", char(0)) > 0 then 't' || hex("
                    + quote(c) + ") else quote(" + quote(c) + ") end)");
        }
        return java.util.Optional.of("(select (select schema_version from pragma_schema_version) || ':' || count(*) || ':' "
                + "|| coalesce(group_concat(venomqa_fp.r, char(10)), '') from (select " + row + " as r from "
                + qualifiedTable + ") venomqa_fp)");
    }

    /**
     * {@link JdbcDialect#introspect}, with sqlite-jdbc's bare "too many terms in compound SELECT" for a table of more
     * than 500 columns turned into a message that names the table and says what to do.
     */
    @Override
    public io.venomqa.state.jdbc.spi.SchemaInfo introspect(Connection connection, String schema) throws SQLException {
        try {
            return super.introspect(connection, schema);
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("too many terms in compound SELECT")) {
                throw tooWideForTheDriver(connection, e);
            }
            throw e;
        }
    }

    /**
     * sqlite-jdbc describes a table's columns with one {@code SELECT} per column joined by {@code UNION ALL}, which SQLite
     * refuses beyond 500 terms ({@code SQLITE_MAX_COMPOUND_SELECT}): a table of more than 500 columns cannot be read
     * through it. {@code e}, with the tables that wide named and what to do.
     */
    private static SQLException tooWideForTheDriver(Connection connection, SQLException e) {
        List<String> wide = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(
                "select m.name, count(*) from sqlite_schema m, pragma_table_xinfo(m.name) x where m.type = 'table' "
                        + "group by m.name having count(*) > 500 order by m.name")) {
            while (rs.next()) {
                wide.add(rs.getString(1) + " (" + rs.getInt(2) + " columns)");
            }
        } catch (SQLException notRead) {
            e.addSuppressed(notRead);
        }
        SQLException out = new SQLException("SQLite's JDBC driver cannot describe "
                + (wide.isEmpty() ? "a table of more than 500 columns" : "table(s) " + String.join(", ", wide))
                + ": its DatabaseMetaData.getColumns reads a table with one SELECT per column in a single statement, and "
                + "SQLite allows at most 500 there (SQLITE_MAX_COMPOUND_SELECT; sqlite-jdbc issue #487). VenomQA reads every "
                + "table of the database through it, so it cannot connect to this one: keep the tables of the database "
                + "under test to 500 columns at most (split the wide one), or test it on another backend. ("
                + e.getMessage() + ")", e.getSQLState(), e);
        return out;
    }

    /**
     * The foreign keys of SQLite table {@code table}, one per {@code pragma_foreign_key_list} id: jOOQ's meta API
     * resolves each key's target by building every table of the schema again (a driver call per table, so a
     * schema's introspection was quadratic in its tables), and merges two unnamed keys to one table
     * ({@code created_by} and {@code assigned_to} both referencing {@code users}) into one key of two columns. A key
     * naming a table that does not exist (SQLite allows it) is left out, as jOOQ left it; a key naming no column
     * references the target's primary key. The names are the driver's ({@code CONSTRAINT name}), else the default.
     */
    @Override
    protected List<ForeignKeyInfo> foreignKeys(Connection c, String table, java.util.function.UnaryOperator<String> tables)
            throws SQLException {
        Map<String, String> named = new java.util.HashMap<>();
        try (ResultSet rs = c.getMetaData().getImportedKeys(null, null, table)) {
            while (rs.next()) {
                String name = rs.getString("FK_NAME");
                if (name != null && !name.isEmpty()) {
                    named.put(rs.getString("FKCOLUMN_NAME").toLowerCase(java.util.Locale.ROOT) + "\u0000" + rs.getInt("KEY_SEQ"),
                            name);
                }
            }
        }
        Map<Integer, List<String[]>> keys = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select id, \"table\", \"from\", \"to\" from pragma_foreign_key_list(?) order by id, seq")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>())
                            .add(new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
        }
        List<ForeignKeyInfo> out = new ArrayList<>();
        for (List<String[]> key : keys.values()) {
            String target = tables.apply(key.get(0)[0]);
            if (target == null) {
                continue;
            }
            List<String> from = new ArrayList<>();
            List<String> to = new ArrayList<>();
            for (String[] column : key) {
                from.add(column[1]);
                to.add(column[2]);
            }
            if (to.contains(null)) {
                to = primaryKeyOf(c, target);
            }
            out.add(new ForeignKeyInfo(named.get(from.get(0).toLowerCase(java.util.Locale.ROOT) + "\u0000" + 1), table, from,
                    target, to));
        }
        return out;
    }

    /** The primary key columns of SQLite table {@code table}, in key order. */
    private static List<String> primaryKeyOf(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select name from pragma_table_info(?) where pk > 0 order by pk")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** SQLite's schema version, which every change of the schema (a table created, dropped or altered) increments. */
    @Override
    public java.util.Optional<String> tableSetVersion(String schemaName) {
        return java.util.Optional.of("(select schema_version from pragma_schema_version)");
    }

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public String displayName() {
        return "SQLite";
    }

    @Override
    public SQLDialect jooqDialect() {
        return SQLDialect.SQLITE;
    }

    /**
     * SQLite commits no DDL implicitly; what ends the manager's transaction is a transaction statement
     * sent as SQL text, which the shared DataSource cannot map to a savepoint as it maps
     * {@code Connection.commit()}. The driver does not begin a new transaction after it, so SQLite
     * commits every later write on its own until the next checkpoint begins one.
     */
    @Override
    public String implicitCommitStatements() {
        return "COMMIT, END or ROLLBACK sent as SQL text instead of Connection.commit()/rollback(); after it SQLite "
                + "commits every write on its own until the next checkpoint";
    }

    /**
     * The savepoint strategy's transactions begin with {@code BEGIN IMMEDIATE}: the run holds SQLite's
     * write lock from {@code connect()} (and again right after each reset's commit) to {@code disconnect()},
     * not from its first write. Before, another connection could commit until that first write and no
     * rollback undid it: an application writing on its own connection while the manager only took
     * checkpoints and rolled back kept its rows, and {@code rollback} and {@code disconnect()} reported
     * success. Now such a write waits its own connection's busy timeout and fails with {@code SQLITE_BUSY}, as it already
     * did after the run's first write, so every rollback is exact. Chosen over comparing
     * {@code PRAGMA data_version} at checkpoint and rollback: read inside the run's transaction it never
     * moves in WAL mode (the transaction keeps its snapshot), so it would need a second connection and
     * two reads per checkpoint and rollback, measured at about 8 µs each in rollback-journal mode against
     * a whole raw cycle of about 5 µs. {@code lockOut false} (disconnect) goes back to deferred
     * transactions, so that disconnect's rollback never waits for a writer that was kept out.
     */
    @Override
    public void lockOutOtherWriters(JdbcSession session, boolean lockOut) throws SQLException {
        Connection c = session.connection();
        c.unwrap(SQLiteConnection.class).getConnectionConfig()
                .setTransactionMode(lockOut ? SQLiteConfig.TransactionMode.IMMEDIATE : SQLiteConfig.TransactionMode.DEFERRED);
        if (!lockOut) {
            return;
        }
        try {
            // Ends the deferred BEGIN that setAutoCommit(false) sent (nothing ran in it, and it held no
            // lock); the driver begins the next transaction, and every one after a commit, IMMEDIATE.
            c.rollback();
        } catch (SQLException e) {
            if ((e.getErrorCode() & 0xff) != SQLITE_BUSY) {
                throw e;
            }
            throw new SQLException("another connection is writing to " + session.maskedUrl() + " and did not finish "
                    + "within the busy timeout (option " + OPTION_TIMEOUT + "): the savepoint strategy takes SQLite's write "
                    + "lock at connect() and holds it until disconnect(), so that no other connection can commit what a "
                    + "rollback would not undo. End that connection's transaction and connect again; an application that "
                    + "writes during the run must use sharedDataSource() (same JVM) or checkpoint_strategy: journal",
                    e.getSQLState(), e.getErrorCode(), e);
        }
    }

    /**
     * None: the savepoint strategy holds SQLite's write lock from connect to disconnect
     * ({@link #lockOutOtherWriters}), so no other connection can commit rows for disconnect to find.
     */
    @Override
    public java.util.Optional<Map<String, String>> tableDigests(JdbcSession session, List<TableInfo> tables) {
        return java.util.Optional.empty();
    }

    /** SQLite's primary result code for a lock held by another connection. */
    private static final int SQLITE_BUSY = 5;

    /** {@code no such savepoint}: the transaction holding the manager's savepoints was ended by SQL text. */
    @Override
    public boolean isSavepointLost(SQLException e) {
        return String.valueOf(e.getMessage()).contains("no such savepoint");
    }

    @Override
    public ConnectionSpec connectionSpec(StateConfig config, Duration connectTimeout) {
        String jdbcUrl = toJdbcUrl(config.url());
        Properties props = new Properties();
        Duration busy = config.optionDuration(OPTION_TIMEOUT, DEFAULT_TIMEOUT);
        props.setProperty("busy_timeout", String.valueOf(busy.toMillis()));
        if (config.option(OPTION_FOREIGN_KEYS).isPresent()) {
            props.setProperty("foreign_keys", String.valueOf(config.optionBoolean(OPTION_FOREIGN_KEYS, false)));
        }
        return new ConnectionSpec(jdbcUrl, props, config.maskedUrl());
    }

    /** The {@code jdbc:sqlite:} form of a VenomQA SQLite URL. */
    String toJdbcUrl(String url) {
        DatabaseUrl parsed = DatabaseUrl.parse(url);
        String u = parsed.original();
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:sqlite:")) {
            return u;
        }
        if (!BackendUrls.claims(name(), u)) {
            throw new IllegalArgumentException("db_url '" + parsed.masked() + "' is not a SQLite URL; use "
                    + "sqlite:///relative.db, sqlite:////absolute/path.db, sqlite::memory: or jdbc:sqlite:path.db");
        }
        String rest = u.substring("sqlite:".length());
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            StringJoiner kept = new StringJoiner("&", "?", "").setEmptyValue("");
            Map<String, String> params = keepKnownParameters(parsed, PRAGMAS);
            params.forEach((k, v) -> kept.add(k + "=" + v));
            query = kept.toString();
            rest = rest.substring(0, q);
        }
        String path;
        if (rest.startsWith("//")) {
            // sqlite://<authority>/<path>: SQLAlchemy's form, authority empty; "/x" relative, "//x" absolute
            String afterAuthority = rest.substring(2);
            int slash = afterAuthority.indexOf('/');
            String authority = slash < 0 ? afterAuthority : afterAuthority.substring(0, slash);
            path = slash < 0 ? "" : afterAuthority.substring(slash + 1);
            if (!authority.isEmpty()) {
                if (authority.equals(":memory:") && path.isEmpty()) {
                    path = ":memory:";
                } else {
                    throw new IllegalArgumentException("db_url '" + parsed.masked() + "': a SQLite URL has no host; use "
                            + "sqlite:///relative.db or sqlite:////absolute/path.db");
                }
            }
        } else {
            path = rest;
        }
        path = DatabaseUrl.decode(path);
        if (path.isEmpty() || path.equals(":memory:")) {
            return "jdbc:sqlite::memory:" + query;
        }
        return "jdbc:sqlite:" + (path.startsWith("file:") ? path : Path.of(path).toString()) + query;
    }

    @Override
    public String resolveSchema(Connection connection, StateConfig config) {
        return "main";
    }

    @Override
    public String qualify(String schema, String table) {
        return quote(table); // one database per connection: unqualified names are the clearest
    }

    /**
     * With the journal, the manager's connection may take statements up to SQLite's largest size: the undo
     * writes each value back as a literal, and a row holding a value of more than about 500 kB (a blob as
     * {@code X'…'} is twice its size) went over sqlite-jdbc's default limit of 1 000 000 characters per
     * statement, so every rollback and {@code disconnect()} failed with "string or blob too big". The
     * application does not use this connection then; with the savepoint strategy, whose application does,
     * its limit stays as in production.
     */
    @Override
    public void initializeConnection(Connection connection, String schema, StateConfig config) throws SQLException {
        if ("journal".equals(config.options().get(io.venomqa.state.jdbc.JdbcStateManager.OPTION_CHECKPOINT_STRATEGY))) {
            org.sqlite.core.DB db = connection.unwrap(org.sqlite.SQLiteConnection.class).getDatabase();
            db.limit(SQLITE_LIMIT_SQL_LENGTH, Integer.MAX_VALUE); // SQLite caps it at its compile-time maximum
        }
    }

    /** {@code SQLITE_LIMIT_SQL_LENGTH}, the id of the statement-length limit for {@code sqlite3_limit}. */
    private static final int SQLITE_LIMIT_SQL_LENGTH = 1;

    /**
     * The shadow tables of virtual tables (FTS5's {@code x_data}, {@code x_config}…, R*Tree's {@code x_node}…):
     * emptied by a reset on their own, they left the virtual table unreadable ("invalid fts5 file format",
     * "undersize RTree blobs"). The virtual table itself stays, and a {@code DELETE} from it keeps them in step.
     */
    @Override
    public java.util.Set<String> internalTables(Connection connection, String schema) throws SQLException {
        java.util.Set<String> out = new java.util.HashSet<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("select name from pragma_table_list where schema = 'main' and type = 'shadow'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Override
    public boolean isSystemTable(String table) {
        return table.toLowerCase(Locale.ROOT).startsWith("sqlite_");
    }

    @Override
    public boolean enforcesForeignKeys(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("pragma foreign_keys")) {
            return rs.next() && rs.getInt(1) == 1;
        }
    }

    // ---- identity counters (for the journal: a rollback restores them by itself) -----------------

    /** Marks whether {@code sqlite_sequence} existed at capture; not a table name (tables cannot hold NUL). */
    private static final String SEQUENCE_TABLE_KEY = "\u0000sqlite_sequence";
    /** The value of a table that had no {@code sqlite_sequence} row at capture. */
    private static final String NO_ROW = "none";

    /** The {@code sqlite_sequence} row of every table of {@code tables} ({@value #NO_ROW} where it has none). */
    @Override
    public SequenceSnapshot captureSequences(JdbcSession session, Collection<String> tables) throws SQLException {
        Connection c = session.connection();
        if (!hasSequenceTable(c)) {
            return new SequenceSnapshot(Map.of(SEQUENCE_TABLE_KEY, "absent"));
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put(SEQUENCE_TABLE_KEY, "present");
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select name, seq from sqlite_sequence")) {
            while (rs.next()) {
                if (tables.contains(rs.getString(1))) {
                    values.put(rs.getString(1), String.valueOf(rs.getLong(2)));
                }
            }
        }
        for (String t : tables) {
            values.putIfAbsent(t, NO_ROW);
        }
        return new SequenceSnapshot(values);
    }

    /**
     * Puts the saved tables' rows of {@code sqlite_sequence} back where they differ from the saved
     * values; rows of tables the snapshot does not name (counters created since) are left alone.
     * Never below a value a row holds: SQLite takes the larger of the counter and the largest rowid
     * for the next id. Counters that did not move are not written, so a rollback that moved none
     * (updates only) leaves {@code sqlite_sequence} untouched and its transaction, if it wrote
     * nothing else, has nothing to flush to disk.
     */
    @Override
    public void restoreSequences(JdbcSession session, SequenceSnapshot saved) throws SQLException {
        Connection c = session.connection();
        if (!hasSequenceTable(c)) {
            return; // nothing was ever counted
        }
        Map<String, String> now = new java.util.HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select name, seq from sqlite_sequence")) {
            while (rs.next()) {
                // A table can have two rows if someone inserted one by hand: then it is rewritten.
                now.merge(rs.getString(1), String.valueOf(rs.getLong(2)), (a, b) -> "");
            }
        }
        try (PreparedStatement delete = c.prepareStatement("delete from sqlite_sequence where name = ?");
             PreparedStatement insert = c.prepareStatement("insert into sqlite_sequence(name, seq) values (?, ?)")) {
            for (Map.Entry<String, String> e : saved.values().entrySet()) {
                String table = e.getKey();
                if (table.equals(SEQUENCE_TABLE_KEY) || e.getValue().equals(now.getOrDefault(table, NO_ROW))) {
                    continue;
                }
                if (now.containsKey(table)) {
                    delete.setString(1, table);
                    delete.executeUpdate();
                }
                if (!e.getValue().equals(NO_ROW)) {
                    insert.setString(1, table);
                    insert.setLong(2, Long.parseLong(e.getValue()));
                    insert.executeUpdate();
                }
            }
        }
    }

    private static boolean hasSequenceTable(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select 1 from sqlite_master where type = 'table' and name = 'sqlite_sequence'")) {
            return rs.next();
        }
    }

    /**
     * Every trigger on a table, dropped in the current transaction; recreated from its own text, in
     * creation order, by {@link #recreateTriggers}. SQLite cannot keep a connection's writes from
     * firing triggers; schema changes are transactional here and there is one writer, so no other
     * connection ever sees a trigger missing. The order matters: SQLite fires a table's triggers
     * newest first.
     */
    @Override
    public List<String> dropTriggersUntilCommit(Connection c) throws SQLException {
        List<String[]> triggers = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("select g.name, g.sql from sqlite_master g join sqlite_master t "
                    + "on t.name = g.tbl_name and t.type = 'table' where g.type = 'trigger' order by g.rowid")) {
                while (rs.next()) {
                    triggers.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            for (String[] t : triggers) {
                st.execute("drop trigger " + quote(t[0]));
            }
        }
        return triggers.stream().map(t -> t[1]).toList();
    }

    /**
     * Pragmas that change what the application's statements do and that {@code ROLLBACK TO} leaves as they
     * are (checked on SQLite 3.40): a {@code pragma ignore_check_constraints = 1} outlived the rollback and
     * the next path could write what the checkpoint's session refused. Not {@code foreign_keys} (a no-op
     * inside a transaction, and the run is one), nor {@code case_sensitive_like}, which cannot be read.
     */
    private static final List<String> SESSION_PRAGMAS = List.of("ignore_check_constraints", "recursive_triggers",
            "defer_foreign_keys", "query_only", "reverse_unordered_selects", "legacy_alter_table", "automatic_index",
            "trusted_schema");

    /** {@link #SESSION_PRAGMAS}, read in one query over their table-valued functions. */
    @Override
    public Map<String, Object> sessionSettings(Connection connection) throws SQLException {
        StringJoiner from = new StringJoiner(", ", "select * from ", "");
        SESSION_PRAGMAS.forEach(p -> from.add("pragma_" + p));
        Map<String, Object> out = new LinkedHashMap<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(from.toString())) {
            rs.next();
            for (int i = 0; i < SESSION_PRAGMAS.size(); i++) {
                out.put(SESSION_PRAGMAS.get(i), rs.getLong(i + 1));
            }
        }
        return out;
    }

    /** One {@code PRAGMA name = value} per changed pragma: SQLite sets one per statement. */
    @Override
    public void restoreSessionSettings(Connection connection, Map<String, Object> changed) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (Map.Entry<String, Object> e : changed.entrySet()) {
                st.execute("pragma " + e.getKey() + " = " + ((Number) e.getValue()).longValue());
            }
        }
    }

    @Override
    public void reset(JdbcSession session, ResetPlan plan) throws SQLException {
        Connection c = session.connection();
        // One query, prepared once per schema (its 50-table compound SELECT took longer to compile
        // than to run), says which tables hold rows and which have a counter: only those are
        // written, so a reset of a clean schema writes nothing and its commit has nothing to flush
        // to disk (benchmark row 3).
        SQLiteResetQuery query = session.cached(SQLiteResetQuery.CACHE_KEY, SQLiteResetQuery.class, SQLiteResetQuery::new);
        SQLiteResetQuery.Found found = query.run(session, plan.tables());
        if (!found.withRows().isEmpty()) {
            try (Statement st = c.createStatement()) {
                // Resets itself at commit; lets tables in a foreign-key cycle be emptied in any order.
                st.execute("pragma defer_foreign_keys = on");
                // The application's triggers would write while the tables are emptied (an audit row
                // per deleted row, into a table already emptied or not to be).
                List<String> triggers = dropTriggersUntilCommit(c);
                for (TableInfo t : found.withRows()) {
                    st.executeUpdate("delete from " + session.qualified(t.name()));
                }
                recreateTriggers(c, triggers);
            }
        }
        if (!found.counted().isEmpty()) {
            StringJoiner in = new StringJoiner(", ", "delete from sqlite_sequence where name in (", ")");
            found.counted().forEach(t -> in.add("?"));
            try (PreparedStatement ps = c.prepareStatement(in.toString())) {
                int i = 1;
                for (String t : found.counted()) {
                    ps.setString(i++, t);
                }
                ps.executeUpdate();
            }
        }
    }

    @Override
    public String connectionChecklist(ConnectionSpec spec) {
        return "Check that:\n"
                + "  1. the directory of the database file exists and is writable,\n"
                + "  2. the path is what you meant (sqlite:///x.db is relative to the working directory "
                + "(" + Path.of("").toAbsolutePath() + "), sqlite:////x.db is absolute),\n"
                + "  3. no other process holds the file locked.";
    }
}
