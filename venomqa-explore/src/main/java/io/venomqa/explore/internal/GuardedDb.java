package io.venomqa.explore.internal;

import io.venomqa.explore.DatabaseView;
import io.venomqa.state.SqlReader;
import io.venomqa.state.StateManager;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link DatabaseView} of one observation: each query runs through the manager's
 * {@link StateManager#sqlReader() SqlReader}, inside a savepoint rolled back right after it, so
 * whatever the user's SQL did is undone before the run goes on. (A checkpoint per observation did the
 * same at the price of a journal checkpoint and rollback, with their catalog checks and commits, on
 * every move.)
 *
 * <p>An observation may be told which parameterless queries it will be asked ({@link Batch}: the SQL
 * invariants checked first after a move). They are then read together, in one guarded read, with the
 * table-contents projection's own read ({@link #readWithExpected}) or, for any other projection, when
 * the first of them is asked: a savepoint, an end of transaction and a round trip per query were a
 * third of an exploration step's round trips (benchmark row 11). Each expected query is answered from
 * that read once, at the moment of the observation; asked again, it is read again. Reads that may only
 * happen after something else could have changed the database (an invariant that calls the API) are
 * not expected: the explorer only names the SQL invariants that come before any other.
 */
final class GuardedDb implements DatabaseView, AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GuardedDb.class);

    /**
     * Whether the expected queries of an exploration's observations are read together: on until a
     * read together fails, then off for the rest of the run, so that each query runs on its own and a
     * failure names its own query, as it does without batching.
     */
    static final class Batch {
        private volatile boolean on = true;

        boolean on() {
            return on;
        }

        void off(RuntimeException why) {
            if (on) {
                on = false;
                LOG.debug("Reading the SQL invariants together failed ({}); each is read on its own from now on",
                        why.getMessage());
            }
        }
    }

    private final StateManager manager;
    private final SqlReader reader;
    private final Batch batch;
    /** Expected queries not read yet, in order (may repeat). */
    private final List<String> expected;
    /** Rows read together and not asked for yet, by query; a list per query as one text may be expected twice. */
    private final Map<String, List<List<Map<String, Object>>>> ready = new HashMap<>();

    GuardedDb(StateManager manager) {
        this(manager, List.of(), null);
    }

    /** An observation that will be asked {@code expected} (parameterless queries), read together while {@code batch} is on. */
    GuardedDb(StateManager manager, List<String> expected, Batch batch) {
        this.manager = manager;
        this.reader = Backends.isSql(manager) ? manager.sqlReader().orElse(null) : null;
        this.batch = batch;
        this.expected = reader != null && batch != null && batch.on() ? new ArrayList<>(expected) : new ArrayList<>();
    }

    @Override
    public boolean available() {
        return reader != null;
    }

    /**
     * The rows of each of {@code queries} (the projection's), read in one guarded read together with
     * the expected queries still unread, whose rows are kept for when they are asked. If that read
     * fails, {@code queries} are read again on their own: if they fail alone, that failure is thrown
     * and the expected queries stay expected; if not, an expected query is to blame and batching stops
     * for the run.
     */
    List<List<Map<String, Object>>> readWithExpected(List<String> queries) {
        if (expected.isEmpty()) {
            return Backends.queryEach(manager, queries);
        }
        List<String> more = List.copyOf(expected);
        expected.clear();
        List<String> all = new ArrayList<>(queries);
        all.addAll(more);
        List<List<Map<String, Object>>> rows;
        try {
            rows = Backends.queryEach(manager, all);
        } catch (RuntimeException e) {
            List<List<Map<String, Object>>> own;
            try {
                own = Backends.queryEach(manager, queries);
            } catch (RuntimeException projectionFailed) {
                // The projection's own read fails: the expected queries are not to blame, and stay expected.
                expected.addAll(more);
                throw projectionFailed;
            }
            batch.off(e);
            return own;
        }
        keep(more, rows.subList(queries.size(), rows.size()));
        return rows.subList(0, queries.size());
    }

    @Override
    public List<Map<String, Object>> query(String query, Object... params) {
        if (reader == null) {
            throw new UnsupportedOperationException("No SQL on the " + manager.backendName() + " backend: db().query(\""
                    + query + "\") cannot run. Check the state through the API (o.client()) or the context instead, "
                    + "or run the exploration on a SQL backend.");
        }
        if (params == null || params.length == 0) {
            List<Map<String, Object>> kept = takeReady(query);
            if (kept != null) {
                return kept;
            }
            if (expected.size() > 1 && expected.contains(query)) {
                // The first expected query asked: read every expected one now, in one guarded read.
                List<String> all = List.copyOf(expected);
                expected.clear();
                try {
                    keep(all, Backends.queryEach(manager, all));
                    return takeReady(query);
                } catch (RuntimeException e) {
                    batch.off(e);
                }
            }
            expected.remove(query);
        }
        return reader.query(query, params == null ? List.of() : Arrays.asList(params));
    }

    private void keep(List<String> queries, List<List<Map<String, Object>>> rows) {
        for (int i = 0; i < queries.size(); i++) {
            ready.computeIfAbsent(queries.get(i), k -> new ArrayList<>()).add(rows.get(i));
        }
    }

    private List<Map<String, Object>> takeReady(String query) {
        List<List<Map<String, Object>>> kept = ready.get(query);
        if (kept == null || kept.isEmpty()) {
            return null;
        }
        return kept.remove(0);
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
