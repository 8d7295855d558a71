package io.venomqa.state.journal.internal;

import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.SequenceSnapshot;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite: tables {@code venomqa_journal}, {@code venomqa_layout}, {@code venomqa_run},
 * {@code venomqa_replay} and {@code venomqa_pending} in the database file, and per tracked table
 * {@code AFTER} row triggers that copy the row's values as they are into untyped columns of the
 * journal, with {@code BEFORE INSERT/UPDATE} triggers that stage the rows a {@code REPLACE} is
 * about to delete without firing any trigger (see {@link #installTriggers}). Read back, an entry's images are {@code json_object(column,
 * quote(value), …)}: {@code quote()} writes an exact SQL literal for every storage class (a REAL
 * with all its digits, a BLOB as {@code X'…'}), which {@code json_object} alone would not. Tables
 * without a declared key are identified by their {@code rowid}, which is journaled and restored too. Only SQL functions of SQLite 3.38 are used in triggers, because
 * the triggers run inside whatever SQLite the writing process links (the sqlite3 CLI included).
 *
 * <p>Undo is not journaled: the undo transaction inserts a row into {@code venomqa_replay} and
 * deletes it before committing; every trigger has {@code WHEN NOT EXISTS (SELECT 1 FROM
 * venomqa_replay)}. Other connections never see that row (SQLite lets one writer at a time, and
 * readers see committed data only).
 *
 * <p>One manager per database file: the run record names the owner ({@code pid@host} and the
 * process start time). A record whose process is alive on this host refuses the connect; a
 * record of a dead process is a crashed run to recover. SQLite has no {@code TRUNCATE}; a
 * {@code DELETE} without {@code WHERE} fires the triggers (SQLite turns its truncate optimisation
 * off for tables with triggers).
 */
public final class SqliteJournalSql extends LiteralJournalSql {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteJournalSql.class);

    public SqliteJournalSql(JdbcDialect dialect) {
        super(dialect);
    }


    /** Databases journaled by a manager of this JVM: a run record of this pid is live only if listed here. */
    private static final Set<String> LIVE_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    @Override
    protected SqlLiteral literals() {
        return new SqlLiteral(false, Set.of("concat")); // concat(X'…'): a text by its bytes, see exactLiteral
    }

    @Override
    public Map<String, String> triggerState(Connection c, String schema) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select tbl_name || '.' || name, sql "
                + "from sqlite_master where type = 'trigger' and name like 'venomqa\\_journal\\_%' escape '\\' "
                + "order by 1")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    @Override
    public String name() {
        return "sqlite";
    }

    private static String fileKey(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("pragma database_list")) {
            while (rs.next()) {
                if ("main".equals(rs.getString(2))) {
                    String file = rs.getString(3);
                    return file == null || file.isEmpty() ? "memory:" + System.identityHashCode(c) : file;
                }
            }
        }
        return "unknown:" + System.identityHashCode(c);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown-host";
        }
    }

    private static String processStart(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).map(Instant::toString).orElse("");
    }

    private boolean exists(Connection c, String table) throws SQLException {
        return queryLong(c, "select count(*) from sqlite_master where type = 'table' and name = ?", table) > 0;
    }

    @Override
    public Optional<String> tryLock(Connection c, String schema) throws SQLException {
        String key = fileKey(c);
        if (exists(c, RUN)) {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select pid, host, started, process_start, owner from " + RUN)) {
                if (rs.next()) {
                    long pid = rs.getLong(1);
                    String host = rs.getString(2);
                    String procStart = rs.getString(4);
                    boolean live;
                    if (!host().equals(host)) {
                        live = true; // cannot see processes of another host: assume it is alive
                    } else if (pid == ProcessHandle.current().pid()) {
                        live = LIVE_IN_THIS_JVM.contains(key);
                    } else {
                        live = ProcessHandle.of(pid).isPresent() && processStart(pid).equals(procStart);
                    }
                    if (live) {
                        return Optional.of(rs.getString(5) + " since " + rs.getString(3));
                    }
                }
            }
        }
        if (!LIVE_IN_THIS_JVM.add(key)) {
            return Optional.of("another manager of this JVM");
        }
        return Optional.empty();
    }

    @Override
    public void unlock(Connection c, String schema) throws SQLException {
        LIVE_IN_THIS_JVM.remove(fileKey(c));
    }

    /**
     * SQLite's wait for another connection's lock is the busy timeout: set to {@code lock_timeout} on
     * the journal's connection, so that a rollback blocked by an application's open transaction gives
     * up after it and says so ({@link #isLockTimeout}), instead of the raw {@code SQLITE_BUSY} after the
     * backend's {@code timeout}.
     */
    @Override
    public void applyLockTimeout(Connection c, java.time.Duration timeout) throws SQLException {
        exec(c, "pragma busy_timeout = " + Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
    }

    /**
     * {@code BEGIN IMMEDIATE} in place of the driver's deferred {@code BEGIN}, which has run nothing yet.
     * A deferred transaction that has read and then writes while another connection holds the write lock
     * gets {@code SQLITE_BUSY} at once, without the busy timeout (SQLite's deadlock avoidance; in WAL
     * mode a snapshot older than the other's commit cannot write at all): the undo failed at once,
     * saying it had waited {@code lock_timeout}. Taking the write lock first waits the busy timeout,
     * which {@link #applyLockTimeout} set, and the undo's reads then see what the other connection
     * committed, its journal entries included.
     *
     * <p>Foreign keys are turned off for the transaction, where the connection enforces them (option
     * {@code foreign_keys: true}), and on again by {@link #afterTransaction}: the undo writes back
     * each row's exact image, and every change a foreign key's action made during the run is an entry
     * of its own, undone by its own entry. With the keys on, their actions ran during the undo too and
     * also changed rows the journal never recorded: rows referencing a parent that does not exist,
     * which an application not enforcing foreign keys (SQLite's default, the sqlite3 shell's) may hold.
     * Undoing a parent's key change then moved such a row to the parent's old key, and the rollback
     * said OK (until 2026-12-06). {@code PRAGMA foreign_keys} does nothing inside a transaction, so it
     * is set here, between the driver's transaction and this one.
     */
    @Override
    public void beginWriting(Connection c, String schema, java.util.Collection<String> tables) throws SQLException {
        if (c.getAutoCommit()) {
            return; // every statement its own transaction: nothing read before a write
        }
        exec(c, "commit");
        try {
            if (!foreignKeysOff && queryLong(c, "pragma foreign_keys") == 1) {
                exec(c, "pragma foreign_keys = off");
                foreignKeysOff = true;
            }
            exec(c, "begin immediate");
        } catch (SQLException e) {
            try {
                restoreForeignKeys(c);
                exec(c, "begin"); // the driver's own transaction again, which its rollback() ends
            } catch (SQLException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    /** Whether {@link #beginWriting} turned the connection's foreign keys off, for {@link #afterTransaction} to turn on. */
    private boolean foreignKeysOff;

    /**
     * Turns CHECK constraints back on where an undo failed before {@link #endUndo}, and the foreign keys
     * {@link #beginWriting} turned off on again, between the driver's transactions
     * (it begins the next one as it ends one): reset, SQL checks and invariants on the manager's
     * connection enforce them as the {@code foreign_keys} option says.
     */
    @Override
    public void afterTransaction(Connection c) throws SQLException {
        restoreCheckConstraints(c); // an undo that failed before endUndo
        if (!foreignKeysOff || c.getAutoCommit()) {
            return;
        }
        exec(c, "commit"); // the driver's new transaction, empty
        try {
            restoreForeignKeys(c);
        } finally {
            exec(c, "begin");
        }
    }

    /** Outside a transaction: foreign keys on again, where {@link #beginWriting} turned them off. */
    private void restoreForeignKeys(Connection c) throws SQLException {
        if (foreignKeysOff) {
            exec(c, "pragma foreign_keys = on");
            foreignKeysOff = false;
        }
    }

    /**
     * {@code sqlite_sequence} is a table: the counters are put back in the undo's transaction, under its write
     * lock, and a commit that fails takes them back with the rows. In a transaction of their own after the
     * undo's commit, a write of another connection could come between the two and take an id the counter was
     * then set past (a gap in the ids a rollback should have made exact).
     */
    @Override
    public boolean countersInUndoTransaction() {
        return true;
    }

    /** {@code SQLITE_BUSY} (another connection holds the lock) or {@code SQLITE_LOCKED}, anywhere in the chain. */
    @Override
    public boolean isLockTimeout(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && (s.getErrorCode() == 5 || s.getErrorCode() == 6
                    || String.valueOf(s.getMessage()).contains("SQLITE_BUSY"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLite locks the whole file and keeps no list of who holds it: the line says what usually does,
     * so that the message names something to look for rather than "no session".
     */
    @Override
    public List<String> lockHolders(Connection c, String schema, java.util.Collection<String> tables) throws SQLException {
        return List.of("another connection to " + fileKey(c) + " (SQLite locks the whole file and cannot name it): "
                + "an application transaction left open (a write, or in rollback-journal mode also a read whose "
                + "transaction was not ended), a sqlite3 shell inside BEGIN, or a process that stopped mid-transaction");
    }

    @Override
    public Optional<RunRecord> leftover(Connection c, String schema) throws SQLException {
        List<String> tables = tablesWithTriggers(c, schema);
        boolean run = exists(c, RUN);
        long entries = exists(c, JOURNAL) ? entryCount(c, schema) : 0;
        if (run) {
            boolean header = columnExists(c, RUN, "header");
            boolean definitions = columnExists(c, RUN, "definitions");
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select owner, started, counters, " + (header ? "header" : "null") + ", "
                         + (definitions ? "definitions" : "null") + " from " + RUN)) {
                if (rs.next()) {
                    return Optional.of(new RunRecord(rs.getString(1), rs.getString(2), SequenceSnapshot.parse(rs.getString(3)),
                            tables, entries, parseHeader(rs.getString(4)), rs.getString(5)));
                }
            }
        }
        if (!tables.isEmpty() || entries > 0 || run || exists(c, JOURNAL)) {
            return Optional.of(new RunRecord("unknown", "unknown", SequenceSnapshot.EMPTY, tables, entries));
        }
        return Optional.empty();
    }

    @Override
    public void installInfrastructure(Connection c, String schema) throws SQLException {
        // No AUTOINCREMENT: it would create sqlite_sequence, which outlives the journal.
        exec(c, "create table if not exists " + JOURNAL + " (id integer primary key, table_name text not null, "
                + "op text not null, old_row text, new_row text, layout integer)");
        exec(c, "create table if not exists " + LAYOUT + " (id integer primary key, cols text not null unique)");
        exec(c, "create table if not exists " + PENDING + " (id integer primary key, table_name text not null, rid)");
        ensureValueColumns(c, 0); // a journal left by an earlier version has no layout column
        exec(c, "create table if not exists " + RUN + " (owner text not null, pid integer not null, host text not null, "
                + "process_start text not null, started text not null, counters text not null, header text, definitions text)");
        for (String column : List.of("header", "definitions")) {
            if (!columnExists(c, RUN, column)) { // a run table left by an earlier version
                exec(c, "alter table " + RUN + " add column " + column + " text");
            }
        }
        exec(c, "create table if not exists venomqa_replay (on_ integer)");
    }

    @Override
    public void writeRun(Connection c, String schema, String owner, SequenceSnapshot counters) throws SQLException {
        writeRun(c, schema, owner, counters, Map.of());
    }

    /** The header as {@code name=value} pairs joined by commas: names of ours, and numbers. */
    @Override
    public void writeRun(Connection c, String schema, String owner, SequenceSnapshot counters, Map<String, Long> header)
            throws SQLException {
        long pid = ProcessHandle.current().pid();
        exec(c, "delete from " + RUN);
        update(c, "insert into " + RUN + " (owner, pid, host, process_start, started, counters, header) "
                + "values (?, ?, ?, ?, strftime('%Y-%m-%d %H:%M:%f', 'now'), ?, ?)", owner, pid, host(), processStart(pid),
                counters.serialize(), header.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(",")));
    }

    @Override
    public void writeRunDefinitions(Connection c, String schema, String definitions) throws SQLException {
        update(c, "update " + RUN + " set definitions = ?", definitions);
    }

    /** {@link #writeRun}'s header read back; empty for a run written without one. */
    private static Map<String, Long> parseHeader(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (text != null && !text.isEmpty()) {
            for (String pair : text.split(",")) {
                int eq = pair.indexOf('=');
                out.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
            }
        }
        return out;
    }

    private static boolean columnExists(Connection c, String table, String column) throws SQLException {
        return queryLong(c, "select count(*) from pragma_table_info(?) where name = ?", table, column) > 0;
    }

    @Override
    public TableMeta describe(Connection c, String schema, String table) throws SQLException {
        List<TableMeta.Column> cols = new ArrayList<>();
        Map<Integer, String> key = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("select name, type, hidden, pk from pragma_table_xinfo(?)")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int hidden = rs.getInt(3);
                    if (hidden == 1) {
                        continue; // hidden columns of virtual tables
                    }
                    cols.add(new TableMeta.Column(rs.getString(1), rs.getString(2).toLowerCase(java.util.Locale.ROOT),
                            hidden == 2 || hidden == 3, false));
                    if (rs.getInt(4) > 0) {
                        key.put(rs.getInt(4), rs.getString(1));
                    }
                }
            }
        }
        if (cols.isEmpty()) {
            throw new SQLException("Table " + quote(table) + " has no columns or does not exist");
        }
        rowidBesideKey.put(table, !key.isEmpty() && queryLong(c, "select count(*) from "
                + "pragma_table_list where schema = 'main' and name = ? and wr = 0 and exists (select 1 from "
                + "pragma_index_list(?) where origin = 'pk')", table, table) > 0);
        return new TableMeta(table, cols, List.copyOf(key.values()));
    }

    /**
     * Tables, by name, that have a rowid besides their primary key ({@link #describe}): a rowid table
     * whose key is not an {@code INTEGER PRIMARY KEY} (such a key has an index of its own, origin
     * {@code pk}, where an alias of the rowid has none). The rowid is the table's storage order, what
     * {@code SELECT rowid} and an unordered {@code SELECT} show, and what other tables or an FTS index
     * over the table may hold: it is journaled and put back with the row, or a deleted row came back
     * with a new rowid.
     */
    private final Map<String, Boolean> rowidBesideKey = new ConcurrentHashMap<>();

    /**
     * Each table's columns and key ({@link TableMeta#shape}), its unique indexes (name, partial or
     * not, key columns with their collations) and the application's triggers on it (name, and a hash
     * of the text). The {@code BEFORE} triggers look for the rows a REPLACE would delete by those
     * keys; and SQLite fires a table's triggers newest first, so an application trigger created
     * after the journal's would run before them, and one that writes the row again would have its
     * change journaled first, the wrong way round. Either is a schema change like any other: the
     * journal's triggers are installed again at the next checkpoint (newest again, with the new
     * keys), and a rollback across it is refused.
     */
    @Override
    public Map<String, String> shapes(Connection c, String schema, java.util.Collection<String> tables) throws SQLException {
        Map<String, String> out = super.shapes(c, schema, tables);
        appendPerTable(c, out, "select l.name, l.partial, group_concat(coalesce(x.name, case x.cid when -1 then 'rowid' "
                + "else 'expression' end) || ' ' || coalesce(x.coll, ''), ', ') from pragma_index_list(?) l "
                + "join pragma_index_xinfo(l.name) x on x.key = 1 where l.\"unique\" = 1 group by l.name, l.partial "
                + "order by l.name", rs -> "; unique " + rs.getString(1) + (rs.getInt(2) == 1 ? " partial" : "") + " ("
                + rs.getString(3) + ")");
        appendPerTable(c, out, "select name, sql from sqlite_master where type = 'trigger' and tbl_name = ? "
                + "and name not like 'venomqa\\_journal\\_%' escape '\\' order by name",
                rs -> "; trigger " + rs.getString(1) + " #" + Integer.toHexString(rs.getString(2).hashCode()));
        return out;
    }

    /**
     * The schema's objects ({@link DefinitionWatch.Marks#objects}): every view, index and trigger of
     * {@code sqlite_master} by its text, except the journal's triggers, VenomQA's own tables' objects and the
     * indexes SQLite makes for a table's {@code UNIQUE} and {@code PRIMARY KEY} constraints (no text: part of
     * the table's definition, which its shape covers); a view's triggers count as the schema's. SQLite keeps
     * each object's {@code CREATE} statement as it was written, so one created again as it was reads as it did. Until 2026-12-06 (evening) none was watched:
     * a view, an index or a trigger the run created, changed or dropped stayed after {@code disconnect()}, which
     * reported success. One read of {@code sqlite_master}, at every checkpoint, rollback and restore.
     */
    @Override
    public DefinitionWatch.Marks definitions(Connection c, String schema) throws SQLException {
        Map<String, String> objects = new LinkedHashMap<>();
        // A view's objects (its INSTEAD OF triggers) are the schema's: only journaled tables' are compared by table.
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select type, tbl_name, name, sql, "
                + "tbl_name in (select v.name from sqlite_master v where v.type = 'view') from sqlite_master "
                + "where type in ('view', 'index', 'trigger') and sql is not null "
                + "and name not like 'venomqa\\_journal\\_%' escape '\\' and tbl_name not like 'venomqa\\_%' escape '\\'")) {
            while (rs.next()) {
                String type = rs.getString(1);
                boolean schemas = type.equals("view") || rs.getBoolean(5);
                objects.put(DefinitionWatch.objectKey(schemas ? "" : rs.getString(2), type, rs.getString(3)), rs.getString(4));
            }
        }
        return new DefinitionWatch.Marks(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), objects);
    }

    /** A row of a per-table query, as text. */
    private interface RowText {
        String of(ResultSet rs) throws SQLException;
    }

    /** Appends to each table's value the text of every row {@code query} (the table's name as parameter) returns. */
    private static void appendPerTable(Connection c, Map<String, String> out, String query, RowText text) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(query)) {
            for (Map.Entry<String, String> e : out.entrySet()) {
                ps.setString(1, e.getKey());
                StringBuilder b = new StringBuilder(e.getValue());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        b.append(text.of(rs));
                    }
                }
                e.setValue(b.toString());
            }
        }
    }

    /**
     * A shadow table ({@code <name>_data}, {@code <name>_content}, … of an FTS5, FTS4 or R*Tree
     * virtual table) never gets journal triggers: its module writes it through open blob handles,
     * and a trigger there made the sqlite3 CLI crash while writing an FTS5 table. Its virtual table
     * decides: excluded, both are left alone; tracked, {@code connect()} is refused (a virtual table
     * cannot have triggers, so nothing would see its writes).
     */
    @Override
    public boolean coveredByParent(Connection c, String schema, String table) throws SQLException {
        String type = tableType(c, table);
        if ("shadow".equals(type)) {
            return true;
        }
        if ("virtual".equals(type)) {
            throw new io.venomqa.state.StateConnectionException("Table " + quote(table) + " is a virtual table (a "
                    + "full-text or R*Tree index, or another module): SQLite lets no trigger see its writes, so the "
                    + "journal could not put it back. List it in exclude_tables (it is then not rolled back; an FTS "
                    + "index kept over another table can be rebuilt with INSERT INTO " + quote(table) + "("
                    + quote(table) + ") VALUES ('rebuild')), or use checkpoint_strategy: savepoint with the application "
                    + "in the test's JVM, where virtual tables are rolled back like any other.");
        }
        return false;
    }

    /**
     * The foreign keys with an action that changes rows ({@code CASCADE}, {@code SET NULL}, {@code SET DEFAULT},
     * on delete or on update) from a table the journal does not track into a tracked one, found in one query
     * over {@code pragma_foreign_key_list}. A delete or key change of the tracked parent, on an application
     * connection with {@code foreign_keys} on, changes the untracked child's rows, which carry no trigger of
     * the journal's; the undo runs with foreign keys off, so a rollback put the parent back and left the child
     * as the run made it, reporting success (found 2026-12-06). Refused whatever the manager's
     * {@code foreign_keys} option: the application's connections decide whether the actions run, and VenomQA
     * cannot see them. As on PostgreSQL, the other direction is journaled: SQLite's actions fire the tracked
     * child's own triggers. The parent is matched by name without case, as SQLite resolves it; virtual tables
     * ({@code pragma_table_list} type {@code virtual}) have no foreign keys and are not opened.
     */
    @Override
    public List<String> unjournaledPaths(Connection c, String schema, Set<String> tracked) throws SQLException {
        List<String> actions = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                select k.child, k.parent, group_concat(k.col, ', '), k.on_delete, k.on_update from (
                  select m.name as child, p.name as parent, f.id, f.seq, '"' || replace(f."from", '"', '""') || '"' as col,
                         upper(f.on_delete) as on_delete, upper(f.on_update) as on_update
                  from pragma_table_list m join pragma_foreign_key_list(m.name, 'main') f
                  join sqlite_master p on p.type = 'table' and p.name = f."table" collate nocase
                  where m.schema = 'main' and m.type = 'table'
                    and (upper(f.on_delete) in ('CASCADE', 'SET NULL', 'SET DEFAULT')
                      or upper(f.on_update) in ('CASCADE', 'SET NULL', 'SET DEFAULT'))
                  order by m.name, f.id, f.seq) k
                group by k.child, k.id order by k.child, k.id""")) {
            while (rs.next()) {
                if (tracked.contains(rs.getString(2)) && !tracked.contains(rs.getString(1))) {
                    actions.add(quote(rs.getString(1)) + " (foreign key (" + rs.getString(3) + "): ON DELETE "
                            + rs.getString(4) + " ON UPDATE " + rs.getString(5) + ") references " + quote(rs.getString(2))
                            + ", and is not tracked (exclude_tables, or a migration table)");
                }
            }
        }
        // Where VenomQA's connection enforces foreign keys (option foreign_keys: true, the application's too), the keys
        // without an action between a tracked table and an untracked one are checked after each undo, which runs with
        // them off (LiteralJournalSql.verifyUndo). Where it does not, rows without a parent are the application's normal.
        // A refused connect() names the keys with actions in its refusal: read the others only for a run that goes on.
        crossingKeys(schema, actions.isEmpty() && enforcesForeignKeys(c) ? crossingKeys(c, tracked) : List.of(), true);
        if (actions.isEmpty()) {
            return List.of();
        }
        return List.of("foreign key actions from tracked tables change rows of tables the journal does not track: "
                + String.join("; ", actions) + ". On an application connection with foreign_keys on (VenomQA cannot "
                + "see the application's setting), a change of the referenced row (its key updated, the row deleted) "
                + "changes these rows through the foreign key's action, unseen by the journal, so a rollback or "
                + "disconnect() would put the referenced rows back but not these: rows pointing at keys that are no "
                + "longer there, or rows lost. Track the referencing tables too (remove them from exclude_tables), "
                + "make these foreign keys NO ACTION or RESTRICT, or exclude the referenced tables as well.");
    }

    /**
     * The foreign keys between a tracked table and one the journal does not track, each with its columns (a key naming
     * no parent columns references the parent's primary key), for {@link LiteralJournalSql#verifyUndo}.
     */
    private List<CrossingKey> crossingKeys(Connection c, Set<String> tracked) throws SQLException {
        Map<String, CrossingKey> keys = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                select m.name, p.name, f.id, f."from", f."to"
                from pragma_table_list m join pragma_foreign_key_list(m.name, 'main') f
                join sqlite_master p on p.type = 'table' and p.name = f."table" collate nocase
                where m.schema = 'main' and m.type = 'table' order by m.name, f.id, f.seq""")) {
            while (rs.next()) {
                boolean childTracked = tracked.contains(rs.getString(1));
                if (childTracked == tracked.contains(rs.getString(2))) {
                    continue;
                }
                CrossingKey k = keys.computeIfAbsent(rs.getString(1) + "\u0000" + rs.getInt(3), x -> {
                    try {
                        return new CrossingKey(new ForeignKey(String.valueOf(rs.getInt(3)), "main", rs.getString(1), "main",
                                rs.getString(2), new ArrayList<>(), new ArrayList<>(), List.of()), childTracked,
                                "not tracked (exclude_tables, or a migration table)");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                k.key().childColumns().add(rs.getString(4));
                k.key().parentColumns().add(rs.getString(5)); // null: the parent's primary key, read below
            }
        }
        List<CrossingKey> out = new ArrayList<>();
        for (CrossingKey k : keys.values()) {
            if (k.key().parentColumns().contains(null)) {
                List<String> pk = queryStrings(c, "select name from pragma_table_info(?) where pk > 0 order by pk",
                        k.key().parent());
                if (pk.size() != k.key().childColumns().size()) {
                    continue; // a key SQLite itself cannot resolve: it reports it as a mismatch on every write
                }
                k.key().parentColumns().clear();
                k.key().parentColumns().addAll(pk);
            }
            out.add(k);
        }
        return out;
    }

    @Override
    public void noteCrossingKeys(Connection c, String schema, Set<String> tracked) throws SQLException {
        crossingKeys(schema, enforcesForeignKeys(c) ? crossingKeys(c, tracked) : List.of(), false);
    }

    /** Whether VenomQA's connection enforces foreign keys (option {@code foreign_keys: true}), off for a transaction or not. */
    private boolean enforcesForeignKeys(Connection c) throws SQLException {
        return foreignKeysOff || queryLong(c, "pragma foreign_keys") == 1;
    }

    @Override
    public List<String> writesOutside(Connection c, String schema, Set<String> tracked) throws SQLException {
        Set<String> here = new java.util.HashSet<>(currentTables(c, schema));
        here.removeIf(t -> t.startsWith("venomqa_")); // the journal's own tables
        List<String[]> triggers = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select tbl_name, name, sql "
                + "from sqlite_master where type = 'trigger' and name not like 'venomqa\\_%' escape '\\' order by 1, 2")) {
            while (rs.next()) {
                triggers.add(new String[] {rs.getString(1), "trigger " + quote(rs.getString(2)), rs.getString(3)});
            }
        }
        // A trigger of the main database writes tables of that database only (SQLite resolves its names there).
        return writesOutside(triggers, schema, tracked, here, false, true, true);
    }

    @Override
    protected String undone(String schema) {
        return "the SQLite database";
    }

    @Override
    protected String tableName(String database, String table) {
        return quote(table);
    }

    @Override
    protected String keyName(ForeignKey fk) {
        return "(" + String.join(", ", fk.childColumns()) + ") of " + quote(fk.child());
    }

    @Override
    protected String fromNothing() {
        return "";
    }

    @Override
    protected boolean missingTable(SQLException e) {
        return e.getMessage() != null && e.getMessage().contains("no such table");
    }

    /** {@code table}, {@code view}, {@code virtual} or {@code shadow} ({@code pragma table_list}), or null. */
    private static String tableType(Connection c, String table) throws SQLException {
        List<String> types = queryStrings(c, "select type from pragma_table_list where schema = 'main' and name = ?", table);
        return types.isEmpty() ? null : types.get(0);
    }

    /**
     * Refuses tables whose undo VenomQA's connection cannot compile: a collation or SQL function the
     * application registers on its own connections ({@code org.sqlite.Collation.create},
     * {@code sqlite3_create_function}, as Android and Qt apps do) named by a column, an index or a
     * generated column. The application's writes work and the journal records them, but every
     * rollback and {@code disconnect()} then failed with "no such collation sequence" or "unknown
     * function" and left the run's changes (until 2026-12-06). Each table's check prepares, and does
     * not run, an {@code UPDATE} of every column matched on every column, which compiles what the
     * undo's statements compile (its indexes, their collations and expressions, generated columns),
     * with CHECK constraints ignored as the undo ignores them ({@link #beginUndo}): 16–51 ms for 50
     * tables of 13 columns, against 0.6–2 s for their whole {@code connect()} (docs/journal.md).
     */
    @Override
    public void inspect(Connection c, String schema, java.util.Collection<TableMeta> tables) throws SQLException {
        List<String> missing = new ArrayList<>();
        boolean checks = queryLong(c, "pragma ignore_check_constraints") == 0;
        if (checks) {
            exec(c, "pragma ignore_check_constraints = 1");
        }
        try {
            for (TableMeta t : tables) {
                List<String> set = new ArrayList<>();
                List<String> match = new ArrayList<>();
                for (TableMeta.Column col : t.insertable()) {
                    set.add(quote(col.name()) + " = ?");
                    match.add(quote(col.name()) + " is ?");
                }
                if (set.isEmpty()) {
                    continue;
                }
                try (PreparedStatement ps = c.prepareStatement("update " + quote(t.name()) + " set " + String.join(", ", set)
                        + " where " + String.join(" and ", match))) {
                    // compiled is enough
                } catch (SQLException e) {
                    String what = unregistered(e);
                    if (what == null) {
                        throw e;
                    }
                    missing.add("table '" + t.name() + "': " + what);
                }
            }
        } finally {
            if (checks) {
                exec(c, "pragma ignore_check_constraints = 0");
            }
        }
        if (!missing.isEmpty()) {
            throw new io.venomqa.state.StateConnectionException("The journal could not put back "
                    + String.join("; ", missing) + ", which the application registers on its own connections "
                    + "(org.sqlite.Collation.create, org.sqlite.Function.create, sqlite3_create_collation/_function) and "
                    + "VenomQA's connection does not have: every rollback and disconnect() would fail and leave the run's "
                    + "changes. Nothing was installed. List these tables in exclude_tables (they are then not rolled "
                    + "back), or declare their columns, indexes and generated columns without the application's "
                    + "collations and functions.");
        }
    }

    /** The collation or function {@code e} says is missing ("no such collation sequence: x", "unknown function: f()"), or null. */
    private static String unregistered(SQLException e) {
        String m = String.valueOf(e.getMessage());
        java.util.regex.Matcher coll = java.util.regex.Pattern.compile("no such collation sequence: ([^)\\s]+)").matcher(m);
        if (coll.find()) {
            return "collation sequence '" + coll.group(1) + "'";
        }
        java.util.regex.Matcher fn = java.util.regex.Pattern.compile("(?:unknown|no such) function: ([^()\\s]+)").matcher(m);
        if (fn.find()) {
            return "function '" + fn.group(1) + "'";
        }
        return null;
    }

    /**
     * {@code PRAGMA user_version} (often the application's migration version) and {@code application_id}:
     * values in the file's header, which no trigger sees. Until 2026-12-06 one the application changed
     * during the run stayed changed after a rollback and {@code disconnect()}. Writing them is
     * transactional, so they are put back in the undo's transaction, with the rows.
     */
    @Override
    public Map<String, Long> headerValues(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select * from pragma_user_version, pragma_application_id")) {
            if (!rs.next()) {
                return Map.of();
            }
            Map<String, Long> out = new LinkedHashMap<>();
            out.put("user_version", rs.getLong(1));
            out.put("application_id", rs.getLong(2));
            return out;
        }
    }

    @Override
    public void restoreHeaderValues(Connection c, Map<String, Long> saved) throws SQLException {
        if (saved == null || saved.isEmpty()) {
            return;
        }
        Map<String, Long> now = headerValues(c);
        for (Map.Entry<String, Long> e : saved.entrySet()) {
            if (!e.getValue().equals(now.get(e.getKey()))) {
                exec(c, "pragma " + e.getKey() + " = " + e.getValue()); // a name of ours and a number
            }
        }
    }

    /** The triggers {@link #beginUndo} dropped, as {@code CREATE TRIGGER} statements in creation order. */
    private List<String> silenced = List.of();

    /**
     * SQLite has no way to keep a connection's writes from firing triggers, and the application's
     * own triggers (an audit row, an {@code updated_at} column, an index kept in step) would write
     * again while rows are put back: the undo drops every trigger of the tables in its transaction
     * ({@link JdbcDialect#dropTriggersUntilCommit}) and {@link #endUndo} creates them again in their
     * order of creation before the same commit. The order matters: SQLite fires a table's triggers
     * newest first, and the journal's {@code AFTER} triggers must run before an application trigger
     * that writes the same row again, or the journal would list the two changes the wrong way round.
     */
    /**
     * {@code PRAGMA foreign_keys} as each undo begins: off, as {@link #beginWriting} set it for the
     * transaction, unless the undo's transaction did not begin there (then the connection's setting).
     */
    private boolean foreignKeyActions;

    /**
     * Where the undo's transaction still enforces foreign keys ({@link #beginWriting} did not begin it),
     * their actions run during the undo ({@code defer_foreign_keys} defers the checks only, and
     * {@code foreign_keys} cannot change inside a transaction).
     */
    @Override
    public boolean foreignKeyActionsDuringUndo() {
        return foreignKeyActions;
    }

    /**
     * Also turns CHECK constraints off for the undo ({@code PRAGMA ignore_check_constraints}, which,
     * unlike {@code foreign_keys}, takes effect inside a transaction), until {@link #endUndo} or the
     * transaction's end: the undo writes back values the table held, and rows that break a
     * constraint (written with the pragma on, or older than the constraint) are as exact as the others.
     * With the checks on, the undo of such a row failed with "CHECK constraint failed" and the data
     * stayed as the run left it (until 2026-12-06).
     */
    @Override
    public void beginUndo(Connection c) throws SQLException {
        foreignKeyActions = queryLong(c, "pragma foreign_keys") == 1;
        if (!checksIgnored && queryLong(c, "pragma ignore_check_constraints") == 0) {
            exec(c, "pragma ignore_check_constraints = 1");
            checksIgnored = true;
        }
        beginReplay(c);
        silenced = dialect().dropTriggersUntilCommit(c);
    }

    @Override
    public void endUndo(Connection c) throws SQLException {
        dialect().recreateTriggers(c, silenced);
        silenced = List.of();
        endReplay(c);
        restoreCheckConstraints(c);
    }

    /** Whether {@link #beginUndo} turned CHECK constraints off, for {@link #restoreCheckConstraints}. */
    private boolean checksIgnored;

    /** CHECK constraints on again where {@link #beginUndo} turned them off. */
    private void restoreCheckConstraints(Connection c) throws SQLException {
        if (checksIgnored) {
            exec(c, "pragma ignore_check_constraints = 0");
            checksIgnored = false;
        }
    }

    /** The pseudo-column identifying rows of keyless rowid tables, where no column is named so. */
    static final String ROWID = "rowid";

    /** The names SQLite gives a table's rowid; a column of the same name (any case) hides it. */
    private static final List<String> ROWID_NAMES = List.of(ROWID, "_rowid_", "oid");

    /**
     * The first of the rowid's names that no column of {@code t} hides, or null. A column named
     * {@code rowid} is a column like any other: the rowid is journaled under another of its names,
     * or the two would share one name in the row image and the column would get the rowid's value.
     */
    private static String rowidName(TableMeta t) {
        for (String name : ROWID_NAMES) {
            if (t.columns().stream().noneMatch(col -> col.name().equalsIgnoreCase(name))) {
                return name;
            }
        }
        return null;
    }

    @Override
    protected String extraKeyColumn(TableMeta t) {
        // WITHOUT ROWID tables always have a key. With a key, the rowid is restored, never matched on.
        return !t.hasKey() || rowidBesideKey.getOrDefault(t.name(), false) ? rowidName(t) : null;
    }

    @Override
    protected String keyExpression(String column) {
        // Unquoted, a rowid name is the rowid unless a column of that name hides it, and then the column:
        // what the image means either way (extraKeyColumn picks a name no column hides).
        return ROWID_NAMES.contains(column) ? column : quote(column);
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private String triggerName(String kind, String table) {
        return quote("venomqa_journal_" + kind + "_" + table);
    }

    /** Values a journal row can hold for one table: SQLite allows 2000 columns, and an update's row holds each twice. */
    private static final int MAX_VALUE_COLUMNS = 990;

    /**
     * The journal's rows hold the changed row's values as they are, in the untyped columns
     * {@code o0, o1, …} (old) and {@code n0, n1, …} (new): a column without a declared type keeps
     * a value's storage class and bytes exactly, and copying values costs a trigger far less than
     * {@code json_object(…, quote(…))} (a bulk {@code DELETE} of 100 000 rows: 123 ms of CPU with the
     * JSON triggers, 55 ms with these, 33 ms with a trigger doing nothing; docs/performance.md, row 6). {@code layout} names the row's
     * table columns in order (a row of {@link #LAYOUT}); {@link #imageColumns} turns the values
     * into the same JSON the JSON triggers write, with {@code quote()}, when entries are read.
     */
    @Override
    public void installTriggers(Connection c, String schema, TableMeta t) throws SQLException {
        dropTriggers(c, schema, t.name());
        if (!t.hasKey() && rowidName(t) == null) {
            throw new io.venomqa.state.StateConnectionException("Table " + quote(t.name()) + " has no primary key and "
                    + "columns named rowid, _rowid_ and oid, which hide its rowid: the journal cannot tell its rows "
                    + "apart. Give it a primary key or rename one of those columns, leave it out with exclude_tables, "
                    + "or use checkpoint_strategy: savepoint.");
        }
        String rowidRef = extraKeyColumn(t);
        boolean rowid = rowidRef != null;
        List<String> names = new ArrayList<>();
        List<String> refs = new ArrayList<>();
        for (TableMeta.Column col : t.insertable()) {
            names.add(col.name());
            refs.add(quote(col.name()));
        }
        if (rowid) {
            names.add(rowidRef);
            refs.add(rowidRef);
        }
        int columns = names.size() - (rowid ? 1 : 0); // the rowid fits too: 2 x 991 values and 6 more columns
        if (columns > MAX_VALUE_COLUMNS) {
            throw new io.venomqa.state.StateConnectionException("Table " + quote(t.name()) + " has " + columns
                    + " columns; the SQLite journal keeps a changed row's old and new values in one journal row, "
                    + "which SQLite limits to 2000 columns, so at most " + MAX_VALUE_COLUMNS + " per table. Leave "
                    + "the table out with exclude_tables, or use checkpoint_strategy: savepoint.");
        }
        ensureValueColumns(c, names.size());
        long layout = layout(c, names);
        String on = quote(t.name());
        String head = " when not exists (select 1 from venomqa_replay) begin insert into " + JOURNAL
                + " (table_name, op, layout";
        String into = ") values (" + literal(t.name()) + ", ";
        Replaced r = replaced(c, t, names);
        String table = literal(t.name());
        String pendingHere = "exists (select 1 from " + PENDING + " where table_name = " + table + ")";
        String candidates = String.join(" or ", r.conflicts());
        String toPending = "delete from " + PENDING + " where table_name = " + table + "; insert into " + PENDING
                + " (table_name, rid" + valueColumns("o", names) + ") select " + table + ", "
                + (r.rowid() ? "vq_t." + r.rid() : "null") + values(refs, "vq_t") + " from " + on + " vq_t where ";
        String replay = " when not exists (select 1 from venomqa_replay)";
        // BEFORE: the rows this row's unique keys meet, while they are still there; also clears what an
        // earlier row left (moved already, or staged for a row that was ignored or failed), so that AFTER
        // sees this row's candidates only. Every AFTER INSERT or UPDATE of the table follows its row's
        // BEFORE, which fires whenever anything is staged for the table.
        exec(c, "create trigger " + triggerName("bi", t.name()) + " before insert on " + on + replay + " and (" + pendingHere
                + " or exists (select 1 from " + on + " vq_t where " + candidates + ")) begin " + toPending
                + "(" + candidates + "); end");
        exec(c, "create trigger " + triggerName("bu", t.name()) + " before update on " + on + replay + " and (" + pendingHere
                + " or ((" + r.keyChanged() + ") and exists (select 1 from " + on + " vq_t where (" + r.otherRow()
                + ") and (" + candidates + ")))) begin " + toPending + "(" + r.otherRow() + ") and (" + candidates
                + "); end");
        // The BEFORE triggers must fire after the application's own BEFORE triggers of the table (SQLite fires
        // newest first): one of those that writes another row of the table would otherwise run between this
        // row's staging and its REPLACE, and the BEFORE trigger of that write would clear what this row
        // staged (the replaced row then went unjournaled); a write it makes to a candidate row would also be
        // journaled after the candidate's staged image was taken. So the application's triggers of the
        // table are created again after them, from their own text and in their order, and the AFTER
        // triggers below come newest.
        dialect().recreateTriggers(c, dropApplicationTriggers(c, t.name()));
        // AFTER: a staged row that is gone now (or whose identity the written row now holds) was deleted
        // by the statement's REPLACE, which SQLite does without firing delete triggers unless the writer
        // turned recursive_triggers on: journaled here as a delete, before the row's own entry, so that
        // the undo (newest first) takes the row away and then brings the deleted one back. The staged
        // rows stay until the next BEFORE trigger of the table clears them (it fires whenever anything
        // is staged for the table), so every AFTER sees its own row's only.
        String movePending = "insert into " + JOURNAL + " (table_name, op, layout" + valueColumns("o", names)
                + ") select " + table + ", 'D', " + layout + values(oldValueRefs(names.size()), "vq_p") + " from "
                + PENDING + " vq_p where vq_p.table_name = " + table + " and (" + r.confirmed() + ") order by vq_p.id; ";
        exec(c, "create trigger " + triggerName("i", t.name()) + " after insert on " + on + replay + " begin "
                + movePending + "insert into " + JOURNAL + " (table_name, op, layout" + valueColumns("n", names) + into
                + "'I', " + layout + values(refs, "new") + "); end");
        exec(c, "create trigger " + triggerName("u", t.name()) + " after update on " + on + replay + " begin "
                + movePending + "insert into " + JOURNAL + " (table_name, op, layout" + valueColumns("o", names)
                + valueColumns("n", names) + into + "'U', " + layout + values(refs, "old") + values(refs, "new") + "); end");
        exec(c, "create trigger " + triggerName("d", t.name()) + " after delete on " + on + head + valueColumns("o", names)
                + into + "'D', " + layout + values(refs, "old") + "); end");
        // A writer with recursive_triggers on gets delete triggers for a REPLACE's deletions too: the row
        // is journaled by the trigger above, so it must not stay staged to be journaled again.
        exec(c, "create trigger " + triggerName("dp", t.name()) + " after delete on " + on + replay + " and "
                + pendingHere + " begin delete from " + PENDING + " where table_name = " + table + " and "
                + r.stagedIsOld() + "; end");
        if (!r.unchecked().isEmpty()) {
            LOG.warn("Unique index(es) {} of table {} are on expressions or generated columns: a row that INSERT OR "
                    + "REPLACE, REPLACE or UPDATE OR REPLACE deletes because of them is deleted without SQLite firing "
                    + "any trigger, and the journal cannot see it, so a rollback after such a write would not bring "
                    + "it back. Keys on plain columns are covered. Avoid REPLACE on these keys during the run, or use "
                    + "checkpoint_strategy: savepoint.", r.unchecked(), quote(t.name()));
        }
    }

    /** Drops the application's triggers on {@code table}; returns their {@code CREATE TRIGGER} texts, oldest first. */
    private static List<String> dropApplicationTriggers(Connection c, String table) throws SQLException {
        List<String[]> triggers = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select name, sql from sqlite_master where type = 'trigger' "
                + "and tbl_name = ? and name not like 'venomqa\\_journal\\_%' escape '\\' order by rowid")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    triggers.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        for (String[] trigger : triggers) {
            exec(c, "drop trigger \"" + trigger[0].replace("\"", "\"\"") + "\"");
        }
        return triggers.stream().map(tr -> tr[1]).toList();
    }

    /** {@code vq_p.o0, vq_p.o1, …}: the pending row's values, as {@link #values} writes them. */
    private static List<String> oldValueRefs(int count) {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add("o" + i);
        }
        return out;
    }

    /** Rows staged by the {@code BEFORE} triggers as possibly about to be deleted by a REPLACE (see {@link #installTriggers}). */
    static final String PENDING = "venomqa_pending";

    /**
     * What the triggers need to see rows a REPLACE deletes in table {@code vq_t} (the candidate) on
     * behalf of the written row ({@code new}, {@code old}):
     *
     * @param rowid     a rowid table: rows are identified by their rowid ({@code rid} of the pending row)
     * @param rid       the name of the rowid ({@link #rowidName})
     * @param conflicts per unique key, the condition for a candidate sharing the new row's values under
     *                  the key's collation (a partial index's condition is left out: more candidates,
     *                  which {@code confirmed} sorts out); the rowid itself for rowid tables
     * @param keyChanged the written row's unique values changed (an update that cannot meet another row otherwise)
     * @param otherRow  the candidate is not the row being updated
     * @param confirmed the pending row ({@code vq_p}) was deleted: its identity is gone or now the new row's
     * @param stagedIsOld a staged row (columns of {@code venomqa_pending}, unqualified) is the deleted row {@code old}
     * @param unchecked unique indexes the triggers cannot evaluate (on expressions or generated columns)
     */
    private record Replaced(boolean rowid, String rid, List<String> conflicts, String keyChanged, String otherRow,
                            String confirmed, String stagedIsOld, List<String> unchecked) {
    }

    /** {@code names}: the table's columns in the order of the journal's value columns. */
    private Replaced replaced(Connection c, TableMeta t, List<String> names) throws SQLException {
        Set<String> generated = t.columns().stream().filter(TableMeta.Column::generated).map(TableMeta.Column::name)
                .collect(Collectors.toSet());
        boolean rowid = queryLong(c, "select count(*) from pragma_table_list where schema = 'main' and name = ? and wr = 0",
                t.name()) > 0;
        List<String> conflicts = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        List<String> identity = new ArrayList<>(); // WITHOUT ROWID: the key's columns, each quoted, then its " collate …"
        String rid = rowidName(t) == null ? "_rowid_" : rowidName(t); // every name hidden: a key's column, as before
        if (rowid) {
            conflicts.add("vq_t." + rid + " = new." + rid);
            changed.add("new." + rid + " is not old." + rid);
        }
        List<String[]> indexes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select name, origin from pragma_index_list(?) where \"unique\" = 1 "
                + "order by name")) {
            ps.setString(1, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    indexes.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        for (String[] index : indexes) {
            List<String> terms = new ArrayList<>();
            boolean checkable = true;
            List<String> keyColumns = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select cid, name, coll from pragma_index_xinfo(?) where key = 1 "
                    + "order by seqno")) {
                ps.setString(1, index[0]);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int cid = rs.getInt(1);
                        String column = rs.getString(2);
                        if (cid == -2 || (cid >= 0 && generated.contains(column))) {
                            checkable = false;
                            continue;
                        }
                        String ref = cid == -1 ? rid : quote(column);
                        String collate = rs.getString(3) == null ? "" : " collate " + quote(rs.getString(3));
                        terms.add("vq_t." + ref + " = new." + ref + collate);
                        changed.add("new." + ref + " is not old." + ref + collate);
                        keyColumns.add(ref + collate);
                    }
                }
            }
            if (!checkable) {
                unchecked.add(quote(index[0]));
                continue;
            }
            conflicts.add("(" + String.join(" and ", terms) + ")");
            if (!rowid && "pk".equals(index[1])) {
                identity.addAll(keyColumns);
            }
        }
        String otherRow;
        String confirmed;
        String stagedIsOld;
        if (rowid) {
            otherRow = "vq_t." + rid + " is not old." + rid;
            stagedIsOld = "rid = old." + rid;
            confirmed = "vq_p.rid = new." + rid + " or not exists (select 1 from " + quote(t.name())
                    + " vq_t where vq_t." + rid + " = vq_p.rid)";
        } else {
            // WITHOUT ROWID: the primary key, compared under its own collations.
            List<String> same = new ArrayList<>();
            List<String> sameAsNew = new ArrayList<>();
            List<String> notOld = new ArrayList<>();
            List<String> isOld = new ArrayList<>();
            for (String k : identity) {
                String column = k.contains(" collate ") ? k.substring(0, k.indexOf(" collate ")) : k;
                String collate = k.substring(column.length());
                String pending = "vq_p.o" + names.indexOf(unquote(column));
                same.add("vq_t." + column + " = " + pending + collate);
                sameAsNew.add("new." + column + " = " + pending + collate);
                notOld.add("vq_t." + column + " = old." + column + collate);
                isOld.add("o" + names.indexOf(unquote(column)) + " = old." + column + collate);
            }
            if (identity.isEmpty()) {
                throw new IllegalStateException("WITHOUT ROWID table " + quote(t.name()) + " without a primary key index");
            }
            otherRow = "not (" + String.join(" and ", notOld) + ")";
            stagedIsOld = String.join(" and ", isOld);
            confirmed = "(" + String.join(" and ", sameAsNew) + ") or not exists (select 1 from " + quote(t.name())
                    + " vq_t where " + String.join(" and ", same) + ")";
        }
        return new Replaced(rowid, rid, conflicts, changed.isEmpty() ? "0" : String.join(" or ", changed), otherRow,
                confirmed, stagedIsOld, unchecked);
    }

    /** The name inside {@link #quote}'s double quotes. */
    private static String unquote(String quoted) {
        return quoted.substring(1, quoted.length() - 1).replace("\"\"", "\"");
    }

    /** The layouts' table: id → the JSON array of a table's column names, in the order of its value columns. */
    static final String LAYOUT = "venomqa_layout";

    private static String valueColumns(String side, List<String> names) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            b.append(", ").append(side).append(i);
        }
        return b.toString();
    }

    private static String values(List<String> refs, String row) {
        StringBuilder b = new StringBuilder();
        for (String r : refs) {
            b.append(", ").append(row).append('.').append(r);
        }
        return b.toString();
    }

    /** Adds the layout column and value columns the journal lacks (it may have been made by an earlier version). */
    private void ensureValueColumns(Connection c, int count) throws SQLException {
        Set<String> have = new java.util.HashSet<>(queryStrings(c, "select name from pragma_table_info('" + JOURNAL + "')"));
        if (!have.contains("layout")) {
            exec(c, "alter table " + JOURNAL + " add column layout integer");
        }
        for (int i = 0; i < count; i++) {
            for (String side : new String[] {"o", "n"}) {
                if (!have.contains(side + i)) {
                    exec(c, "alter table " + JOURNAL + " add column " + side + i); // no type: values kept as they are
                }
            }
        }
        Set<String> pending = new java.util.HashSet<>(queryStrings(c, "select name from pragma_table_info('" + PENDING + "')"));
        for (int i = 0; i < count; i++) {
            if (!pending.contains("o" + i)) {
                exec(c, "alter table " + PENDING + " add column o" + i);
            }
        }
    }

    /** The id of the layout listing {@code names}, made if new. */
    private long layout(Connection c, List<String> names) throws SQLException {
        // Written as JSON here, not with json_array(): that takes at most 100 arguments.
        StringBuilder array = new StringBuilder("[");
        for (String name : names) {
            array.append(array.length() > 1 ? "," : "").append('"');
            for (char ch : name.toCharArray()) {
                if (ch == '"' || ch == '\\') {
                    array.append('\\').append(ch);
                } else if (ch < 0x20) {
                    array.append(String.format("\\u%04x", (int) ch));
                } else {
                    array.append(ch);
                }
            }
            array.append('"');
        }
        String cols = array.append(']').toString();
        update(c, "insert or ignore into " + LAYOUT + " (cols) values (?)", cols);
        return queryLong(c, "select id from " + LAYOUT + " where cols = ?", cols);
    }

    /**
     * Old and new image of each entry as JSON: an entry written with a layout gets
     * {@code json_object('column', quote(value), …)} made from its values, which is the text the
     * JSON triggers write for the same row; others (written by the JSON triggers, an earlier
     * version, or a redo) their stored text.
     */
    @Override
    protected String imageColumns(Connection c) throws SQLException {
        return imageColumns(c, null);
    }

    /**
     * Only the layouts of the entries {@code ids}: every column's literal is a {@code CASE} of a few
     * hundred characters ({@link #exactLiteral}), and a query naming the layouts of every tracked table
     * took SQLite about ten times as long to prepare as the rows took to read.
     */
    @Override
    protected String imageColumns(Connection c, String ids) throws SQLException {
        Map<Long, List<String>> layouts = new LinkedHashMap<>();
        if (exists(c, LAYOUT)) {
            String only = ids == null ? ""
                    : " where l.id in (select layout from " + JOURNAL + " where id in (" + ids + "))";
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select l.id, e.value from " + LAYOUT
                    + " l, json_each(case when json_valid(l.cols) then l.cols else '[]' end) e" + only
                    + " order by l.id, e.key")) {
                // A layout that is not JSON (written by hand) gives its entries no images, like a
                // journal row whose image is missing, instead of making every read of the journal fail.
                while (rs.next()) {
                    layouts.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        if (layouts.isEmpty()) {
            return super.imageColumns(c);
        }
        StringBuilder old = new StringBuilder("case when layout is null then old_row when op = 'I' then null");
        StringBuilder neu = new StringBuilder("case when layout is null then new_row when op = 'D' then null");
        boolean signed = signedZero(c);
        for (Map.Entry<Long, List<String>> l : layouts.entrySet()) {
            old.append(" when layout = ").append(l.getKey()).append(" then ").append(json(l.getValue(), "o", signed));
            neu.append(" when layout = ").append(l.getKey()).append(" then ").append(json(l.getValue(), "n", signed));
        }
        return old.append(" end, ").append(neu).append(" end").toString();
    }

    /**
     * {@code json_object} takes at most 100 arguments in the SQLite that sqlite-jdbc links (its
     * SQLITE_MAX_FUNCTION_ARG), so a wider row is made of objects of 50 columns merged in order with
     * {@code json_patch} (the values are strings, never JSON null, so nothing is removed).
     */
    private static String json(List<String> names, String side, boolean signedZero) {
        String out = null;
        for (int from = 0; from < names.size() || out == null; from += 50) {
            List<String> parts = new ArrayList<>();
            for (int i = from; i < Math.min(names.size(), from + 50); i++) {
                parts.add(literal(names.get(i)) + ", " + exactLiteral(side + i, signedZero));
            }
            String object = "json_object(" + String.join(", ", parts) + ")";
            out = out == null ? object : "json_patch(" + out + ", " + object + ")";
        }
        return out;
    }

    /**
     * An SQL literal that gives back exactly the value of journal column {@code v}: {@code quote()},
     * except where it is lossy. {@code quote()} ends a text at its first NUL byte, and a text that is
     * not ASCII passes through the JDBC driver's UTF-8 decoding, which turns bytes that are not UTF-8
     * into U+FFFD: such a text is written {@code concat(X'…')}, its own bytes in the database's encoding
     * (put back by {@link #resolve}). The {@code GLOB} meets a character outside 1–127 wherever
     * the text holds a byte of 128 or more, valid UTF-8 or not. {@code quote()} also writes a negative
     * zero REAL (kept as such in a column without a type) as {@code 0.0}; {@code atan2} tells its sign,
     * where the driver's SQLite has the math functions ({@code signedZero}: every other way SQLite
     * prints a REAL drops the sign).
     */
    private static String exactLiteral(String v, boolean signedZero) {
        String quoted = signedZero ? "iif(typeof(" + v + ") = 'real' and " + v + " = 0 and atan2(" + v
                + ", -1) < 0, '-0.0', quote(" + v + "))" : "quote(" + v + ")";
        return "iif(typeof(" + v + ") = 'text' and (instr(cast(" + v + " as blob), x'00') or " + v + " glob '*[^' || "
                + "char(1) || '-' || char(127) || ']*'), 'concat(X''' || hex(" + v + ") || ''')', " + quoted + ")";
    }

    /** Whether the driver's SQLite has {@code atan2} (built with the math functions); asked once. */
    private Boolean signedZero;

    private boolean signedZero(Connection c) {
        if (signedZero == null) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select atan2(-0.0, -1) < 0")) {
                signedZero = rs.next() && rs.getBoolean(1);
            } catch (SQLException e) {
                signedZero = false;
                LOG.warn("The SQLite of the JDBC driver has no math functions (atan2: {}): a rollback puts a negative "
                        + "zero REAL of a column without a type back as 0.0. Use a driver built with them (sqlite-jdbc "
                        + "is).", e.getMessage());
            }
        }
        return signedZero;
    }

    /**
     * A text imaged as {@code concat(X'…')} ({@link #exactLiteral}) is written into the undo's SQL as
     * {@code cast(X'…' as text)}: that reads the bytes in the database's encoding, which is what
     * {@code hex()} gave, where {@code concat} reads them as UTF-8 (wrong in a UTF-16 database). The
     * image keeps the {@code concat} spelling because the literal check accepts only function calls.
     */
    @Override
    protected Map<String, String> resolve(Map<String, String> image, long id, char side) {
        for (Map.Entry<String, String> e : image.entrySet()) {
            String hex = e.getValue() == null ? null : SqlLiteral.hexText(e.getValue());
            if (hex != null) {
                e.setValue("cast(X'" + hex + "' as text)");
            }
        }
        return image;
    }

    @Override
    public void dropTriggers(Connection c, String schema, String table) throws SQLException {
        for (String kind : new String[] {"i", "u", "d", "bi", "bu", "dp"}) {
            exec(c, "drop trigger if exists " + triggerName(kind, table));
        }
    }

    @Override
    public List<String> tablesWithTriggers(Connection c, String schema) throws SQLException {
        return queryStrings(c, "select distinct tbl_name from sqlite_master where type = 'trigger' "
                + "and name like 'venomqa\\_journal\\_%' escape '\\' order by 1");
    }

    @Override
    public void uninstallInfrastructure(Connection c, String schema) throws SQLException {
        exec(c, "drop table if exists " + JOURNAL);
        exec(c, "drop table if exists " + RUN);
        exec(c, "drop table if exists venomqa_replay");
        exec(c, "drop table if exists " + LAYOUT);
        exec(c, "drop table if exists " + PENDING);
    }

    @Override
    public List<String> currentTables(Connection c, String schema) throws SQLException {
        return queryStrings(c, "select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' "
                + "escape '\\' order by 1");
    }

    @Override
    public void beginReplay(Connection c) throws SQLException {
        exec(c, "insert into venomqa_replay values (1)");
        // Foreign keys (when enforced) are checked at commit, once the whole undo is done.
        exec(c, "pragma defer_foreign_keys = on");
    }

    @Override
    public void endReplay(Connection c) throws SQLException {
        exec(c, "delete from venomqa_replay");
    }

    /**
     * The row's identity and every other column it had: images hold {@code quote()} literals, which
     * compare exactly with what SQLite stores, so an undo finds its row only if nothing changed it
     * behind the journal's back. Such a change (a {@code VACUUM} that renumbered the rowids of a
     * table without a declared key, a write the triggers could not see) then makes the affected-row
     * count differ and the undo fail, instead of writing old values over another row.
     */
    @Override
    protected String currentRow(TableMeta t, Map<String, String> image) {
        StringBuilder b = new StringBuilder(where(t, image));
        List<String> identity = identity(t);
        String rowid = extraKeyColumn(t);
        if (t.hasKey() && rowid != null && image.containsKey(rowid)
                && t.keyColumns().stream().anyMatch(k -> "NULL".equals(image.get(k)))) {
            // A rowid table's PRIMARY KEY that is not the rowid takes NULLs (SQLite's old quirk), and two rows with a
            // NULL key and the same values could not be told apart: until 2026-12-06 their undo failed ("1 row(s)
            // expected, 2 found"). Their rowid, journaled with them, tells them apart. Only for such rows: a VACUUM
            // may renumber a keyed table's rowids, and matching the others by their key keeps working after one.
            b.append(" and ").append(nullSafeEquals(keyExpression(rowid), image.get(rowid)));
        }
        for (TableMeta.Column col : t.insertable()) {
            String value = image.get(col.name());
            if (value != null && !identity.contains(col.name())) {
                b.append(" and ").append(nullSafeEquals(quote(col.name()), value));
            }
        }
        return b.toString();
    }

    @Override
    protected String nullSafeEquals(String left, String right) {
        return left + " is " + right;
    }

    @Override
    protected String limitOne(TableMeta t) {
        return ""; // rows are identified by key or rowid: exactly one matches
    }

    @Override
    public String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public String qualify(String schema, String table) {
        return quote(table); // one database file; trigger bodies may not qualify names anyway
    }

    /**
     * The tables created during the run without a row in {@code sqlite_sequence}, as a new {@code AUTOINCREMENT}
     * table has none: {@code "none"} is {@code SQLiteDialect}'s snapshot value for that (its restore deletes the
     * row). A table without {@code AUTOINCREMENT} needs nothing: its next rowid follows the rows it holds.
     */
    @Override
    public Map<String, String> freshCounters(java.util.Collection<String> createdTables, Map<String, Long> createdSequences,
                                             Map<String, String> started) {
        Map<String, String> out = new LinkedHashMap<>();
        createdTables.forEach(t -> out.put(t, "none"));
        return out;
    }
}
