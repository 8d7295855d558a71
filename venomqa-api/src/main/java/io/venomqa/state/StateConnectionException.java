package io.venomqa.state;

import io.venomqa.core.VenomQAException;

/**
 * The backend could not reach its database, or lost the connection. The message carries the
 * masked URL and what to check next.
 */
public class StateConnectionException extends VenomQAException {
    private static final long serialVersionUID = 1L;

    public StateConnectionException(String message) {
        super(message);
    }

    public StateConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
