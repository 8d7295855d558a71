package io.venomqa.state;

import io.venomqa.core.VenomQAException;

/**
 * Worker databases ({@link WorkerDatabases}) could not be made or dropped. The message names the
 * database (URL masked) and what to do next.
 */
public class WorkerDatabaseException extends VenomQAException {
    private static final long serialVersionUID = 1L;

    /** A failure with no underlying exception. */
    public WorkerDatabaseException(String message) {
        super(message);
    }

    /** A failure caused by {@code cause}. */
    public WorkerDatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
