package io.venomqa.state;

import io.venomqa.core.VenomQAException;

/**
 * No backend on the class path answers to the configured {@code db_backend} (or to the scheme of
 * {@code db_url}). The message lists the backends found, with their artifacts, and names the
 * artifact to add.
 */
public class BackendNotFoundException extends VenomQAException {
    private static final long serialVersionUID = 1L;

    public BackendNotFoundException(String message) {
        super(message);
    }
}
