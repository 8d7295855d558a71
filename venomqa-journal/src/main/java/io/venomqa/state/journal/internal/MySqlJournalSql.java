package io.venomqa.state.journal.internal;

import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.SequenceSnapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * MySQL / MariaDB: tables {@code venomqa_journal} and {@code venomqa_run} in the tracked database,
 * and per tracked table three {@code AFTER} row triggers whose images are
 * {@code JSON_OBJECT(column, literal, …)}: {@code QUOTE()} for text, numbers and dates (exact: a
 * DOUBLE is written with all its digits, a FLOAT as the DOUBLE it is), {@code X'…'} for binary, {@code b'…'} for BIT,
 * {@code FROM_UNIXTIME(…)} for TIMESTAMP (so the session time zones of writer and undo do not
 * matter).
 *
 * <p>Foreign key actions do not fire triggers in MySQL/MariaDB, so a table that others reference
 * with {@code ON DELETE CASCADE/SET NULL} or {@code ON UPDATE CASCADE/SET NULL} gets
 * {@code BEFORE} triggers that journal the child rows (and theirs, as deep as InnoDB cascades) the
 * action is about to change, each once, as the action leaves it (deleted, or with its new values),
 * and nothing for a session with {@code foreign_key_checks = 0} (no action runs). Only tracked children are
 * undone: a key with an action between a tracked table and one the journal does not track, in either
 * direction, is refused at {@code connect()} ({@link #unjournaledPaths}). Those entries count only
 * once the row's own entry, written by its {@code AFTER} trigger, confirms that the row's change happened
 * (a row that {@code DELETE IGNORE} or {@code UPDATE IGNORE} skips has had its cascade journaled and then
 * taken back; see {@link #groupToken}). A row {@code UPDATE IGNORE} skips still runs its {@code AFTER UPDATE}
 * trigger, which writes its entry only if the change happened ({@link #mayBeSkipped}). On a table with an application-time period the row's own entry of an
 * update or delete is written by the {@code BEFORE} trigger and confirmed by the {@code AFTER} trigger
 * ({@link #installPeriodTriggers}), so that it precedes the parts {@code … FOR PORTION OF} inserts. The undo runs with
 * {@code foreign_key_checks = 0}, so the order of re-inserted rows does not matter and no cascade
 * fires during it.
 *
 * <p>Suppression during the undo: the session variable {@code @venomqa_replaying}. One manager per
 * database: the named lock {@code GET_LOCK('venomqa:<md5 of the database>')}, held by the manager's
 * connection (released when it closes or dies).
 *
 * <p>Not visible to triggers: {@code TRUNCATE}. It gives the table a new InnoDB table id, which
 * {@link #tableIds} reads so that {@link Journal} can tell at the next checkpoint or rollback.
 * AUTO_INCREMENT is restored with {@code ALTER TABLE … AUTO_INCREMENT}, which commits implicitly and
 * never goes below the largest id present plus one.
 */
public final class MySqlJournalSql extends LiteralJournalSql {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MySqlJournalSql.class);

    public MySqlJournalSql(JdbcDialect dialect) {
        super(dialect);
    }


    /** InnoDB refuses cascades deeper than 15 levels (its FK_MAX_CASCADE_DEL), so following 15 sees them all. */
    private static final int CASCADE_DEPTH = 15;
    /** Most statements one table's BEFORE trigger may hold for the paths its cascades reach. */
    private static final int CASCADE_STATEMENTS = 200;
    /**
     * Most table references the statements of one table's BEFORE triggers may hold for its cascades. MariaDB opens a
     * table instance per reference when the trigger runs: two self-referencing {@code ON DELETE CASCADE} trees chained by a
     * cascading key made a trigger of 67,000–130,000 references, and the server grew until the kernel killed it (found by
     * {@code MySqlJournalFuzzTest}, seed 50098). The pairs of paths that may reach the same row (each checked against the
     * other, so that the row is journaled once) make the count grow with the square of the paths; one tree takes 120
     * since {@link #sameChainReaches} (680 before, and a delete of its root took 270–400 ms against 18–24 ms now). A
     * trigger of 4,160 (two chained trees, seed 50095) took 3.6–11 s per delete and grew the server by 5 GB.
     */
    public static final int CASCADE_TABLE_REFERENCES = 1_500;

    @Override
    public String name() {
        return "mysql";
    }

    private static String lockName() {
        return "concat('venomqa:', md5(database()))";
    }

    private boolean exists(Connection c, String table) throws SQLException {
        return queryLong(c, "select count(*) from information_schema.tables where table_schema = database() "
                + "and table_name = ?", table) > 0;
    }

    @Override
    public Optional<String> tryLock(Connection c, String schema) throws SQLException {
        // Undo statements are built with backslash-escaped literals and written in UTC. They write back
        // values the table held, so the modes that refuse some stored values are off (a zero date an
        // application wrote under a permissive sql_mode of its own) and ALLOW_INVALID_DATES is on (a
        // '2020-02-30' written under it: until 2026-12-06 its undo failed with "Incorrect date value" and
        // disconnect() left the run's changes), and NO_AUTO_VALUE_ON_ZERO is on: without it, re-inserting a
        // deleted row whose AUTO_INCREMENT key is 0 gave it a new id.
        exec(c, "set session sql_mode = concat_ws(',', nullif(replace(replace(replace(@@sql_mode, "
                + "'NO_BACKSLASH_ESCAPES', ''), 'NO_ZERO_IN_DATE', ''), 'NO_ZERO_DATE', ''), ''), 'NO_AUTO_VALUE_ON_ZERO', "
                + "'ALLOW_INVALID_DATES')");
        mariadb = queryLong(c, "select version() like '%MariaDB%'") == 1;
        List<String> visibility = queryStrings(c, "select column_name from information_schema.columns where table_schema = "
                + "'information_schema' and table_name = 'STATISTICS' and column_name in ('IGNORED', 'IS_VISIBLE')");
        indexVisibility = visibility.isEmpty() ? null : visibility.get(0);
        checkConstraints = mariadb ? queryLong(c, "select @@session.check_constraint_checks") : 1;
        // MariaDB only (SET STATEMENT): the session's mode without strictness, for writing(); null elsewhere.
        lenientMode = queryStrings(c, "select if(version() like '%MariaDB%', concat_ws(',', nullif(replace(replace("
                + "@@sql_mode, 'STRICT_TRANS_TABLES', ''), 'STRICT_ALL_TABLES', ''), '')), null)").get(0);
        exactCollation = queryStrings(c, "select collation_name from information_schema.collations where collation_name in "
                + "('utf8mb4_nopad_bin', 'utf8mb4_0900_bin', 'utf8mb4_bin') order by collation_name = 'utf8mb4_bin', "
                + "collation_name").get(0);
        exec(c, "set session time_zone = '+00:00'");
        // One snapshot per transaction, whatever the server's default: deleteEntries removes the entries
        // the undo read, which a READ COMMITTED read could outgrow by an entry committed meanwhile.
        exec(c, "set session transaction isolation level repeatable read");
        try {
            exec(c, "set session information_schema_stats_expiry = 0"); // MySQL 8: live AUTO_INCREMENT values
        } catch (SQLException notMysql8) {
            // MariaDB has no such variable: its information_schema is live already.
        }
        if (queryLong(c, "select get_lock(" + lockName() + ", 0)") == 1) {
            return Optional.empty();
        }
        String owner = "another session (connection id " + queryLong(c, "select is_used_lock(" + lockName() + ")") + ")";
        if (exists(c, RUN)) {
            List<String> o = queryStrings(c, "select concat(owner, ' since ', started) from " + RUN);
            if (!o.isEmpty()) {
                owner = o.get(0);
            }
        }
        return Optional.of(owner);
    }

    @Override
    public void unlock(Connection c, String schema) throws SQLException {
        queryLong(c, "select release_lock(" + lockName() + ")");
    }

    @Override
    public Optional<RunRecord> leftover(Connection c, String schema) throws SQLException {
        List<String> tables = tablesWithTriggers(c, schema);
        boolean run = exists(c, RUN);
        boolean journal = exists(c, JOURNAL);
        long entries = journal ? entryCount(c, schema) : 0;
        if (run) {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select * from " + RUN)) {
                if (rs.next()) {
                    return Optional.of(new RunRecord(rs.getString("owner"), rs.getString("started"),
                            SequenceSnapshot.parse(rs.getString("counters")), tables, entries, Map.of(),
                            hasColumn(rs, "definitions") ? rs.getString("definitions") : null));
                }
            }
        }
        if (!tables.isEmpty() || journal || run) {
            return Optional.of(new RunRecord("unknown", "unknown", SequenceSnapshot.EMPTY, tables, entries));
        }
        return Optional.empty();
    }

    @Override
    public void installInfrastructure(Connection c, String schema) throws SQLException {
        exec(c, "create table if not exists " + JOURNAL + " (id bigint auto_increment primary key, "
                + "table_name varchar(64) not null, op char(1) not null, old_row longtext, new_row longtext, "
                + "grp varchar(100)) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin");
        if (!hasGroups(c)) { // a journal an older version left, which a dead run's recovery did not remove
            exec(c, "alter table " + JOURNAL + " add column grp varchar(100)");
        }
        groupsOf = c;
        groups = true;
        exec(c, "create table if not exists " + BLOBS + " (entry_id bigint not null, side char(1) not null, "
                + "col varchar(64) not null, val longblob, primary key (entry_id, side, col)) "
                + "engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin");
        exec(c, "create table if not exists " + RUN + " (owner varchar(255) not null, started varchar(64) not null, "
                + "counters longtext not null, conn bigint, definitions longtext) engine=InnoDB default charset=utf8mb4");
        if (queryLong(c, "select count(*) from information_schema.columns where table_schema = database() "
                + "and table_name = '" + RUN + "' and column_name = 'definitions'") == 0) { // left by an earlier version
            exec(c, "alter table " + RUN + " add column definitions longtext");
        }
        MySqlApplicationTriggers.createTable(c);
    }

    /** The connection {@link #hasGroups} last answered for, and its answer. */
    private Connection groupsOf;
    private boolean groups;

    /**
     * Whether the journal has the column {@code grp} ({@link #groupToken}): one written by a version before
     * 2026-12-06, left by a run that died, has not; all its entries count.
     */
    private boolean hasGroups(Connection c) throws SQLException {
        if (c != groupsOf) {
            groups = queryLong(c, "select count(*) from information_schema.columns where table_schema = database() "
                    + "and table_name = ? and column_name = 'grp'", JOURNAL) > 0;
            groupsOf = c;
        }
        return groups;
    }

    @Override
    public List<JournalEntry> entriesAfter(Connection c, String schema, long position) throws SQLException {
        return confirmed(c, position, null);
    }

    /**
     * The entries after {@code after} up to {@code upTo}, but those of a cascade whose triggering row's change
     * did not happen: the entries a BEFORE trigger wrote under a token ({@link #groupToken}) that no entry
     * confirms. The confirmation comes after them (the AFTER trigger of the same row, in the same transaction),
     * so it is looked for among the later entries only, and past {@code upTo} only for a token not confirmed
     * within.
     */
    @Override
    public List<JournalEntry> entriesBetween(Connection c, String schema, long after, long upTo) throws SQLException {
        return confirmed(c, after, upTo);
    }

    private List<JournalEntry> confirmed(Connection c, long after, Long upTo) throws SQLException {
        if (!hasGroups(c)) {
            return upTo == null ? super.entriesAfter(c, null, after) : super.entriesBetween(c, null, after, upTo);
        }
        List<JournalEntry> all = new ArrayList<>();
        Map<Long, String> member = new HashMap<>();
        Set<String> confirmedTokens = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("select id, table_name, op, grp from " + JOURNAL + " where id > ?"
                + (upTo == null ? "" : " and id <= ?") + " order by id")) {
            ps.setLong(1, after);
            if (upTo != null) {
                ps.setLong(2, upTo);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JournalEntry e = new JournalEntry(rs.getLong(1), rs.getString(2), rs.getString(3).charAt(0));
                    all.add(e);
                    String grp = rs.getString(4);
                    if (grp == null) {
                        continue;
                    }
                    if (grp.startsWith(CONFIRMS)) {
                        confirmedTokens.add(grp.substring(CONFIRMS.length()));
                    } else {
                        member.put(e.id(), grp);
                    }
                }
            }
        }
        if (member.isEmpty()) {
            return all;
        }
        Set<String> open = new java.util.HashSet<>(member.values());
        open.removeAll(confirmedTokens);
        if (!open.isEmpty() && upTo != null) {
            List<String> tokens = new ArrayList<>(open);
            for (int from = 0; from < tokens.size(); from += 500) {
                List<String> chunk = tokens.subList(from, Math.min(tokens.size(), from + 500));
                try (PreparedStatement ps = c.prepareStatement("select grp from " + JOURNAL + " where id > ? and grp in ("
                        + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")")) {
                    ps.setLong(1, upTo);
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setString(i + 2, CONFIRMS + chunk.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            open.remove(rs.getString(1).substring(CONFIRMS.length()));
                        }
                    }
                }
            }
        }
        if (open.isEmpty()) {
            return all;
        }
        return all.stream().filter(e -> !open.contains(member.get(e.id()))).toList();
    }

    @Override
    public void claimRun(Connection c, String schema) throws SQLException {
        exec(c, "update " + RUN + " set conn = connection_id()");
    }

    @Override
    public void writeRun(Connection c, String schema, String owner, SequenceSnapshot counters) throws SQLException {
        exec(c, "delete from " + RUN);
        update(c, "insert into " + RUN + " (owner, started, counters, conn) values "
                + "(?, date_format(utc_timestamp(6), '%Y-%m-%d %H:%i:%s.%f UTC'), ?, connection_id())",
                owner, counters.serialize());
    }

    private static boolean hasColumn(ResultSet rs, String label) throws SQLException {
        java.sql.ResultSetMetaData md = rs.getMetaData();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            if (md.getColumnLabel(i).equalsIgnoreCase(label)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void writeRunDefinitions(Connection c, String schema, String definitions) throws SQLException {
        update(c, "update " + RUN + " set definitions = ?", definitions);
    }

    @Override
    public TableMeta describe(Connection c, String schema, String table) throws SQLException {
        List<TableMeta.Column> cols = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select column_name, lower(data_type), "
                + "coalesce(generation_expression, '') <> '' or extra like '%GENERATED%', lower(character_set_name) "
                + "from information_schema.columns where table_schema = database() and table_name = ? order by ordinal_position")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(2);
                    String charset = rs.getString(4);
                    if (TEXT.contains(type) && charset != null && !UNICODE_SAFE.contains(charset)) {
                        type = BYTES + type;
                    }
                    cols.add(new TableMeta.Column(rs.getString(1), type, rs.getBoolean(3), false));
                }
            }
        }
        if (cols.isEmpty()) {
            throw new SQLException("Table " + quote(table) + " has no columns or does not exist");
        }
        List<String> key = new ArrayList<>(queryStrings(c, "select column_name from information_schema.key_column_usage where "
                + "table_schema = database() and table_name = ? and constraint_name = 'PRIMARY' order by ordinal_position",
                table));
        // MariaDB adds a system-versioned table's ROW END column to its primary key (the history's rows
        // share the key): generated, or hidden from information_schema.COLUMNS when the versioning is
        // implicit, never in an image; the current row is unique without it.
        key.removeIf(k -> cols.stream().noneMatch(col -> col.name().equals(k) && !col.generated()));
        return new TableMeta(table, cols, key);
    }

    /** Text types, whose values are quoted in their character set. */
    private static final Set<String> TEXT = Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext");
    /** Character sets whose every value goes to Unicode and back unchanged (MariaDB's latin1 maps 0x81 to U+0081). */
    private static final Set<String> UNICODE_SAFE = Set.of("utf8mb4", "utf8mb3", "utf8", "latin1", "ascii", "ucs2", "utf16",
            "utf16le", "utf32");
    /**
     * Prefix of the type of a text column in another character set (sjis, gbk, cp1251, …): its values are
     * journaled as their bytes ({@code X'…'}, written back and compared byte for byte). Quoted, they went
     * through Unicode, where sjis 0x5C came back as 0x815F, and some values made images the undo could not
     * read, which it skipped (with a warning), so their rows were not put back.
     */
    static final String BYTES = "bytes:";

    private static final Set<String> BINARY = Set.of("binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob");
    private static final Set<String> GEOMETRY = Set.of("geometry", "point", "linestring", "polygon", "multipoint",
            "multilinestring", "multipolygon", "geometrycollection");

    /**
     * In an image, the literal of a binary value kept in {@link #BLOBS} instead: a value of a few
     * MB as {@code X'…'} text would be larger than {@code max_allowed_packet} (ERROR 1301 "Result
     * of hex() was larger than max_allowed_packet") and fail the application's write.
     */
    static final String BLOB_MARKER = "(venomqa_blob)";
    /** Binary values of the row images, one row per entry, side ({@code o}ld/{@code n}ew) and column. */
    static final String BLOBS = "venomqa_journal_blob";

    /**
     * In an image, the literal of a long text value kept in {@link #BLOBS} instead (its bytes in the
     * column's character set, which an assignment back to the column reads again as they were): a
     * {@code quote()} of a value of some megabytes is up to twice as long, and with the image's
     * JSON escaping larger than {@code max_allowed_packet}, which failed the application's write
     * ("Result of quote() was larger than max_allowed_packet") for a 10 MB {@code LONGTEXT} of
     * backslashes that it can write without the journal.
     */
    static final String TEXT_MARKER = "(venomqa_text)";
    /** The text types whose values can be long enough for {@link #TEXT_MARKER} (TEXT holds 64 kB at most). */
    private static final Set<String> LONG_TEXT = Set.of("mediumtext", "longtext");
    /** Characters from which a long text value goes to {@link #BLOBS}: rare, and far below the packet limit. */
    static final int TEXT_INLINE_MAX = 1_000_000;

    /**
     * An SQL expression giving the literal of {@code ref.column}, as text. Binary values: the
     * marker (the trigger stores the value itself in {@link #BLOBS}), except in the statements
     * that journal the rows of a foreign key cascade ({@code hexInline}), which insert many rows at
     * once and so cannot name each one's journal id.
     */
    private String literalOf(String ref, TableMeta.Column col, boolean hexInline) {
        return valueLiteral(ref + "." + quote(col.name()), col, hexInline);
    }

    /** {@link #literalOf} of any SQL expression {@code v} whose value goes into {@code col}. */
    private String valueLiteral(String v, TableMeta.Column col, boolean hexInline) {
        boolean bytes = col.type().startsWith(BYTES);
        String type = bytes ? col.type().substring(BYTES.length()) : col.type();
        if (BINARY.contains(type) && !hexInline) {
            return "if(" + v + " is null, 'NULL', '" + BLOB_MARKER + "')";
        }
        String hex = "concat('X''', hex(" + v + "), '''')";
        if (LONG_TEXT.contains(type) && !hexInline) {
            return "if(" + v + " is null, 'NULL', if(char_length(" + v + ") > " + TEXT_INLINE_MAX + ", '" + TEXT_MARKER
                    + "', " + (bytes ? hex : "quote(" + v + ")") + "))";
        }
        if (bytes || BINARY.contains(type)) {
            return "if(" + v + " is null, 'NULL', " + hex + ")";
        }
        if (type.equals("bit")) {
            return "if(" + v + " is null, 'NULL', concat('b''', bin(" + v + "), ''''))";
        }
        if (type.equals("timestamp")) {
            // The zero TIMESTAMP (an application's permissive sql_mode) has no Unix time: unix_timestamp()
            // is NULL for it in a trigger (the image then read as forged and was skipped) and 0 elsewhere
            // (from_unixtime(0) is no valid TIMESTAMP). Its text is the same in every time zone.
            return "if(" + v + " is null, 'NULL', if(coalesce(unix_timestamp(" + v + "), 0) = 0, quote(" + v + "), "
                    + "concat('from_unixtime(', unix_timestamp(" + v + "), ')')))";
        }
        if (type.equals("float")) {
            // QUOTE() of a FLOAT prints six significant digits (16777215 as '16777200', 12345.67 as '12345.7'):
            // the undo wrote the rounded value back and the rollback was not exact. As a DOUBLE the value is
            // printed with every digit it needs, and that literal stored into the FLOAT is the same float.
            return "if(" + v + " is null, 'NULL', quote(cast(" + v + " as double)))";
        }
        if (GEOMETRY.contains(type)) {
            return "if(" + v + " is null, 'NULL', concat('ST_GeomFromWKB(X''', hex(ST_AsWKB(" + v + ")), ''', ', "
                    + "ST_SRID(" + v + "), ')'))";
        }
        // Not quote() alone: MariaDB's QUOTE(NULL) of a ucs2/utf16/utf32 value is the bytes of 'NULL' read in
        // that character set ("乕䱌" in utf16), an image the undo could not read and skipped, so the row
        // was not put back.
        return "if(" + v + " is null, 'NULL', quote(" + v + "))";
    }

    private String image(TableMeta t, String ref, boolean hexInline) {
        return image(t, ref, hexInline, Map.of());
    }

    /**
     * The image of the row at {@code ref}, with the columns of {@code changed} taking the value of the
     * SQL expression given instead of their own (the row as a foreign key action leaves it).
     */
    private String image(TableMeta t, String ref, boolean hexInline, Map<String, String> changed) {
        List<String> parts = new ArrayList<>();
        for (TableMeta.Column col : t.insertable()) {
            String to = changed.get(col.name());
            // Each literal in utf8mb4, as JSON_OBJECT would convert it: left to JSON_OBJECT, quoted values
            // of two character sets neither of which holds the other (latin1 and sjis) failed every
            // write of the application to the table with "Illegal mix of collations".
            parts.add(text(col.name()) + ", convert(" + (to == null ? literalOf(ref, col, hexInline)
                    : to.equals("NULL") ? "'NULL'" : valueLiteral(to, col, hexInline)) + " using utf8mb4)");
        }
        return "json_object(" + String.join(", ", parts) + ")";
    }

    /** After the journal row of a row trigger: its binary values into {@link #BLOBS}, keyed by the new journal id. */
    private String blobs(TableMeta t, String ref, char side) {
        return blobs(t, ref, side, "last_insert_id()");
    }

    /** {@link #blobs(TableMeta, String, char)} for the journal row whose id is the SQL expression {@code entry}. */
    private String blobs(TableMeta t, String ref, char side, String entry) {
        StringBuilder b = new StringBuilder();
        for (TableMeta.Column col : t.insertable()) {
            String v = ref + "." + quote(col.name());
            String type = col.type().startsWith(BYTES) ? col.type().substring(BYTES.length()) : col.type();
            String when = BINARY.contains(type) ? v + " is not null"
                    : LONG_TEXT.contains(type) ? "char_length(" + v + ") > " + TEXT_INLINE_MAX : null;
            if (when != null) {
                b.append("; if ").append(when).append(" then insert into ").append(BLOBS)
                        .append(" (entry_id, side, col, val) values (").append(entry).append(", '").append(side).append("', ")
                        .append(text(col.name())).append(", ").append(v).append("); end if");
            }
        }
        return b.toString();
    }

    @Override
    protected Map<Long, List<Object[]>> stashSide(Connection c, String in) throws SQLException {
        Map<Long, List<Object[]>> out = new java.util.HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select entry_id, side, col, val from "
                + BLOBS + " where entry_id in (" + in + ")")) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new Object[] {rs.getString(2), rs.getString(3), rs.getBytes(4)});
            }
        }
        return out;
    }

    @Override
    protected void unstashSide(Connection c, long id, List<Object[]> side) throws SQLException {
        for (Object[] r : side) {
            update(c, "insert into " + BLOBS + " (entry_id, side, col, val) values (?, ?, ?, ?)", id, r[0], r[1], r[2]);
        }
    }

    @Override
    protected List<String> sideTables() {
        return List.of(BLOBS);
    }

    /** Replaces the marker of binary and long text values in {@code image} (of journal entry {@code id}) by a read of {@link #BLOBS}. */
    @Override
    protected Map<String, String> resolve(Map<String, String> image, long id, char side) {
        for (Map.Entry<String, String> e : image.entrySet()) {
            if (BLOB_MARKER.equals(e.getValue()) || TEXT_MARKER.equals(e.getValue())) {
                e.setValue("(select val from " + BLOBS + " where entry_id = " + id + " and side = '" + side
                        + "' and col = " + text(e.getKey()) + ")");
            }
        }
        return image;
    }

    /** {@code s} as a string literal (backslashes escaped: the server's default {@code sql_mode}). */
    static String text(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** Trigger names must be unique per database and at most 64 characters: a digest of the table name. */
    private String triggerName(String kind, String table) {
        return "venomqa_journal_" + kind + "_" + HexFormat.of().formatHex(Journal.sha256(table), 0, 12);
    }

    /**
     * Silent only in the manager's own undo: any session can set a user variable, so the session
     * must also be the one whose connection id the run record holds (the trigger reads it with its
     * definer's rights; the application cannot read or write that table).
     */
    private static String guarded(String body) {
        // The run record is read only when the variable is set: an IF whose condition reads a table
        // is executed like a statement (tables opened and locked, items fixed again) for every row,
        // even when the OR never gets to it: about 1.5-2 µs of server CPU a row, 15 % of a bulk
        // UPDATE's trigger (docs/performance.md, "Row 6, second pass"); the variable alone costs nothing.
        return "venomqa_guard: begin if @venomqa_replaying is not null then if exists (select 1 from " + RUN
                + " where conn = connection_id()) then leave venomqa_guard; end if; end if; " + body + "; end";
    }

    @Override
    public void installTriggers(Connection c, String schema, TableMeta t) throws SQLException {
        String on = quote(t.name());
        String group = groupVariable(t.name());
        List<String> beforeDelete = new ArrayList<>();
        List<String> beforeUpdate = new ArrayList<>();
        int[] budget = {CASCADE_STATEMENTS};
        List<Reach> deleteReaches = new ArrayList<>();
        List<Reach> updateReaches = new ArrayList<>();
        List<String> keyChanged = new ArrayList<>();
        ForeignKeys keys = new ForeignKeys(c);
        cascades(keys, t.name(), List.of(), false, Map.of(), deleteReaches, budget, t.name());
        beforeDelete.addAll(journalReaches(c, t.name(), deleteReaches, group));
        for (Fk fk : keys.referencing(t.name())) {
            String upd = fk.updateRule().toUpperCase(Locale.ROOT);
            if (!upd.equals("CASCADE") && !upd.equals("SET NULL")) {
                continue;
            }
            // Only when the referenced columns change does the action fire. Compared byte for byte: InnoDB
            // cascades a change of case or trailing spaces ('abc' → 'ABC') that the column's collation
            // calls equal, and the children's entries were missing for it.
            String changed = fk.parentCols().stream().map(p -> "not (cast(OLD." + quote(p) + " as binary) <=> cast(NEW."
                    + quote(p) + " as binary))")
                    .reduce((x, y) -> x + " or " + y).orElse("false");
            List<Reach> reaches = new ArrayList<>();
            Map<String, String> newValues = new HashMap<>();
            fk.parentCols().forEach(p -> newValues.put(p, "NEW." + quote(p)));
            cascade(keys, fk, List.of(), true, newValues, reaches, budget, t.name());
            reaches.forEach(r -> updateReaches.add(new Reach(r.chain(), false, r.newValues(), changed)));
            if (!reaches.isEmpty()) {
                keyChanged.add("(" + changed + ")");
            }
        }
        // One list for every key of the table, so that a row two of them reach in one UPDATE (both
        // changed) is journaled once with both changes: one entry per key left it with one of them
        // after a tree restore's redo.
        for (String journal : journalReaches(c, t.name(), updateReaches, group)) {
            beforeUpdate.add(journal);
        }
        refuseOversizedCascades(t.name(), beforeDelete, beforeUpdate);
        // Only now, after the catalog reads above: a refusal (too many paths, too many names) leaves the table's
        // triggers as they were, also when a change of its shape during the run installs them again.
        dropTriggers(c, schema, t.name());
        String insert = "insert into " + JOURNAL + " (table_name, op, old_row, new_row) values (" + text(t.name()) + ", ";
        // The row's own entry confirms the entries its BEFORE trigger wrote for a cascade (see groupToken):
        // written only once the row's change happened, which the BEFORE trigger cannot know.
        String confirming = "insert into " + JOURNAL + " (table_name, op, old_row, new_row, grp) values ("
                + text(t.name()) + ", ";
        String confirms = ", concat('" + CONFIRMS + "', " + group + "))";
        String clear = "; set " + group + " = null";
        // MariaDB runs the AFTER UPDATE triggers of a row that UPDATE IGNORE skipped (a duplicate key, a foreign
        // key refusing it; checked on 10.11, unlike INSERT IGNORE and DELETE IGNORE): the row's entry is written only
        // if the row's change happened (see mayBeSkipped).
        Skippable skippable = mayBeSkipped(c, t, keys);
        // A table with a primary key holds at most one row as the row was, and holds it after the update only if
        // the update did not happen: the AFTER trigger looks it up by its key and the columns that may fail (one
        // of them changed, or the key did). Without a key (identical rows) or where a cascade was journaled, the
        // BEFORE trigger counts those rows and the change happened if they are one fewer (one copy of them is now
        // changed); without a key, a change only a foreign key of the table's own can refuse is told by its
        // parent row instead: there is none (counting reads every row of the same parent, twice per row).
        boolean counting = !beforeUpdate.isEmpty() || !t.hasKey();
        List<String> watched = counting && !t.hasKey() ? skippable.counted() : skippable.columns();
        String mayFail = watched == null ? "true" : watched.isEmpty() && keyChanged.isEmpty() ? null
                : "(" + String.join(" or ", java.util.stream.Stream.concat(keyChanged.stream(),
                        watched.stream().map(col -> "not (" + same(t, col, "OLD", "NEW") + ")")).toList()) + ")";
        String counted = countVariable(t.name());
        String asBefore = "(select count(*) from " + on + " vq_s where " + sameAsOld(t) + ")";
        StringBuilder updateHappened = new StringBuilder();
        if (mayFail != null && counting) {
            updateHappened.append("if ").append(mayFail).append(" then if ").append(asBefore).append(" >= ").append(counted)
                    .append(" then set ").append(group).append(" = null; leave venomqa_guard; end if; end if; ");
        } else if (mayFail != null) {
            updateHappened.append("if ").append(mayFail).append(" then if exists (select 1 from ").append(on)
                    .append(" vq_s where ").append(watched == null ? sameAsOld(t) : java.util.stream.Stream.concat(
                            t.keyColumns().stream(), watched.stream()).distinct().map(col -> same(t, col, "vq_s", "OLD"))
                            .collect(java.util.stream.Collectors.joining(" and ")))
                    .append(") then leave venomqa_guard; end if; end if; ");
        }
        updateHappened.insert(0, stampOnlyUnwritten(c, t, group));
        if (!t.hasKey()) {
            for (OwnKey fk : skippable.parents()) {
                // A foreign key checks nothing where a column is NULL (MATCH SIMPLE) or the session turned checks off.
                updateHappened.append("if @@session.foreign_key_checks and (").append(fk.columns().stream()
                        .map(col -> "not (" + same(t, col, "OLD", "NEW") + ")").collect(java.util.stream.Collectors
                                .joining(" or "))).append(")");
                fk.columns().forEach(col -> updateHappened.append(" and NEW.").append(quote(col)).append(" is not null"));
                updateHappened.append(" then if not exists (select 1 from ").append(fk.parent()).append(" vq_p where ");
                for (int i = 0; i < fk.columns().size(); i++) {
                    updateHappened.append(i == 0 ? "" : " and ").append("vq_p.").append(quote(fk.parentColumns().get(i)))
                            .append(" = NEW.").append(quote(fk.columns().get(i)));
                }
                updateHappened.append(") then set ").append(group).append(" = null; leave venomqa_guard; end if; end if; ");
            }
        }
        // Set for every row (null where nothing can fail), so that a count of an earlier row is never compared.
        String count = mayFail == null || !counting ? "" : "if " + mayFail + " then set " + counted + " = " + asBefore
                + "; else set " + counted + " = null; end if; ";
        exec(c, "create trigger " + quote(triggerName("i", t.name())) + " after insert on " + on + " for each row "
                + guarded(insert + "'I', null, " + image(t, "NEW", false) + ")" + blobs(t, "NEW", 'n')));
        String token = groupToken(group);
        if (applicationPeriod(c, t.name())) {
            installPeriodTriggers(c, t, beforeDelete, beforeUpdate, token, group, counted, asBefore);
            return;
        }
        exec(c, "create trigger " + quote(triggerName("u", t.name())) + " after update on " + on + " for each row "
                + guarded(updateHappened + (beforeUpdate.isEmpty() ? insert : confirming) + "'U', " + image(t, "OLD", false) + ", "
                + image(t, "NEW", false) + (beforeUpdate.isEmpty() ? ")" : confirms)
                + blobs(t, "OLD", 'o') + blobs(t, "NEW", 'n') + (beforeUpdate.isEmpty() ? "" : clear)));
        exec(c, "create trigger " + quote(triggerName("d", t.name())) + " after delete on " + on + " for each row "
                + guarded((beforeDelete.isEmpty() ? insert : confirming) + "'D', " + image(t, "OLD", false) + ", null"
                + (beforeDelete.isEmpty() ? ")" : confirms) + blobs(t, "OLD", 'o') + (beforeDelete.isEmpty() ? "" : clear)));
        // A session with foreign_key_checks = 0 runs no foreign key action: then there is nothing to
        // journal (before, the rows were journaled as deleted, and the undo inserted them a second time).
        if (!beforeDelete.isEmpty()) {
            exec(c, "create trigger " + quote(triggerName("cd", t.name())) + " before delete on " + on
                    + " for each row " + guarded(token + "; if @@session.foreign_key_checks then "
                    + String.join("; ", beforeDelete) + "; end if"));
        }
        if (!beforeUpdate.isEmpty()) {
            exec(c, "create trigger " + quote(triggerName("cu", t.name())) + " before update on " + on
                    + " for each row " + guarded(token + "; " + count + "if @@session.foreign_key_checks then "
                    + String.join("; ", beforeUpdate) + "; end if"));
        } else if (!count.isEmpty()) {
            exec(c, "create trigger " + quote(triggerName("cu", t.name())) + " before update on " + on
                    + " for each row " + guarded(count.substring(0, count.length() - 2)));
        }
    }

    /**
     * The triggers of a table with an application-time period ({@code PERIOD FOR p (s, e)}, MariaDB): its
     * {@code UPDATE}/{@code DELETE … FOR PORTION OF} change or delete the row and then insert the parts of it
     * outside the portion, whose {@code AFTER INSERT} triggers run before the row's own {@code AFTER} trigger
     * (checked on 10.11: BEFORE DELETE, the row deleted, BEFORE/AFTER INSERT of each part, AFTER DELETE). Journaled
     * by the {@code AFTER} triggers, the parts came before the change they follow, and the undo, newest first,
     * put the row back while its parts were still there: "Duplicate entry" on the key (until 2026-12-06). So the
     * row's own entry is written by its {@code BEFORE} trigger, after the cascade's, under the row's token
     * ({@link #groupToken}) like them, and its {@code AFTER} trigger confirms it by its id (kept in a session
     * variable; an update of the journal row this transaction just wrote, by its primary key), writing the new
     * image again there: what the row holds once written ({@code ON UPDATE CURRENT_TIMESTAMP} is applied after
     * the {@code BEFORE} triggers). A row whose change did not happen leaves its entry unconfirmed, ignored.
     */
    private void installPeriodTriggers(Connection c, TableMeta t, List<String> beforeDelete, List<String> beforeUpdate,
            String token, String group, String counted, String asBefore) throws SQLException {
        String on = quote(t.name());
        String own = ownEntryVariable(t.name());
        String pending = "insert into " + JOURNAL + " (table_name, op, old_row, new_row, grp) values (" + text(t.name()) + ", ";
        String cascadesDelete = beforeDelete.isEmpty() ? "" : "; if @@session.foreign_key_checks then "
                + String.join("; ", beforeDelete) + "; end if";
        String cascadesUpdate = beforeUpdate.isEmpty() ? "" : "; if @@session.foreign_key_checks then "
                + String.join("; ", beforeUpdate) + "; end if";
        String confirm = "update " + JOURNAL + " set grp = concat('" + CONFIRMS + "', " + group + ")";
        exec(c, "create trigger " + quote(triggerName("cd", t.name())) + " before delete on " + on + " for each row "
                + guarded(token + cascadesDelete + "; " + pending + "'D', " + image(t, "OLD", false) + ", null, " + group
                + ")" + blobs(t, "OLD", 'o') + "; set " + own + " = last_insert_id()"));
        exec(c, "create trigger " + quote(triggerName("d", t.name())) + " after delete on " + on + " for each row "
                + guarded(confirm + " where id = " + own + "; set " + group + " = null, " + own + " = null"));
        // MariaDB runs AFTER UPDATE for a row UPDATE IGNORE skipped: confirmed only if the rows as it was are one fewer.
        exec(c, "create trigger " + quote(triggerName("cu", t.name())) + " before update on " + on + " for each row "
                + guarded(token + "; set " + counted + " = " + asBefore + cascadesUpdate + "; " + pending + "'U', "
                + image(t, "OLD", false) + ", null, " + group + ")" + blobs(t, "OLD", 'o') + "; set " + own
                + " = last_insert_id()"));
        exec(c, "create trigger " + quote(triggerName("u", t.name())) + " after update on " + on + " for each row "
                + guarded("if " + asBefore + " >= " + counted + " then set " + group + " = null, " + own + " = null; "
                + "leave venomqa_guard; end if; " + confirm + ", new_row = " + image(t, "NEW", false) + " where id = " + own
                + blobs(t, "NEW", 'n', own) + "; set " + group + " = null, " + own + " = null"));
    }

    /**
     * The start of the {@code AFTER UPDATE} trigger's body that leaves a row out of the journal when the update
     * wrote nothing: MariaDB runs the {@code AFTER UPDATE} triggers of a row whose new values equal the old ones,
     * and gives {@code NEW} the statement's time in every {@code ON UPDATE CURRENT_TIMESTAMP} column although
     * it keeps the row as it was (checked on 10.11: the column keeps its value, the trigger sees the new one).
     * Journaled as a change of those columns, the undo of a table without a key looked for a row that does not
     * exist and refused ("1 row(s) expected, 0 found"), and a tree restore's redo wrote the statement's time into
     * the row, silently (until 2026-12-06, {@code MySqlJournalExactTest.unchangedRowWithOnUpdateTimestamp}). Only
     * where nothing but those columns differs between {@code OLD} and {@code NEW} is the row looked at (by its
     * key, or without one a row equal to {@code NEW}); an application that sets such a column itself has its
     * change written and journaled. Empty for a table without such columns.
     */
    private String stampOnlyUnwritten(Connection c, TableMeta t, String group) throws SQLException {
        List<String> stamped = queryStrings(c, "select column_name from information_schema.columns where table_schema = "
                + "database() and table_name = ? and extra like 'on update%' order by ordinal_position", t.name());
        if (stamped.isEmpty()) {
            return "";
        }
        List<String> all = t.insertable().stream().map(TableMeta.Column::name).toList();
        List<String> unchanged = all.stream().filter(col -> !stamped.contains(col)).map(col -> same(t, col, "OLD", "NEW")).toList();
        String moved = stamped.stream().map(col -> "not (" + same(t, col, "OLD", "NEW") + ")")
                .collect(java.util.stream.Collectors.joining(" or "));
        List<String> match = t.hasKey() ? java.util.stream.Stream.concat(t.keyColumns().stream(), stamped.stream()).distinct().toList()
                : all;
        String written = "exists (select 1 from " + quote(t.name()) + " vq_s where " + match.stream()
                .map(col -> same(t, col, "vq_s", "NEW")).collect(java.util.stream.Collectors.joining(" and ")) + ")";
        return "if " + (unchanged.isEmpty() ? "" : String.join(" and ", unchanged) + " and ") + "(" + moved + ") and not "
                + written + " then set " + group + " = null; leave venomqa_guard; end if; ";
    }

    /**
     * Which changes may make the server skip the row in an {@code UPDATE IGNORE} and still run its
     * {@code AFTER UPDATE} triggers (MariaDB 10.11 does for a duplicate key, a foreign key refusing the change and
     * a row no partition holds; see {@link Skippable}). Until 2026-12-06 the journal recorded such a row as
     * changed: the undo failed with a raw "Duplicate entry" where the key changed, wrote the old image over
     * another row that equalled the skipped one's new image (a table without a key), and a tree restore's redo
     * made the change that never happened (a dangling foreign key), silently. Only a change of an indexed column
     * can fail that way: a unique key's, and a foreign key's on either side (InnoDB indexes the referencing and the
     * referenced columns, also for keys from other databases), so an update of other columns, the common
     * single-row write, reads nothing more; and of a partitioning expression's. A generated column there, or an
     * expression whose columns are not named, makes every update looked at.
     */
    private Skippable mayBeSkipped(Connection c, TableMeta t, ForeignKeys keys) throws SQLException {
        java.util.Set<String> all = new java.util.TreeSet<>();
        java.util.Set<String> counted = new java.util.TreeSet<>();
        boolean every = false;
        // A row moved to a range or list no partition holds is skipped too: the columns of the partitioning
        // expressions, which the catalog writes with their names quoted (`d`, year(`d`), `a`,`b`).
        for (String expression : queryStrings(c, "select distinct coalesce(partition_expression, '') from "
                + "information_schema.partitions where table_schema = database() and table_name = ? and partition_name "
                + "is not null union select distinct subpartition_expression from information_schema.partitions where "
                + "table_schema = database() and table_name = ? and subpartition_expression is not null", t.name(), t.name())) {
            java.util.regex.Matcher named = java.util.regex.Pattern.compile("`((?:[^`]|``)+)`").matcher(expression);
            boolean any = false;
            while (named.find()) {
                counted.add(named.group(1).replace("``", "`"));
                any = true;
            }
            every |= !any && !expression.isBlank();
        }
        // The table's own foreign keys (their parents anywhere), column by column in their order.
        Map<String, OwnKey> own = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select constraint_name, column_name, referenced_table_schema, "
                + "referenced_table_name, referenced_column_name from information_schema.key_column_usage where "
                + "table_schema = database() and table_name = ? and referenced_table_name is not null "
                + "order by constraint_name, ordinal_position")) {
            ps.setString(1, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String parent = quote(rs.getString(3)) + "." + quote(rs.getString(4));
                    OwnKey fk = own.computeIfAbsent(rs.getString(1), k -> new OwnKey(parent, new ArrayList<>(),
                            new ArrayList<>()));
                    fk.columns().add(rs.getString(2));
                    fk.parentColumns().add(rs.getString(5));
                }
            }
        }
        // Every index: a unique one, or one another table's foreign key may reference (here or in another
        // database: InnoDB needs an index on the referenced columns). An index that leads with the columns of a
        // foreign key of the table's own is there for that key. The ROW END column MariaDB adds to a
        // system-versioned table's primary key (generated, or hidden) does not change in an update of the current
        // row (see describe()).
        Map<String, List<String>> indexes = new LinkedHashMap<>();
        java.util.Set<String> unique = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("select index_name, column_name, non_unique from "
                + "information_schema.statistics where table_schema = database() and table_name = ? and column_name is "
                + "not null order by index_name, seq_in_index")) {
            ps.setString(1, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String index = rs.getString(1);
                    String col = rs.getString(2);
                    if (index.equals("PRIMARY") && !t.keyColumns().contains(col)) {
                        continue;
                    }
                    indexes.computeIfAbsent(index, k -> new ArrayList<>()).add(col);
                    if (rs.getLong(3) == 0) {
                        unique.add(index);
                    }
                }
            }
        }
        indexes.forEach((index, cols) -> {
            all.addAll(cols);
            boolean forOwnKey = own.values().stream().anyMatch(fk -> cols.size() >= fk.columns().size()
                    && cols.subList(0, fk.columns().size()).equals(fk.columns()));
            if (unique.contains(index) || !forOwnKey) {
                counted.addAll(cols);
            }
        });
        // Unless a key of this database references it too (one of another database is not looked for: reading
        // every database's keys at connect() is slow on a shared server).
        for (Fk fk : keys.referencing(t.name())) {
            counted.addAll(fk.parentCols());
        }
        all.addAll(counted);
        for (String col : all) {
            every |= t.insertable().stream().noneMatch(k -> k.name().equals(col));
        }
        return new Skippable(every ? null : new ArrayList<>(all), every ? null : new ArrayList<>(counted),
                new ArrayList<>(own.values()));
    }

    /**
     * What {@link #mayBeSkipped} found: the columns whose change may make the server skip an {@code UPDATE
     * IGNORE}'s row (null: every column); those of them a table without a key counts rows for (null: every
     * column), which are all but the ones only a foreign key of the table's own can refuse; and those foreign
     * keys.
     */
    private record Skippable(List<String> columns, List<String> counted, List<OwnKey> parents) {
    }

    /** A foreign key of the table's own: its columns, and the qualified parent table's columns they reference. */
    private record OwnKey(String parent, List<String> columns, List<String> parentColumns) {
    }

    /** Integer types, whose equal values have the same bytes (a {@code DOUBLE} -0 equals 0, a collation 'a' 'A'). */
    private static final Set<String> INTEGERS = Set.of("tinyint", "smallint", "mediumint", "int", "bigint");

    /**
     * {@code a.col} and {@code b.col} are the same value byte for byte: InnoDB takes a change the column's
     * comparison calls equal ('a' to 'A', 0 to -0) as a change of its indexes and foreign keys. The plain
     * comparison first, so that a key lookup can use it.
     */
    private String same(TableMeta t, String col, String a, String b) {
        String q = quote(col);
        if (t.columns().stream().anyMatch(k -> k.name().equals(col) && k.type().equals("timestamp"))) {
            return sameTimestamp(a + "." + q, b + "." + q);
        }
        boolean integer = t.columns().stream().anyMatch(k -> k.name().equals(col) && INTEGERS.contains(k.type()));
        return a + "." + q + " <=> " + b + "." + q + (integer ? "" : " and cast(" + a + "." + q + " as binary) <=> cast("
                + b + "." + q + " as binary)");
    }

    /** The session variable holding the journal id of the entry the BEFORE trigger of a period table wrote for its row. */
    private String ownEntryVariable(String table) {
        return "@venomqa_own_" + HexFormat.of().formatHex(Journal.sha256(table), 0, 12);
    }

    /**
     * Whether {@code table} has an application-time period (MariaDB's {@code PERIOD FOR p (s, e)}, not
     * {@code SYSTEM_TIME}). The catalog has no table of periods on 10.11; each period adds a table-level
     * {@code CHECK} constraint named after it, so only tables with one are read with {@code SHOW CREATE TABLE}.
     */
    private boolean applicationPeriod(Connection c, String table) throws SQLException {
        if (queryLong(c, "select count(*) from information_schema.table_constraints where table_schema = database() "
                + "and table_name = ? and constraint_type = 'CHECK'", table) == 0) {
            return false;
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("show create table " + quote(table))) {
            return rs.next() && java.util.regex.Pattern.compile("(?m)^\\s*PERIOD FOR `").matcher(rs.getString(2)).find();
        }
    }

    /**
     * Prefix of the {@code grp} of a row's own entry that confirms the cascade entries of the same
     * token ({@link #groupToken}); those entries carry the bare token.
     */
    static final String CONFIRMS = "ok:";

    /** The session variable holding the rows of {@code table} like its current row before its update (see installTriggers). */
    private String countVariable(String table) {
        return "@venomqa_cnt_" + HexFormat.of().formatHex(Journal.sha256(table), 0, 12);
    }

    /**
     * Two {@code TIMESTAMP} values are the same instant, written without {@code <=>} between them: in a trigger,
     * MariaDB 10.11 finds {@code vq_s.ts <=> OLD.ts} false for the row itself when the value has fractional
     * seconds and the same condition holds {@code vq_s.id <=> OLD.id} (the lookup by key; {@code =} and either
     * condition alone find it). The counts of the rows equal to {@code OLD} then found 0, and the change of a
     * referenced key of such a row was taken for one {@code UPDATE IGNORE} skipped and left out of the journal:
     * a rollback reported success with the key changed (until 2026-12-06, found by {@code MySqlJournalFuzzTest}
     * seeds 71 and 72; {@code MySqlJournalExactTest.keyChangeWithFractionalTimestampInAReferencedTable}). The text
     * (the fraction included) and the Unix time (two instants of a repeated local hour print the same; the zero
     * {@code TIMESTAMP} has none, {@code NULL} in a trigger and 0 elsewhere) together.
     */
    private static String sameTimestamp(String a, String b) {
        return "(cast(" + a + " as binary) <=> cast(" + b + " as binary) and coalesce(unix_timestamp(" + a
                + "), 0) <=> coalesce(unix_timestamp(" + b + "), 0))";
    }

    /**
     * The condition that row {@code vq_s} of {@code t} holds what {@code OLD} held in every column that is not
     * generated: {@code <=>}, and for text also byte for byte (a collation calls 'a' and 'A' equal).
     */
    private String sameAsOld(TableMeta t) {
        List<String> same = new ArrayList<>();
        for (TableMeta.Column col : t.insertable()) {
            String type = col.type().startsWith(BYTES) ? col.type().substring(BYTES.length()) : col.type();
            String q = quote(col.name());
            if (type.equals("timestamp")) {
                same.add(sameTimestamp("vq_s." + q, "OLD." + q));
                continue;
            }
            same.add("vq_s." + q + " <=> OLD." + q);
            if (COLLATED.contains(type)) {
                same.add("cast(vq_s." + q + " as binary) <=> cast(OLD." + q + " as binary)");
            }
        }
        return String.join(" and ", same);
    }

    /** The session variable holding the token of the cascade entries of {@code table}'s current row. */
    private String groupVariable(String table) {
        return "@venomqa_grp_" + HexFormat.of().formatHex(Journal.sha256(table), 0, 12);
    }

    /**
     * The statements that give the row a BEFORE trigger journals cascade entries for a token of its own, unique
     * on the server for its life and after (connection id, the statement's start to the microsecond, a counter
     * of the session): those entries carry it, and the row's own entry, written by the AFTER trigger, carries
     * it prefixed with {@link #CONFIRMS}. The BEFORE trigger runs before InnoDB changes the row: when that change
     * then fails and the statement goes on ({@code DELETE IGNORE} past a restricting foreign key, {@code UPDATE
     * IGNORE} past a duplicate key), only the row's change and its cascade are taken back, the entries stay, and
     * until 2026-12-06 the undo applied them: a keyless child got a second copy of its row, a keyed one failed
     * the rollback with a duplicate key. Entries without their confirmation are now left out of every read
     * ({@link #entriesBetween}). The variable is per table: while a row of a table is being changed no other
     * row of the same table can be (MySQL refuses a trigger that writes the table of its statement), so the
     * AFTER trigger reads its own row's token. Only functions that statement-based replication repeats
     * exactly: a statement of the application is not made unsafe for the binary log.
     */
    private static String groupToken(String group) {
        return "set @venomqa_grp_seq = coalesce(@venomqa_grp_seq, 0) + 1; set " + group
                + " = concat_ws('.', connection_id(), now(6) + 0, @venomqa_grp_seq)";
    }

    private record Fk(String child, List<String> childCols, List<String> parentCols, String deleteRule, String updateRule) {
    }

    /**
     * Foreign keys with an action (CASCADE, SET NULL, SET DEFAULT, on delete or on update) between a tracked
     * table and one the journal does not track (in {@code exclude_tables}, a migration table, or of another
     * database), in either direction, found in one read of {@code referential_constraints}. InnoDB's actions fire
     * no trigger. From an untracked parent into a tracked child: the journal records cascaded rows from the
     * parent's BEFORE triggers, which an untracked parent does not have. From a tracked parent into an untracked
     * child: the parent's BEFORE triggers record the child's rows of the same database, but the undo writes
     * tracked tables only (it ignores entries of other tables, see {@code Journal#applicable}), and those of
     * another database are not even recorded; until 2026-12-06 a rollback and {@code disconnect()} put the
     * parent back and left the child's rows deleted, {@code NULL} or re-keyed, reporting success
     * ({@code MySqlJournalForeignKeyActionsTest}). Keys of a database VenomQA's login has no privilege in are not
     * listed by the server, so not seen.
     */
    @Override
    public List<String> unjournaledPaths(Connection c, String schema, java.util.Set<String> tracked) throws SQLException {
        List<String> into = new ArrayList<>();
        List<String> from = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select r.constraint_schema, r.table_name, r.constraint_name, "
                + "r.unique_constraint_schema, r.referenced_table_name, r.delete_rule, r.update_rule "
                + "from information_schema.referential_constraints r "
                + "where (r.constraint_schema = ? or r.unique_constraint_schema = ?) "
                + "and (r.delete_rule in ('CASCADE', 'SET NULL', 'SET DEFAULT') "
                + "or r.update_rule in ('CASCADE', 'SET NULL', 'SET DEFAULT')) order by 1, 2, 3")) {
            ps.setString(1, schema);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String child = rs.getString(2);
                    String parent = rs.getString(5);
                    boolean childHere = schema.equals(rs.getString(1));
                    boolean parentHere = schema.equals(rs.getString(4));
                    boolean childTracked = childHere && tracked.contains(child);
                    boolean parentTracked = parentHere && tracked.contains(parent);
                    if (childTracked == parentTracked) {
                        continue;
                    }
                    String actions = " (" + quote(rs.getString(3)) + ": ON DELETE " + rs.getString(6) + " ON UPDATE "
                            + rs.getString(7) + ") references ";
                    if (childTracked) {
                        into.add(quote(child) + actions + (parentHere ? quote(parent) + ", which is excluded"
                                : quote(rs.getString(4)) + "." + quote(parent) + ", in another database"));
                    } else {
                        from.add((childHere ? quote(child) : quote(rs.getString(1)) + "." + quote(child)) + actions
                                + quote(parent) + (childHere ? ", and is not tracked (exclude_tables, a migration table, or a name starting with venomqa_)"
                                : ", and is in another database"));
                    }
                }
            }
        }
        List<String> result = new ArrayList<>();
        if (!into.isEmpty()) {
            result.add("foreign key actions from tables the journal does not track change rows of "
                + "tracked tables: " + String.join("; ", into) + ". InnoDB's cascades fire no trigger, so a change of "
                + "the referenced row would change these rows unseen, and no rollback or disconnect() would put them "
                + "back. Track the referenced tables too (remove them from exclude_tables; a table of another database "
                + "cannot be), or exclude the referencing tables as well.");
        }
        if (!from.isEmpty()) {
            result.add("foreign key actions from tracked tables change rows of tables the journal does not track: "
                    + String.join("; ", from) + ". A change of the referenced row (its key updated, the row deleted) "
                    + "changes these rows through the foreign key's action, and the journal's undo writes tracked tables "
                    + "only, so a rollback or disconnect() would put the referenced rows back but not these: rows "
                    + "pointing at keys that are no longer there, or rows lost. Track the referencing tables too (remove "
                    + "them from exclude_tables; a table of another database cannot be), make these foreign keys NO "
                    + "ACTION or RESTRICT, or exclude the referenced tables as well.");
        }
        List<String> periodParents = periodParentsWithActions(c, schema, tracked);
        if (!periodParents.isEmpty()) {
            result.add("foreign keys with an action (CASCADE, SET NULL, SET DEFAULT) reference tables with an "
                    + "application-time period: " + String.join("; ", periodParents) + ". MariaDB carries out a DELETE … "
                    + "FOR PORTION OF that leaves part of a row as an update of that row, so the foreign key's ON UPDATE "
                    + "rule acts (or, with the key unchanged, nothing) where the journal's triggers, which see a delete, "
                    + "record the ON DELETE rule's cascade: the undo would put back child rows that were never removed "
                    + "and miss the changes that were made. Make these foreign keys RESTRICT / NO ACTION, or leave the "
                    + "period tables and the tables referencing them out with exclude_tables.");
        }
        // Read only for a run that goes on: a refused connect() names the keys in its refusal.
        crossingKeys(schema, result.isEmpty() ? crossingKeys(c, schema, tracked) : List.of(), true);
        return result;
    }

    /**
     * The foreign keys between a tracked table and one the journal does not track (in exclude_tables, not tracked for
     * another reason, or of another database), for {@link LiteralJournalSql#verifyUndo}: the undo runs with
     * {@code foreign_key_checks = 0}. Keys with an action across that line are refused by {@link #unjournaledPaths}.
     */
    private List<CrossingKey> crossingKeys(Connection c, String schema, java.util.Set<String> tracked) throws SQLException {
        Map<String, CrossingKey> keys = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select k.table_schema, k.table_name, k.constraint_name, "
                + "k.referenced_table_schema, k.referenced_table_name, k.column_name, k.referenced_column_name "
                + "from information_schema.key_column_usage k where k.referenced_table_name is not null "
                + "and (k.table_schema = ? or k.referenced_table_schema = ?) "
                + "order by k.table_schema, k.table_name, k.constraint_name, k.ordinal_position")) {
            ps.setString(1, schema);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean childHere = schema.equals(rs.getString(1));
                    boolean parentHere = schema.equals(rs.getString(4));
                    boolean childTracked = childHere && tracked.contains(rs.getString(2));
                    boolean parentTracked = parentHere && tracked.contains(rs.getString(5));
                    if (childTracked == parentTracked) {
                        continue;
                    }
                    boolean untrackedHere = childTracked ? parentHere : childHere;
                    String why = untrackedHere ? "not tracked (exclude_tables, a migration table, or a name starting with "
                            + "venomqa_)" : "in another database";
                    CrossingKey k = keys.computeIfAbsent(rs.getString(1) + "\u0000" + rs.getString(2) + "\u0000"
                            + rs.getString(3), x -> {
                                try {
                                    return new CrossingKey(new ForeignKey(rs.getString(3), rs.getString(1), rs.getString(2),
                                            rs.getString(4), rs.getString(5), new ArrayList<>(), new ArrayList<>(), List.of()),
                                            childTracked, why);
                                } catch (SQLException e) {
                                    throw new IllegalStateException(e);
                                }
                            });
                    k.key().childColumns().add(rs.getString(6));
                    k.key().parentColumns().add(rs.getString(7));
                }
            }
        }
        return List.copyOf(keys.values());
    }

    @Override
    public void noteCrossingKeys(Connection c, String schema, java.util.Set<String> tracked) throws SQLException {
        crossingKeys(schema, crossingKeys(c, schema, tracked), false);
    }

    @Override
    public List<String> writesOutside(Connection c, String schema, java.util.Set<String> tracked) throws SQLException {
        java.util.Set<String> here = new java.util.HashSet<>(currentTables(c, schema));
        here.removeIf(t -> t.startsWith("venomqa_")); // the journal's own tables
        List<String[]> triggers = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select event_object_table, trigger_name, "
                + "action_statement from information_schema.triggers where event_object_schema = ? "
                + "and trigger_name not like 'venomqa\\_%' order by 1, 2")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    triggers.add(new String[] {rs.getString(1), "trigger " + quote(rs.getString(2)), rs.getString(3)});
                }
            }
        }
        return writesOutside(triggers, schema, tracked, here, false, false, false);
    }

    @Override
    protected String undone(String schema) {
        return "database " + quote(schema);
    }

    @Override
    protected String fromNothing() {
        return " from dual";
    }

    @Override
    protected boolean missingTable(SQLException e) {
        return e.getErrorCode() == 1146;
    }

    /**
     * The foreign keys with an action from a tracked table to a tracked table with an application-time period
     * ({@link #applicationPeriod}), as "`child` (`constraint`) references `parent`" (see {@link #installPeriodTriggers}).
     */
    private List<String> periodParentsWithActions(Connection c, String schema, java.util.Set<String> tracked)
            throws SQLException {
        List<String[]> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select r.table_name, r.constraint_name, r.referenced_table_name "
                + "from information_schema.referential_constraints r where r.constraint_schema = ? "
                + "and r.unique_constraint_schema = ? and (r.delete_rule in ('CASCADE', 'SET NULL', 'SET DEFAULT') "
                + "or r.update_rule in ('CASCADE', 'SET NULL', 'SET DEFAULT')) order by 3, 1, 2")) {
            ps.setString(1, schema);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (tracked.contains(rs.getString(1)) && tracked.contains(rs.getString(3))) {
                        keys.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                    }
                }
            }
        }
        List<String> out = new ArrayList<>();
        Map<String, Boolean> period = new HashMap<>();
        for (String[] k : keys) {
            Boolean p = period.get(k[2]);
            if (p == null) {
                p = applicationPeriod(c, k[2]);
                period.put(k[2], p);
            }
            if (p) {
                out.add(quote(k[0]) + " (" + quote(k[1]) + ") references " + quote(k[2]));
            }
        }
        return out;
    }

    /**
     * The foreign keys referencing each table, read once per table for one table's triggers: the table's own were
     * read three times before, and each cascade's child's again wherever a path reached it: 4–8 ms a read of
     * information_schema in a schema of 300 tables (one query for the whole schema costs more still, ~18 ms there).
     */
    private static final class ForeignKeys {
        private final Connection c;
        private final Map<String, List<Fk>> read = new HashMap<>();

        ForeignKeys(Connection c) {
            this.c = c;
        }

        List<Fk> referencing(String parent) throws SQLException {
            List<Fk> keys = read.get(parent);
            if (keys == null) {
                keys = MySqlJournalSql.referencing(c, parent);
                read.put(parent, keys);
            }
            return keys;
        }
    }

    private static List<Fk> referencing(Connection c, String parent) throws SQLException {
        Map<String, Fk> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select r.constraint_name, r.table_name, r.delete_rule, r.update_rule, "
                + "k.column_name, k.referenced_column_name from information_schema.referential_constraints r "
                + "join information_schema.key_column_usage k on k.table_schema = database() and k.constraint_schema = r.constraint_schema "
                + "and k.constraint_name = r.constraint_name and k.table_name = r.table_name "
                + "where r.constraint_schema = database() and r.unique_constraint_schema = database() "
                + "and r.referenced_table_name = ? order by r.constraint_name, "
                + "k.ordinal_position")) {
            ps.setString(1, parent);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Fk fk = out.computeIfAbsent(rs.getString(2) + "\u0000" + rs.getString(1), k -> {
                        try {
                            return new Fk(rs.getString(2), new ArrayList<>(), new ArrayList<>(), rs.getString(3),
                                    rs.getString(4));
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    fk.childCols().add(rs.getString(5));
                    fk.parentCols().add(rs.getString(6));
                }
            }
        }
        return List.copyOf(out.values());
    }

    /**
     * The rows of one table a foreign key action reaches from the triggering row ({@code OLD}) along
     * {@code chain} (the keys from the triggering table down to it): deleted ({@code delete}), or set
     * as {@code newValues} says (column → SQL expression; {@code NULL} for SET NULL), where {@code when}
     * holds (an SQL condition on the triggering row; null: always).
     */
    private record Reach(List<Fk> chain, boolean delete, Map<String, String> newValues, String when) {
        String table() {
            return chain.get(chain.size() - 1).child();
        }
    }

    /**
     * Collects the rows a foreign key action is about to change in the tables referencing
     * {@code table}, for the BEFORE triggers of the triggering table, following cascades down to
     * {@value #CASCADE_DEPTH} levels, InnoDB's own limit (a deeper cascade fails in the server
     * itself, so no cascaded change is out of the triggers' sight). Delete rules and update rules are
     * followed separately ({@code update}): an {@code ON UPDATE CASCADE} changes the child's column,
     * which an {@code ON UPDATE} rule of the grandchild follows in turn.
     */
    private void cascades(ForeignKeys keys, String table, List<Fk> chain, boolean update, Map<String, String> newValues,
                          List<Reach> out, int[] budget, String root) throws SQLException {
        if (chain.size() >= CASCADE_DEPTH) {
            return;
        }
        for (Fk fk : keys.referencing(table)) {
            cascade(keys, fk, chain, update, newValues, out, budget, root);
        }
    }

    /** The reach of one foreign key referencing the last table of {@code chain}, and what it cascades to. */
    private void cascade(ForeignKeys keys, Fk fk, List<Fk> chain, boolean update, Map<String, String> newValues,
                         List<Reach> out, int[] budget, String root) throws SQLException {
        String rule = (update ? fk.updateRule() : fk.deleteRule()).toUpperCase(Locale.ROOT);
        if (!rule.equals("CASCADE") && !rule.equals("SET NULL")) {
            return;
        }
        if (update && fk.parentCols().stream().noneMatch(newValues::containsKey)) {
            return; // an update rule acts only when a referenced column changes, and the cascade changes none of these
        }
        if (--budget[0] < 0) {
            throw new io.venomqa.state.StateConnectionException("The foreign keys that cascade from table '" + root
                    + "' reach more than " + CASCADE_STATEMENTS + " paths (down to " + CASCADE_DEPTH + " levels). "
                    + "MySQL/MariaDB run no trigger for a foreign key action, so the journal records each path's "
                    + "rows in a trigger of '" + root + "', and this many would make every write to it slow. Leave "
                    + "these tables out with exclude_tables, or use checkpoint_strategy: savepoint.");
        }
        List<Fk> path = new ArrayList<>(chain);
        path.add(fk);
        if (!update && rule.equals("CASCADE")) {
            out.add(new Reach(path, true, Map.of(), null));
            cascades(keys, fk.child(), path, false, Map.of(), out, budget, root);
            return;
        }
        // SET NULL, or an ON UPDATE CASCADE: the new image is the row as the action leaves it, so that
        // the undo finds it again (also where the key, or in a table without one every column, holds the
        // foreign key) and a tree restore's redo writes the action's values, not the old ones.
        Map<String, String> childNew = new HashMap<>();
        for (int i = 0; i < fk.childCols().size(); i++) {
            String to = rule.equals("SET NULL") ? "NULL" : newValues.get(fk.parentCols().get(i));
            if (to != null) {
                childNew.put(fk.childCols().get(i), to);
            }
        }
        out.add(new Reach(path, false, childNew, null));
        // The child's changed columns are an update to InnoDB, which follows the ON UPDATE rules of the
        // keys referencing them, also after a SET NULL (until 2026-12-03 those grandchildren were missed).
        cascades(keys, fk.child(), path, true, childNew, out, budget, root);
    }

    /** Refuses, saying what to do, cascade statements with more than {@link #CASCADE_TABLE_REFERENCES} table references. */
    static void refuseOversizedCascades(String table, List<String> beforeDelete, List<String> beforeUpdate) {
        int deletes = tableReferences(beforeDelete);
        int updates = tableReferences(beforeUpdate);
        if (Math.max(deletes, updates) > CASCADE_TABLE_REFERENCES) {
            throw new io.venomqa.state.StateConnectionException("The foreign keys that cascade from table '" + table
                    + "' reach the same tables along so many paths (self-referencing ON DELETE/ON UPDATE CASCADE keys "
                    + "chained one after another, such as two trees of rows where deleting a node of one deletes nodes of "
                    + "the other) that the journal's trigger for them would name " + Math.max(deletes, updates)
                    + " tables (at most " + CASCADE_TABLE_REFERENCES + "). MySQL/MariaDB run no trigger for a foreign "
                    + "key action, so the journal finds the cascaded rows itself, and the server keeps an open table for "
                    + "every name: a trigger this size makes it use gigabytes of memory. Nothing was installed. Leave "
                    + "these tables out with exclude_tables, or use checkpoint_strategy: savepoint (the application in "
                    + "this JVM).");
        }
    }

    /** The aliased table references ({@code `t` vq1}, {@code `t` vx0_1}) in {@code statements}. */
    static int tableReferences(List<String> statements) {
        int n = 0;
        for (String s : statements) {
            for (int i = s.indexOf("` v"); i >= 0; i = s.indexOf("` v", i + 3)) {
                if (i + 3 < s.length() && (s.charAt(i + 3) == 'q' || s.charAt(i + 3) == 'x')) {
                    n++;
                }
            }
        }
        return n;
    }

    /** {@code " from … where …"}: the rows {@code chain} reaches from {@code OLD}, its tables aliased {@code prefix1…prefixN}. */
    private String path(List<Fk> chain, String prefix) {
        List<String> from = new ArrayList<>();
        List<String> where = new ArrayList<>();
        String parent = "OLD";
        for (int d = 0; d < chain.size(); d++) {
            Fk fk = chain.get(d);
            String alias = prefix + (d + 1);
            from.add(0, quote(fk.child()) + " " + alias);
            for (int i = 0; i < fk.childCols().size(); i++) {
                where.add(alias + "." + quote(fk.childCols().get(i)) + " = " + parent + "." + quote(fk.parentCols().get(i)));
            }
            parent = alias;
        }
        return " from " + String.join(", ", from) + " where " + String.join(" and ", where);
    }

    /**
     * Whether {@code other} reaches the row at {@code alias} of table {@code t} (its key, or in a
     * table without one every column, equal) and its condition holds, aliases {@code prefix1…}.
     */
    private String reaches(Reach other, String prefix, TableMeta t, String alias) {
        String theirs = prefix + other.chain().size();
        List<String> same = new ArrayList<>();
        for (String col : t.hasKey() ? t.keyColumns() : t.insertable().stream().map(TableMeta.Column::name).toList()) {
            same.add(theirs + "." + quote(col) + " <=> " + alias + "." + quote(col));
        }
        return "(" + (other.when() == null ? "" : "(" + other.when() + ") and ") + "exists (select 1"
                + path(other.chain(), prefix) + " and " + String.join(" and ", same) + "))";
    }

    /**
     * {@link #reaches} without a subquery where both reaches run down a tree of rows of {@code t}: one self-referencing
     * key to {@code t}'s primary key ({@code up} → {@code id}), followed from the triggering row itself ({@link #treePrefix}
     * 0) or after one key from the trigger's table into {@code t} (1: comments under a post), {@code other} fewer levels
     * than {@code reach}. Each row then has one parent, so the row at {@code alias} is where {@code other} ends exactly when
     * its ancestor as many levels up as {@code other} goes down the tree, which is a row of {@code reach}'s own path, is
     * where {@code other} starts: {@code OLD} itself (a cycle of rows), or a row the first key joins to {@code OLD}. The
     * subquery form named {@code j} tables per pair, so a tree's trigger named 680 tables, and MariaDB keeps an open table
     * per name (see {@link #CASCADE_TABLE_REFERENCES}); this form names none. Null where it does not apply.
     */
    private String sameChainReaches(String root, Reach reach, Reach other, TableMeta t, String alias) {
        int k = reach.chain().size();
        int j = other.chain().size();
        int prefix = treePrefix(root, reach, t);
        if (j >= k || !alias.equals("vq" + k) || prefix < 0 || treePrefix(root, other, t) != prefix
                || !other.chain().get(0).equals(reach.chain().get(0))
                || j > prefix && !other.chain().get(prefix).equals(reach.chain().get(prefix))) {
            return null;
        }
        String starts;
        if (prefix == 0) {
            starts = isOld(t, "vq" + (k - j));
        } else {
            Fk first = reach.chain().get(0);
            List<String> joined = new ArrayList<>();
            for (int i = 0; i < first.childCols().size(); i++) {
                joined.add("vq" + (1 + k - j) + "." + quote(first.childCols().get(i)) + " = OLD." + quote(first.parentCols().get(i)));
            }
            starts = "(" + String.join(" and ", joined) + ")";
        }
        return "(" + (other.when() == null ? "" : "(" + other.when() + ") and ") + starts + ")";
    }

    /**
     * How many keys of {@code reach}'s chain precede its run down a tree of rows of {@code t} (one self-referencing key
     * to {@code t}'s primary key, so that each row has one parent): 0 when {@code t} is the trigger's table and every key
     * is that self-reference, 1 when the first key leads from the trigger's table into {@code t} and every other one is
     * that self-reference (or there is none); -1 otherwise. See {@link #sameChainReaches}.
     */
    private static int treePrefix(String root, Reach reach, TableMeta t) {
        List<Fk> chain = reach.chain();
        int prefix = root.equals(t.name()) ? 0 : 1;
        if (!t.hasKey() || !chain.get(0).child().equals(t.name())) {
            return -1;
        }
        if (chain.size() == prefix) {
            return prefix;
        }
        // The key after the prefix joins t's rows to t's rows: a self-reference (its parent is the previous hop's table, t).
        Fk tree = chain.get(prefix);
        if (!tree.child().equals(t.name()) || tree.parentCols().size() != t.keyColumns().size()
                || !new java.util.HashSet<>(tree.parentCols()).equals(new java.util.HashSet<>(t.keyColumns()))) {
            return -1;
        }
        for (int i = prefix; i < chain.size(); i++) {
            if (!chain.get(i).equals(tree)) {
                return -1;
            }
        }
        return prefix;
    }

    /** Whether the row at {@code alias} of {@code t} is the triggering row ({@code OLD}), by its primary key. */
    private String isOld(TableMeta t, String alias) {
        List<String> same = new ArrayList<>();
        for (String col : t.keyColumns()) {
            same.add(alias + "." + quote(col) + " <=> OLD." + quote(col));
        }
        return "(" + String.join(" and ", same) + ")";
    }

    /**
     * The journal statements of {@code reaches}, one per reach. A row several reaches meet (a tenant's
     * task, reached from the tenant and through its project) is changed once by InnoDB, so it is
     * journaled once: a deleted row by the first reach that deletes it; a row some reach deletes is not
     * journaled as updated (it ends deleted); an updated row by the first reach that updates it, its new
     * image carrying the other reaches' changes where they meet it too. Before, such a row was journaled
     * once per reach, and the undo inserted it twice (a duplicate key, or in a table without one, a
     * second copy).
     */
    private List<String> journalReaches(Connection c, String root, List<Reach> reaches, String group) throws SQLException {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < reaches.size(); r++) {
            Reach reach = reaches.get(r);
            String alias = "vq" + reach.chain().size();
            TableMeta child = describe(c, null, reach.table());
            List<String> skip = new ArrayList<>();
            Map<String, String> changed = new HashMap<>(reach.newValues());
            for (int o = 0; o < reaches.size(); o++) {
                Reach other = reaches.get(o);
                if (o == r || !other.table().equals(reach.table())) {
                    continue;
                }
                String met = sameChainReaches(root, reach, other, child, alias);
                if (met == null) {
                    met = reaches(other, "vx" + o + "_", child, alias);
                }
                if (other.delete() && (!reach.delete() || o < r)) {
                    skip.add("not " + met);
                } else if (!other.delete() && !reach.delete()) {
                    if (o < r) {
                        skip.add("not " + met);
                    } else {
                        for (Map.Entry<String, String> e : other.newValues().entrySet()) {
                            String current = changed.getOrDefault(e.getKey(), alias + "." + quote(e.getKey()));
                            if (!reach.newValues().containsKey(e.getKey())) {
                                changed.put(e.getKey(), "if(" + met + ", " + e.getValue() + ", " + current + ")");
                            }
                        }
                    }
                }
            }
            if (treePrefix(root, reach, child) == 0) {
                // A cycle of rows leads back to the triggering row, which its own entry journals (InnoDB deletes it once).
                skip.add("not " + isOld(child, alias));
            }
            String select = path(reach.chain(), "vq") + (skip.isEmpty() ? "" : " and " + String.join(" and ", skip));
            String img = image(child, alias, true);
            String head = "insert into " + JOURNAL + " (table_name, op, old_row, new_row, grp) select " + text(reach.table());
            String journal = reach.delete() ? head + ", 'D', " + img + ", null, " + group + select
                    : head + ", 'U', " + img + ", " + image(child, alias, true, changed) + ", " + group + select;
            out.add(reach.when() == null ? journal : "if " + reach.when() + " then " + journal + "; end if");
        }
        return out;
    }

    /**
     * MySQL/MariaDB cannot keep another trigger from firing for one session, so an application
     * trigger on a journaled table would run during the undo (an audit row per undone change, a
     * rewritten column). Each one that does not skip the undo itself ({@code IF @venomqa_replaying IS
     * NULL THEN … END IF}) is wrapped so that it does, for the run ({@link MySqlApplicationTriggers}),
     * or refused with a message where that cannot be done.
     */
    /**
     * MariaDB system-versioned tables are journaled like others, but only their current rows can be
     * put back: the versions the run and the undo wrote stay in their history, a restored row's
     * ROW START is the undo's time, and AUTO_INCREMENT never goes back below an id the history holds.
     * connect() says so once, naming them.
     */
    @Override
    public void inspect(Connection c, String schema, java.util.Collection<TableMeta> tables) throws SQLException {
        Set<String> tracked = new java.util.HashSet<>();
        tables.forEach(t -> tracked.add(t.name()));
        List<String> versioned = new ArrayList<>();
        for (String t : queryStrings(c, "select table_name from information_schema.tables where table_schema = database() "
                + "and table_type = 'SYSTEM VERSIONED' order by 1")) {
            if (tracked.contains(t)) {
                versioned.add(t);
            }
        }
        Map<String, Long> ids = tableIds(c, schema);
        List<String> unseen = tables.stream().map(TableMeta::name).filter(t -> !ids.isEmpty() && !ids.containsKey(t))
                .sorted().toList();
        if (idsUnreadable && !tables.isEmpty()) {
            // Until 2026-12-04 this went unsaid: a TRUNCATE by the application was then undone by nothing,
            // and the rollback reported success.
            org.slf4j.LoggerFactory.getLogger(MySqlJournalSql.class).warn("A TRUNCATE of the tracked tables cannot be "
                    + "detected during the run: VenomQA's user lacks the PROCESS privilege, which reading InnoDB's table ids "
                    + "(information_schema.INNODB_SYS_TABLES on MariaDB, INNODB_TABLES on MySQL 8) needs. TRUNCATE fires no "
                    + "trigger, so a rollback after one would not bring the rows back and would not say so; disconnect() "
                    + "compares every table's CHECKSUM TABLE with connect()'s and fails if one differs, which costs a read of "
                    + "each table at both. Grant it (GRANT PROCESS ON *.* TO <VenomQA's user>; 'venomqa doctor' checks it), "
                    + "or make sure the application does not TRUNCATE the tracked tables (DELETE is journaled).");
        }
        if (!unseen.isEmpty()) {
            org.slf4j.LoggerFactory.getLogger(MySqlJournalSql.class).warn("A TRUNCATE of tables {} cannot be detected "
                    + "during the run: they are not InnoDB tables, or InnoDB stores their names (or the database's) with "
                    + "characters outside ASCII in an encoding VenomQA does not read. TRUNCATE fires no trigger, so a rollback "
                    + "after one would not bring their rows back and would not say so; disconnect() compares their CHECKSUM "
                    + "TABLE with connect()'s and fails if one differs. Make sure the application does not TRUNCATE them "
                    + "(DELETE is journaled), or rename them.", unseen);
        }
        systemVersioned = Set.copyOf(versioned);
        if (!versioned.isEmpty()) {
            org.slf4j.LoggerFactory.getLogger(MySqlJournalSql.class).warn("System-versioned tables {}: a rollback puts their "
                    + "current rows back, but their history keeps the versions the run and the undo wrote, a restored row's "
                    + "ROW START is the time of the undo, and their AUTO_INCREMENT does not go back below an id the history "
                    + "holds (new rows may get other ids than on the first path). Exclude them (exclude_tables) if the run "
                    + "must not touch their history.", versioned);
        }
    }

    @Override
    public boolean guardApplicationTriggers(Connection c, String schema, java.util.Collection<String> tables)
            throws SQLException {
        MySqlApplicationTriggers.guard(c, tables);
        if (unguardedSeen != null) {
            unguardedSeen.removeAll(tables); // wrapped now (or guard threw)
        }
        return true;
    }

    /**
     * What DDL can change without a new shape and without rewriting a row: of a column, its default, full type,
     * nullability, collation, comment, one token per column ({@link DefinitionWatch.Marks#kept}); and the schema's
     * objects ({@link DefinitionWatch.Marks#objects}): each table's indexes, options and triggers other than the
     * journal's, the views and the routines. Read with the shapes in one scan of the catalog at every checkpoint
     * and rollback ({@link #catalog(Connection, String, java.util.Collection)}). Until 2026-12-05 a column's such
     * change, and until 2026-12-06 an object's, stayed after {@code disconnect()} without a word.
     */
    @Override
    public DefinitionWatch.Marks definitions(Connection c, String schema) throws SQLException {
        Map<String, String> kept = new LinkedHashMap<>();
        Map<String, String> objects = new LinkedHashMap<>();
        List<String> sequences = new ArrayList<>();
        scan(c, null, new LinkedHashMap<>(), kept, sequences, objects, new ArrayList<>(), true, true);
        readTriggers(c, objects);
        return new DefinitionWatch.Marks(Map.of(), Map.of(), sequenceMarks(c, sequences), kept, Map.of(), objects);
    }

    /**
     * The default catalog read: the tables, the shapes, the columns' definitions, the objects and the sequences
     * from one scan ({@link #scan}), the triggers from one more read ({@link #triggerState}), as before.
     */
    @Override
    public Catalog catalog(Connection c, String schema, java.util.Collection<String> tracked) throws SQLException {
        Map<String, String> shapes = new LinkedHashMap<>();
        Map<String, String> kept = new LinkedHashMap<>();
        Map<String, String> objects = new LinkedHashMap<>();
        List<String> sequences = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        scan(c, tracked, shapes, kept, sequences, objects, tables, viewsSeen, routinesSeen);
        Map<String, String> triggers = readTriggers(c, objects);
        return new Catalog(tables, shapes, triggers, null, null, null,
                new DefinitionWatch.Marks(Map.of(), Map.of(), sequenceMarks(c, sequences), kept, Map.of(), objects));
    }

    /**
     * Whether a {@link #scan} of this run saw a view: only then do the catalog reads read {@code information_schema.VIEWS}
     * for their definitions (about 0.3 ms even for a schema without views). A view created since shows in
     * {@code information_schema.TABLES}, which the scan reads anyway (its name is enough to tell it is new).
     */
    private boolean viewsSeen;

    /**
     * Whether a {@link #scan} of this run saw a routine: only then do the catalog reads read
     * {@code information_schema.PARAMETERS} (about 1 ms, MariaDB parses every routine for it). A routine created since
     * shows in {@code ROUTINES}, which the scan reads anyway.
     */
    private boolean routinesSeen;

    /** What a view's key holds when its definition was not read ({@link #viewsSeen}): a new view is new by its name. */
    private static final String VIEW_UNREAD = "view";

    /**
     * One query, in place of the separate reads of the columns and of the tables: every table's shape (into
     * {@code shapes}, for the tables of {@code only}; null: all), its columns' definition tokens (into {@code kept}),
     * the names of MariaDB's sequences (into {@code sequences}), the base tables in name order (into {@code tables},
     * as {@link #currentTables}) and the objects (into {@code objects}, {@link DefinitionWatch.Marks#objects}):
     * each base table's options ({@code ENGINE}, {@code TABLE_COLLATION}, {@code CREATE_OPTIONS},
     * {@code TABLE_COMMENT}; not {@code AUTO_INCREMENT}, {@code TABLE_ROWS} or the times, which change by
     * themselves), each index ({@code STATISTICS} without {@code CARDINALITY}, with its visibility where the server
     * has one: {@link #indexVisibility}), each event ({@code EVENTS}, without its times of execution), each foreign key
     * ({@code REFERENTIAL_CONSTRAINTS}, with its columns and the columns they reference from
     * {@code KEY_COLUMN_USAGE}: 0.13 ms for 50 tables here) and {@code CHECK} constraint ({@code CHECK_CONSTRAINTS}), each routine (its definition,
     * characteristics and parameters, not its times: one dropped and created again as it was is as found), each view
     * (its definition from {@code VIEWS} when {@code views}, else its name alone), each routine's parameters
     * ({@code PARAMETERS}, when {@code routines}). Measured on MariaDB 10.11 here, 50 tables of 3 indexes each, in
     * the 10th percentile of 400 calls on the busy machine: 1.7–2.1 ms for the read of the columns and the separate
     * read of the table names it replaces, 3.0–3.5 ms for this scan, 3.7–6 ms with the branches of a schema with
     * views and routines (docs/journal.md, "Schema changes during a run").
     */
    private void scan(Connection c, java.util.Collection<String> only, Map<String, String> shapes,
                      Map<String, String> kept, List<String> sequences, Map<String, String> objects,
                      List<String> tables, boolean views, boolean routines) throws SQLException {
        String sql = SCAN_COLUMNS
                + " union all select 't', t.table_name, t.table_type, md5(concat_ws('|', t.engine, t.table_collation, "
                + "t.create_options, t.table_comment)) from information_schema.tables t where t.table_schema = database() "
                // One row per indexed column, put together here: a GROUP BY over information_schema costs more.
                + "union all select 'i', s.table_name, s.index_name, concat_ws('|', s.seq_in_index, "
                + "coalesce(s.column_name, ''), s.non_unique, coalesce(s.sub_part, ''), s.index_type, "
                + "coalesce(s.collation, ''), s.comment, s.index_comment" + (indexVisibility == null ? ""
                : ", s." + indexVisibility) + ") from information_schema.statistics s where s.table_schema = database() "
                // A foreign key added without a rebuild (foreign_key_checks off: in place) to a tracked table: InnoDB's
                // cascades fire no trigger, so the journal, which records them from BEFORE triggers installed for the
                // keys connect() found, would miss the rows they change.
                + "union all select 'k', f.table_name, f.constraint_name, concat_ws('|', 'foreign key', "
                + "f.referenced_table_name, f.update_rule, f.delete_rule, f.unique_constraint_name) "
                + "from information_schema.referential_constraints f where f.constraint_schema = database() "
                // Its columns too: one dropped and added again under its name on other columns (in place, checks off)
                // reads the same in REFERENTIAL_CONSTRAINTS, and its cascades would change rows the triggers installed
                // for the old columns do not journal.
                + "union all select 'f', u.table_name, u.constraint_name, concat_ws('|', u.ordinal_position, u.column_name, "
                + "u.referenced_column_name) from information_schema.key_column_usage u where u.table_schema = database() "
                + "and u.referenced_table_name is not null "
                + (mariadb ? "union all select 'k', k.table_name, k.constraint_name, concat_ws('|', 'check', "
                + "md5(k.check_clause)) from information_schema.check_constraints k where k.constraint_schema = database() "
                : "union all select 'k', t.table_name, k.constraint_name, concat_ws('|', 'check', md5(k.check_clause)) "
                + "from information_schema.check_constraints k join information_schema.table_constraints t on "
                + "t.constraint_schema = k.constraint_schema and t.constraint_name = k.constraint_name and "
                + "t.constraint_type = 'CHECK' where k.constraint_schema = database() ")
                + "union all select 'r', r.routine_name, lower(r.routine_type), md5(concat_ws('|', r.definer, "
                + "r.security_type, r.sql_data_access, r.is_deterministic, r.sql_mode, r.routine_comment, "
                + "r.dtd_identifier, r.routine_definition)) from information_schema.routines r "
                + "where r.routine_schema = database() "
                // An event created during the run goes on writing after it on the server's schedule; its times of
                // execution (LAST_EXECUTED) and of change are left out: they move by themselves.
                + "union all select 'e', e.event_name, 'event', md5(concat_ws('|', e.definer, e.time_zone, "
                + "e.event_definition, e.event_type, e.execute_at, e.interval_value, e.interval_field, e.sql_mode, "
                + "e.starts, e.ends, e.status, e.on_completion, e.event_comment)) from information_schema.events e "
                + "where e.event_schema = database()"
                + (routines ? " union all select 'p', p.specific_name, lower(p.routine_type), concat_ws('|', "
                + "p.ordinal_position, coalesce(p.parameter_mode, ''), coalesce(p.parameter_name, ''), p.dtd_identifier) "
                + "from information_schema.parameters p where p.specific_schema = database()" : "")
                + (views ? " union all select 'v', v.table_name, 'VIEW', md5(concat_ws('|', v.view_definition, "
                + "v.check_option, v.definer, v.security_type, v.character_set_client, v.collation_connection"
                + (mariadb ? ", v.algorithm" : "") + ")) from information_schema.views v where v.table_schema = database()"
                : "");
        boolean anyView = false;
        boolean anyRoutine = false;
        // An index's columns, a routine's parameters, a foreign key's columns: each row starts with its position.
        Map<String, List<String>> columnsOf = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String kind = rs.getString(1);
                String name = rs.getString(2);
                switch (kind) {
                    case "c" -> {
                        if (only == null || only.contains(name)) {
                            shapes.put(name, rs.getString(3));
                        }
                        String definitions = rs.getString(4);
                        int slash = definitions.indexOf('/');
                        kept.put(name, slash < 0 ? definitions : definitions.substring(0, slash));
                        if (slash >= 0) {
                            for (String generated : definitions.substring(slash + 1).split(" ")) {
                                int colon = generated.indexOf(':');
                                objects.put(DefinitionWatch.objectKey(name, DefinitionWatch.GENERATED_COLUMN,
                                        new String(HexFormat.of().parseHex(generated.substring(0, colon)),
                                                java.nio.charset.StandardCharsets.UTF_8)), generated.substring(colon + 1));
                            }
                        }
                        if (SEQUENCE_COLUMNS.equals(rs.getString(3))) {
                            sequences.add(name);
                        }
                    }
                    case "t" -> {
                        String type = rs.getString(3);
                        if (type.equals("BASE TABLE") || type.equals("SYSTEM VERSIONED")) { // versioned tables hold data too
                            tables.add(name);
                            objects.put(DefinitionWatch.objectKey(name, "options", ""), rs.getString(4));
                        } else if (type.equals("VIEW")) {
                            anyView = true;
                            objects.putIfAbsent(DefinitionWatch.objectKey("", "view", name), VIEW_UNREAD);
                        }
                    }
                    case "i" -> columnsOf.computeIfAbsent(DefinitionWatch.objectKey(name, "index", rs.getString(3)),
                            k -> new ArrayList<>()).add(rs.getString(4));
                    case "k" -> objects.merge(DefinitionWatch.objectKey(name, "constraint", rs.getString(3)),
                            rs.getString(4), (a, b) -> a.compareTo(b) < 0 ? a + " " + b : b + " " + a);
                    case "r" -> {
                        anyRoutine = true;
                        objects.put(DefinitionWatch.objectKey("", rs.getString(3), name), rs.getString(4));
                    }
                    case "p" -> columnsOf.computeIfAbsent(DefinitionWatch.objectKey("", rs.getString(3), name),
                            k -> new ArrayList<>()).add(rs.getString(4));
                    case "f" -> columnsOf.computeIfAbsent(DefinitionWatch.objectKey(name, "constraint", rs.getString(3)),
                            k -> new ArrayList<>()).add(rs.getString(4));
                    case "v" -> objects.put(DefinitionWatch.objectKey("", "view", name), rs.getString(4));
                    case "e" -> objects.put(DefinitionWatch.objectKey("", "event", name), rs.getString(4));
                    default -> throw new IllegalStateException(kind);
                }
            }
        }
        columnsOf.forEach((key, rows) -> {
            rows.sort(java.util.Comparator.comparingLong(r -> Long.parseLong(r.substring(0, r.indexOf('|')))));
            String all = String.join(" ", rows);
            objects.merge(key, all, (definition, parameters) -> definition + " (" + parameters + ")");
        });
        // As currentTables orders them (the catalog's case-insensitive order is not needed: only membership counts).
        java.util.Collections.sort(tables);
        // Once seen, read for the rest of the run: a view or routine of connect()'s dropped and created again as it
        // was must read as it did, definition and all, not by its name alone.
        viewsSeen |= anyView;
        routinesSeen |= anyRoutine;
    }

    /**
     * {@link #triggerState}, and the application's triggers (not the journal's) into {@code objects}: per trigger
     * its timing, event, definer and body (not its creation time: one dropped and created again as it was is as
     * found), the body without VenomQA's wrapping ({@link MySqlApplicationTriggers}): the same trigger wrapped or not
     * is the same, since the wrapping is VenomQA's own for the run, done again before each undo and put back by
     * {@code disconnect()}. A trigger created, replaced or dropped during the run is a change of the run.
     *
     * <p>The same read notes the tables with application triggers that do not skip the undo
     * ({@link #guardNeeded}): reading {@code information_schema.TRIGGERS} parses every trigger file of the schema
     * whatever columns are asked for (3 ms for 50 tables here), so one read serves all three.
     * Every read of it here filters on {@code EVENT_OBJECT_SCHEMA}, the column MariaDB looks the table up by: on
     * {@code TRIGGER_SCHEMA} (the same value) it opened the trigger files of every database on the server (EXPLAIN:
     * "Scanned all databases"), so a checkpoint cost more with every other database holding triggers, a parallel
     * worker's journal most of all.
     */
    private Map<String, String> readTriggers(Connection c, Map<String, String> objects) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> unguarded = new java.util.HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select concat(event_object_table, '.', "
                + "trigger_name), concat_ws('|', action_timing, event_manipulation, definer, created, md5(action_statement)), "
                + "trigger_name like 'venomqa\\_journal\\_%', event_object_table, "
                + "lower(action_statement) like '%@venomqa\\_replaying%', trigger_name, concat_ws('|', action_timing, "
                + "event_manipulation, definer), if(trigger_name like 'venomqa\\_journal\\_%', null, action_statement), "
                + "action_order, concat_ws('|', action_timing, event_manipulation) from information_schema.triggers "
                + "where event_object_schema = database() order by 1")) {
            // Per table, timing and event: the application's triggers in the order they fire (ACTION_ORDER), an object
            // of its own (DefinitionWatch.TRIGGER_ORDER), so that one moved among them (dropped and created again
            // FOLLOWS or PRECEDES another) is seen. VenomQA's own are left out: they move whenever the journal installs
            // them again.
            Map<String, java.util.TreeMap<Long, String>> fired = new LinkedHashMap<>();
            while (rs.next()) {
                if (rs.getBoolean(3)) {
                    out.put(rs.getString(1), rs.getString(2));
                    continue;
                }
                if (!rs.getBoolean(5)) {
                    unguarded.add(rs.getString(4));
                }
                objects.put(DefinitionWatch.objectKey(rs.getString(4), "trigger", rs.getString(6)), rs.getString(7) + "|"
                        + sha256(MySqlApplicationTriggers.unwrapped(rs.getString(8))));
                fired.computeIfAbsent(DefinitionWatch.objectKey(rs.getString(4), DefinitionWatch.TRIGGER_ORDER,
                        rs.getString(10).replace('|', ' ')), k -> new java.util.TreeMap<>()).put(rs.getLong(9), rs.getString(6));
            }
            fired.forEach((key, inOrder) -> objects.put(key, DefinitionWatch.triggerOrder(inOrder.values())));
        }
        unguardedSeen = unguarded;
        return out;
    }

    /**
     * The columns a MariaDB {@code SEQUENCE} shows in {@code information_schema.columns}, as {@link #columns} writes a
     * shape: how a sequence is told from a table in the scan the catalog read does anyway (a table with exactly these
     * columns is not one an application has).
     */
    private static final String SEQUENCE_COLUMNS = "next_not_cached_value bigint, minimum_value bigint, maximum_value "
            + "bigint, start_value bigint, increment bigint, cache_size bigint, cycle_option tinyint, cycle_count bigint";

    /**
     * {@link DefinitionWatch.Marks#sequences} for MariaDB's sequences {@code names}, in one query (none without
     * sequences): keyed as {@code MySQLDialect}'s counters (by name), each {@code oid <name in hex>:<START> start
     * <START>}. MariaDB has no oid: the name and the {@code START} stand in for it, so a sequence dropped and created
     * again with another {@code START} is a new one (with the same, the same one: its counter is then restored from
     * the checkpoints that hold it, and one from before it leaves it as it is), and one renamed during the run
     * counts as created. The {@code START} is what {@code ALTER SEQUENCE … RESTART} (the counters' restore) leaves;
     * the cache needs no mention as such: a MariaDB sequence's cache is the server's, which the restart empties. The
     * other options follow ({@code increment}, {@code minvalue}, {@code maxvalue}, {@code cycle}, {@code cache_size}),
     * read in the same query: one changed during the run ({@code ALTER SEQUENCE … INCREMENT BY}) is reported as
     * PostgreSQL's are (until 2026-12-06 it stayed after {@code disconnect()} without a word, the value restored).
     */
    private Map<String, String> sequenceMarks(Connection c, List<String> names) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        StringBuilder sql = new StringBuilder();
        for (String n : names) {
            sql.append(sql.length() == 0 ? "" : " union all ").append("select ").append(text(n))
                    .append(", start_value, increment, minimum_value, maximum_value, cycle_option, cache_size from ")
                    .append(quote(n));
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.toString())) {
            while (rs.next()) {
                String name = rs.getString(1);
                long start = rs.getLong(2);
                out.put(name, "oid " + HexFormat.of().formatHex(name.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        + ":" + start + " start " + start + " increment " + rs.getString(3) + " minvalue "
                        + rs.getString(4) + " maxvalue " + rs.getString(5) + " cycle " + rs.getString(6)
                        + " cache_size " + rs.getString(7));
            }
        }
        return out;
    }

    /** One catalog query for every table (columns with their types, generated ones marked, and the key). */
    @Override
    public Map<String, String> shapes(Connection c, String schema, java.util.Collection<String> tables) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        columns(c, tables, out);
        return out;
    }

    /**
     * Per table: its name, its shape (columns with their types, generated ones marked, and the key) and its columns'
     * definition tokens ({@link DefinitionWatch.Marks#kept}).
     */
    private static final String COLUMNS = "select c.table_name, " + Columns.SHAPE + ", " + Columns.KEPT + " " + Columns.FROM;

    /**
     * {@link #COLUMNS} for the {@link #scan}: the definition tokens followed, after a {@code /}, by each generated
     * column's name (in hex: a name may hold any character) and the digest of its expression. A {@code VIRTUAL}
     * column's expression changes in place, no row rewritten: every read of the table gives other values, which no
     * undo puts back. Kept apart from the tokens so that a record of an earlier version compares them as it did.
     */
    private static final String SCAN_COLUMNS = "select 'c', c.table_name, " + Columns.SHAPE + ", concat_ws('/', "
            + Columns.KEPT + ", group_concat(if(coalesce(c.generation_expression, '') <> '', concat(hex(c.column_name), "
            + "':', md5(c.generation_expression)), null) order by c.ordinal_position separator ' ')) " + Columns.FROM;

    /** The parts of {@link #COLUMNS} and {@link #SCAN_COLUMNS}. */
    private static final class Columns {
        static final String SHAPE = "group_concat(concat(c.column_name, ' ', lower(c.data_type), "
                + "if(coalesce(c.generation_expression, '') <> '' or c.extra like '%GENERATED%', ' generated', ''), "
                + "if(c.column_key = 'PRI', ' key', '')) order by c.ordinal_position separator ', ')";
        static final String KEPT = "group_concat(md5(concat_ws('|', c.column_type, coalesce(c.column_default, "
                + "'<none>'), c.is_nullable, coalesce(c.collation_name, ''), c.extra, c.column_comment)) "
                + "order by c.ordinal_position separator ' ')";
        static final String FROM = "from information_schema.columns c where c.table_schema = database() "
                + "group by c.table_name";
    }

    /** Every table's shape (into {@code shapes}, for the tables of {@code only}; null: all), from one query. */
    private void columns(Connection c, java.util.Collection<String> only, Map<String, String> shapes) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(COLUMNS)) {
            while (rs.next()) {
                if (only == null || only.contains(rs.getString(1))) {
                    shapes.put(rs.getString(1), rs.getString(2));
                }
            }
        }
    }

    @Override
    protected Map<String, String> displayMarkers(Connection c, String ids) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select entry_id, side, col, val from "
                + BLOBS + " where entry_id in (" + ids + ")")) {
            while (rs.next()) {
                byte[] v = rs.getBytes(4);
                out.put(markerKey(rs.getLong(1), rs.getString(2).charAt(0), rs.getString(3)),
                        v == null ? null : "0x" + HexFormat.of().formatHex(v));
            }
        }
        return out;
    }

    @Override
    protected Set<String> markers() {
        return Set.of(BLOB_MARKER, TEXT_MARKER);
    }

    /** A long text value as text (its bytes read as UTF-8, the character set of nearly every such column). */
    @Override
    protected String displayKept(String marker, String shown) {
        if (TEXT_MARKER.equals(marker) && shown != null && shown.startsWith("0x")) {
            return new String(HexFormat.of().parseHex(shown.substring(2)), java.nio.charset.StandardCharsets.UTF_8);
        }
        return shown;
    }

    @Override
    protected SqlLiteral literals() {
        return new SqlLiteral(true, Set.of("from_unixtime", "st_geomfromwkb"));
    }

    /**
     * A {@code TIMESTAMP}'s {@code from_unixtime(…)} as the date and time it is in the server's time zone (this
     * session writes in UTC; an application's session, and the savepoint strategy's, start in the server's), and a
     * spatial value's {@code st_geomfromwkb(…)} as the hex of the value the server stores: what change capture
     * under the savepoint strategy reads for them through the driver. One query per hundred values.
     */
    @Override
    protected Map<String, String> evaluateCalls(Connection c, List<String> calls) throws SQLException {
        Map<String, String> out = new HashMap<>();
        for (int from = 0; from < calls.size(); from += 100) {
            List<String> chunk = calls.subList(from, Math.min(calls.size(), from + 100));
            StringBuilder sql = new StringBuilder("select ");
            for (int i = 0; i < chunk.size(); i++) {
                String call = chunk.get(i);
                sql.append(i == 0 ? "" : ", ").append(call.regionMatches(true, 0, "from_unixtime", 0, 13)
                        ? "cast(convert_tz(" + call + ", '+00:00', @@global.time_zone) as char)"
                        : "concat('0x', lower(hex(" + call + ")))");
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.toString())) {
                if (rs.next()) {
                    for (int i = 0; i < chunk.size(); i++) {
                        out.put(chunk.get(i), rs.getString(i + 1));
                    }
                }
            }
        }
        return out;
    }

    /**
     * The tables on which the last {@link #triggerState} read saw an application trigger that does not
     * skip the undo; null before the first read.
     */
    private Set<String> unguardedSeen;

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java platform has SHA-256
        }
    }

    @Override
    public Map<String, String> triggerState(Connection c, String schema) throws SQLException {
        // CREATED changes when a trigger is dropped and created again, even with the same text.
        return readTriggers(c, new LinkedHashMap<>());
    }

    /**
     * Application triggers that run after one of the journal's own of the same table, timing and event: the
     * journal's {@code BEFORE} triggers of a table that others reference with a cascade record the rows the cascade
     * will change, so an application {@code BEFORE} trigger ordered after them (created during the run: the journal
     * orders its own after the application's at {@code connect()}) changes those rows after they were recorded
     * (found 2026-12-05: the undo then failed blaming a TRUNCATE).
     */
    @Override
    public String mismatchHint(Connection c, String schema) throws SQLException {
        List<String> late = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select a.trigger_name, a.event_object_table "
                + "from information_schema.triggers a join information_schema.triggers j on j.event_object_schema = database() "
                + "and j.event_object_table = a.event_object_table and j.action_timing = a.action_timing "
                + "and j.event_manipulation = a.event_manipulation and j.trigger_name like 'venomqa\\_journal\\_%' "
                + "where a.event_object_schema = database() and a.trigger_name not like 'venomqa\\_journal\\_%' "
                + "and a.action_order > j.action_order group by a.trigger_name, a.event_object_table order by 2, 1")) {
            while (rs.next()) {
                late.add(rs.getString(1) + " on " + rs.getString(2));
            }
        }
        return late.isEmpty() ? "" : " The application's triggers " + late + " run after the journal's own on the same "
                + "table and event, so the journal recorded rows before they changed them: they were created during the "
                + "run (connect() orders the journal's triggers after the application's). Create triggers before "
                + "connect(), or disconnect() and connect() again after a migration that creates some.";
    }

    @Override
    public boolean guardNeeded(java.util.Collection<String> tables) {
        return unguardedSeen == null || tables.stream().anyMatch(unguardedSeen::contains);
    }

    @Override
    public void dropTriggers(Connection c, String schema, String table) throws SQLException {
        for (String kind : new String[] {"i", "u", "d", "cd", "cu"}) {
            exec(c, "drop trigger if exists " + quote(triggerName(kind, table)));
        }
    }

    @Override
    public List<String> tablesWithTriggers(Connection c, String schema) throws SQLException {
        return queryStrings(c, "select distinct event_object_table from information_schema.triggers where "
                + "event_object_schema = database() and trigger_name like 'venomqa\\_journal\\_%' order by 1");
    }

    @Override
    public void uninstallInfrastructure(Connection c, String schema) throws SQLException {
        // Triggers of tables dropped since are gone with them; any left by name are removed here.
        for (String name : queryStrings(c, "select trigger_name from information_schema.triggers where "
                + "event_object_schema = database() and trigger_name like 'venomqa\\_journal\\_%'")) {
            exec(c, "drop trigger if exists " + quote(name));
        }
        MySqlApplicationTriggers.restoreAll(c);
        exec(c, "drop table if exists " + MySqlApplicationTriggers.TABLE);
        exec(c, "drop table if exists " + JOURNAL);
        exec(c, "drop table if exists " + BLOBS);
        exec(c, "drop table if exists " + RUN);
    }

    @Override
    public List<String> currentTables(Connection c, String schema) throws SQLException {
        return queryStrings(c, "select table_name from information_schema.tables where table_schema = database() "
                + "and table_type in ('BASE TABLE', 'SYSTEM VERSIONED') order by 1"); // MariaDB's versioned tables hold data too
    }

    @Override
    public void applyLockTimeout(Connection c, java.time.Duration timeout) throws SQLException {
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000); // whole seconds, at least 1
        // Row locks and metadata locks both: the counters' ALTER TABLE … AUTO_INCREMENT waits for the metadata
        // lock of any transaction that read the table, for the server's lock_wait_timeout (a day on MariaDB).
        exec(c, "set session innodb_lock_wait_timeout = " + seconds + ", session lock_wait_timeout = " + seconds);
        lockTimeout = timeout;
    }

    @Override
    public boolean isLockTimeout(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getErrorCode() == 1205) { // ER_LOCK_WAIT_TIMEOUT
                return true;
            }
        }
        return false;
    }

    @Override
    public List<String> lockHolders(Connection c, String schema, java.util.Collection<String> tables) throws SQLException {
        // InnoDB shows open transactions holding row locks; which rows, only performance_schema knows
        // (and not on every server), so every other transaction with locked rows is named.
        String sql = "select t.trx_mysql_thread_id, p.user, p.host, p.command, t.trx_state, t.trx_started, "
                + "t.trx_rows_locked, left(coalesce(t.trx_query, p.info, ''), 200) as query "
                + "from information_schema.innodb_trx t left join information_schema.processlist p "
                + "on p.id = t.trx_mysql_thread_id where t.trx_mysql_thread_id <> connection_id() "
                + "and t.trx_rows_locked > 0 order by t.trx_started";
        List<String> out = new ArrayList<>();
        try (java.sql.Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add("connection " + rs.getLong(1) + " (user " + rs.getString(2) + ", client " + rs.getString(3)
                        + ", " + rs.getString(4) + ", transaction " + rs.getString(5) + " since " + rs.getString(6)
                        + ", " + rs.getLong(7) + " rows locked, last statement: '" + rs.getString(8) + "')");
            }
        }
        return out;
    }

    /** Whether the server is MariaDB (read by {@link #tryLock}): MySQL has no {@code check_constraint_checks}. */
    private boolean mariadb;
    /**
     * The column of {@code information_schema.STATISTICS} that says whether the optimizer may use an index: MariaDB
     * 10.6+'s {@code IGNORED}, MySQL 8's {@code IS_VISIBLE}; null on servers without one. {@code ALTER INDEX … IGNORED}
     * or {@code INVISIBLE} changes nothing else of the index.
     */
    private String indexVisibility;
    /** The session's {@code check_constraint_checks} as {@link #tryLock} found it, which {@link #endReplay} puts back. */
    private long checkConstraints = 1;

    /**
     * Besides the triggers' silence and {@code foreign_key_checks = 0}: on MariaDB
     * {@code check_constraint_checks = 0}. The undo writes back rows the table held, and MariaDB holds rows
     * that break a {@code CHECK} (written with {@code check_constraint_checks = 0}, or there before the
     * constraint was added with the checks off); until 2026-12-06 their undo failed with "CONSTRAINT …
     * failed" and {@code disconnect()} left the run's changes. MySQL 8 has no such variable, and no way to keep
     * such rows (an enforced constraint is checked when it is added or enforced again).
     */
    @Override
    public void beginReplay(Connection c) throws SQLException {
        exec(c, "set @venomqa_replaying = 1");
        exec(c, mariadb ? "set foreign_key_checks = 0, session check_constraint_checks = 0" : "set foreign_key_checks = 0");
    }

    @Override
    public void endReplay(Connection c) throws SQLException {
        exec(c, "set @venomqa_replaying = null");
        exec(c, mariadb ? "set foreign_key_checks = 1, session check_constraint_checks = " + checkConstraints
                : "set foreign_key_checks = 1");
    }

    @Override
    public void afterFailedReplay(Connection c) throws SQLException {
        endReplay(c);
    }

    /** At most this long, within {@code lock_timeout}, {@link #lockForUndo} tries to lock the tables before it undoes without. */
    static final java.time.Duration UNDO_LOCK_GRACE = java.time.Duration.ofSeconds(1);

    /**
     * MariaDB: the undo's transaction holds the journal's own tables, the schema's sequences and the journaled
     * tables it writes or reads with {@code LOCK TABLES … WRITE} (after {@code autocommit = 0}, so InnoDB keeps its
     * transaction), from before it reads the entries to undo until it ends ({@link #afterTransaction}:
     * {@code UNLOCK TABLES}). An application statement writing any journaled table (its trigger writes the journal)
     * or touching a locked one then waits for the undo at its start, before it locks a row, and runs after it:
     * the entries read are all there are, so a background job's commit no longer refuses the rollback
     * ({@link #verifyAndEndUndo} still checks). Tables the application's triggers and the journal's own use are
     * locked with them by the server. Tried {@code NOWAIT} again and again for at most {@link #UNDO_LOCK_GRACE}
     * (bounded by {@code lock_timeout}): a lock that waited, taken table by table, could be chosen as the victim
     * of an application transaction's deadlock, or cost the application one. A session that keeps a transaction
     * open on those tables longer (a write not committed, or a transaction that only read: both hold the tables'
     * metadata lock) is not waited for, nor, after {@link #IDLE_AFTER}, one sitting idle in an open transaction
     * ({@link #idleTransactionElsewhere}): the undo then runs without the lock, as it did before 2026-12-07, and
     * refuses if the application commits during it. Without the {@code LOCK TABLES} privilege likewise, said once.
     * MySQL 8, whose {@code LOCK TABLES} cannot be told not to wait, keeps that older behaviour.
     */
    @Override
    public void lockForUndo(Connection c, String schema, java.util.Collection<String> tables,
                            java.util.Collection<String> read, long after) throws SQLException {
        if (!mariadb || tables.isEmpty() || undoWithoutLock || c.getAutoCommit()) {
            return;
        }
        // The journal's own tables and the schema's sequences (a column's DEFAULT NEXT VALUE FOR one opens it with
        // the table, also for an insert that gives the value), always.
        List<String> always = new ArrayList<>();
        Set<String> existing = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("select table_name, table_type = 'SEQUENCE' from "
                + "information_schema.tables where table_schema = ? and table_type <> 'VIEW'")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    existing.add(name);
                    if (rs.getBoolean(2) || name.startsWith("venomqa_")) {
                        always.add(name);
                    }
                }
            }
        }
        if (!always.contains(JOURNAL)) {
            c.commit();
            return; // nothing installed to undo from
        }
        // Of the journaled tables, those the undo writes (entries after the position) and those it reads: the
        // journal's own lock already keeps the application's writes to every journaled table out (each fires a
        // trigger that writes the journal, which the server locks when it opens the statement), and locking all
        // of them cost a second per undo with 300 tables. The entries are read again under the lock: a table
        // written meanwhile is added and the lock taken again.
        Set<String> wanted = new java.util.TreeSet<>();
        for (String t : read) {
            if (tables.contains(t) && existing.contains(t)) {
                wanted.add(t);
            }
        }
        wanted.addAll(tablesWritten(c, tables, existing, after));
        c.commit(); // only reads so far; LOCK TABLES would commit them anyway
        long start = System.nanoTime();
        long deadline = start + Math.min(UNDO_LOCK_GRACE.toNanos(), lockTimeout.toNanos());
        long pauseMillis = 1;
        while (true) {
            StringBuilder lock = new StringBuilder("lock tables ");
            List<String> names = new ArrayList<>(always);
            names.addAll(wanted);
            for (int i = 0; i < names.size(); i++) {
                lock.append(i == 0 ? "" : ", ").append(qualify(schema, names.get(i))).append(" write");
            }
            try {
                exec(c, lock.append(" nowait").toString());
                tablesLocked = true;
                Set<String> now = tablesWritten(c, tables, existing, after);
                if (wanted.containsAll(now)) {
                    idleHolderSeen = false;
                    return;
                }
                wanted.addAll(now); // written between the first read and the lock: lock it too
                c.rollback();
                exec(c, "unlock tables");
                tablesLocked = false;
                continue;
            } catch (SQLException e) {
                if (e.getErrorCode() == 1044 || e.getErrorCode() == 1142) { // ER_DBACCESS_DENIED_ERROR, ER_TABLEACCESS_DENIED_ERROR
                    undoWithoutLock = true;
                    LOG.info("The user may not LOCK TABLES on {}: a rollback while the application writes in the "
                            + "background is refused whenever it commits during the undo, instead of waiting for it. "
                            + "GRANT LOCK TABLES ON `{}`.* to VenomQA's user to have its writes wait for the undo.", schema, schema);
                    return;
                }
                if (!isLockTimeout(e)) {
                    throw e;
                }
                if ((idleHolderSeen || System.nanoTime() - start >= IDLE_AFTER.toNanos()) && idleTransactionElsewhere(c, schema)) {
                    idleHolderSeen = true;
                    LOG.debug("A session of {} sits idle in an open transaction: undoing without LOCK TABLES", schema);
                    return;
                }
                if (System.nanoTime() - deadline >= 0) {
                    LOG.debug("Another session kept a transaction open on the journaled tables of {}: undoing without "
                            + "LOCK TABLES ({})", schema, e.getMessage());
                    return;
                }
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // undo without the lock, as before
            }
            pauseMillis = Math.min(pauseMillis * 2, 50);
        }
    }

    /** The tables of {@code tables} that exist and have journal entries after {@code after} (committed ones). */
    private static Set<String> tablesWritten(Connection c, java.util.Collection<String> tables, Set<String> existing,
                                             long after) throws SQLException {
        Set<String> out = new java.util.TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("select distinct table_name from " + JOURNAL + " where id > ?")) {
            ps.setLong(1, after);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String t = rs.getString(1);
                    if (tables.contains(t) && existing.contains(t)) {
                        out.add(t);
                    }
                }
            }
        }
        return out;
    }

    /**
     * A table the undo's statements open that {@link #lockForUndo} did not lock (one in another database that a
     * trigger or default names only indirectly, say) fails them with {@code ER_TABLE_NOT_LOCKED}: from then on the
     * undo runs without {@code LOCK TABLES}, as before it, and the caller tries once more.
     */
    @Override
    public boolean undoLockInTheWay(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getErrorCode() == 1100 && !undoWithoutLock) { // ER_TABLE_NOT_LOCKED
                undoWithoutLock = true;
                LOG.warn("An undo under LOCK TABLES needed a table VenomQA did not lock ({}); undoing without LOCK TABLES "
                        + "from now on: a rollback while the application writes in the background is then refused "
                        + "whenever it commits during the undo.", s.getMessage());
                return true;
            }
        }
        return false;
    }

    /** How long a session must have sat idle in an open transaction for {@link #idleTransactionElsewhere}. */
    private static final java.time.Duration IDLE_AFTER = java.time.Duration.ofMillis(200);

    /**
     * Whether another session using {@code schema} (the server's other databases' sessions are not ours to wait
     * for) has sat idle in an open transaction for {@link #IDLE_AFTER} or longer: the likely
     * holder of the metadata lock that keeps {@link #lockForUndo} out (an application transaction left open,
     * which will not end while the undo waits), so that an exploration's every restore does not wait
     * {@link #UNDO_LOCK_GRACE} for it. A session busy between its statements sits idle for milliseconds only.
     * {@code INNODB_TRX} needs the {@code PROCESS} privilege: without it, none is found (asked once).
     */
    private boolean idleTransactionElsewhere(Connection c, String schema) {
        if (transactionsUnreadable) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("select 1 from information_schema.innodb_trx t "
                + "join information_schema.processlist p on p.id = t.trx_mysql_thread_id where p.command = 'Sleep' "
                + "and p.time_ms >= " + IDLE_AFTER.toMillis() + " and p.id <> connection_id() and p.db = ? limit 1")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            // INNODB_TRX needs the PROCESS privilege: without it, the lock is tried for its whole second.
            transactionsUnreadable = true;
            LOG.debug("Cannot read the server's open transactions ({}): the undo's lock is tried for {} ms", e.getMessage(),
                    UNDO_LOCK_GRACE.toMillis());
            return false;
        }
    }

    /** Set once the server refused to show its open transactions to {@link #idleTransactionElsewhere}. */
    private boolean transactionsUnreadable;

    /**
     * Set where {@link #lockForUndo} last gave up for such a session, cleared when it takes the lock: the next undo
     * then looks for it at its first refusal instead of after {@link #IDLE_AFTER}.
     */
    private boolean idleHolderSeen;

    /** Whether {@link #lockForUndo} holds table locks that {@link #afterTransaction} must release. */
    private boolean tablesLocked;

    /**
     * Set once the server refused {@code LOCK TABLES} for lack of the privilege, or an undo under it needed a table
     * it did not name ({@link #undoLockInTheWay}): the lock is not tried again on this connection.
     */
    private boolean undoWithoutLock;

    /** {@code lock_timeout} as {@link #applyLockTimeout} set it. */
    private java.time.Duration lockTimeout = java.time.Duration.ofSeconds(30);

    @Override
    public void afterTransaction(Connection c) throws SQLException {
        if (tablesLocked) {
            tablesLocked = false;
            exec(c, "unlock tables");
        }
    }

    @Override
    protected String nullSafeEquals(String left, String right) {
        return left + " <=> " + right;
    }

    /** The undo session's {@code sql_mode} without strictness (MariaDB; null on MySQL), read by {@link #tryLock}. */
    private String lenientMode;

    /**
     * An ENUM column can hold its error value '' (index 0), which an application writes under a
     * permissive sql_mode of its own and which a strict mode refuses to write back ("Data truncated"),
     * also as 0: the rollback then failed although the row could be put back. Statements writing into
     * a table with an ENUM column run without strictness (MariaDB's SET STATEMENT, for that statement
     * only); the values they write are the table's own, read by the triggers from a table of the same
     * shape (a change of a column's type, or a rebuild by DDL, refuses the rollback), so they fit.
     */
    @Override
    protected String writing(TableMeta t, String sql) {
        if (lenientMode == null || t.insertable().stream().noneMatch(col -> col.type().equals("enum"))) {
            return sql;
        }
        return "set statement sql_mode = " + text(lenientMode) + " for " + sql;
    }

    /** Types compared under a collation, where 'a' = 'A' or 'a' = 'a ' can hold for two different values. */
    private static final Set<String> COLLATED = Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext",
            "enum", "set");

    /** A binary collation of utf8mb4 without trailing-space padding where the server has one (read by {@link #tryLock}). */
    private String exactCollation = "utf8mb4_bin";

    /**
     * A table without a key: its rows are found by every column, and one of several that match is
     * touched ({@code LIMIT 1}). Under the column's collation two rows the application tells apart
     * ('a' and 'A', 'b' and 'b ') would both match, and the undo could change the wrong one, silently:
     * strings are compared in a binary collation without padding instead. A value kept out of the
     * image ({@link #resolve}, a binary string) already compares byte for byte.
     */
    @Override
    protected String currentRow(TableMeta t, Map<String, String> image) {
        if (t.hasKey()) {
            return where(t, image);
        }
        List<String> cond = new ArrayList<>();
        for (String k : identity(t)) {
            String v = image.get(k);
            if (v == null) {
                throw new IllegalStateException("The journal image has no column '" + k + "': was the table altered "
                        + "during the run? Images hold " + image.keySet());
            }
            boolean collated = t.columns().stream().anyMatch(col -> col.name().equals(k) && COLLATED.contains(col.type()));
            cond.add(collated && v.startsWith("'")
                    ? quote(k) + " <=> convert(" + v + " using utf8mb4) collate " + exactCollation
                    : nullSafeEquals(quote(k), v));
        }
        return String.join(" and ", cond);
    }

    /**
     * Deletes the entries this transaction read, by id, not the range: a range delete is a locking
     * read, which waits for an entry an application transaction still holds uncommitted and, once it
     * commits, deletes it too, without its change having been undone (disconnect() then kept it).
     */
    @Override
    public void deleteEntries(Connection c, String schema, long after, long upTo) throws SQLException {
        if (upTo == Long.MAX_VALUE) {
            // reset(): the whole journal goes, in the reset's transaction, as the tables' rows do (its
            // DELETEs wait for the same open transactions); afterReset() reads an entry left as a failed reset.
            super.deleteEntries(c, schema, after, upTo);
            return;
        }
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id from " + JOURNAL + " where id > ? and id <= ? order by id")) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        for (int from = 0; from < ids.size(); from += 1000) {
            String in = ids.subList(from, Math.min(ids.size(), from + 1000)).stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(","));
            exec(c, "delete from " + JOURNAL + " where id in (" + in + ")");
            exec(c, "delete from " + BLOBS + " where entry_id in (" + in + ")");
        }
    }

    /**
     * Refuses an undo during which the application committed a change to a journaled table: InnoDB let
     * the undo wait for that transaction's row lock, and once it committed the undo wrote the row back
     * over its change, while its journal entry (after the entries read) stayed, no longer describing the
     * row; a later undo would apply it and leave the row wrong, silently. The entries after
     * {@code upTo} that this transaction did not write are read with a locking read, which sees what was
     * committed meanwhile (the transaction's own snapshot does not) and skips what is still uncommitted,
     * so it does not wait for it. Any such entry fails the call ({@link CommittedDuringUndo}), which rolls the
     * undo back: nothing changes, and a rollback once the application is idle is exact.
     */
    @Override
    public void verifyAndEndUndo(Connection c, String schema, List<JournalEntry> undone, List<JournalEntry> redone,
            List<ForeignKey> foreignKeys, long after, Long upTo) throws SQLException {
        if (upTo != null && upTo != Long.MAX_VALUE) {
            Set<Long> ours = new java.util.HashSet<>();
            redone.forEach(e -> ours.add(e.id()));
            java.util.Map<String, Integer> later = new java.util.TreeMap<>();
            // Not counted: the entries of a cascade whose row's change did not happen (see groupToken), which
            // the undo left out, before upTo or after it: they describe no change.
            Map<String, String> members = new HashMap<>();
            Set<String> confirmedTokens = new java.util.HashSet<>();
            boolean groupsHere = hasGroups(c);
            try (PreparedStatement ps = c.prepareStatement("select id, table_name, " + (groupsHere ? "grp" : "null")
                    + " from " + JOURNAL + " where id > ? "
                    + (lenientMode != null ? "lock in share mode skip locked" : "for share skip locked"))) {
                ps.setLong(1, upTo);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String grp = rs.getString(3);
                        if (grp != null && grp.startsWith(CONFIRMS)) {
                            confirmedTokens.add(grp.substring(CONFIRMS.length()));
                        }
                        if (!ours.contains(rs.getLong(1))) {
                            if (grp != null && !grp.startsWith(CONFIRMS)) {
                                members.put(rs.getLong(1) + "\u0000" + rs.getString(2), grp);
                            } else {
                                later.merge(rs.getString(2), 1, Integer::sum);
                            }
                        }
                    }
                }
            }
            members.forEach((idAndTable, grp) -> {
                if (confirmedTokens.contains(grp)) {
                    later.merge(idAndTable.substring(idAndTable.indexOf('\u0000') + 1), 1, Integer::sum);
                }
            });
            if (!later.isEmpty()) {
                throw new CommittedDuringUndo("The application committed changes to " + later + " (table: entries) while "
                        + "the undo ran (a transaction the undo waited for, or a write that came meanwhile): the undo would have "
                        + "written over them or left their journal entries behind it. It was rolled back; nothing changed.");
            }
        }
        super.verifyAndEndUndo(c, schema, undone, redone, foreignKeys, after, upTo);
    }

    @Override
    protected String limitOne(TableMeta t) {
        return t.hasKey() ? "" : " limit 1";
    }

    @Override
    public List<String> withoutTransactions(Connection c, String schema, java.util.Collection<String> tables)
            throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select t.table_name, t.engine from information_schema.tables t "
                + "join information_schema.engines e on e.engine = t.engine where t.table_schema = ? "
                + "and e.transactions <> 'YES' order by 1")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (tables.contains(rs.getString(1))) {
                        out.add(rs.getString(1) + " (" + rs.getString(2) + ")");
                    }
                }
            }
        }
        return out;
    }

    @Override
    public boolean truncateInvisible() {
        return true;
    }

    /**
     * The connection {@link #tableIds} last read on, its database and the catalog table that answered
     * there: asked at every checkpoint, rollback and change mark, and the same for the connection's life
     * (VenomQA's own connection never changes database), so asked of the server once.
     */
    private Connection idsOf;
    private String idsDatabase;
    private String idsTable;

    @Override
    public Map<String, Long> tableIds(Connection c, String schema) throws SQLException {
        // InnoDB names a table <database>/<table> in its file name encoding ('order-items' is
        // order@002ditems), a partition <table>#P#<partition>: matching the raw names against the
        // tables' names missed both, so a TRUNCATE of such a table, or of a database named like
        // shop-test, went unnoticed and the rollback reported success.
        if (c != idsOf) {
            idsDatabase = queryStrings(c, "select database()").get(0);
            idsTable = null;
            idsOf = c;
        }
        String database = idsDatabase;
        String prefix = filename(database);
        for (String table : idsTable != null ? new String[] {idsTable} : new String[] {"innodb_sys_tables", "innodb_tables"}) {
            // Filtered on the database where its encoded name is known ('_' matches any character: the
            // names are compared again below).
            String sql = "select name, table_id from information_schema." + table
                    + (prefix == null ? "" : " where name like " + text(prefix + "/%"));
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                Map<String, Long> ids = new LinkedHashMap<>();
                while (rs.next()) {
                    String name = rs.getString(1);
                    int slash = name.indexOf('/');
                    if (slash < 0 || !database.equals(unfilename(name.substring(0, slash)))) {
                        continue;
                    }
                    String t = name.substring(slash + 1);
                    int partition = Math.max(t.indexOf("#P#"), t.indexOf("#p#"));
                    String decoded = unfilename(partition >= 0 ? t.substring(0, partition) : t);
                    if (decoded != null) {
                        // The partitions' ids summed: a TRUNCATE gives each a new, larger id.
                        ids.merge(decoded, rs.getLong(2), Long::sum);
                    }
                }
                idsTable = table;
                idsUnreadable = false;
                return ids;
            } catch (SQLException notThisServer) {
                // MariaDB has INNODB_SYS_TABLES, MySQL 8 INNODB_TABLES; without the PROCESS privilege neither.
            }
        }
        idsUnreadable = true;
        return Map.of();
    }

    /** Whether the last {@link #tableIds} found neither InnoDB catalog readable (no PROCESS privilege). */
    private boolean idsUnreadable;

    /** The tracked tables {@link #inspect} found system-versioned. */
    private Set<String> systemVersioned = Set.of();

    /**
     * The tables {@link #tableIds} has no id for: all of them without the PROCESS privilege, else those
     * that are not InnoDB tables or whose names it cannot read. Their digest is {@code CHECKSUM TABLE}
     * (the dialect's, which needs only SELECT): an exact undo gives the same sum. System-versioned
     * tables are left out: their history keeps the versions the run and the undo wrote.
     */
    @Override
    public List<String> tablesWhereTruncateUnseen(java.util.Collection<String> tables, Map<String, Long> ids) {
        return tables.stream().filter(t -> !ids.containsKey(t) && !systemVersioned.contains(t)).sorted().toList();
    }

    /** {@code name} in InnoDB's file name encoding where it is ASCII (every other character is escaped {@code @00xx}); else null. */
    static String filename(String name) {
        StringBuilder b = new StringBuilder();
        for (char ch : name.toCharArray()) {
            if (ch >= 128) {
                return null;
            }
            if (Character.isLetterOrDigit(ch) || ch == '_') {
                b.append(ch);
            } else {
                b.append('@').append(String.format("%04x", (int) ch));
            }
        }
        return b.toString();
    }

    /**
     * A name in InnoDB's file name encoding decoded, where it holds only ASCII escapes ({@code @00xx});
     * null where it holds others (letters outside ASCII are written with two-character codes from a
     * table of the server's, which this does not carry).
     */
    static String unfilename(String encoded) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < encoded.length(); i++) {
            char ch = encoded.charAt(i);
            if (ch != '@') {
                b.append(ch);
                continue;
            }
            if (i + 4 >= encoded.length() || encoded.charAt(i + 1) != '0' || encoded.charAt(i + 2) != '0'
                    || Character.digit(encoded.charAt(i + 3), 16) < 0 || Character.digit(encoded.charAt(i + 4), 16) < 0) {
                return null;
            }
            b.append((char) Integer.parseInt(encoded.substring(i + 3, i + 5), 16));
            i += 4;
        }
        return b.toString();
    }

    @Override
    public String quote(String identifier) {
        return quoteName(identifier);
    }

    /** {@link #quote} for code without an instance ({@link MySqlApplicationTriggers}). */
    static String quoteName(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    public String qualify(String schema, String table) {
        return quote(table); // the connection's database is the tracked one
    }

    /**
     * The tables created during the run at the {@code AUTO_INCREMENT} they were created with, where their pick-up read
     * it ({@link #startingCounters}), else at 1 (what {@code CREATE TABLE} gives without the option), as the dialect's
     * snapshot has it: InnoDB raises that to the largest id held plus one, so an empty table starts again there. The
     * MariaDB sequences created during the run ({@link #definitions}) at their {@code START}, as
     * {@code MySQLDialect}'s snapshot writes a sequence's next value ({@value #SEQUENCE_VALUE}{@code n}).
     */
    @Override
    public Map<String, String> freshCounters(java.util.Collection<String> createdTables, Map<String, Long> createdSequences,
                                             Map<String, String> started) {
        Map<String, String> out = new LinkedHashMap<>();
        createdTables.forEach(t -> out.put(t, started.getOrDefault(t, "1")));
        createdSequences.forEach((name, start) -> out.put(name, SEQUENCE_VALUE + start));
        return out;
    }

    /** How {@code MySQLDialect}'s counters snapshot writes a MariaDB sequence's next value ({@code MySQLSequences.PREFIX}). */
    static final String SEQUENCE_VALUE = "sequence ";

    /**
     * The {@code AUTO_INCREMENT} of each of {@code tables} that no committed write has touched since it was created
     * ({@code UPDATE_TIME} still null; MySQL 8 reads it live: {@link #tryLock} sets {@code information_schema_stats_expiry}): the value of its
     * {@code CREATE TABLE … AUTO_INCREMENT = n} option, which the server keeps nowhere else. A table written before
     * its pick-up is left out (its counter then shows the ids used, not where it started): it starts again at 1.
     * An insert rolled back before the pick-up moved the counter without a trace; that value is taken.
     */
    @Override
    public Map<String, String> startingCounters(Connection c, String schema, java.util.Collection<String> tables) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        if (tables.isEmpty()) {
            return out;
        }
        String names = String.join(", ", tables.stream().map(MySqlJournalSql::text).toList());
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select table_name, auto_increment from "
                + "information_schema.tables where table_schema = database() and auto_increment is not null and "
                + "update_time is null and table_name in (" + names + ")")) {
            while (rs.next()) {
                out.put(rs.getString(1), String.valueOf(rs.getLong(2)));
            }
        }
        return out;
    }
}
