package io.venomqa.runner;

import io.venomqa.core.CredentialMasker;
import io.venomqa.runner.internal.ProcessWorkerApi;
import io.venomqa.runner.internal.Worker;
import io.venomqa.runner.internal.WorkerCleanup;
import io.venomqa.runner.internal.WorkerProcessRecords;
import io.venomqa.state.ShutdownCleanup;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import io.venomqa.state.WorkerDatabaseException;
import io.venomqa.state.WorkerDatabases;
import io.venomqa.state.WorkerSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Parallel workers for a {@link JourneyRunner} ({@link JourneyRunner.Builder#workers(Workers)}): each
 * an API writing to a database of its own, with a state manager connected to that database.
 *
 * <pre>{@code
 * try (Workers workers = Workers.copies(source, 4, WorkerApiFactory.withDataSource(dataSource -> {
 *         ShopApp shop = ShopApp.start(dataSource, 0);
 *         return WorkerApi.of(shop.baseUrl(), shop);
 *     }))) {
 *     JourneyRunner runner = JourneyRunner.builder(client).workers(workers).build();
 *     runner.run(checkout);
 * }   // APIs stopped, managers disconnected, copies dropped
 * }</pre>
 *
 * <p>Guarantees: every worker's manager is connected when this is made and each journey on a worker
 * starts from the state its database had then (the runner takes a checkpoint before the journey and
 * rolls back to it after). {@link #close()} stops every API, disconnects every manager and drops the
 * copies it made, in that order, going on after a failure and reporting all of them; when making a
 * worker fails, the workers made so far are closed the same way before the exception. When the JVM
 * shuts down before {@link #close()} (Ctrl-C, SIGTERM, {@code System.exit}), a shutdown hook
 * ({@link ShutdownCleanup}) closes the workers the same way and says so on standard error; a
 * {@code kill -9} runs no hook: the next run that makes workers from the same database drops the
 * copies left behind, and the next run that starts worker processes ({@link #commands}) stops the
 * processes left running.
 */
public final class Workers implements AutoCloseable {

    private final List<Worker> workers;
    private final WorkerCleanup cleanup;
    /** Closes these workers if the JVM shuts down first (Ctrl-C, SIGTERM); taken off by {@link #close()}. */
    private final ShutdownCleanup.Registration onShutdown;

    private Workers(List<Worker> workers, WorkerCleanup cleanup, String what) {
        this.workers = List.copyOf(workers);
        this.cleanup = cleanup;
        this.onShutdown = ShutdownCleanup.register(workers.size() + " parallel worker(s)", what,
                cleanup::close, "Worker databases left behind are dropped by the next run that makes workers from the same"
                        + " database, and worker processes left running are stopped by the next run that starts worker processes.");
    }

    /**
     * {@code count} workers in this JVM: copies of {@code source}'s database as it is committed now
     * ({@link StateManager#workerDatabases()}), a manager connected to each copy, and the API
     * {@code apis} starts on it. On PostgreSQL no other session may be connected to the source while
     * the copies are made: make the workers before connecting {@code source} or starting the API
     * under test.
     *
     * @throws IllegalArgumentException when {@code source}'s backend cannot copy its database
     * @throws WorkerDatabaseException  when a copy, a connection or an API could not be made (all undone)
     */
    public static Workers copies(StateManager source, int count, WorkerApiFactory apis) {
        Objects.requireNonNull(apis, "apis");
        return copies(source, count, (state, config, number) -> apis.start(state));
    }

    /**
     * {@code count} workers whose APIs are processes VenomQA starts: copies of {@code source}'s database
     * as for {@link #copies(StateManager, int, WorkerApiFactory)}, a manager connected to each, and
     * {@code command} started per worker with {@code ${db_url}}, {@code ${jdbc_url}} and {@code ${port}}
     * of that worker, waited for until its health URL answers, stopped by {@link #close()} (and by a
     * JVM shutdown before that). The APIs write through their own connections: give {@code source}
     * the {@code journal} checkpoint strategy. Worker processes left running by an earlier run that was
     * killed ({@code kill -9} runs no shutdown hook) are stopped first, and the log names them.
     *
     * @throws WorkerDatabaseException when a copy, a connection or a process could not be made (all undone)
     */
    public static Workers commands(StateManager source, int count, WorkerCommand command) {
        Objects.requireNonNull(command, "command");
        // Before the copies: a leftover API still connected to a leftover copy would hold it open.
        WorkerProcessRecords.stopLeftovers();
        List<ProcessWorkerApi.Launched> launched = new ArrayList<>();
        return copies(source, count, new Starter() {
            @Override
            public WorkerApi start(StateManager state, io.venomqa.state.StateConfig config, int number) {
                ProcessWorkerApi.Launched l = ProcessWorkerApi.launch(command, number, config.url());
                launched.add(l);
                return l.api();
            }

            @Override
            public void awaitAll() {
                // Every process was started before the first wait: N workers start in about the time of one.
                launched.forEach(ProcessWorkerApi.Launched::awaitReady);
            }
        });
    }

    /** Starts worker {@code number}'s API on its connected manager and configuration. */
    private interface Starter {
        WorkerApi start(StateManager state, io.venomqa.state.StateConfig config, int number) throws Exception;

        /** After every {@link #start}: waits until the APIs answer (those started by {@link #start} already do). */
        default void awaitAll() {
        }
    }

    private static Workers copies(StateManager source, int count, Starter apis) {
        Objects.requireNonNull(source, "source");
        if (count < 1) {
            throw new IllegalArgumentException("Workers: count must be 1 or more, got " + count + ".");
        }
        WorkerDatabases copies = source.workerDatabases().orElseThrow(() -> new IllegalArgumentException(
                "The " + source.backendName() + " state manager cannot copy its database for workers (worker databases:"
                        + " PostgreSQL, MySQL/MariaDB, SQLite files, H2 files and named in-memory databases, memory). Give each worker a database of its own"
                        + " with Workers.external(...) (worker_apis in venomqa.yaml), or run with workers: 1."));
        WorkerCleanup cleanup = new WorkerCleanup();
        WorkerSet set = copies.create(count);
        cleanup.afterAll(set::close);
        List<Worker> made = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                StateManager state = connect(StateManagers.create(set.configs().get(i)), cleanup);
                WorkerApi api;
                try {
                    api = apis.start(state, set.configs().get(i), i + 1);
                } catch (WorkerDatabaseException e) {
                    throw e; // says which worker and why already
                } catch (Exception e) {
                    throw new WorkerDatabaseException("The API of worker " + (i + 1) + " could not start: "
                            + CredentialMasker.maskText(String.valueOf(e.getMessage())) + ". Fix the WorkerApiFactory;"
                            + " the workers made so far were stopped and their databases dropped.", e);
                }
                cleanup.first(api);
                made.add(new Worker(i + 1, api.baseUrl(), state));
            }
            apis.awaitAll();
        } catch (RuntimeException e) {
            cleanup.closeAfter(e);
            throw e;
        }
        return new Workers(made, cleanup, "stopping the workers' APIs and dropping their databases (copies of run " + set.runId()
                + ", named *" + WorkerDatabases.NAME_INFIX + set.runId() + "_1 to _" + count + ")");
    }

    /**
     * Workers that already run ({@code worker_apis} in {@code venomqa.yaml}): one per endpoint, in
     * order, a manager made from its configuration and connected here, disconnected by {@link #close()}.
     * Their databases are the caller's: nothing is copied or dropped.
     *
     * @throws RuntimeException the backend's connection error, after disconnecting those connected so far
     */
    public static Workers external(List<WorkerEndpoint> endpoints) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("Workers.external: give at least one (base URL, database) pair.");
        }
        WorkerCleanup cleanup = new WorkerCleanup();
        List<Worker> made = new ArrayList<>();
        try {
            for (WorkerEndpoint e : endpoints) {
                StateManager state = connect(StateManagers.create(e.state()), cleanup);
                made.add(new Worker(made.size() + 1, e.baseUrl(), state));
            }
        } catch (RuntimeException e) {
            cleanup.closeAfter(e);
            throw e;
        }
        return new Workers(made, cleanup, "disconnecting the workers' state managers (which puts their databases back)");
    }

    private static StateManager connect(StateManager state, WorkerCleanup cleanup) {
        state.connect();
        cleanup.then(state::disconnect);
        return state;
    }

    /** How many workers there are. */
    public int size() {
        return workers.size();
    }

    /** The base URLs of the workers' APIs, in worker order. */
    public List<String> baseUrls() {
        return workers.stream().map(Worker::baseUrl).toList();
    }

    /**
     * The workers' state managers, connected to their own databases, in worker order (for an
     * exploration on these workers; the caller must not disconnect them: {@link #close()} does).
     */
    public List<StateManager> stateManagers() {
        return workers.stream().map(Worker::state).toList();
    }

    /** The workers, for the runner. */
    List<Worker> members() {
        return workers;
    }

    /**
     * Stops every API, disconnects every manager, drops the copies; safe to call twice.
     *
     * @throws WorkerDatabaseException naming every step that failed (the next run drops copies left behind)
     */
    @Override
    public void close() {
        onShutdown.close();
        cleanup.close();
    }
}
