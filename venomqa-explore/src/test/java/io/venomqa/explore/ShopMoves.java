package io.venomqa.explore;

import io.venomqa.http.Response;

import java.util.List;

/** The moves and invariants of the exploration tests over {@link ShopApi}. */
final class ShopMoves {

    static final String REFUNDS_WITHIN_TOTAL = "refunds never exceed the order total";

    /** What the shortest path to the planted bug has: create, 2 payments, 2 refunds in some order. */
    static final int MINIMAL_LENGTH = 5;

    private ShopMoves() {
    }

    static List<Move> moves() {
        return List.of(
                Move.builder("create").action((client, ctx) -> {
                    Response r = client.post("/orders");
                    if (r.statusCode() == 201) {
                        ctx.set("order_id", r.json().get("id").asInt());
                    }
                    return r;
                }).when("no order yet", (ctx, db) -> !ctx.contains("order_id")).expectStatus(201).build(),
                Move.builder("pay").action((client, ctx) -> client.post("/orders/" + ctx.get("order_id") + "/pay"))
                        .requires("order_id").expectStatus(200, 409).build(),
                Move.builder("refund").action((client, ctx) -> client.post("/orders/" + ctx.get("order_id") + "/refund"))
                        .requires("order_id").expectStatus(200, 409).build(),
                Move.builder("cancel").action((client, ctx) -> client.post("/orders/" + ctx.get("order_id") + "/cancel"))
                        .requires("order_id").expectStatus(200).build());
    }

    /** The rule the planted bug breaks, in SQL (true as boolean or 1 on every database). */
    static Invariant sqlInvariant() {
        return Invariant.sql(REFUNDS_WITHIN_TOTAL, Severity.CRITICAL,
                "select count(*) = 0 from orders o where (select coalesce(sum(r.amount), 0) from refunds r "
                        + "where r.order_id = o.id) > o.total");
    }

    /** The same rule checked through the API (for the memory backend), with an assertion. */
    static Invariant apiInvariant() {
        return Invariant.asserting(REFUNDS_WITHIN_TOTAL, Severity.CRITICAL, o -> {
            if (!o.context().contains("order_id")) {
                return;
            }
            Response r = o.client().get("/orders/1");
            int refunded = r.json().get("refunded").asInt();
            if (refunded > r.json().get("total").asInt()) {
                throw new AssertionError("refunded " + refunded + " of an order of " + ShopApi.TOTAL);
            }
        });
    }
}
