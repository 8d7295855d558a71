package io.venomqa.openapi;

import io.venomqa.core.VenomQAException;

/**
 * An OpenAPI document that cannot be used: not readable, not YAML or JSON, not OpenAPI 3.0 or 3.1, or
 * without a single operation. The message names the document, the line (when one is known) and the
 * reason; {@link #unreachable()} tells a document that could not be fetched (its server is down) from
 * one that was read and is wrong, so the command line can answer 4 for the first and 3 for the second.
 */
public final class OpenApiDocumentException extends VenomQAException {

    private final int line;
    private final String reason;
    private final boolean unreachable;

    public OpenApiDocumentException(String document, int line, String reason) {
        this(document, line, reason, false, null);
    }

    OpenApiDocumentException(String document, int line, String reason, boolean unreachable, Throwable cause) {
        super(document + (line > 0 ? ":" + line : "") + ": " + reason, cause);
        this.line = line;
        this.reason = reason;
        this.unreachable = unreachable;
    }

    /** The 1-based line of the problem in the document, or 0 when no line applies. */
    public int line() {
        return line;
    }

    /** The reason alone, without document and line. */
    public String reason() {
        return reason;
    }

    /** Whether the document could not be fetched at all (connection refused, timeout). */
    public boolean unreachable() {
        return unreachable;
    }
}
