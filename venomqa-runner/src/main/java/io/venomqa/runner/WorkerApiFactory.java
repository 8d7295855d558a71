package io.venomqa.runner;

import io.venomqa.state.StateManager;

/**
 * Starts the API of one parallel worker in this JVM, writing to that worker's own database
 * ({@link Workers#copies(StateManager, int, WorkerApiFactory)}).
 *
 * <p>It gets the worker's state manager, connected: with the savepoint strategy of a SQL backend the
 * API must write through the manager's shared {@code DataSource}
 * ({@code ((JdbcStateManager) state).sharedDataSource()}), so that rollbacks undo its writes, exactly
 * as for an API started against the database under test.
 */
@FunctionalInterface
public interface WorkerApiFactory {

    /**
     * Starts one worker's API.
     *
     * @param state the worker's state manager, connected to its own copy of the database
     * @return where the API listens and how to stop it
     * @throws Exception when the API cannot start; the workers made so far are stopped and dropped
     */
    WorkerApi start(StateManager state) throws Exception;
}
