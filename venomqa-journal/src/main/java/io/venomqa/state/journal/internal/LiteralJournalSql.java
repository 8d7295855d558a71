package io.venomqa.state.journal.internal;

import io.venomqa.state.jdbc.spi.JdbcDialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The journal of MySQL/MariaDB and SQLite, where a trigger must name every column: the row
 * image is a JSON object mapping each column to an SQL literal of its value, made by the database
 * itself ({@code quote()}, {@code HEX}), so that no value passes through a lossy JSON number or a
 * character-set conversion. The undo reads the images and runs one generated statement per row
 * (literals are database-made, names are quoted), newest first.
 *
 * <p>Rows are identified by the primary key, else by SQLite's {@code rowid}, else by every column.
 */
public abstract class LiteralJournalSql extends JournalSql {

    /** Runs the undo statements: together, in as few round trips as its driver allows. */
    private final JdbcDialect dialect;

    protected LiteralJournalSql(JdbcDialect dialect) {
        this.dialect = dialect;
    }

    /** The backend's dialect this journal writes through. */
    protected final JdbcDialect dialect() {
        return dialect;
    }


    /** The journal table (VenomQA's own: the {@code venomqa_} prefix keeps it out of resets and tracking). */
    protected static final String JOURNAL = "venomqa_journal";
    /** The run record table. */
    protected static final String RUN = "venomqa_run";

    /** Column of the journal holding the key of the row, for tables keyed by something the image lacks (SQLite rowid). */
    protected String extraKeyColumn(TableMeta t) {
        return null;
    }

    @Override
    public List<JournalEntry> entriesAfter(Connection c, String schema, long position) throws SQLException {
        return readEntries(c, "select id, table_name, op from " + JOURNAL + " where id > ? order by id", position);
    }

    @Override
    public List<JournalEntry> entriesBetween(Connection c, String schema, long after, long upTo) throws SQLException {
        return readEntries(c, "select id, table_name, op from " + JOURNAL + " where id > ? and id <= ? order by id", after, upTo);
    }

    @Override
    public long entryCount(Connection c, String schema) throws SQLException {
        return queryLong(c, "select count(*) from " + JOURNAL);
    }

    @Override
    protected String journalTable() {
        return JOURNAL;
    }

    @Override
    public void deleteEntries(Connection c, String schema, long after, long upTo) throws SQLException {
        update(c, "delete from " + JOURNAL + " where id > ? and id <= ?", after, upTo);
        for (String side : sideTables()) {
            update(c, "delete from " + side + " where entry_id > ? and entry_id <= ?", after, upTo);
        }
    }

    @Override
    public List<Stashed> stash(Connection c, String schema, List<JournalEntry> entries) throws SQLException {
        List<Stashed> out = new ArrayList<>(entries.size());
        for (int from = 0; from < entries.size(); from += 500) {
            List<Long> chunk = entries.subList(from, Math.min(entries.size(), from + 500)).stream()
                    .map(JournalEntry::id).toList();
            String in = chunk.stream().map(String::valueOf).collect(Collectors.joining(","));
            Map<Long, List<Object[]>> side = stashSide(c, in);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select id, table_name, op, "
                    + imageColumns(c, in) + " from " + JOURNAL + " where id in (" + in + ") order by id")) {
                while (rs.next()) {
                    out.add(new Stashed(rs.getString(2), rs.getString(3).charAt(0), rs.getString(4), rs.getString(5),
                            side.getOrDefault(rs.getLong(1), List.of())));
                }
            }
        }
        return out;
    }

    @Override
    public List<JournalEntry> unstash(Connection c, String schema, List<Stashed> rows) throws SQLException {
        List<JournalEntry> out = new ArrayList<>(rows.size());
        // One row at a time: the side rows need each entry's new id.
        try (java.sql.PreparedStatement ps = c.prepareStatement("insert into " + JOURNAL
                + " (table_name, op, old_row, new_row) values (?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            for (Stashed r : rows) {
                bind(ps, r.table(), String.valueOf(r.op()), r.oldRow(), r.newRow());
                ps.executeUpdate();
                long id;
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new SQLException("The journal did not return the id of a redone entry");
                    }
                    id = keys.getLong(1);
                }
                unstashSide(c, id, r.side());
                out.add(new JournalEntry(id, r.table(), r.op()));
            }
        }
        return out;
    }

    /**
     * The select-list that reads an entry's two images as the JSON text described above, old then
     * new (a null where the entry has none). Default: the journal's {@code old_row, new_row}; a
     * dialect whose triggers store the values themselves makes the same JSON from them here, so
     * that the cost of writing literals is paid by the entries that are read, not by every write.
     */
    protected String imageColumns(Connection c) throws SQLException {
        return "old_row, new_row";
    }

    /**
     * {@link #imageColumns(Connection)} for a query that reads only the entries {@code ids} (a
     * comma-separated list): a dialect may leave out what those entries cannot need. Default: the same.
     */
    protected String imageColumns(Connection c, String ids) throws SQLException {
        return imageColumns(c);
    }

    /** The side rows of the entries whose ids are {@code in} (a comma-separated list), by entry id. Default: none. */
    protected Map<Long, List<Object[]>> stashSide(Connection c, String in) throws SQLException {
        return Map.of();
    }

    /** Writes {@code side} rows for the new entry {@code id}. Default: nothing to write. */
    protected void unstashSide(Connection c, long id, List<Object[]> side) throws SQLException {
    }

    /** Tables holding parts of journal entries by {@code entry_id}, emptied with them. */
    protected List<String> sideTables() {
        return List.of();
    }

    /**
     * A foreign key between a tracked table and one the journal does not track, and which end is tracked.
     *
     * @param why what the untracked end is ("in another database", "not tracked (exclude_tables, …)")
     */
    protected record CrossingKey(ForeignKey key, boolean childTracked, String why) {
    }

    /**
     * The foreign keys between a tracked table and one the journal does not track, as the dialect read them at
     * {@code connect()} ({@link #crossingKeys(String, List)}): the untracked side's rows are never undone, and the
     * undo runs with the foreign keys unchecked, so an undo that takes away a key such a row references, or puts back
     * a row whose parent there was deleted, would leave a broken foreign key and report success (MySQL/MariaDB until
     * 2026-12-08). {@link #verifyUndo} refuses that. A key added during the run is not seen.
     */
    private volatile List<CrossingKey> crossingKeys = List.of();

    /**
     * Keeps {@code keys} for {@link #verifyUndo}, and where {@code warn} names them in a warning: their untracked side
     * stays as the run leaves it.
     */
    protected final void crossingKeys(String schema, List<CrossingKey> keys, boolean warn) {
        crossingKeys = List.copyOf(keys);
        if (!warn) {
            return;
        }
        warnOfCrossingKeys(undone(schema), keys.stream().map(k -> tableName(k.key().childSchema(), k.key().child()) + " → "
                + tableName(k.key().parentSchema(), k.key().parent()) + " (" + keyName(k.key()) + "; "
                + (k.childTracked() ? "the parent" : "the child") + " is " + k.why() + ")").toList());
    }

    /** What the journal covers, as messages name it ("database `shop`"). */
    protected abstract String undone(String schema);

    /** A table by its database (or schema) and name, as messages and the checks of {@link #verifyUndo} name it. */
    protected String tableName(String database, String table) {
        return quote(database) + "." + quote(table);
    }

    /** A foreign key as messages name it: by its constraint name. */
    protected String keyName(ForeignKey fk) {
        return quote(fk.name());
    }

    /** What a {@code SELECT} without a table is written with, after its select-list: {@code " from dual"} or nothing. */
    protected abstract String fromNothing();

    /** Whether {@code e} says a table does not exist (an untracked table dropped since {@code connect()}). */
    protected abstract boolean missingTable(SQLException e);

    /**
     * Fails (and the undo is rolled back) where the undo of {@code entries} broke a foreign key between a tracked table
     * and one the journal does not track ({@link #crossingKeys}): a row put back whose parent there no longer exists,
     * or a key taken away that a row there references. Only the keys the entries name are looked at: the child's
     * values in the rows put back, the parent's in the rows taken away (an update is both). Keys between tracked
     * tables are not checked: the undo puts both sides back.
     */
    @Override
    public void verifyUndo(Connection c, String schema, List<JournalEntry> entries, List<ForeignKey> foreignKeys)
            throws SQLException {
        List<CrossingKey> keys = crossingKeys;
        if (keys.isEmpty() || entries.isEmpty()) {
            return;
        }
        Map<String, List<Long>> restored = new HashMap<>();
        Map<String, List<Long>> removed = new HashMap<>();
        for (JournalEntry e : entries) {
            if (e.op() == 'D' || e.op() == 'U') {
                restored.computeIfAbsent(e.table(), t -> new ArrayList<>()).add(e.id());
            }
            if (e.op() == 'I' || e.op() == 'U') {
                removed.computeIfAbsent(e.table(), t -> new ArrayList<>()).add(e.id());
            }
        }
        String lead = "After undoing the journal of " + undone(schema);
        String rolledBack = "The undo was rolled back: the data is as it was before this rollback.";
        for (CrossingKey ck : keys) {
            ForeignKey fk = ck.key();
            String child = tableName(fk.childSchema(), fk.child());
            String parent = tableName(fk.parentSchema(), fk.parent());
            if (ck.childTracked() && restored.containsKey(fk.child())) {
                // Rows put back: each one's parent must be there; up to 200 keys a query.
                List<List<String>> all = keyValues(c, restored.get(fk.child()), 0, fk.childColumns());
                for (int from = 0; from < all.size(); from += 200) {
                    List<List<String>> chunk = all.subList(from, Math.min(all.size(), from + 200));
                    StringBuilder orphans = new StringBuilder();
                    for (int i = 0; i < chunk.size(); i++) {
                        orphans.append(i > 0 ? " union all " : "").append("select ").append(i).append(fromNothing())
                                .append(" where not exists (select 1 from ").append(parent).append(" vq_p where ")
                                .append(matching("vq_p", fk.parentColumns(), chunk.get(i))).append(")");
                    }
                    List<String> row = firstRow(c, "select * from (" + orphans + ") vq_x limit 1");
                    if (row != null && !row.isEmpty()) {
                        List<String> values = chunk.get(Integer.parseInt(row.get(0)));
                        throw new io.venomqa.state.RollbackException(lead + ", the row of " + child + " it puts back ("
                                + String.join(", ", fk.childColumns()) + " = " + String.join(", ", values) + ") would have no "
                                + "matching row in " + parent + " (foreign key " + keyName(fk) + "), a table " + ck.why()
                                + ": the row it references was deleted or changed during the run, and the journal does not "
                                + "undo that table. " + rolledBack + " Keep the application's changes to " + parent
                                + " out of the run, or track it (remove it from exclude_tables; a table of another database "
                                + "cannot be).");
                    }
                }
            }
            if (!ck.childTracked() && removed.containsKey(fk.parent())) {
                // Keys taken away: no row of the untracked child may still reference one.
                List<List<String>> values = keyValues(c, removed.get(fk.parent()), 1, fk.parentColumns());
                StringBuilder join = new StringBuilder();
                for (int i = 0; i < fk.childColumns().size(); i++) {
                    join.append(i > 0 ? " and " : "").append("vq_p.").append(quote(fk.parentColumns().get(i)))
                            .append(" = vq_c.").append(quote(fk.childColumns().get(i)));
                }
                for (int from = 0; from < values.size(); from += 200) {
                    String any = values.subList(from, Math.min(values.size(), from + 200)).stream()
                            .map(v -> "(" + matching("vq_c", fk.childColumns(), v) + ")").collect(Collectors.joining(" or "));
                    List<String> row = firstRow(c, "select " + fk.childColumns().stream().map(col -> "quote(vq_c." + quote(col)
                            + ")").collect(Collectors.joining(", ")) + " from " + child + " vq_c where (" + any
                            + ") and not exists (select 1 from " + parent + " vq_p where " + join + ") limit 1");
                    if (row != null && !row.isEmpty()) {
                        String found = String.join(", ", row);
                        throw new io.venomqa.state.RollbackException(lead + ", a row of " + child + " ("
                                + String.join(", ", fk.childColumns()) + " = " + found + "), a table " + ck.why() + ", would "
                                + "reference a row of " + parent + " that the undo takes away (foreign key "
                                + keyName(fk) + "): the application wrote that row during the run, and the journal does "
                                + "not undo that table. " + rolledBack + " Keep the application's writes to " + child
                                + " out of the run (or delete its rows the run made before rolling back), or track it "
                                + "(remove it from exclude_tables; a table of another database cannot be).");
                    }
                }
            }
        }
    }

    /** The values of {@code columns} in image {@code side} (0 old, 1 new) of each entry, as literals; none holding NULL, each once. */
    private List<List<String>> keyValues(Connection c, List<Long> ids, int side, List<String> columns) throws SQLException {
        java.util.Set<List<String>> out = new java.util.LinkedHashSet<>();
        for (List<Map<String, String>> pair : images(c, ids).values()) {
            Map<String, String> image = pair.get(side);
            if (image == null) {
                continue;
            }
            List<String> values = new ArrayList<>();
            for (String col : columns) {
                String v = image.get(col);
                if (v == null || v.equals("NULL")) {
                    values = null; // MATCH SIMPLE: a key with a NULL references nothing
                    break;
                }
                values.add(v);
            }
            if (values != null) {
                out.add(values);
            }
        }
        return List.copyOf(out);
    }

    /**
     * The first row of {@code sql}, each column as text ("NULL" for a null); empty for no row; null when a table it
     * reads no longer exists (an untracked table dropped since {@code connect()}: no row of it references anything).
     * A plain statement, as the undo's own: the literals in it come from the images and are not parameters.
     */
    private List<String> firstRow(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                return List.of();
            }
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.add(java.util.Objects.requireNonNullElse(rs.getString(i), "NULL"));
            }
            return row;
        } catch (SQLException e) {
            if (missingTable(e)) {
                return null;
            }
            throw e;
        }
    }

    private String matching(String alias, List<String> columns, List<String> values) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            out.append(i > 0 ? " and " : "").append(alias).append(".").append(quote(columns.get(i))).append(" = ")
                    .append(values.get(i));
        }
        return out.toString();
    }

    /** The images of {@code ids}: id → [old, new], each a column → literal map (null when absent). */
    protected final Map<Long, List<Map<String, String>>> images(Connection c, List<Long> ids) throws SQLException {
        Map<Long, List<Map<String, String>>> out = new HashMap<>();
        for (int from = 0; from < ids.size(); from += 500) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            String in = chunk.stream().map(String::valueOf).collect(Collectors.joining(","));
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select id, " + imageColumns(c, in) + " from " + JOURNAL
                         + " where id in (" + in + ")")) {
                // Mirrored (a redo): the new image is the one to restore, the old one what to match.
                int oldCol = mirrored() ? 3 : 2;
                while (rs.next()) {
                    List<Map<String, String>> pair = new ArrayList<>(2);
                    pair.add(resolve(MiniJson.parseObject(rs.getString(oldCol)), rs.getLong(1), mirrored() ? 'n' : 'o'));
                    pair.add(resolve(MiniJson.parseObject(rs.getString(5 - oldCol)), rs.getLong(1), mirrored() ? 'o' : 'n'));
                    out.put(rs.getLong(1), pair);
                }
            }
        }
        return out;
    }

    @Override
    public Map<Long, Images> displayImages(Connection c, String schema, TableMeta t, List<Long> ids) throws SQLException {
        Map<Long, Images> out = new HashMap<>();
        SqlLiteral literals = literals();
        String extra = extraKeyColumn(t);
        boolean dropExtra = extra != null && t.columns().stream().noneMatch(col -> col.name().equals(extra));
        List<PendingCall> calls = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += 500) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            String in = chunk.stream().map(String::valueOf).collect(Collectors.joining(","));
            Map<String, String> kept = null; // the chunk's values kept out of the images, read once when one is met
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select id, " + imageColumns(c, in) + " from " + JOURNAL
                         + " where id in (" + in + ")")) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    List<Map<String, String>> sides = new ArrayList<>(2);
                    for (int col = 2; col <= 3; col++) {
                        String json = rs.getString(col);
                        if (json == null) {
                            sides.add(null);
                            continue;
                        }
                        Map<String, String> row = new LinkedHashMap<>();
                        for (Map.Entry<String, String> v : MiniJson.parseObject(json).entrySet()) {
                            if (dropExtra && v.getKey().equals(extra)) {
                                continue; // SQLite's rowid identifies the row for the undo; it is not a column
                            }
                            if (markers().contains(v.getValue())) {
                                if (kept == null) {
                                    kept = displayMarkers(c, in);
                                }
                                row.put(v.getKey(), displayKept(v.getValue(), kept.get(markerKey(id, col == 2 ? 'o' : 'n', v.getKey()))));
                                continue;
                            }
                            String raw = v.getValue();
                            String shown = literals.accepts(raw) ? literals.display(raw) : raw;
                            if (shown == raw && literals.accepts(raw) && literals.isCall(raw)) {
                                calls.add(new PendingCall(row, v.getKey(), raw));
                            }
                            row.put(v.getKey(), shown);
                        }
                        sides.add(row);
                    }
                    out.put(id, new Images(sides.get(0), sides.get(1)));
                }
            }
        }
        if (!calls.isEmpty()) {
            // By position, not by text: a string column may hold the text of a call.
            Map<String, String> values = evaluateCalls(c, calls.stream().map(PendingCall::call).distinct().toList());
            for (PendingCall p : calls) {
                p.row().put(p.column(), values.getOrDefault(p.call(), p.call()));
            }
        }
        return out;
    }

    /** A value of an image that is a function call, shown once the database has evaluated it. */
    private record PendingCall(Map<String, String> row, String column, String call) {
    }

    /**
     * The report text of function-call literals the images hold ({@link SqlLiteral#isCall}), which are
     * accepted literals and so safe to run: literal → text as the database's other change source (the
     * savepoint strategy's capture) reads that value. Default: none evaluated, shown as written.
     */
    protected Map<String, String> evaluateCalls(Connection c, List<String> calls) throws SQLException {
        return Map.of();
    }

    /**
     * The text of every value the trigger kept out of the images ({@link #markers()}) of the entries
     * {@code ids} (a comma-separated list), for reports, by {@link #markerKey}: one query per chunk of
     * entries rather than one per value.
     */
    protected Map<String, String> displayMarkers(Connection c, String ids) throws SQLException {
        return Map.of();
    }

    /**
     * How a kept value reads in a report, given the image's {@code marker} and what
     * {@link #displayMarkers} gave for it. Default: as given.
     */
    protected String displayKept(String marker, String shown) {
        return shown;
    }

    /** The key of one kept value in {@link #displayMarkers}. */
    protected static String markerKey(long id, char side, String column) {
        return id + "/" + side + "/" + column;
    }

    /** Values a trigger writes instead of a literal, which {@link #resolve} replaces by SQL VenomQA makes itself. */
    protected java.util.Set<String> markers() {
        return java.util.Set.of();
    }

    /** The literal forms this database's triggers write (see {@link SqlLiteral}). */
    protected abstract SqlLiteral literals();

    /** Entries whose images hold a value that is not a literal a trigger writes, or are not JSON of that shape. */
    @Override
    public java.util.Set<Long> malformedEntries(Connection c, String schema, List<JournalEntry> entries)
            throws SQLException {
        java.util.Set<Long> bad = new java.util.HashSet<>();
        SqlLiteral accepted = literals();
        List<Long> ids = entries.stream().map(JournalEntry::id).toList();
        for (int from = 0; from < ids.size(); from += 500) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            String in = chunk.stream().map(String::valueOf).collect(Collectors.joining(","));
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select id, " + imageColumns(c, in) + " from " + JOURNAL
                         + " where id in (" + in + ")")) {
                while (rs.next()) {
                    try {
                        for (int col = 2; col <= 3; col++) {
                            for (Map.Entry<String, String> v : MiniJson.parseObject(rs.getString(col)).entrySet()) {
                                if (!accepted.accepts(v.getValue()) && !markers().contains(v.getValue())) {
                                    bad.add(rs.getLong(1));
                                }
                            }
                        }
                    } catch (RuntimeException notOurShape) {
                        bad.add(rs.getLong(1));
                    }
                }
            }
        }
        return bad;
    }

    /**
     * Turns values the trigger kept out of the image (a marker) into SQL that reads them, for entry
     * {@code id}, side {@code o}ld or {@code n}ew. Default: the image as it is.
     */
    protected Map<String, String> resolve(Map<String, String> image, long id, char side) {
        return image;
    }

    /** Columns identifying a row, with the names they have in the image. */
    protected List<String> identity(TableMeta t) {
        if (t.hasKey()) {
            return t.keyColumns();
        }
        String extra = extraKeyColumn(t);
        if (extra != null) {
            return List.of(extra);
        }
        List<String> cols = t.insertable().stream().filter(this::comparable).map(TableMeta.Column::name).toList();
        return cols.isEmpty() ? t.insertable().stream().map(TableMeta.Column::name).toList() : cols;
    }

    /**
     * Whether a column's literal compares equal to the stored value, so that it can identify a row
     * of a table without a key. (MySQL's FLOAT was not while its literal had six digits; written as the
     * DOUBLE it is, the literal equals it.)
     */
    protected boolean comparable(TableMeta.Column column) {
        return true;
    }

    /**
     * The condition an undo statement finds its row by: the row {@code image} (an entry's new image)
     * describes, as it must be now that every later change is undone. Default: its identity
     * ({@link #identity}); a dialect whose literals compare exactly can ask for every column, so that
     * a row changed behind the journal's back makes the affected-row count differ and the undo fail.
     */
    protected String currentRow(TableMeta t, Map<String, String> image) {
        return where(t, image);
    }

    protected final String where(TableMeta t, Map<String, String> image) {
        return identity(t).stream().map(k -> nullSafeEquals(keyExpression(k), literal(image, k)))
                .collect(Collectors.joining(" and "));
    }

    /** How a key column is written in a WHERE clause (SQLite's rowid is not a quoted identifier). */
    protected String keyExpression(String column) {
        return quote(column);
    }

    /** {@code a <=> b} / {@code a IS b}: equality that matches NULL with NULL (keyless tables may hold NULLs). */
    protected abstract String nullSafeEquals(String left, String right);

    /** Suffix making a DELETE/UPDATE touch one row only ({@code LIMIT 1} where supported). */
    protected abstract String limitOne(TableMeta t);

    private static String literal(Map<String, String> image, String column) {
        String v = image.get(column);
        if (v == null) {
            throw new IllegalStateException("The journal image has no column '" + column + "': was the table altered "
                    + "during the run? Images hold " + image.keySet());
        }
        return v;
    }

    @Override
    public int undoDeletes(Connection c, String schema, TableMeta t, List<Long> ids) throws SQLException {
        Map<Long, List<Map<String, String>>> images = images(c, ids);
        List<String> sqls = new ArrayList<>();
        for (long id : ids) {
            Map<String, String> old = images.get(id).get(0);
            Map<String, String> values = new LinkedHashMap<>();
            for (TableMeta.Column col : t.insertable()) {
                values.put(quote(col.name()), literal(old, col.name()));
            }
            String extra = extraKeyColumn(t);
            if (extra != null && old.containsKey(extra)) {
                values.put(keyExpression(extra), old.get(extra));
            }
            sqls.add(writing(t, "insert into " + qualify(schema, t.name()) + " (" + String.join(", ", values.keySet())
                    + ") values (" + String.join(", ", values.values()) + ")"));
        }
        return run(c, sqls);
    }

    @Override
    public int undoInserts(Connection c, String schema, TableMeta t, List<Long> ids) throws SQLException {
        Map<Long, List<Map<String, String>>> images = images(c, ids);
        List<String> sqls = new ArrayList<>();
        for (long id : ids) {
            Map<String, String> neu = images.get(id).get(1);
            sqls.add("delete from " + qualify(schema, t.name()) + " where " + currentRow(t, neu) + limitOne(t));
        }
        return run(c, sqls);
    }

    @Override
    public int undoUpdate(Connection c, String schema, TableMeta t, long id) throws SQLException {
        return undoUpdates(c, schema, t, List.of(id))[0];
    }

    /**
     * The images of every entry read in one query, and the updates that put the rows back sent
     * together ({@link JdbcDialect#executeTogether}), in the entries' order: on MySQL/MariaDB a few
     * round trips for any number of rows instead of two per row.
     */
    @Override
    public int[] undoUpdates(Connection c, String schema, TableMeta t, List<Long> ids) throws SQLException {
        Map<Long, List<Map<String, String>>> images = images(c, ids);
        int[] counts = new int[ids.size()];
        List<String> sqls = new ArrayList<>();
        List<Integer> sent = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            List<Map<String, String>> pair = images.get(ids.get(i));
            Map<String, String> old = pair.get(0);
            Map<String, String> neu = pair.get(1);
            List<String> set = new ArrayList<>();
            for (TableMeta.Column col : t.updatable()) {
                set.add(quote(col.name()) + " = " + literal(old, col.name()));
            }
            String extra = extraKeyColumn(t);
            if (extra != null && old.containsKey(extra)) {
                set.add(keyExpression(extra) + " = " + old.get(extra));
            }
            if (set.isEmpty()) {
                counts[i] = 1; // nothing to put back (every column is part of the key or generated)
                continue;
            }
            sqls.add(writing(t, "update " + qualify(schema, t.name()) + " set " + String.join(", ", set)
                    + " where " + currentRow(t, neu) + limitOne(t)));
            sent.add(i);
        }
        int[] done = sqls.isEmpty() ? new int[0] : dialect.executeTogether(c, sqls);
        for (int k = 0; k < done.length; k++) {
            counts[sent.get(k)] = done[k];
        }
        return counts;
    }

    /** Whether one row is as the old image of update entry {@code id} says, by {@link #currentRow} (every column where the dialect compares them). */
    @Override
    public boolean atOldImage(Connection c, String schema, TableMeta t, long id) throws SQLException {
        Map<String, String> old = images(c, List.of(id)).get(id).get(0);
        return queryLong(c, "select count(*) from " + qualify(schema, t.name()) + " where " + currentRow(t, old)) == 1;
    }

    /**
     * {@code sql}, an undo statement that writes values back into {@code t} (an INSERT or UPDATE), as
     * the dialect sends it. Default: as it is.
     */
    protected String writing(TableMeta t, String sql) {
        return sql;
    }

    private int run(Connection c, List<String> sqls) throws SQLException {
        int n = 0;
        for (int count : dialect.executeTogether(c, sqls)) {
            n += count;
        }
        return n;
    }
}
