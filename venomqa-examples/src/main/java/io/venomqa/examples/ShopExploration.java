package io.venomqa.examples;

import io.venomqa.examples.shop.ShopApp;
import io.venomqa.explore.Exploration;
import io.venomqa.explore.Invariant;
import io.venomqa.explore.Move;
import io.venomqa.explore.Severity;
import io.venomqa.explore.Strategy;
import io.venomqa.http.Response;
import io.venomqa.journey.ArgsAction;

import java.util.List;

/**
 * The shop's exploration: from the checkout journey's checkpoint {@code cart_ready} (a user logged in
 * with a full cart), the explorer may order, pay by card, pay with a declined card and refund, in any
 * order, and checks after every move that no order was refunded more than it cost. The shop's planted
 * bug (see {@link ShopApp}) breaks that rule after four calls: order, declined card, good card, refund.
 *
 * <p>{@link #builder()} leaves out the client and the state manager, which the caller (the demo,
 * a test, {@code venomqa explore --class io.venomqa.examples.ShopExploration}) supplies.
 */
public final class ShopExploration {

    /** The checkpoint of {@link CheckoutJourney} the exploration starts from. */
    public static final String START = "cart_ready";

    /** The invariant the planted bug breaks. */
    public static final Invariant REFUNDS_WITHIN_TOTAL = Invariant.sql("refunds never exceed the order total", Severity.CRITICAL,
            "select count(*) = 0 from orders o where (select coalesce(sum(p.amount_cents), 0) from payments p"
                    + " where p.order_id = o.id and p.status = 'refunded') > o.total_cents");

    /** The moves, in the order the explorer breaks ties in. */
    public static final List<Move> MOVES = moves();

    private ShopExploration() {
    }

    /** The shop's exploration, breadth-first to depth 4; add {@code .client(..)} and {@code .stateManager(..)}. */
    public static Exploration.Builder builder() {
        return Exploration.builder()
                .name("shop")
                .startFrom(CheckoutJourney.build(), START)
                .moves(MOVES)
                .invariant(REFUNDS_WITHIN_TOTAL)
                .invariant(Invariant.sql("an order has at most one successful payment",
                        "select count(*) = 0 from (select order_id from payments where status = 'paid'"
                                + " group by order_id having count(*) > 1) twice"))
                .strategy(Strategy.breadthFirst())
                .maxDepth(4)
                .maxSteps(300);
    }

    private static List<Move> moves() {
        ArgsAction pay = (client, ctx, args) -> client.post("/orders/" + ctx.getRequired("order_id") + "/payments", args.asMap());
        return List.of(
                Move.builder("create_order")
                        .description("order what is in the cart (409 when it is empty)")
                        .action((client, ctx) -> {
                            Response r = client.post("/orders");
                            if (r.statusCode() == 201) {
                                ctx.set("order_id", r.json().get("id").asLong());
                            }
                            return r;
                        })
                        .expectStatus(201, 409)
                        .build(),
                Move.builder("pay_card")
                        .action(pay).arg("method", "card").arg("card_number", "4242424242424242")
                        .requires("order_id")
                        .expectStatus(201, 409)
                        .build(),
                Move.builder("pay_declined")
                        .description("a card the bank declines (402), kept as a declined payment")
                        .action(pay).arg("method", "card").arg("card_number", ShopApp.DECLINED_CARD)
                        .requires("order_id")
                        .expectStatus(402, 409)
                        .build(),
                Move.builder("refund")
                        .action((client, ctx) -> client.post("/orders/" + ctx.getRequired("order_id") + "/refund"))
                        .requires("order_id")
                        .expectStatus(200, 409)
                        .build());
    }
}
