package io.venomqa.explore.internal;

import io.venomqa.explore.DatabaseView;
import io.venomqa.state.SqlReader;
import io.venomqa.state.StateManager;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@link DatabaseView} of one observation: each query runs through the manager's
 * {@link StateManager#sqlReader() SqlReader}, inside a savepoint rolled back right after it, so
 * whatever the user's SQL did is undone before the run goes on. (A checkpoint per observation did the
 * same at the price of a journal checkpoint and rollback, with their catalog checks and commits, on
 * every move.)
 */
final class GuardedDb implements DatabaseView, AutoCloseable {

    private final StateManager manager;
    private final SqlReader reader;

    GuardedDb(StateManager manager) {
        this.manager = manager;
        this.reader = Backends.isSql(manager) ? manager.sqlReader().orElse(null) : null;
    }

    @Override
    public boolean available() {
        return reader != null;
    }

    @Override
    public List<Map<String, Object>> query(String query, Object... params) {
        if (reader == null) {
            throw new UnsupportedOperationException("No SQL on the " + manager.backendName() + " backend: db().query(\""
                    + query + "\") cannot run. Check the state through the API (o.client()) or the context instead, "
                    + "or run the exploration on a SQL backend.");
        }
        return reader.query(query, params == null ? List.of() : Arrays.asList(params));
    }

    @Override
    public Object value(String query, Object... params) {
        List<Map<String, Object>> rows = query(query, params);
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new IllegalStateException("Expected one row with one column from \"" + query + "\" but got "
                    + rows.size() + " row(s)" + (rows.isEmpty() ? "" : " of " + rows.get(0).size() + " column(s)") + ".");
        }
        return rows.get(0).values().iterator().next();
    }

    /** Nothing to undo: each query was rolled back as it ended. */
    @Override
    public void close() {
    }
}
