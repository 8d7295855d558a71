package io.venomqa.state;

import java.util.List;

/**
 * {@link StateManager#rollback(String)} or {@link StateManager#release(String)} named a checkpoint
 * that is not active: never created, released, or discarded by a rollback to an earlier one.
 * The message is {@code Checkpoint 'n' not found} followed by the active names, and the active name
 * closest to {@code n} when it looks like a typo of it ({@code Did you mean 'real_one'?}).
 */
public class CheckpointNotFoundException extends CheckpointException {
    private static final long serialVersionUID = 1L;

    private final String checkpointName;
    private final List<String> activeCheckpoints;

    public CheckpointNotFoundException(String checkpointName, List<String> activeCheckpoints) {
        super("Checkpoint '" + checkpointName + "' not found. Active checkpoints: "
                + (activeCheckpoints.isEmpty() ? "(none)" : activeCheckpoints)
                + (checkpointName == null ? "" : io.venomqa.core.DidYouMean.nearest(checkpointName, activeCheckpoints)
                        .map(n -> ". Did you mean '" + n + "'?").orElse("")));
        this.checkpointName = checkpointName;
        this.activeCheckpoints = List.copyOf(activeCheckpoints);
    }

    /** The name that was asked for. */
    public String checkpointName() {
        return checkpointName;
    }

    /** The checkpoints that were active when the lookup failed, oldest first. */
    public List<String> activeCheckpoints() {
        return activeCheckpoints;
    }
}
