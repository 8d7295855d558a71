package io.venomqa.spring;

import io.venomqa.http.Response;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.journey.Step;

import java.util.Map;

/** The sample app's journey: each branch orders from the same checkpoint and must get the same ids and stock. */
final class ShopJourneys {

    private ShopJourneys() {
    }

    static Journey orders() {
        return Journey.builder("orders")
                .step("add_plum", (client, ctx) -> expect(client.post("/products", Map.of("name", "plum", "stock", 4)), 201, 3))
                .checkpoint("plum_added")
                .branch("plum_added",
                        Path.of("buy_one", Step.of("order_1", (client, ctx) ->
                                expect(client.post("/orders", Map.of("productId", 3, "quantity", 1)), 201, 1))),
                        Path.of("buy_all", Step.of("order_4", (client, ctx) ->
                                expect(client.post("/orders", Map.of("productId", 3, "quantity", 4)), 201, 1))),
                        Path.of("buy_too_many", Step.of("order_5", (client, ctx) -> {
                                    // A refusal is what this path expects: the step returns the text, not the 409 response.
                                    Response r = client.post("/orders", Map.of("productId", 3, "quantity", 5));
                                    if (r.statusCode() != 409) {
                                        throw new AssertionError("expected 409, got " + r.statusCode() + ": " + r.body());
                                    }
                                    return r.body();
                                }),
                                Step.of("stock_unchanged", (client, ctx) -> {
                                    Response p = client.get("/products/3");
                                    if (p.json().get("stock").asInt() != 4) {
                                        throw new AssertionError("stock should be 4 after the refused order: " + p.body());
                                    }
                                    return p;
                                })))
                .step("after_branch", (client, ctx) -> expect(client.post("/orders", Map.of("productId", 3, "quantity", 2)), 201, 1))
                .build();
    }

    /** The response, after checking its status and the id it created. */
    private static Response expect(Response r, int status, long id) {
        if (r.statusCode() != status) {
            throw new AssertionError("expected " + status + ", got " + r.statusCode() + ": " + r.body());
        }
        if (r.json().get("id").asLong() != id) {
            throw new AssertionError("expected id " + id + " (every branch starts from the same next id), got " + r.body());
        }
        return r;
    }
}
