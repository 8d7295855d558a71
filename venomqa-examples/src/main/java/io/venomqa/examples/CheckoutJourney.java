package io.venomqa.examples;

import io.venomqa.examples.shop.ShopApp;
import io.venomqa.http.Client;
import io.venomqa.http.Response;
import io.venomqa.journey.Action;
import io.venomqa.journey.ArgsAction;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;

import java.util.Map;

/**
 * The checkout journey of the demo, in the spirit of the seed: register, log in, fill the cart,
 * save the state as {@code cart_ready}, then pay three ways from that same cart: by card (with a
 * nested checkpoint {@code paid} and a branch into refund / pay-again), through PayPal, and with a
 * declined card (expected to fail). Every path first records what it sees in {@code GET /stats},
 * which is how the demo proves that each path started from the same database state.
 */
public final class CheckoutJourney {

    /** Name of the step at the start of every path that records {@code /stats}; one per path name. */
    public static String statsStep(String path) {
        return "stats_at_start_" + path;
    }

    private CheckoutJourney() {
    }

    public static Journey build() {
        ArgsAction pay = (client, ctx, args) -> {
            Map<String, Object> body = new java.util.LinkedHashMap<>(args.asMap());
            return client.post("/orders/" + ctx.getRequired("order_id") + "/payments", body);
        };
        return Journey.builder("checkout")
                .description("Register, log in, fill the cart, then pay by card, PayPal and a declined card from the same cart")
                .tag("demo")
                .step("register", (client, ctx) -> expect(client.post("/users",
                        Map.of("email", "ada@example.com", "password", "correct horse", "name", "Ada")), 201))
                .step("login", (client, ctx) -> {
                    Response r = expect(client.post("/login", Map.of("email", "ada@example.com", "password", "correct horse")), 200);
                    client.setAuthToken(r.json().get("token").asText());
                    return r;
                })
                .step("add_book", (client, ctx) -> expect(client.post("/cart/items", Map.of("sku", "BOOK-1", "qty", 1)), 201))
                .step("add_mugs", (client, ctx) -> expect(client.post("/cart/items", Map.of("sku", "MUG-1", "qty", 2)), 201))
                .step("cart_total", (client, ctx) -> {
                    Response r = expect(client.get("/cart"), 200);
                    check(r.json().get("total_cents").asLong() == 5900, "cart total should be 5900 cents", r);
                    return r;
                }, s -> s.description("3500 for the book + 2 × 1200 for the mugs"))
                .checkpoint("cart_ready", "one user, logged in, two lines in the cart, no order yet")
                .branch("cart_ready",
                        Path.builder("card")
                                .description("Order, pay by card, then refund or try to pay twice")
                                .step(statsStep("card"), stats())
                                .step("create_order", createOrder())
                                .step("pay_card", pay, s -> s.arg("method", "card").arg("card_number", "4242424242424242"))
                                .step("order_is_paid", orderStatus("paid"))
                                .checkpoint("paid", "the order is paid by card")
                                .branch("paid",
                                        Path.builder("refund")
                                                .step("refund", (client, ctx) -> expect(client.post("/orders/" + ctx.getRequired("order_id") + "/refund"), 200))
                                                .step("order_is_refunded", orderStatus("refunded"))
                                                .build(),
                                        Path.builder("pay_twice")
                                                .step("pay_again", pay, s -> s.arg("method", "card").arg("card_number", "4242424242424242")
                                                        .expectFailure().description("a paid order cannot be paid again (409)"))
                                                .step("still_paid", orderStatus("paid"))
                                                .build())
                                .build(),
                        Path.builder("paypal")
                                .description("Order and pay through PayPal")
                                .step(statsStep("paypal"), stats())
                                .step("create_order", createOrder())
                                .step("pay_paypal", pay, s -> s.arg("method", "paypal").arg("paypal_email", "ada@example.com").retries(1))
                                .step("order_is_paid", orderStatus("paid"))
                                .build(),
                        Path.builder("declined_card")
                                .description("Order and pay with a card the bank declines")
                                .step(statsStep("declined_card"), stats())
                                .step("create_order", createOrder())
                                .step("pay_declined", pay, s -> s.arg("method", "card").arg("card_number", ShopApp.DECLINED_CARD)
                                        .expectFailure().description("the bank declines: HTTP 402 is the expected outcome"))
                                .step("order_still_pending", orderStatus("pending"))
                                .build())
                .step("no_order_after_branch", (client, ctx) -> {
                    Response r = expect(client.get("/orders"), 200);
                    check(r.json().get("count").asInt() == 0,
                            "after the branch the journey continues from cart_ready, where there is no order", r);
                    return r;
                })
                .build();
    }

    private static Action stats() {
        return (client, ctx) -> expect(client.get("/stats"), 200);
    }

    private static Action createOrder() {
        return (client, ctx) -> {
            Response r = expect(client.post("/orders"), 201);
            ctx.set("order_id", r.json().get("id").asLong());
            return r;
        };
    }

    private static Action orderStatus(String status) {
        return (client, ctx) -> {
            Response r = expect(client.get("/orders/" + ctx.getRequired("order_id")), 200);
            check(status.equals(r.json().get("status").asText()), "order should be " + status, r);
            return r;
        };
    }

    /** The response if its status is {@code status}; else an error quoting the response. */
    static Response expect(Response r, int status) {
        check(r.statusCode() == status, "expected HTTP " + status, r);
        return r;
    }

    static void check(boolean ok, String what, Response r) {
        if (!ok) {
            throw new AssertionError(what + ", got HTTP " + r.statusCode() + ": " + r.body());
        }
    }

    /** The shop client used by the demo. */
    static Client client(String baseUrl) {
        return Client.builder(baseUrl).timeout(java.time.Duration.ofSeconds(10)).build();
    }
}
