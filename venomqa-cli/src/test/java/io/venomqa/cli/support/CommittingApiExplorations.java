package io.venomqa.cli.support;

import io.venomqa.explore.Exploration;
import io.venomqa.explore.Move;

import java.util.Map;

/**
 * An exploration of an API that commits on a connection of its own ({@code POST /signup} of
 * {@code RunOtherWritersTest}'s server) and answers 200 where the move expects 201: a violation whose path
 * {@code venomqa replay} repeats, committing again, which the savepoint strategy cannot undo.
 */
public final class CommittingApiExplorations {

    private CommittingApiExplorations() {
    }

    public static Exploration.Builder signUpByTheApi() {
        return Exploration.builder().name("sign up by the api").maxSteps(5)
                .moves(Move.builder("sign up").maxRuns(1).expectStatus(201)
                        .action((client, ctx) -> client.post("/signup", Map.of("email", "d@example.com"))).build());
    }
}
