package io.venomqa.explore;

import io.venomqa.core.VenomQAException;

/**
 * An exploration could not run or could not go on: a wrong configuration, a start journey that
 * failed, or a state manager that could not restore a state. Failures of the API under test are
 * never this: they are {@link Violation}s.
 */
public class ExplorationException extends VenomQAException {
    private static final long serialVersionUID = 1L;

    public ExplorationException(String message) {
        super(message);
    }

    public ExplorationException(String message, Throwable cause) {
        super(message, cause);
    }
}
