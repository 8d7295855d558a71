package io.venomqa.core;

/**
 * Root of every exception VenomQA throws on purpose. Unchecked, so journeys and tests stay
 * free of {@code throws} clauses; catch this type to handle any VenomQA failure in one place.
 *
 * <p>Messages never contain passwords: URLs in them are masked with {@link CredentialMasker}.
 */
public class VenomQAException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VenomQAException(String message) {
        super(message);
    }

    public VenomQAException(String message, Throwable cause) {
        super(message, cause);
    }
}
