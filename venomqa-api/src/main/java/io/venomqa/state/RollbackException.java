package io.venomqa.state;

import io.venomqa.core.VenomQAException;

/** The backend failed to put the state back to a checkpoint. The message says what is known about the state now. */
public class RollbackException extends VenomQAException {
    private static final long serialVersionUID = 1L;

    public RollbackException(String message) {
        super(message);
    }

    public RollbackException(String message, Throwable cause) {
        super(message, cause);
    }
}
