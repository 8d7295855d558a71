package io.venomqa.openapi.internal;

import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Client;
import io.venomqa.http.Response;
import io.venomqa.openapi.Auth;

/**
 * Authentication of every request the moves and the checks send: the configured {@link Auth}, and
 * the token a login move stored in the context (so returning to a state before the login also
 * forgets the token).
 */
public final class Requests {

    private final Auth auth;
    private final boolean login;

    public Requests(Auth auth, boolean login) {
        this.auth = auth;
        this.login = login;
    }

    public void authorize(Client.RequestBuilder rb, ExecutionContext ctx, OperationModel op) {
        if (op != null && op.explicitlyOpen()) {
            return;
        }
        auth.headers().forEach(rb::header);
        auth.query().forEach(rb::query);
        auth.cookies().forEach(rb::cookie);
        Object token = login ? ctx.get(Keys.TOKEN) : null;
        if (token != null) {
            rb.header("Authorization", "Bearer " + token);
        }
    }

    /** {@code GET path}, authenticated as the moves are. */
    public Response get(Client client, ExecutionContext ctx, String path) {
        Client.RequestBuilder rb = client.request("GET", path);
        authorize(rb, ctx, null);
        return rb.send();
    }
}
