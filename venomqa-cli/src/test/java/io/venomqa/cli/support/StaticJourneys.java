package io.venomqa.cli.support;

import io.venomqa.journey.Journey;

/** Journeys exposed by public static members, for {@code venomqa run --class}. */
public final class StaticJourneys {

    public static final Journey PING = Journey.builder("ping").step("ping", (client, ctx) -> client.get("/ping")).build();

    private StaticJourneys() {
    }

    public static Journey health() {
        return Journey.builder("health").tag("smoke").step("health", (client, ctx) -> client.get("/ping")).build();
    }
}
