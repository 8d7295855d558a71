package io.venomqa.state;

import io.venomqa.core.VenomQAException;

/** {@link StateManager#reset()} could not empty the reset tables; nothing was committed. */
public class ResetException extends VenomQAException {
    private static final long serialVersionUID = 1L;

    public ResetException(String message) {
        super(message);
    }

    public ResetException(String message, Throwable cause) {
        super(message, cause);
    }
}
