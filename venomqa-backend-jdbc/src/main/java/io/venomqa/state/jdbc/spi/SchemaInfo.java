package io.venomqa.state.jdbc.spi;

import io.venomqa.state.jdbc.JdbcStateManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The base tables of one schema (views excluded) with their foreign keys and identity columns, as
 * introspected through jOOQ's meta API. Immutable: a manager caches one per connection and
 * builds a new one on {@link JdbcStateManager#refreshSchema()}.
 *
 * <p>Table lookup by name is exact first, then case-insensitive when that is unambiguous, so that
 * {@code users} finds H2's {@code USERS}.
 *
 * @param schema the schema name as the database reports it ({@code public}, {@code PUBLIC}, {@code main}…)
 * @param tables tables by exact name, in the database's order
 */
public record SchemaInfo(String schema, Map<String, TableInfo> tables) {
    public SchemaInfo {
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    /** Every table name, in the database's order. */
    public List<String> tableNames() {
        return List.copyOf(tables.keySet());
    }

    /** The table called {@code name}: exact match, else the only case-insensitive match. */
    public Optional<TableInfo> table(String name) {
        TableInfo exact = tables.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        TableInfo found = null;
        for (TableInfo t : tables.values()) {
            if (t.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                if (found != null) {
                    return Optional.empty();
                }
                found = t;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The foreign keys of other tables (and self-references) that point at {@code table}. */
    public List<ForeignKeyInfo> referencing(String table) {
        List<ForeignKeyInfo> out = new ArrayList<>();
        for (TableInfo t : tables.values()) {
            for (ForeignKeyInfo fk : t.foreignKeys()) {
                if (fk.toTable().equals(table)) {
                    out.add(fk);
                }
            }
        }
        return out;
    }
}
