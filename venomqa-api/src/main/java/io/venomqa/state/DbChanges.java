package io.venomqa.state;

import io.venomqa.core.CredentialMasker;
import io.venomqa.state.internal.CompactRow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What was written to the database in a window of time (one step, or the time between two steps):
 * per table, the rows inserted, updated (each changed column, before and after) and deleted, with
 * their keys. Immutable; produced by a {@link ChangeTracker}.
 *
 * <p>Either the changes are {@linkplain #tracked() tracked}, and then an empty list really means
 * that nothing was written, or they are not, and {@link #notTrackedReason()} says why: a window
 * whose changes are unknown never looks like a window in which nothing happened.
 *
 * <p>Values are text, and values of columns whose name looks secret are masked (see
 * {@link RowChange}). Notes ({@link #notes()}) tell what else the capture met (a journal entry of a kind it
 * does not know, for instance); a window whose list would be incomplete for a reason the capture knows (a
 * {@code TRUNCATE} invisible to MySQL triggers, a table created during the run) is not tracked instead.
 */
public final class DbChanges {

    private static final DbChanges NONE = new DbChanges(List.of(), List.of(), null);

    private final List<TableChanges> tables;
    private final List<String> notes;
    private final String notTrackedReason;

    private DbChanges(List<TableChanges> tables, List<String> notes, String notTrackedReason) {
        this.tables = List.copyOf(tables);
        this.notes = List.copyOf(notes);
        this.notTrackedReason = notTrackedReason;
    }

    /** Tracked, and nothing was written. */
    public static DbChanges none() {
        return NONE;
    }

    /**
     * Changes that are not known, with the reason shown to the user ("changes not tracked: " + reason).
     *
     * @param reason why, and if possible what to do about it; not blank
     */
    public static DbChanges notTracked(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("A reason is required: the report tells the user why changes are not shown");
        }
        return new DbChanges(List.of(), List.of(), reason);
    }

    /** A builder that merges the row events it is given into each row's net change. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the changes are known. When false, {@link #tables()} is empty and means nothing. */
    public boolean tracked() {
        return notTrackedReason == null;
    }

    /** Why the changes are not known; empty when they are. */
    public Optional<String> notTrackedReason() {
        return Optional.ofNullable(notTrackedReason);
    }

    /** The tables with at least one changed row, by name (ignoring case). */
    public List<TableChanges> tables() {
        return tables;
    }

    /** What the capture could see only in part, for the reader of a report. */
    public List<String> notes() {
        return notes;
    }

    /** The changes of {@code table} (its exact name, else ignoring case), if it has any. */
    public Optional<TableChanges> table(String table) {
        for (TableChanges t : tables) {
            if (t.table().equals(table)) {
                return Optional.of(t);
            }
        }
        return tables.stream().filter(t -> t.table().equalsIgnoreCase(table)).findFirst();
    }

    /** Whether the changes are tracked and no row was written. False when not tracked: nothing is known then. */
    public boolean isEmpty() {
        return tracked() && tables.isEmpty();
    }

    /** Rows inserted into {@code table} (0 when none, or when not tracked). */
    public int inserted(String table) {
        return table(table).map(t -> t.inserted().size()).orElse(0);
    }

    /** Rows updated in {@code table}. */
    public int updated(String table) {
        return table(table).map(t -> t.updated().size()).orElse(0);
    }

    /** Rows deleted from {@code table}. */
    public int deleted(String table) {
        return table(table).map(t -> t.deleted().size()).orElse(0);
    }

    /** Rows inserted into every table. */
    public int insertedCount() {
        return tables.stream().mapToInt(t -> t.inserted().size()).sum();
    }

    /** Rows updated in every table. */
    public int updatedCount() {
        return tables.stream().mapToInt(t -> t.updated().size()).sum();
    }

    /** Rows deleted from every table. */
    public int deletedCount() {
        return tables.stream().mapToInt(t -> t.deleted().size()).sum();
    }

    /** Every changed row of every table. */
    public int totalCount() {
        return tables.stream().mapToInt(TableChanges::count).sum();
    }

    /**
     * One line: {@code +1 orders  ~1 carts  -2 cart_items}; {@code no rows changed} when empty;
     * {@code changes not tracked: <reason>} when not tracked.
     */
    public String summary() {
        if (!tracked()) {
            return "changes not tracked: " + notTrackedReason;
        }
        if (tables.isEmpty()) {
            return "no rows changed";
        }
        List<String> parts = new ArrayList<>(tables.size());
        for (TableChanges t : tables) {
            parts.add(t.summary());
        }
        return String.join("  ", parts);
    }

    /**
     * The net changes of this window followed by {@code later}: each row's changes folded as
     * {@link Builder} folds events (insert then update is an insert with the final values, insert then
     * delete nothing, delete then insert of the same key an update, and so on), so that the result
     * reads as one window from the start of this one to the end of {@code later}. Rows are matched by
     * their key; rows of a table without a primary key (whose key is every column) by their whole
     * image, as {@link Builder} matches them (a row inserted by one window and deleted by the next is
     * no change; until 2026-12-06 such rows were not folded and stood as given, so a journey's
     * {@code expectDb} counted them), except rows holding a masked value, whose images cannot be
     * compared. A column whose values are masked counts as changed when either window changed
     * it, since its values cannot be compared. Not tracked when either window is not (with the first
     * reason); notes of both are kept.
     */
    public DbChanges then(DbChanges later) {
        Objects.requireNonNull(later, "later");
        if (!tracked()) {
            return this;
        }
        if (!later.tracked()) {
            return later;
        }
        if (later.tables.isEmpty() && later.notes.isEmpty()) {
            return this;
        }
        Map<String, List<RowChange>> rows = new LinkedHashMap<>();
        for (DbChanges window : List.of(this, later)) {
            for (TableChanges t : window.tables) {
                List<RowChange> list = rows.computeIfAbsent(t.table(), k -> new ArrayList<>());
                for (RowChange r : t.rows()) {
                    fold(list, r);
                }
            }
        }
        List<TableChanges> out = new ArrayList<>();
        for (Map.Entry<String, List<RowChange>> e : rows.entrySet()) {
            List<RowChange> ins = new ArrayList<>();
            List<RowChange> upd = new ArrayList<>();
            List<RowChange> del = new ArrayList<>();
            for (RowChange r : e.getValue()) {
                (r.kind() == RowChange.Kind.INSERTED ? ins : r.kind() == RowChange.Kind.UPDATED ? upd : del).add(r);
            }
            if (!e.getValue().isEmpty()) {
                out.add(new TableChanges(e.getKey(), ins, upd, del));
            }
        }
        out.sort(java.util.Comparator.comparing((TableChanges t) -> t.table().toLowerCase(Locale.ROOT))
                .thenComparing(TableChanges::table));
        List<String> allNotes = new ArrayList<>(new LinkedHashSet<>(notes));
        for (String n : later.notes) {
            if (!allNotes.contains(n)) {
                allNotes.add(n);
            }
        }
        return out.isEmpty() && allNotes.isEmpty() ? NONE : new DbChanges(out, allNotes, null);
    }

    /** Adds {@code r} to a table's earlier rows, folding it into the earlier change of the same row. */
    private static void fold(List<RowChange> list, RowChange r) {
        boolean keyless = r.key().keySet().equals(new LinkedHashSet<>(r.columns()));
        if (keyless) {
            // The latest earlier row whose image this one continues: its new image is r's old one, or, for an
            // insert, it deleted a row equal to the one inserted (two equal rows cannot be told apart).
            for (int i = list.size() - 1; i >= 0 && !masked(r); i--) {
                RowChange e = list.get(i);
                boolean continues = r.kind() == RowChange.Kind.INSERTED
                        ? e.kind() == RowChange.Kind.DELETED && e.before().equals(r.after())
                        : e.kind() != RowChange.Kind.DELETED && e.after().equals(r.before());
                if (continues && e.key().keySet().equals(r.key().keySet()) && !masked(e)) {
                    foldAt(list, i, r);
                    return;
                }
            }
            list.add(r);
            return;
        }
        // The row as it was before r: matched against the key after each earlier change.
        Map<String, String> beforeKey = r.before().isEmpty() ? r.key() : project(r.key().keySet(), r.before());
        for (int i = 0; i < list.size(); i++) {
            RowChange e = list.get(i);
            Map<String, String> afterKey = e.after().isEmpty() ? e.key() : project(e.key().keySet(), e.after());
            if (!e.key().keySet().equals(r.key().keySet()) || !afterKey.equals(beforeKey)
                    || (e.kind() == RowChange.Kind.DELETED) != (r.kind() == RowChange.Kind.INSERTED)) {
                continue;
            }
            foldAt(list, i, r);
            return;
        }
        list.add(r);
    }

    /** Folds {@code r} into the earlier change at {@code i}: their net change, or none (then it goes). */
    private static void foldAt(List<RowChange> list, int i, RowChange r) {
        RowChange merged = merge(list.get(i), r);
        if (merged == null) {
            list.remove(i);
        } else {
            list.set(i, merged);
        }
    }

    /** Whether a value of {@code r} is masked, so that its images cannot be compared. */
    private static boolean masked(RowChange r) {
        return r.before().containsValue(CredentialMasker.MASK) || r.after().containsValue(CredentialMasker.MASK);
    }

    private static Map<String, String> project(Set<String> columns, Map<String, String> row) {
        Map<String, String> k = new LinkedHashMap<>();
        for (String c : columns) {
            k.put(c, row.get(c));
        }
        return k;
    }

    /** The net change of {@code e} then {@code r} on one row; {@code null} when the row ends as it began. */
    private static RowChange merge(RowChange e, RowChange r) {
        Map<String, String> before = e.before();
        Map<String, String> after = r.after();
        if (before.isEmpty() && after.isEmpty()) {
            return null; // inserted, then deleted
        }
        RowChange.Kind kind = before.isEmpty() ? RowChange.Kind.INSERTED
                : after.isEmpty() ? RowChange.Kind.DELETED : RowChange.Kind.UPDATED;
        Map<String, String> row = after.isEmpty() ? before : after;
        Set<String> changed = new LinkedHashSet<>();
        for (String c : row.keySet()) {
            boolean masked = CredentialMasker.MASK.equals(before.get(c)) || CredentialMasker.MASK.equals(after.get(c));
            if (kind != RowChange.Kind.UPDATED || !Objects.equals(before.get(c), after.get(c))
                    || masked && (e.changed().contains(c) || r.changed().contains(c))) {
                changed.add(c);
            }
        }
        if (changed.isEmpty()) {
            return null;
        }
        return new RowChange(kind, project(r.key().keySet(), row), before, after, changed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DbChanges d && d.tables.equals(tables) && d.notes.equals(notes)
                && Objects.equals(d.notTrackedReason, notTrackedReason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tables, notes, notTrackedReason);
    }

    @Override
    public String toString() {
        return "DbChanges[" + summary() + (notes.isEmpty() ? "" : ", notes=" + notes) + "]";
    }

    /**
     * Collects row events in the order they happened and folds each row's events into its net
     * change: insert then update is an insert with the final values, update then delete a delete
     * with the first values, insert then delete nothing, delete then insert of the same key an
     * update; an update that changed no value is left out. Rows are matched by the key columns
     * given with each event, and a row whose key changed continues only with an event whose old
     * image is its new one (a deferred key lets one statement move a row to a key another row is
     * leaving: {@code update t set id = id + 1}). In a table without key columns (no primary key) a row is matched by its
     * whole image: an event whose old image is the new image of an earlier event continues that
     * event's row, and an insert of the image an earlier event deleted puts that row back, so a row
     * changed and changed back, or inserted and deleted, within the window is no change, as a
     * comparison of the table before and after finds (two equal rows cannot be told apart, and
     * either one continuing the change gives the same net table). Until 2026-12-06 such events were
     * kept as given: the journal strategy showed a keyless row changed and changed back as two
     * updates, and one inserted and deleted again as an insert and a delete. Secret-looking columns
     * are masked when {@link #build()} runs, after the changed columns were found. Not thread-safe.
     */
    public static final class Builder {

        private static final class Pending {
            final String table;
            final List<String> keyColumns;
            Map<String, String> before;
            Map<String, String> after;

            Pending(String table, List<String> keyColumns, Map<String, String> before, Map<String, String> after) {
                this.table = table;
                this.keyColumns = keyColumns;
                this.before = before;
                this.after = after;
            }
        }

        private final Map<String, Map<Object, Pending>> keyed = new LinkedHashMap<>();
        /** The shape of each list of key columns, for the keys of compact rows. */
        private final Map<List<String>, CompactRow.Shape> keyShapes = new java.util.HashMap<>();
        /** Per row shape, the positions of its secret-looking columns (most shapes have none). */
        private final Map<CompactRow.Shape, int[]> secretPositions = new java.util.IdentityHashMap<>();
        private final Map<String, List<Pending>> events = new LinkedHashMap<>();
        /**
         * Per table without key columns, its pending events by the image the row has now (new image), and
         * those that deleted a row by its old image: where a later event of an equal image continues.
         */
        private final Map<String, Map<Map<String, String>, java.util.ArrayDeque<Pending>>> keylessNow = new java.util.HashMap<>();
        private final Map<String, Map<Map<String, String>, java.util.ArrayDeque<Pending>>> keylessGone = new java.util.HashMap<>();
        private final List<String> notes = new ArrayList<>();
        private final Map<String, Boolean> secretColumns = new java.util.HashMap<>();

        private Builder() {
        }

        /** Row {@code after} was inserted into {@code table}; {@code keyColumns} identify it (empty: no key). */
        public Builder inserted(String table, List<String> keyColumns, Map<String, String> after) {
            return event(table, keyColumns, null, after);
        }

        /** Row {@code before} of {@code table} became {@code after}. */
        public Builder updated(String table, List<String> keyColumns, Map<String, String> before, Map<String, String> after) {
            return event(table, keyColumns, before, after);
        }

        /** Row {@code before} was deleted from {@code table}. */
        public Builder deleted(String table, List<String> keyColumns, Map<String, String> before) {
            return event(table, keyColumns, before, null);
        }

        /** Something the capture could see only in part, shown with the changes. */
        public Builder note(String note) {
            notes.add(Objects.requireNonNull(note, "note"));
            return this;
        }

        private Builder event(String table, List<String> keyColumns, Map<String, String> before, Map<String, String> after) {
            Objects.requireNonNull(table, "table");
            List<Pending> list = events.computeIfAbsent(table, t -> new ArrayList<>());
            if (keyColumns == null || keyColumns.isEmpty()) {
                keylessEvent(table, list, before, after);
                return this;
            }
            List<String> keys = List.copyOf(keyColumns);
            Map<Object, Pending> rows = keyed.computeIfAbsent(table, t -> new LinkedHashMap<>());
            Object oldKey = before == null ? null : keyOf(keys, before);
            Object newKey = after == null ? null : keyOf(keys, after);
            Pending p = rows.remove(before != null ? oldKey : newKey); // a one-column key's value may be null
            if (p != null && before != null && p.before != null && p.after != null
                    && !java.util.Objects.equals(keyOf(keys, p.before), oldKey) && !p.after.equals(before)) {
                // Another row: the one p moved to this key left it within the same statement, which a deferred key allows
                // (update t set id = id + 1). Until 2026-12-06 its change was folded into p's: one row read as updated
                // from the first one's values to the last one's, and the others were missing.
                rows.put(oldKey, p);
                p = null;
            }
            if (p == null) {
                p = new Pending(table, keys, copy(before), copy(after));
                list.add(p);
            } else {
                p.after = copy(after);
            }
            if (p.before == null && p.after == null) {
                list.remove(p); // inserted and deleted again within the window
            } else if (p.after != null) {
                rows.put(newKey, p);
            } else {
                rows.put(oldKey, p); // deleted: a later insert of the same key makes it an update
            }
            return this;
        }

        /**
         * An event of a table without key columns: continues the pending event whose row is {@code before}
         * now (for an insert, one that deleted a row equal to {@code after}), else starts one. A row whose
         * events end as it began, or inserted and deleted, builds to nothing ({@link #toRow}).
         */
        private void keylessEvent(String table, List<Pending> list, Map<String, String> before, Map<String, String> after) {
            Map<Map<String, String>, java.util.ArrayDeque<Pending>> now = keylessNow.computeIfAbsent(table, t -> new java.util.HashMap<>());
            Map<Map<String, String>, java.util.ArrayDeque<Pending>> gone = keylessGone.computeIfAbsent(table, t -> new java.util.HashMap<>());
            Pending p = before != null ? take(now, before) : after != null ? take(gone, after) : null;
            if (p == null) {
                p = new Pending(table, List.of(), copy(before), copy(after));
                list.add(p);
            } else {
                p.after = copy(after);
            }
            if (p.after != null) {
                now.computeIfAbsent(p.after, k -> new java.util.ArrayDeque<>()).addLast(p);
            } else if (p.before != null) {
                gone.computeIfAbsent(p.before, k -> new java.util.ArrayDeque<>()).addLast(p);
            }
        }

        /** The latest pending event filed under {@code image}, removed from that index; null when none. */
        private static Pending take(Map<Map<String, String>, java.util.ArrayDeque<Pending>> index, Map<String, String> image) {
            java.util.ArrayDeque<Pending> q = index.get(image);
            if (q == null) {
                return null;
            }
            Pending p = q.pollLast();
            if (q.isEmpty()) {
                index.remove(image);
            }
            return p;
        }

        private static Map<String, String> copy(Map<String, String> row) {
            if (row instanceof CompactRow) {
                return row; // immutable: nothing to protect it from
            }
            return row == null ? null : new RowChange.Owned.Row(row);
        }

        /** A row's key as a map key: the value itself for a one-column key, else the list of values. */
        private static Object keyOf(List<String> keyColumns, Map<String, String> row) {
            if (keyColumns.size() == 1) {
                return row.get(keyColumns.get(0));
            }
            List<String> k = new ArrayList<>(keyColumns.size());
            for (String c : keyColumns) {
                k.add(row.get(c));
            }
            return k;
        }

        /** The net changes, secret-looking values masked. */
        public DbChanges build() {
            List<TableChanges> out = new ArrayList<>();
            for (Map.Entry<String, List<Pending>> e : events.entrySet()) {
                List<RowChange> ins = new ArrayList<>();
                List<RowChange> upd = new ArrayList<>();
                List<RowChange> del = new ArrayList<>();
                for (Pending p : e.getValue()) {
                    RowChange r = toRow(p);
                    if (r == null) {
                        continue;
                    }
                    switch (r.kind()) {
                        case INSERTED -> ins.add(r);
                        case UPDATED -> upd.add(r);
                        case DELETED -> del.add(r);
                    }
                }
                if (!ins.isEmpty() || !upd.isEmpty() || !del.isEmpty()) {
                    out.add(new TableChanges(e.getKey(), ins, upd, del));
                }
            }
            out.sort(java.util.Comparator.comparing((TableChanges t) -> t.table().toLowerCase(Locale.ROOT))
                    .thenComparing(TableChanges::table));
            return out.isEmpty() && notes.isEmpty() ? NONE : new DbChanges(out, notes, null);
        }

        private RowChange toRow(Pending p) {
            if (p.before == null && p.after == null) {
                return null; // a row of a table without a key, inserted and deleted again within the window
            }
            Map<String, String> before = p.before == null ? Map.of() : p.before;
            Map<String, String> after = p.after == null ? Map.of() : p.after;
            if (p.before instanceof CompactRow b && p.after instanceof CompactRow a && a.shape().sameColumns(b.shape())) {
                // Rows of the same columns: compare position by position, no lookups by name.
                List<String> columns = a.shape().columns();
                String first = null; // most updates change one column: no list for it
                List<String> more = null;
                for (int i = 0; i < columns.size(); i++) {
                    if (!Objects.equals(b.valueAt(i), a.valueAt(i))) {
                        if (first == null) {
                            first = columns.get(i);
                        } else {
                            if (more == null) {
                                more = new ArrayList<>(List.of(first));
                            }
                            more.add(columns.get(i));
                        }
                    }
                }
                return first == null ? null : new RowChange(RowChange.Kind.UPDATED, mask(keyOfRow(p.keyColumns, a)),
                        mask(b), mask(a), new CompactRow.ColumnSet(more == null ? List.of(first) : more));
            }
            if (p.before == null ^ p.after == null && (p.before == null ? p.after : p.before) instanceof CompactRow row
                    && !row.isEmpty()) {
                // An insert or a delete: every column changed, the row's own column set.
                RowChange.Kind kind = p.before == null ? RowChange.Kind.INSERTED : RowChange.Kind.DELETED;
                return new RowChange(kind, mask(keyOfRow(p.keyColumns, row)), mask(before), mask(after),
                        row.shape().columnSet());
            }
            RowChange.Owned.Columns changed = new RowChange.Owned.Columns();
            for (Map.Entry<String, String> e : (after.isEmpty() ? before : after).entrySet()) {
                String c = e.getKey();
                if (p.before == null || p.after == null || !Objects.equals(before.get(c), after.get(c))) {
                    changed.add(c);
                }
            }
            if (!after.isEmpty()) {
                for (String c : before.keySet()) {
                    if (!after.containsKey(c) && before.get(c) != null) {
                        changed.add(c); // a column only the old image has (the table changed shape)
                    }
                }
            }
            if (changed.isEmpty()) {
                return null; // an UPDATE that set every value to what it was
            }
            RowChange.Kind kind = p.before == null ? RowChange.Kind.INSERTED
                    : p.after == null ? RowChange.Kind.DELETED : RowChange.Kind.UPDATED;
            Map<String, String> row = after.isEmpty() ? before : after;
            return new RowChange(kind, mask(keyOfRow(p.keyColumns, row)), mask(before), mask(after), changed);
        }

        /** The key columns' values of {@code row}; the whole row for a table without a key. */
        private Map<String, String> keyOfRow(List<String> keyColumns, Map<String, String> row) {
            if (keyColumns.isEmpty() && row instanceof CompactRow) {
                return row;
            }
            Collection<String> columns = keyColumns.isEmpty() ? row.keySet() : keyColumns;
            if (row instanceof CompactRow) {
                CompactRow.Shape keyShape = keyShapes.computeIfAbsent(keyColumns, CompactRow.Shape::new);
                String[] values = new String[keyColumns.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = row.get(keyColumns.get(i));
                }
                return keyShape.row(values);
            }
            RowChange.Owned.Row key = new RowChange.Owned.Row(columns.size());
            for (String c : columns) {
                key.put(c, row.get(c));
            }
            return key;
        }

        /**
         * {@code row} (made by this builder, never changed once made) with secret-looking values
         * masked: the row itself when it has none, else a masked copy, so that a second
         * {@link #build()} still sees the real values to tell what changed.
         */
        private Map<String, String> mask(Map<String, String> row) {
            if (row instanceof CompactRow compact) {
                int[] secret = secretPositions.computeIfAbsent(compact.shape(), this::secretPositions);
                CompactRow out = compact;
                for (int i : secret) {
                    if (compact.valueAt(i) != null) {
                        out = out.with(i, CredentialMasker.MASK);
                    }
                }
                for (int i = 0; i < compact.shape().columns().size(); i++) {
                    String value = out.valueAt(i);
                    String masked = maskedText(value);
                    if (masked != value) {
                        out = out.with(i, masked);
                    }
                }
                return out;
            }
            if (!(row instanceof RowChange.Owned.Row)) {
                return row; // empty: the side of an insert or a delete
            }
            RowChange.Owned.Row out = null;
            for (Map.Entry<String, String> e : row.entrySet()) {
                String value = e.getValue();
                // A column of JSON may hold secret fields under a name that is not secret (profile: {"api_token": …})
                String masked = value == null ? null : secret(e.getKey()) ? CredentialMasker.MASK : maskedText(value);
                if (masked != value) {
                    if (out == null) {
                        out = new RowChange.Owned.Row(row);
                    }
                    out.put(e.getKey(), masked);
                }
            }
            return out == null ? row : out;
        }

        /**
         * A value with its secret JSON fields, the secret fields of a form-encoded text (a stored query string) and the
         * passwords of URLs in it masked (a column holding a data source's URL); the same string when there is none.
         */
        private static String maskedText(String value) {
            if (value == null) {
                return null;
            }
            String masked = CredentialMasker.maskText(CredentialMasker.maskFormFields(CredentialMasker.maskJsonFields(value)));
            return masked.equals(value) ? value : masked;
        }

        private int[] secretPositions(CompactRow.Shape shape) {
            List<String> columns = shape.columns();
            return java.util.stream.IntStream.range(0, columns.size()).filter(i -> secret(columns.get(i))).toArray();
        }

        /** Whether a column looks secret, decided once per column name (a step may change thousands of rows). */
        private boolean secret(String column) {
            return secretColumns.computeIfAbsent(column, c -> CredentialMasker.isSecretKey(c.toLowerCase(Locale.ROOT)));
        }
    }
}
