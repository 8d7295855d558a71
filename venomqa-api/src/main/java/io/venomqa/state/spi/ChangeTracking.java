package io.venomqa.state.spi;

import io.venomqa.state.ChangeTracker;
import io.venomqa.state.DbChanges;
import io.venomqa.state.StateConfig;
import io.venomqa.state.internal.CompactRow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What backends share to offer a {@link ChangeTracker}: the {@value ChangeTracker#OPTION_TRACK_CHANGES}
 * option and the comparison of two snapshots of a table, for backends that find changes by reading
 * the whole store before and after (the in-memory backend, the SQL savepoint strategy).
 */
public final class ChangeTracking {

    /** The declaration of {@value ChangeTracker#OPTION_TRACK_CHANGES}; every backend that tracks changes lists it. */
    public static final OptionSpec OPTION = OptionSpec.bool(ChangeTracker.OPTION_TRACK_CHANGES, "false",
            "Record the rows each step inserts, updates and deletes, for reports, expectDb checks and the check of "
            + "read requests that write. Off by default: it costs up to several times a step's own writes "
            + "(benchmark row 10).");

    /** The reason shown when the option turned tracking off. */
    public static final String OFF_REASON = ChangeTracker.OPTION_TRACK_CHANGES + " is off; set "
            + ChangeTracker.OPTION_TRACK_CHANGES + ": true to record what each step wrote";

    private ChangeTracking() {
    }

    /**
     * Whether {@code config} turns change tracking on. Off unless asked for: it is to be on by default
     * only once its cost stays within the benchmark targets (rows 1 and 10), which it misses today.
     */
    public static boolean enabled(StateConfig config) {
        return config.optionBoolean(ChangeTracker.OPTION_TRACK_CHANGES, false);
    }

    /**
     * The rows of one table at one moment, as text (see {@link io.venomqa.state.RowChange}).
     *
     * @param keyColumns the primary key columns; empty when the table has none (rows are then compared whole)
     * @param rows       every row, each a column → value map in table order
     */
    public record TableSnapshot(List<String> keyColumns, List<Map<String, String>> rows) {
        public TableSnapshot {
            keyColumns = List.copyOf(keyColumns);
            rows = List.copyOf(rows);
        }
    }

    /**
     * The columns of the rows of one read, for a backend that reads many rows: {@link #row} makes an
     * immutable map in column order, which {@link DbChanges.Builder} and {@link io.venomqa.state.RowChange}
     * keep without copying, and two rows of one shape compare position by position. A step that changes a
     * thousand rows otherwise builds and copies a thousand hash maps per side (benchmark row 10).
     */
    public static final class RowShape {
        private final CompactRow.Shape shape;

        private RowShape(List<String> columns) {
            this.shape = new CompactRow.Shape(columns);
        }

        /**
         * The shape of rows with {@code columns}, in order.
         *
         * @throws IllegalArgumentException when a name is repeated (a map has one value per column)
         */
        public static RowShape of(List<String> columns) {
            return new RowShape(columns);
        }

        /** The column names, in order. */
        public List<String> columns() {
            return shape.columns();
        }

        /**
         * An immutable row with {@code values}, one per column in order ({@code null} for SQL NULL).
         *
         * @throws IllegalArgumentException when the count differs from the columns'
         */
        public Map<String, String> row(String... values) {
            return shape.row(values.clone());
        }
    }

    /**
     * Adds to {@code out} what turned {@code before} into {@code after}, for one table. A keyed table
     * gives inserts, updates and deletes by key; a table without a key gives inserts and deletes of
     * whole rows (duplicates counted), since an update cannot be told from a delete plus an insert.
     * A table missing on one side (created or dropped) counts as empty there.
     */
    public static void diff(DbChanges.Builder out, String table, TableSnapshot before, TableSnapshot after) {
        Objects.requireNonNull(out, "out");
        if (before == after) {
            return; // the same snapshot: a recorder that did not read the table again because it had not changed
        }
        List<String> keys = after != null ? after.keyColumns() : before != null ? before.keyColumns() : List.of();
        List<Map<String, String>> old = before == null ? List.of() : before.rows();
        List<Map<String, String>> now = after == null ? List.of() : after.rows();
        if (keys.isEmpty() || (before != null && after != null && !before.keyColumns().equals(after.keyColumns()))) {
            diffWhole(out, table, old, now);
            return;
        }
        Map<Object, Map<String, String>> oldByKey = new LinkedHashMap<>(Math.max(16, old.size() * 4 / 3 + 1));
        for (Map<String, String> r : old) {
            oldByKey.put(keyOf(keys, r), r);
        }
        for (Map<String, String> r : now) {
            Map<String, String> was = oldByKey.remove(keyOf(keys, r));
            if (was == null) {
                out.inserted(table, keys, r);
            } else if (!was.equals(r)) {
                out.updated(table, keys, was, r);
            }
        }
        for (Map<String, String> r : oldByKey.values()) {
            out.deleted(table, keys, r);
        }
    }

    private static void diffWhole(DbChanges.Builder out, String table, List<Map<String, String>> old,
                                  List<Map<String, String>> now) {
        Map<Map<String, String>, Integer> remaining = new HashMap<>();
        for (Map<String, String> r : old) {
            remaining.merge(r, 1, Integer::sum);
        }
        List<Map<String, String>> inserted = new ArrayList<>();
        for (Map<String, String> r : now) {
            Integer n = remaining.get(r);
            if (n == null) {
                inserted.add(r);
            } else if (n == 1) {
                remaining.remove(r);
            } else {
                remaining.put(r, n - 1);
            }
        }
        for (Map<String, String> r : old) {
            Integer n = remaining.get(r);
            if (n != null) {
                out.deleted(table, List.of(), r);
                if (n == 1) {
                    remaining.remove(r);
                } else {
                    remaining.put(r, n - 1);
                }
            }
        }
        for (Map<String, String> r : inserted) {
            out.inserted(table, List.of(), r);
        }
    }

    /** A row's key as a map key: the value itself for a one-column key, else the list of values. */
    private static Object keyOf(List<String> keys, Map<String, String> row) {
        if (keys.size() == 1) {
            return row.get(keys.get(0));
        }
        List<String> k = new ArrayList<>(keys.size());
        for (String c : keys) {
            k.add(row.get(c));
        }
        return k;
    }
}
