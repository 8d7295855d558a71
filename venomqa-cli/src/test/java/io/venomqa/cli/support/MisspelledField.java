package io.venomqa.cli.support;

import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;

/** A static Journey field whose builder throws: the class cannot be initialised. */
public final class MisspelledField {

    public static final Journey CHECKOUT = Journey.builder("checkout")
            .step("create_order", (client, ctx) -> client.post("/users", "bob"))
            .checkpoint("order_created")
            .branch("order_craeted", Path.builder("card").step("pay", (client, ctx) -> client.get("/ping")).build())
            .build();

    private MisspelledField() {
    }
}
