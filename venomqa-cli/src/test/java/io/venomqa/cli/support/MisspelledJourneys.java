package io.venomqa.cli.support;

import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;

/** A class whose second static journey names a misspelled checkpoint: building it throws. */
public final class MisspelledJourneys {

    private MisspelledJourneys() {
    }

    public static Journey fine() {
        return Journey.builder("fine").step("ping", (client, ctx) -> client.get("/ping")).build();
    }

    public static Journey misspelled() {
        return Journey.builder("misspelled")
                .step("create_order", (client, ctx) -> client.post("/users", "bob"))
                .checkpoint("order_created")
                .branch("order_craeted", Path.builder("card").step("pay", (client, ctx) -> client.get("/ping")).build())
                .build();
    }
}
