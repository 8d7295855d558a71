package io.venomqa.cli.support;

import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.runner.JourneyProvider;

import java.util.List;

/** Registered in META-INF/services/io.venomqa.runner.JourneyProvider of the test class path. */
public final class ShopJourneys implements JourneyProvider {

    @Override
    public List<Journey> journeys() {
        return List.of(
                Journey.builder("signup").tag("smoke")
                        .step("create_user", (client, ctx) -> client.post("/users", "ann"))
                        .checkpoint("user_created")
                        .branch("user_created",
                                Path.builder("login").step("login", (client, ctx) -> client.post("/login", "ann")).build(),
                                Path.builder("duplicate").step("again", (client, ctx) -> client.post("/users", "ann"),
                                        s -> s.expectFailure()).build())
                        .build(),
                Journey.builder("broken").tag("nightly")
                        .step("explode", (client, ctx) -> client.post("/explode", "{\"why\":\"test\"}"))
                        .build());
    }
}
