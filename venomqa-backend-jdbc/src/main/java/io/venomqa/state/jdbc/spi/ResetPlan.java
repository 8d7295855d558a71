package io.venomqa.state.jdbc.spi;

import io.venomqa.state.jdbc.JdbcStateManager;
import java.util.List;

/**
 * What {@link JdbcStateManager#reset()} will empty, decided before anything is touched so that a
 * configuration error leaves the database and the checkpoints as they were.
 *
 * @param schema     the introspected schema
 * @param tables     the tables to empty, children before parents (a table that references another
 *                   comes first), so a dialect that deletes row by row can go in this order
 * @param excluded   the tables of the schema left alone (configured, migration and VenomQA tables)
 */
public record ResetPlan(SchemaInfo schema, List<TableInfo> tables, List<String> excluded) {
    public ResetPlan {
        tables = List.copyOf(tables);
        excluded = List.copyOf(excluded);
    }

    /** The names of the tables to empty, children first. */
    public List<String> tableNames() {
        return tables.stream().map(TableInfo::name).toList();
    }

    public boolean isEmpty() {
        return tables.isEmpty();
    }
}
