package io.venomqa.state;

import java.util.List;

/**
 * Saves and restores the state of a database (or any store) around the steps of a journey.
 *
 * <p>The contract every implementation keeps, and that {@code venomqa-testkit}'s
 * {@code StateManagerContract} checks:
 * <ul>
 *   <li>{@link #connect()} opens what the backend needs; calling it again while connected changes nothing.</li>
 *   <li>{@link #checkpoint(String)} saves the state under a name of 1 to {@value CheckpointNames#MAX_LENGTH} characters ({@link CheckpointNames}); a name that is
 *       already active is an error naming the active checkpoints.</li>
 *   <li>{@link #rollback(String)} makes the state exactly what it was at that checkpoint; the
 *       checkpoint stays active and every checkpoint taken after it is gone. An unknown name raises
 *       {@link CheckpointNotFoundException} ({@code Checkpoint 'n' not found}).</li>
 *   <li>{@link #release(String)} forgets the checkpoint and every checkpoint taken after it; the state is untouched.</li>
 *   <li>{@link #reset()} empties the reset tables, restarts their identity counters, clears all
 *       checkpoints, and is committed.</li>
 *   <li>{@link #disconnect()} ends everything and is safe to call twice; the store is left as
 *       {@code connect()} found it, resets aside.</li>
 *   <li>Any other call while disconnected raises {@link StateNotConnectedException}.</li>
 * </ul>
 * Checkpoint names never reach SQL as text: backends use generated identifiers, so any printable
 * name is safe.
 */
public interface StateManager extends AutoCloseable {

    /** Opens the connection or store. Idempotent while connected. */
    void connect();

    /** Ends the session and puts the store back as {@link #connect()} found it (resets aside). Safe to call twice. */
    void disconnect();

    /** Whether {@link #connect()} succeeded and {@link #disconnect()} has not been called since. */
    boolean isConnected();

    /** Saves the current state under {@code name} (see {@link CheckpointNames}: 1 to 1000 characters; not already active). */
    void checkpoint(String name);

    /** Puts the state back to checkpoint {@code name}; it stays active, later checkpoints are dropped. */
    void rollback(String name);

    /** Forgets checkpoint {@code name} and every later one without changing the state. */
    void release(String name);

    /** Empties the reset tables, restarts their identities, clears all checkpoints, and commits. */
    void reset();

    /**
     * The name of the backend, as {@code db_backend} spells it ({@code postgresql}, {@code mysql},
     * {@code sqlite}, {@code h2}, {@code memory}): what tools print and how they find the backend's
     * {@link BackendInfo} in {@link StateManagers#available()}. Managers extending
     * {@link io.venomqa.state.spi.BaseStateManager} must name it; for any other the default is the
     * class's simple name.
     */
    default String backendName() {
        return getClass().getSimpleName();
    }

    /**
     * The capability to restore any held checkpoint, not only along the stack, when this manager
     * (and its checkpoint strategy) has it; empty otherwise. See {@link CheckpointTree}.
     */
    default java.util.Optional<CheckpointTree> checkpointTree() {
        return java.util.Optional.empty();
    }

    /**
     * The capability to make isolated copies of this manager's database for parallel workers, when
     * the backend has it; empty otherwise. See {@link WorkerDatabases}. Usable while disconnected.
     */
    default java.util.Optional<WorkerDatabases> workerDatabases() {
        return java.util.Optional.empty();
    }

    /**
     * The capability to tell which rows were written between two moments ({@link ChangeTracker}),
     * when this manager has it and {@value ChangeTracker#OPTION_TRACK_CHANGES} is not off; empty
     * otherwise, with the reason in {@link #changesNotTrackedReason()}.
     */
    default java.util.Optional<ChangeTracker> changeTracker() {
        return java.util.Optional.empty();
    }

    /**
     * Why {@link #changeTracker()} is empty, for reports ("changes not tracked: " + this); meaningless
     * when it is present.
     */
    default String changesNotTrackedReason() {
        return "the " + backendName() + " state manager does not record row changes";
    }

    /**
     * A {@code DataSource} for an application in this JVM whose writes this manager's checkpoints
     * must undo: its connections share the manager's transaction, so a rollback undoes what the
     * application wrote through them. Present while connected with a checkpoint strategy that shares
     * its connection (a SQL backend's {@code savepoint}); empty otherwise (not a SQL backend, not
     * connected, or a strategy such as the {@code journal}, where the application writes through its
     * own connections and the manager sees them anyway).
     */
    default java.util.Optional<javax.sql.DataSource> applicationDataSource() {
        return java.util.Optional.empty();
    }

    /**
     * Read-only SQL queries that see what the run sees ({@link SqlReader}), for a SQL backend; empty
     * otherwise.
     */
    default java.util.Optional<SqlReader> sqlReader() {
        return java.util.Optional.empty();
    }

    /** Names of the active checkpoints, oldest first. */
    List<String> activeCheckpoints();

    /** Whether {@code name} is an active checkpoint. */
    default boolean hasCheckpoint(String name) {
        return activeCheckpoints().contains(name);
    }

    /** Same as {@link #disconnect()}, so a manager works in try-with-resources. */
    @Override
    default void close() {
        disconnect();
    }
}
