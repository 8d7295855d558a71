package io.venomqa.state.jdbc.spi;

import java.util.List;
import java.util.Objects;

/**
 * One foreign key as introspected: rows of {@link #fromTable()} point at rows of {@link #toTable()}.
 *
 * @param name        constraint name as the database reports it (may be generated)
 * @param fromTable   the referencing (child) table
 * @param fromColumns its columns, in key order
 * @param toTable     the referenced (parent) table, in the same schema
 * @param toColumns   the referenced columns, in key order
 */
public record ForeignKeyInfo(String name, String fromTable, List<String> fromColumns, String toTable,
                             List<String> toColumns) {
    public ForeignKeyInfo {
        Objects.requireNonNull(fromTable, "fromTable");
        Objects.requireNonNull(toTable, "toTable");
        fromColumns = List.copyOf(fromColumns);
        toColumns = List.copyOf(toColumns);
        name = name == null ? fromTable + "_" + toTable + "_fkey" : name;
    }

    /** Whether the key points from a table to itself (a tree such as {@code parent_id}). */
    public boolean isSelfReference() {
        return fromTable.equals(toTable);
    }
}
