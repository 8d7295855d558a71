package io.venomqa.state.jdbc.spi;

import java.util.List;
import java.util.Objects;

/**
 * One table of the configured schema, as introspected once per connection.
 *
 * @param name            the table name exactly as the database stores it (case included); use it quoted
 * @param foreignKeys     keys of this table pointing at tables of the same schema
 * @param identityColumns columns whose values the database generates (identity, serial, auto-increment)
 * @param primaryKey      the primary key columns in key order; empty when the table has none
 */
public record TableInfo(String name, List<ForeignKeyInfo> foreignKeys, List<String> identityColumns,
                        List<String> primaryKey) {
    public TableInfo {
        Objects.requireNonNull(name, "name");
        foreignKeys = List.copyOf(foreignKeys);
        identityColumns = List.copyOf(identityColumns);
        primaryKey = List.copyOf(primaryKey);
    }

    /** A table whose primary key is not known (treated as having none). */
    public TableInfo(String name, List<ForeignKeyInfo> foreignKeys, List<String> identityColumns) {
        this(name, foreignKeys, identityColumns, List.of());
    }

    /** Whether the database generates values for one of this table's columns. */
    public boolean hasIdentity() {
        return !identityColumns.isEmpty();
    }
}
