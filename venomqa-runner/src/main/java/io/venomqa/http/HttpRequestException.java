package io.venomqa.http;

import io.venomqa.core.VenomQAException;

/**
 * An HTTP call got no response: the connection was refused, the host was not found, the request
 * timed out or was interrupted. The message names the method and URL (credentials masked) and what
 * to check; {@link #exchange()} is the failed call as recorded in the client's history.
 */
public class HttpRequestException extends VenomQAException {
    private static final long serialVersionUID = 1L;

    private final transient HttpExchange exchange;

    public HttpRequestException(String message, HttpExchange exchange, Throwable cause) {
        super(message, cause);
        this.exchange = exchange;
    }

    /** The failed call, with its request and no status. */
    public HttpExchange exchange() {
        return exchange;
    }
}
