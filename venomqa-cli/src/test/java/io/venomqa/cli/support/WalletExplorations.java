package io.venomqa.cli.support;

import io.venomqa.explore.Exploration;
import io.venomqa.explore.Invariant;
import io.venomqa.explore.Move;
import io.venomqa.explore.Severity;

/**
 * Explorations of {@link WalletApi} exposed as {@code venomqa explore --class} finds them: a public
 * static method giving a builder (the buggy withdrawal) and a static field of another type (ignored).
 */
public final class WalletExplorations {

    public static final String NEVER_NEGATIVE = "balance never negative";

    /** Not an exploration: the command must skip it. */
    public static final String NOT_AN_EXPLORATION = "wallet";

    private WalletExplorations() {
    }

    /** Deposits and the buggy withdrawal: a withdrawal from 0 leaves -10. */
    public static Exploration.Builder overdraft() {
        return wallet("overdraft", "/withdraw");
    }

    /** Not an exploration: the command must skip it. */
    public static String help() {
        return "not an exploration";
    }

    static Exploration.Builder wallet(String name, String withdrawPath) {
        return Exploration.builder().name(name)
                .moves(Move.builder("deposit").action((client, ctx) -> client.post("/deposit")).expectStatus(200, 409).build(),
                        Move.builder("withdraw").action((client, ctx) -> client.post(withdrawPath)).expectStatus(200, 409).build())
                .invariant(Invariant.of(NEVER_NEGATIVE, Severity.CRITICAL,
                        o -> o.client().get("/balance").json().get("balance").asInt() >= 0));
    }
}
