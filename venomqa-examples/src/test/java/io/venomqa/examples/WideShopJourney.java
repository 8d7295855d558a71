package io.venomqa.examples;

import io.venomqa.examples.shop.ShopApp;
import io.venomqa.http.Response;
import io.venomqa.journey.Action;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;

import java.util.Map;

/**
 * A shop journey with more top-level paths than workers: five paths from {@code cart_ready}, a main
 * line that goes on after the branch, and two paths from a second checkpoint, so that path numbers
 * run across branches and every worker replays a main line with a branch in it.
 * {@code firstStepOfSecondPath} runs first in the second path (the API-death test stops the API there).
 */
final class WideShopJourney {

    private WideShopJourney() {
    }

    static Journey build(Action firstStepOfSecondPath) {
        return Journey.builder("wide_checkout")
                .step("register", (c, ctx) -> CheckoutJourney.expect(c.post("/users",
                        Map.of("email", "bo@example.com", "password", "password-bo", "name", "Bo")), 201))
                .step("login", (c, ctx) -> {
                    Response r = CheckoutJourney.expect(c.post("/login", Map.of("email", "bo@example.com", "password", "password-bo")), 200);
                    c.setAuthToken(r.json().get("token").asText());
                    return r;
                })
                .step("add_book", (c, ctx) -> CheckoutJourney.expect(c.post("/cart/items", Map.of("sku", "BOOK-1", "qty", 1)), 201))
                .checkpoint("cart_ready")
                .branch("cart_ready",
                        pay("card", "card_number", "4242424242424242", 201, null),
                        pay("paypal", "paypal_email", "bo@example.com", 201, firstStepOfSecondPath),
                        pay("declined", "card_number", ShopApp.DECLINED_CARD, 402, null),
                        pay("card_again", "card_number", "5555555555554444", 201, null),
                        Path.builder("stats_only").step("stats", (c, ctx) -> CheckoutJourney.expect(c.get("/stats"), 200)).build())
                .step("add_sticker", (c, ctx) -> CheckoutJourney.expect(c.post("/cart/items", Map.of("sku", "STICKER", "qty", 3)), 201))
                .checkpoint("bigger_cart")
                .branch("bigger_cart",
                        Path.builder("order_total").step("order", (c, ctx) -> {
                            Response r = CheckoutJourney.expect(c.post("/orders"), 201);
                            CheckoutJourney.check(r.json().get("total_cents").asLong() == 4400, "total should be 4400", r);
                            return r;
                        }).build(),
                        Path.builder("cart_total").step("cart", (c, ctx) -> CheckoutJourney.expect(c.get("/cart"), 200)).build())
                .build();
    }

    private static Path pay(String name, String field, String value, int expected, Action first) {
        Path.Builder p = Path.builder(name);
        if (first != null) {
            p.step("before_" + name, first);
        }
        return p.step("stats_" + name, (c, ctx) -> CheckoutJourney.expect(c.get("/stats"), 200))
                .step("order_" + name, (c, ctx) -> {
                    Response r = CheckoutJourney.expect(c.post("/orders"), 201);
                    ctx.set("order_id", r.json().get("id").asLong());
                    return r;
                })
                .step("pay_" + name, (c, ctx) -> {
                    Response r = CheckoutJourney.expect(c.post("/orders/" + ctx.getRequired("order_id") + "/payments",
                            Map.of("method", name.startsWith("paypal") ? "paypal" : "card", field, value)), expected);
                    return r.statusCode() < 400 ? r : "declined as expected: HTTP " + r.statusCode();
                })
                .build();
    }
}
