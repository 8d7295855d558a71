package io.venomqa.runner;

import io.venomqa.state.StateManager;

/**
 * Starts the API of one parallel worker in this JVM, writing to that worker's own database
 * ({@link Workers#copies(StateManager, int, WorkerApiFactory)}).
 *
 * <p>It gets the worker's state manager, connected: with the savepoint strategy of a SQL backend the
 * API must write through the manager's shared {@code DataSource}
 * ({@link StateManager#applicationDataSource()}), so that rollbacks undo its writes, exactly as for an
 * API started against the database under test. {@link #withDataSource} does that for an API that
 * only needs the {@code DataSource}:
 *
 * <pre>{@code
 * Workers.copies(source, 4, WorkerApiFactory.withDataSource(dataSource -> {
 *     ShopApp shop = ShopApp.start(dataSource, 0);
 *     return WorkerApi.of(shop.baseUrl(), shop);
 * }))
 * }</pre>
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

    /**
     * A factory that hands each worker's API the worker manager's {@link StateManager#applicationDataSource()}.
     * A worker whose manager hands out none (not a SQL backend, or the {@code journal} strategy, where
     * the API must use its own connections) fails to start with a message saying so, and the workers
     * made so far are undone.
     */
    static WorkerApiFactory withDataSource(DataSourceApi api) {
        java.util.Objects.requireNonNull(api, "api");
        return state -> api.start(state.applicationDataSource().orElseThrow(() -> new IllegalStateException(
                "the worker's " + state.backendName() + " state manager hands out no DataSource: WorkerApiFactory.withDataSource"
                        + " needs a SQL backend with checkpoint_strategy savepoint. With the journal, let the API use its own"
                        + " connections to the worker's database (Workers.commands starts it with ${jdbc_url}), or write a"
                        + " WorkerApiFactory of your own")));
    }

    /** Starts one worker's API on the worker's {@code DataSource} ({@link #withDataSource}). */
    @FunctionalInterface
    interface DataSourceApi {

        /**
         * @param dataSource connections sharing the worker manager's transaction (its rollbacks undo their writes)
         * @return where the API listens and how to stop it
         * @throws Exception when the API cannot start
         */
        WorkerApi start(javax.sql.DataSource dataSource) throws Exception;
    }
}
