package io.venomqa.explore;

import io.venomqa.state.RollbackException;

import java.util.Objects;

/**
 * A replay ran every move of its path, but the state manager it connected for the replay (one that was
 * not connected when {@link Exploration#replay(java.util.List)} was called) could not put the database
 * back as it found it when it disconnected: rows another connection committed during the replay, which
 * the savepoint strategy cannot undo, for instance. The failure is loud and the replay's findings are
 * not lost: {@link #result()} is what {@code replay} would have returned. The message and the cause are
 * the manager's {@link RollbackException}. The same case for {@link Exploration#run()} is
 * {@link DatabaseNotPutBackException}.
 */
public final class ReplayNotPutBackException extends RollbackException {
    private static final long serialVersionUID = 1L;

    private final transient ReplayResult result;

    public ReplayNotPutBackException(ReplayResult result, RollbackException cause) {
        super(Objects.requireNonNull(cause, "cause").getMessage(), cause);
        this.result = Objects.requireNonNull(result, "result");
    }

    /** The replay's result: every move of the path with the checks that failed after it. */
    public ReplayResult result() {
        return result;
    }
}
