package io.venomqa.explore;

import java.util.List;
import java.util.Map;

/**
 * Read-only SQL on the database under test, as it is <em>now</em> in the exploration, whatever the
 * checkpoint strategy: the queries run on the state manager's own connection, so they see writes
 * the savepoint strategy has not committed.
 *
 * <p>Read-only is enforced, not trusted: the first query of an observation takes a checkpoint and
 * the explorer rolls back to it (and releases it) once the invariants and preconditions of that
 * observation are done, so a query with a side effect cannot change the state being explored.
 *
 * <p>On a backend without SQL (the in-memory backend) {@link #available()} is {@code false} and every
 * query throws {@link UnsupportedOperationException} saying what to use instead.
 */
public interface DatabaseView {

    /** Whether this backend answers SQL. */
    boolean available();

    /**
     * Runs {@code sql} with {@code params} bound in order and returns every row as a map from column
     * label to value, in column order.
     */
    List<Map<String, Object>> query(String sql, Object... params);

    /**
     * The single value of a query returning one row with one column ({@code select count(*) …}), or
     * {@code null} when that value is SQL NULL.
     *
     * @throws IllegalStateException when the query returns no row, several rows or several columns
     */
    Object value(String sql, Object... params);
}
