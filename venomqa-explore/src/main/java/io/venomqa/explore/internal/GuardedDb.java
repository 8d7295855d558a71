package io.venomqa.explore.internal;

import io.venomqa.explore.DatabaseView;
import io.venomqa.state.StateManager;

import java.util.List;
import java.util.Map;

/**
 * The {@link DatabaseView} of one observation. Its first query takes a checkpoint; {@link #close()}
 * rolls back to it and releases it, so whatever the user's SQL did is undone before the run goes on.
 */
final class GuardedDb implements DatabaseView, AutoCloseable {

    private final StateManager manager;
    private final String guardName;
    private final boolean sql;
    private boolean guarded;

    GuardedDb(StateManager manager, String guardName) {
        this.manager = manager;
        this.guardName = guardName;
        this.sql = Backends.isSql(manager);
    }

    @Override
    public boolean available() {
        return sql;
    }

    @Override
    public List<Map<String, Object>> query(String query, Object... params) {
        if (!sql) {
            throw new UnsupportedOperationException("No SQL on the " + manager.backendName() + " backend: db().query(\""
                    + query + "\") cannot run. Check the state through the API (o.client()) or the context instead, "
                    + "or run the exploration on a SQL backend.");
        }
        if (!guarded) {
            manager.checkpoint(guardName);
            guarded = true;
        }
        return Backends.query(manager, query, params);
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

    @Override
    public void close() {
        if (guarded) {
            guarded = false;
            manager.rollback(guardName);
            manager.release(guardName);
        }
    }
}
