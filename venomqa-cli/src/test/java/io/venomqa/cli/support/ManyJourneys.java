package io.venomqa.cli.support;

import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.journey.Step;
import io.venomqa.runner.JourneyProvider;

import java.util.ArrayList;
import java.util.List;

/** Eight small journeys, for splitting a suite into shards ({@code venomqa run --shard}). */
public final class ManyJourneys implements JourneyProvider {

    @Override
    public List<Journey> journeys() {
        List<Journey> out = new ArrayList<>();
        for (String name : List.of("browse", "search", "cart", "checkout", "refund", "signup", "login", "profile")) {
            out.add(Journey.builder(name)
                    .step("ping", (client, ctx) -> client.get("/ping"))
                    .checkpoint("pinged")
                    .branch("pinged",
                            Path.of("again", Step.of("ping_again", (client, ctx) -> client.get("/ping"))),
                            Path.of("refund", Step.of("refund", (client, ctx) -> client.post("/refund", "{}"))))
                    .build());
        }
        return out;
    }
}
