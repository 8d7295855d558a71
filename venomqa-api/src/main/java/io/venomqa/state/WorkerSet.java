package io.venomqa.state;

import java.util.List;

/**
 * The copies made by one {@link WorkerDatabases#create(int)}: one {@link StateConfig} per worker,
 * each the configuration of the database under test (same backend, options, tables) pointing at its
 * own copy. {@link #close()} drops every copy (managers connected to a copy must be disconnected
 * first) and releases the run's liveness lock; it is safe to call twice.
 */
public interface WorkerSet extends AutoCloseable {

    /** The run's identifier in the copies' names: eight lower-case letters and digits. */
    String runId();

    /** One configuration per worker, in worker order (the copy {@code _1} first). */
    List<StateConfig> configs();

    /** The masked names of the copies left by dead runs that {@link WorkerDatabases#create(int)} dropped first. */
    List<String> droppedLeftovers();

    /**
     * Drops every copy and releases the run's lock.
     *
     * @throws WorkerDatabaseException naming the copies that could not be dropped (the next run drops them)
     */
    @Override
    void close();
}
