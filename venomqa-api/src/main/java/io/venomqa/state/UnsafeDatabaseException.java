package io.venomqa.state;

import io.venomqa.core.VenomQAException;

/**
 * VenomQA refused to empty tables or journal a database that is not clearly a test database.
 * The message says which host or setting was the reason and exactly how to allow it.
 */
public class UnsafeDatabaseException extends VenomQAException {
    private static final long serialVersionUID = 1L;

    public UnsafeDatabaseException(String message) {
        super(message);
    }
}
