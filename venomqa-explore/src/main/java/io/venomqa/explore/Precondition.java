package io.venomqa.explore;

import io.venomqa.context.ExecutionContext;

/**
 * Whether a {@link Move} may run in the current state, seen through the execution context and a
 * read-only view of the database. Evaluated when the explorer first stands in a state, before any
 * move runs from it. A precondition that throws counts as false, and the result warns about it.
 */
@FunctionalInterface
public interface Precondition {

    /** {@code true} when the move may run now. */
    boolean test(ExecutionContext context, DatabaseView db) throws Exception;
}
