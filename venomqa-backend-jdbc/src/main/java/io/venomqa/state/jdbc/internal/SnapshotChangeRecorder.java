package io.venomqa.state.jdbc.internal;

import io.venomqa.state.ChangeMark;
import io.venomqa.state.ChangeTracker;
import io.venomqa.state.DbChanges;
import io.venomqa.state.jdbc.spi.ChangeRecorder;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.TableInfo;
import io.venomqa.state.spi.ChangeTracking;

import java.sql.Blob;
import java.sql.Clob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in {@link ChangeRecorder}: reads every tracked table at each mark and compares the
 * snapshots. Read-only and DDL-free, so it is safe inside the savepoint strategy's open transaction
 * on every dialect: no temporary table or trigger (MySQL and H2 would commit on DDL; a trigger on an
 * application table would be seen by, and break, other sessions). It sees what the manager's
 * connection sees.
 *
 * <p>Only tables whose rows changed are read again: the recorder keeps the last rows it read of
 * each table with the table's fingerprint ({@link JdbcDialect#tableFingerprint}, computed in the
 * database: the md5 of all rows' text on PostgreSQL, the rows themselves on SQLite),
 * and at each mark asks for every table's fingerprint in one query; a table whose fingerprint is
 * unchanged keeps the rows read before, and so does one whose fingerprint is again that of the read
 * before the last (a rolled-back step). Without fingerprints (a dialect that has none, or whose
 * fingerprint query failed) every table is read at each mark. The same query (or, without
 * fingerprints, the one of the session settings) reads the version of the schema's set of tables
 * ({@link JdbcDialect#tableSetVersion}); when it changed (a table created during the run), and at the
 * first read, the schema is introspected again, so that a new table is read too: its rows are inserts
 * of the window that created it. Above {@value #OPTION_MAX_ROWS} rows
 * in all it reports the window as not tracked instead of slowing the run down. Not API.
 */
public final class SnapshotChangeRecorder implements ChangeRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotChangeRecorder.class);

    /** Option: the most rows the tracked tables may hold in all for snapshot comparison. */
    public static final String OPTION_MAX_ROWS = "track_changes_max_rows";
    /** Default of {@value #OPTION_MAX_ROWS}. */
    public static final int DEFAULT_MAX_ROWS = 20_000;

    private final int maxRows;
    private final String strategy;
    /** The last rows read of each table, with their columns and fingerprint; reused while the fingerprint holds. */
    private Map<String, Known> known = Map.of();
    /**
     * Each table's rows as read before they last changed, reused when the fingerprint is that one again:
     * a step that is rolled back (the runner's and the explorer's usual case, benchmark row 1) puts the
     * table back as it was, and the next mark then reads the fingerprints only, not the table.
     */
    private Map<String, Known> earlier = Map.of();
    private boolean fingerprintsFailed;
    /**
     * Per table, the columns the last read found the dialect reads through an exact form
     * ({@link JdbcDialect#exactRead}: MySQL's FLOAT, whose text drops digits); read with the table's
     * other columns in one statement. Absent: none, or not read yet.
     */
    private final Map<String, List<Exact>> exactColumns = new HashMap<>();

    /**
     * Per table, the columns {@code select *} leaves out ({@link JdbcDialect#hiddenColumnsQuery}: MySQL's
     * and H2's INVISIBLE columns), read after the star; null until read on the current connection.
     */
    private Map<String, List<String>> hiddenColumns;

    /** Per table, the shape of the rows of its last read. */
    private final Map<String, ChangeTracking.RowShape> shapes = new HashMap<>();

    /** A column read through its exact form {@code expression}. */
    private record Exact(String column, String expression) {
    }
    /**
     * The recorder's statements, prepared once per connection and text: every mark runs the same
     * few, and preparing them again each time was most of a mark's cost on SQLite (which compiles
     * the SQL at each prepare). Dropped when the session's connection changes.
     */
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private java.sql.Connection statementsOf;
    /** Most statements kept; a schema whose columns keep changing cannot grow the cache for ever. */
    private static final int MAX_STATEMENTS = 256;

    /** A recorder comparing at most {@code maxRows} rows, for messages naming checkpoint strategy {@code strategy}. */
    public SnapshotChangeRecorder(int maxRows, String strategy) {
        this.maxRows = maxRows;
        this.strategy = strategy;
    }

    /** Tables as read at one moment, or the reason they were not read. */
    private record Snapshot(SnapshotChangeRecorder owner, Map<String, ChangeTracking.TableSnapshot> tables,
                            String notTracked, String settings) implements ChangeMark {
    }

    /** One table as last read: its rows, its columns, and its fingerprint then (null when none was computed). */
    private record Known(ChangeTracking.TableSnapshot rows, List<String> columns, String fingerprint) {
    }

    @Override
    public ChangeMark mark(JdbcSession session) throws SQLException {
        return read(session);
    }

    @Override
    public ChangeTracker.Window advance(JdbcSession session, ChangeMark mark) throws SQLException {
        if (!(mark instanceof Snapshot before) || before.owner() != this) {
            throw new IllegalArgumentException("This mark was not made by this session's change recorder: " + mark);
        }
        Snapshot now = read(session);
        String notTracked = before.notTracked() != null ? before.notTracked() : now.notTracked();
        if (notTracked == null && !java.util.Objects.equals(before.settings(), now.settings())) {
            // The application changed them through the shared connection (SET TIME ZONE): every value they format
            // reads differently although none changed. Until 2026-12-06 each such value read as an update.
            notTracked = "the session settings the values are read with changed during the window (" + before.settings()
                    + " -> " + now.settings() + "), set by the application on the shared connection: values they format "
                    + "read differently without having changed. Set them in the connection's URL or options instead, or use "
                    + "checkpoint_strategy: journal";
        }
        if (notTracked != null) {
            return new ChangeTracker.Window(DbChanges.notTracked(notTracked), now);
        }
        DbChanges.Builder b = DbChanges.builder();
        for (Map.Entry<String, ChangeTracking.TableSnapshot> e : now.tables().entrySet()) {
            ChangeTracking.diff(b, e.getKey(), before.tables().get(e.getKey()), e.getValue());
        }
        for (Map.Entry<String, ChangeTracking.TableSnapshot> e : before.tables().entrySet()) {
            if (!now.tables().containsKey(e.getKey())) {
                ChangeTracking.diff(b, e.getKey(), e.getValue(), null); // dropped: its rows are gone
            }
        }
        return new ChangeTracker.Window(b.build(), now);
    }

    private Snapshot read(JdbcSession session) throws SQLException {
        try {
            return readFingerprinted(session);
        } catch (SQLException e) {
            if (lost(session, e)) {
                throw e;
            }
            // A tracked table dropped or renamed during the step (DDL the application ran): the guard rolled the
            // failed read back; read the schema again and the tables as they are now. A table that is gone then
            // reads as dropped, its rows deleted. Until 2026-12-05 the capture failed instead of saying so.
            LOG.debug("Reading the tracked tables failed ({}); reading the schema again", e.getMessage());
            session.refreshSchema();
            try {
                return readFingerprinted(session);
            } catch (SQLException again) {
                if (lost(session, again)) {
                    throw again;
                }
                known = Map.of();
                earlier = Map.of();
                return new Snapshot(this, Map.of(), "the tracked tables could not be read, even after reading the schema "
                        + "again: " + again.getMessage(), null);
            }
        }
    }

    private Snapshot readFingerprinted(JdbcSession session) throws SQLException {
        try {
            return readOnce(session);
        } catch (FingerprintFailed e) {
            // The guard rolled the failed statement back; read again, every table whole from now on.
            fingerprintsFailed = true;
            LOG.debug("Table fingerprints failed ({}); change capture reads every tracked table at each mark from now on",
                    e.getCause().getMessage());
            return readOnce(session);
        }
    }

    private static boolean lost(JdbcSession session, SQLException e) {
        return SqlFailures.connectionLost(session.connection(), session.dialect(), e);
    }

    /** A fingerprint query that failed: {@link #read} reads again without fingerprints. */
    private static final class FingerprintFailed extends SQLException {
        FingerprintFailed(SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause);
        }
    }

    private Snapshot readOnce(JdbcSession session) throws SQLException {
        // Reads only: on PostgreSQL the driver guards each one in its own round trip (mark and
        // changesSince were four round trips each, two of them the guard's).
        String[] seen = {null};
        Snapshot read = SqlFailures.guardedReads(session.connection(), session.dialect(), () -> readTables(session, seen));
        if (read == null) {
            // The schema's tables changed since the last read (a table created during the run: a migration the
            // application ran, CREATE TABLE IF NOT EXISTS on first use), or this is the first read: introspect
            // the schema again, so that a new table is read too. Its rows are then all inserts of the window
            // that created it. Until 2026-12-06 the schema of connect() was read for ever, and the writes to a
            // table created since were missing from every window without a word.
            session.refreshSchema();
            hiddenColumns = null; // a new table's INVISIBLE columns too
            tableSet = seen[0]; // the value read before the introspection: a table created since differs from it
            read = SqlFailures.guardedReads(session.connection(), session.dialect(), () -> readTables(session, null));
        }
        return read;
    }

    /**
     * The tracked tables as read now; null when {@code tableSetSeen} is given and the dialect's
     * {@link JdbcDialect#tableSetVersion} differs from {@link #tableSet} (set into {@code tableSetSeen}[0]):
     * the caller introspects the schema and reads again.
     */
    private Snapshot readTables(JdbcSession session, String[] tableSetSeen) throws SQLException {
        List<TableInfo> tracked = session.trackedTables();
        String[] extras = {null, null}; // settings, table set: see extraExpressions
        Map<String, String> prints = fingerprints(session, tracked, extras);
        if (!extrasRead) {
            extras(session, extras);
        }
        if (tableSetSeen != null && extras[1] != null && !extras[1].equals(tableSet)) {
            tableSetSeen[0] = extras[1];
            return null;
        }
        Map<String, ChangeTracking.TableSnapshot> tables = new LinkedHashMap<>();
        Map<String, Known> next = new HashMap<>();
        Map<String, Known> nextEarlier = new HashMap<>();
        long total = 0;
        for (TableInfo t : tracked) {
            Known was = known.get(t.name());
            Known before = earlier.get(t.name());
            String print = prints.get(t.name());
            Known now;
            if (sameRows(was, print, t)) {
                now = was; // same rows as last read: not read again
            } else if (was != null && sameRows(before, print, t) && before.columns().equals(was.columns())) {
                // The rows of the read before: the fingerprint was computed over the same columns.
                now = before;
            } else {
                now = readTable(session, t, print, maxRows - total);
            }
            total += now == null ? maxRows + 1L : now.rows().rows().size();
            if (total > maxRows) {
                known = Map.of();
                earlier = Map.of();
                return new Snapshot(this, Map.of(), "the tracked tables hold more than " + maxRows
                        + " rows, too many to compare whole before and after each step (how the "
                        + strategy + " strategy finds changes); raise " + OPTION_MAX_ROWS + ", or use checkpoint_strategy: journal", null);
            }
            tables.put(t.name(), now.rows());
            next.put(t.name(), now);
            Known kept = now == was ? before : was;
            if (kept != null && kept.fingerprint() != null) {
                nextEarlier.put(t.name(), kept);
            }
        }
        known = next;
        earlier = nextEarlier;
        return new Snapshot(this, tables, null, extras[0]);
    }

    /**
     * The value of {@link JdbcDialect#tableSetVersion} for which the schema was last introspected (read
     * before that introspection); null before the first read, which therefore introspects the schema
     * again once: tables may have been created between {@code connect()} and the first mark.
     */
    private String tableSet;

    /** Whether the last {@link #fingerprints} call also read {@link #extraExpressions}. */
    private boolean extrasRead;

    /**
     * The expressions read with the fingerprints, in the same round trip: the session settings the values'
     * text depends on ({@link JdbcDialect#valueTextSettings}) and the version of the schema's set of tables
     * ({@link JdbcDialect#tableSetVersion}); null where the dialect has none.
     */
    private String[] extraExpressions(JdbcSession session) {
        if (extraExpressions == null) { // the same for the session's life: the dialect and schema do not change
            extraExpressions = new String[] {session.dialect().valueTextSettings().orElse(null),
                    session.dialect().tableSetVersion(session.schemaName()).orElse(null)};
        }
        return extraExpressions;
    }

    private String[] extraExpressions;

    /** Reads {@link #extraExpressions} alone into {@code out}, where the fingerprints' query did not (none to compute). */
    private void extras(JdbcSession session, String[] out) throws SQLException {
        String[] expressions = extraExpressions(session);
        StringBuilder sql = new StringBuilder();
        for (String e : expressions) {
            if (e != null) {
                sql.append(sql.isEmpty() ? "select " : ", ").append(e);
            }
        }
        if (sql.isEmpty()) {
            return;
        }
        try (ResultSet rs = statement(session, sql.toString()).executeQuery()) {
            if (rs.next()) {
                int column = 1;
                for (int i = 0; i < expressions.length; i++) {
                    if (expressions[i] != null) {
                        out[i] = rs.getString(column++);
                    }
                }
            }
        }
    }

    /** Whether {@code k}, read before, holds {@code t}'s rows now: same fingerprint and key. */
    private static boolean sameRows(Known k, String print, TableInfo t) {
        return k != null && print != null && print.equals(k.fingerprint()) && k.rows().keyColumns().equals(t.primaryKey());
    }

    /**
     * Every table's fingerprint in one query, for the tables whose columns are known (read once
     * before); empty when the dialect has none. A failing fingerprint query turns them off for this
     * session (with a debug log, see {@link #read}): reading whole tables is slower but gives the
     * same changes.
     */
    private Map<String, String> fingerprints(JdbcSession session, List<TableInfo> tracked, String[] extras) throws SQLException {
        extrasRead = false;
        if (fingerprintsFailed) {
            return Map.of();
        }
        List<String> names = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select ");
        for (TableInfo t : tracked) {
            Known k = known.get(t.name());
            List<String> columns = k == null ? List.of() : k.columns();
            Optional<String> print = session.dialect().tableFingerprint(session.qualified(t.name()), columns);
            if (print.isEmpty()) {
                continue;
            }
            sql.append(names.isEmpty() ? "" : ", ").append(print.get());
            names.add(t.name());
        }
        if (names.isEmpty()) {
            return Map.of();
        }
        String[] expressions = extraExpressions(session);
        for (String e : expressions) {
            if (e != null) {
                sql.append(", ").append(e); // in the same round trip
            }
        }
        // No guard of its own: a failure is raised as FingerprintFailed, the caller's guard undoes it
        // and read() starts again.
        Map<String, String> out = new HashMap<>();
        try (ResultSet rs = statement(session, sql.toString()).executeQuery()) {
            if (rs.next()) {
                for (int i = 0; i < names.size(); i++) {
                    out.put(names.get(i), rs.getString(i + 1));
                }
                int column = names.size() + 1;
                for (int i = 0; i < expressions.length; i++) {
                    if (expressions[i] != null) {
                        extras[i] = rs.getString(column++);
                    }
                }
            }
        } catch (SQLException e) {
            throw new FingerprintFailed(e);
        }
        extrasRead = true;
        return out;
    }

    /** The statement of {@code sql} on the session's connection, prepared at its first use there. */
    private PreparedStatement statement(JdbcSession session, String sql) throws SQLException {
        java.sql.Connection c = session.connection();
        if (c != statementsOf || statements.size() >= MAX_STATEMENTS) {
            closeStatements();
            if (c != statementsOf) {
                hiddenColumns = null;
            }
            statementsOf = c;
        }
        PreparedStatement ps = statements.get(sql);
        if (ps == null || ps.isClosed()) {
            ps = c.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    private void closeStatements() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                LOG.debug("Closing a change-capture statement failed: {}", e.getMessage());
            }
        }
        statements.clear();
    }

    /** Every row of {@code t}, or null when it holds more than {@code room} rows. */
    private Known readTable(JdbcSession session, TableInfo t, String print, long room) throws SQLException {
        List<Exact> exact = exactColumns.getOrDefault(t.name(), List.of());
        Read r;
        try {
            r = readTable(session, t, room, exact);
        } catch (SQLException e) {
            // A column read exactly may be gone (on MySQL only with DDL, which also ended the run's
            // transaction): the failure is the caller's, and the next read learns the columns again.
            exactColumns.remove(t.name());
            throw e;
        }
        if (!r.exactNeeded().equals(exact)) {
            // First read of the table, or its columns changed: read again with the exact forms it needs now.
            exactColumns.put(t.name(), r.exactNeeded());
            r = readTable(session, t, room, r.exactNeeded());
        }
        return r.rows() == null ? null : new Known(new ChangeTracking.TableSnapshot(t.primaryKey(), r.rows()),
                List.copyOf(r.columns()), print);
    }

    /** One read of a table: its rows (null when too many), its columns, and those the dialect reads exactly. */
    private record Read(List<Map<String, String>> rows, List<String> columns, List<Exact> exactNeeded) {
    }

    /**
     * {@code select *} of {@code t}, followed by the exact form of each column of {@code exact}, whose
     * value is then taken from that form instead of the column's own text.
     */
    private Read readTable(JdbcSession session, TableInfo t, long room, List<Exact> exact) throws SQLException {
        JdbcDialect dialect = session.dialect();
        String table = session.qualified(t.name());
        List<String> expressions = new ArrayList<>();
        for (Exact e : exact) {
            expressions.add(e.expression());
        }
        String sql = dialect.selectEveryColumn(table, hidden(session).getOrDefault(t.name(), List.of()), expressions);
        List<Map<String, String>> rows = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        List<Exact> needed = new ArrayList<>();
        try (ResultSet rs = statement(session, sql).executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount() - exact.size();
            int[] types = new int[n + 1];
            int[] source = new int[n + 1]; // where each column's value is read: its own, or its exact form
            for (int c = 1; c <= n; c++) {
                String label = md.getColumnLabel(c); // read once per table, not per row (costly on SQLite)
                columns.add(label);
                types[c] = md.getColumnType(c);
                source[c] = c;
                java.util.Optional<String> form = dialect.exactRead(table + "." + dialect.quote(label), types[c], md.getColumnTypeName(c));
                if (form.isPresent()) {
                    Exact e = new Exact(label, form.get());
                    needed.add(e);
                    int at = exact.indexOf(e);
                    if (at >= 0) {
                        source[c] = n + 1 + at;
                        types[c] = md.getColumnType(source[c]);
                    }
                }
            }
            ChangeTracking.RowShape shape = shapeOf(t.name(), columns);
            while (rs.next()) {
                if (rows.size() >= room) {
                    return new Read(null, columns, needed);
                }
                if (shape != null) {
                    String[] values = new String[n];
                    for (int c = 1; c <= n; c++) {
                        values[c - 1] = text(rs, source[c], types[c]);
                    }
                    rows.add(shape.row(values));
                    continue;
                }
                Map<String, String> row = new LinkedHashMap<>(n * 2);
                for (int c = 1; c <= n; c++) {
                    row.put(columns.get(c - 1), text(rs, source[c], types[c]));
                }
                rows.add(row);
            }
        }
        return new Read(rows, columns, needed);
    }

    /**
     * Compact rows for {@code columns} (a thousand changed rows were a thousand hash maps a side, most of a
     * step's capture on SQLite); null when a label repeats, which a map keeps once, as before.
     */
    private ChangeTracking.RowShape shapeOf(String table, List<String> columns) {
        ChangeTracking.RowShape shape = shapes.get(table);
        if (shape != null && shape.columns().equals(columns)) {
            return shape; // the same shape as the last read: its rows and these compare position by position
        }
        try {
            shape = ChangeTracking.RowShape.of(columns);
        } catch (IllegalArgumentException e) {
            return null;
        }
        shapes.put(table, shape);
        return shape;
    }

    /** The tracked schema's hidden columns per table, read once per connection. */
    private Map<String, List<String>> hidden(JdbcSession session) throws SQLException {
        java.sql.Connection c = session.connection();
        if (c != statementsOf) {
            closeStatements();
            statementsOf = c;
            hiddenColumns = null;
        }
        if (hiddenColumns == null) {
            hiddenColumns = session.dialect().hiddenColumns(c, session.schemaName());
        }
        return hiddenColumns;
    }

    private static boolean temporal(int sqlType) {
        return sqlType == Types.DATE || sqlType == Types.TIME || sqlType == Types.TIMESTAMP
                || sqlType == Types.TIME_WITH_TIMEZONE || sqlType == Types.TIMESTAMP_WITH_TIMEZONE;
    }

    /** A value as text in the form every change source uses: binary as {@code 0x…}, booleans as {@code true}/{@code false}. */
    static String text(ResultSet rs, int column, int sqlType) throws SQLException {
        switch (sqlType) {
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> {
                // By the value, not the column: a SQLite column without a type says BLOB and holds any storage
                // class (a text in it read as the hex of its bytes until 2026-12-05, as text under the journal).
                Object v = rs.getObject(column);
                if (v == null) {
                    return null;
                }
                if (v instanceof Blob blob) {
                    return "0x" + HexFormat.of().formatHex(blob.getBytes(1, (int) blob.length()));
                }
                return v instanceof byte[] bytes ? "0x" + HexFormat.of().formatHex(bytes) : rs.getString(column);
            }
            case Types.BOOLEAN, Types.BIT -> {
                Object v = rs.getObject(column);
                if (v instanceof byte[] bits) {
                    return "0x" + HexFormat.of().formatHex(bits);
                }
                return v == null ? null : String.valueOf(v);
            }
            default -> {
                Object v;
                try {
                    v = rs.getObject(column);
                } catch (SQLException | java.time.DateTimeException e) {
                    if (!temporal(sqlType)) {
                        throw e;
                    }
                    // A value no Java date holds: MySQL's zero dates, a TIME of 25:00 or -838:59:59 (Connector/J
                    // refuses them as objects, one of them with an unchecked exception); its text is what it is.
                    return rs.getString(column);
                }
                if (v == null) {
                    return null;
                }
                if (v instanceof byte[] bytes) {
                    return "0x" + HexFormat.of().formatHex(bytes);
                }
                if (v instanceof Blob blob) {
                    return "0x" + HexFormat.of().formatHex(blob.getBytes(1, (int) blob.length()));
                }
                if (v instanceof Clob clob) {
                    return clob.getSubString(1, (int) clob.length());
                }
                return rs.getString(column);
            }
        }
    }
}
