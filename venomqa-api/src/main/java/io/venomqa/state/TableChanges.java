package io.venomqa.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The rows of one table that a step inserted, updated and deleted, as part of {@link DbChanges}.
 * Each row appears once, in the kind that describes the step's net effect on it (a row inserted and
 * then updated in the same step is one insert with its final values; one inserted and deleted again
 * does not appear).
 *
 * @param table    the table name as the database stores it
 * @param inserted rows that exist now and did not before
 * @param updated  rows that exist before and after with some column changed
 * @param deleted  rows that existed before and do not now
 */
public record TableChanges(String table, List<RowChange> inserted, List<RowChange> updated, List<RowChange> deleted) {

    public TableChanges {
        Objects.requireNonNull(table, "table");
        inserted = List.copyOf(inserted);
        updated = List.copyOf(updated);
        deleted = List.copyOf(deleted);
    }

    /** Every changed row: inserted, then updated, then deleted. */
    public List<RowChange> rows() {
        List<RowChange> all = new ArrayList<>(inserted);
        all.addAll(updated);
        all.addAll(deleted);
        return List.copyOf(all);
    }

    /** Number of changed rows of this table. */
    public int count() {
        return inserted.size() + updated.size() + deleted.size();
    }

    /** {@code +1 orders  ~2 orders  -1 orders}, leaving out the kinds with no row. */
    public String summary() {
        List<String> parts = new ArrayList<>(3);
        if (!inserted.isEmpty()) {
            parts.add("+" + inserted.size() + " " + table);
        }
        if (!updated.isEmpty()) {
            parts.add("~" + updated.size() + " " + table);
        }
        if (!deleted.isEmpty()) {
            parts.add("-" + deleted.size() + " " + table);
        }
        return String.join("  ", parts);
    }
}
