package io.venomqa.state;

import io.venomqa.core.VenomQAException;

/**
 * Two backends on the class path claim the same name or alias. The message names both provider
 * classes and the jars they came from, and how to choose one.
 */
public class BackendConflictException extends VenomQAException {
    private static final long serialVersionUID = 1L;

    public BackendConflictException(String message) {
        super(message);
    }
}
