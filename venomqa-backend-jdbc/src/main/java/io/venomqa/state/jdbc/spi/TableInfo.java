package io.venomqa.state.jdbc.spi;

import java.util.List;
import java.util.Objects;

/**
 * One table of the configured schema, as introspected once per connection.
 *
 * @param name            the table name exactly as the database stores it (case included); use it quoted
 * @param foreignKeys     keys of this table pointing at tables of the same schema
 * @param identityColumns columns whose values the database generates (identity, serial, auto-increment)
 */
public record TableInfo(String name, List<ForeignKeyInfo> foreignKeys, List<String> identityColumns) {
    public TableInfo {
        Objects.requireNonNull(name, "name");
        foreignKeys = List.copyOf(foreignKeys);
        identityColumns = List.copyOf(identityColumns);
    }

    /** Whether the database generates values for one of this table's columns. */
    public boolean hasIdentity() {
        return !identityColumns.isEmpty();
    }
}
