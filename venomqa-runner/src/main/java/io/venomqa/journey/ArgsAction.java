package io.venomqa.journey;

import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Client;

/**
 * An {@link Action} that also receives the step's own arguments, so one action can serve several
 * steps that differ only in their data:
 *
 * <pre>{@code
 * ArgsAction pay = (client, ctx, args) ->
 *         client.post("/payments", Map.of("order", ctx.getRequired("order_id"), "method", args.getString("method")));
 * Journey.builder("checkout")
 *        ...
 *        .step("pay_card", pay, s -> s.arg("method", "card"))
 * }</pre>
 */
@FunctionalInterface
public interface ArgsAction {

    /** Runs the step with its arguments ({@link StepArgs#isEmpty() empty} when none were given). */
    Object execute(Client client, ExecutionContext context, StepArgs args) throws Exception;
}
