package io.venomqa.cli.support;

import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.runner.JourneyProvider;

import java.util.List;

/** A provider whose journeys() throws; RunTest registers it through a --class-path directory. */
public final class MisspelledProvider implements JourneyProvider {

    @Override
    public List<Journey> journeys() {
        return List.of(Journey.builder("refund")
                .step("create_order", (client, ctx) -> client.post("/users", "bob"))
                .checkpoint("order_created")
                .branch("order_craeted", Path.builder("card").step("pay", (client, ctx) -> client.get("/ping")).build())
                .build());
    }
}
