package io.venomqa.state.journal.internal;

import java.util.List;

/**
 * What the journal needs to know about one tracked table to undo its changes: the columns it may
 * write back and how a row is identified. Read from the database catalog, not from jOOQ, because
 * generated and identity-always columns matter here and differ per database.
 *
 * @param name      the table name exactly as stored
 * @param columns   every column in table order
 * @param keyColumns primary key columns; empty when the table has none (rows are then matched on
 *                  every column, and only one row of identical duplicates is touched per change)
 */
public record TableMeta(String name, List<Column> columns, List<String> keyColumns) {

    public TableMeta {
        columns = List.copyOf(columns);
        keyColumns = List.copyOf(keyColumns);
    }

    /**
     * One column.
     *
     * @param name           exact name
     * @param type           the database's type name (lower case), used where values need conversion
     * @param generated      computed by the database (never written back)
     * @param identityAlways PostgreSQL {@code GENERATED ALWAYS AS IDENTITY}: written back with
     *                       {@code OVERRIDING SYSTEM VALUE}, never updated
     */
    public record Column(String name, String type, boolean generated, boolean identityAlways) {
    }

    /** Columns (name, type, generated, identity) and key, as one comparable string: changes when DDL alters the table. */
    public String shape() {
        StringBuilder b = new StringBuilder();
        for (Column c : columns) {
            b.append(c.name()).append(' ').append(c.type()).append(c.generated() ? " generated" : "")
                    .append(c.identityAlways() ? " identity" : "").append(", ");
        }
        return b.append("key ").append(keyColumns).toString();
    }

    public boolean hasKey() {
        return !keyColumns.isEmpty();
    }

    /** Columns an INSERT restoring a deleted row writes. */
    public List<Column> insertable() {
        return columns.stream().filter(c -> !c.generated()).toList();
    }

    /** Columns an UPDATE reverting a change writes. */
    public List<Column> updatable() {
        return columns.stream().filter(c -> !c.generated() && !c.identityAlways()).toList();
    }
}
