package io.venomqa.explore;

import io.venomqa.state.RollbackException;

import java.util.Objects;

/**
 * An exploration ran to its end, but the state manager it connected for the run (one that was not
 * connected when {@link Exploration#run()} was called) could not put the database back as it found it
 * when it disconnected: rows another connection committed during the run, which the savepoint strategy
 * cannot undo, for instance. Thrown by {@code run()} after the run's listeners got the result
 * ({@link ExplorationListener#onFinish}), so that the failure is loud and the exploration's findings
 * are not lost: {@link #result()} is what {@code run()} would have returned. The message and the cause
 * are the manager's {@link RollbackException}.
 */
public final class DatabaseNotPutBackException extends RollbackException {
    private static final long serialVersionUID = 1L;

    private final transient ExplorationResult result;

    public DatabaseNotPutBackException(ExplorationResult result, RollbackException cause) {
        super(Objects.requireNonNull(cause, "cause").getMessage(), cause);
        this.result = Objects.requireNonNull(result, "result");
    }

    /** The exploration's result: its states, violations and coverage, as complete as when no failure follows it. */
    public ExplorationResult result() {
        return result;
    }
}
