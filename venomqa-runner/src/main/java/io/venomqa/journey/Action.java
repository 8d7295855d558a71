package io.venomqa.journey;

import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Client;

/**
 * What a {@link Step} does: calls the API through the {@link Client} and reads or writes the
 * {@link ExecutionContext}. The returned value becomes the step's result, stored in the context
 * under the step name; when it is a {@link io.venomqa.http.Response} with a status of 400 or more
 * the step fails (unless it expects failure).
 *
 * <pre>{@code
 * Action login = (client, ctx) -> {
 *     Response r = client.post("/login", Map.of("email", "a@b.c", "password", "secret"));
 *     ctx.set("token", r.json().get("token").asText());
 *     return r;
 * };
 * }</pre>
 *
 * Any exception thrown fails the step (checked ones included, so actions need no try/catch).
 */
@FunctionalInterface
public interface Action {

    /** Runs the step; the result may be a {@code Response}, any other value, or {@code null}. */
    Object execute(Client client, ExecutionContext context) throws Exception;
}
