package io.venomqa.state;

import io.venomqa.core.VenomQAException;

/**
 * A checkpoint could not be created or used: a duplicate active name, or the backend failed to
 * save the state. The message names the active checkpoints where that helps.
 */
public class CheckpointException extends VenomQAException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
