package io.venomqa.explore;

import io.venomqa.core.CredentialMasker;
import io.venomqa.http.HttpExchange;

/**
 * A {@link Violation} as plain text, the same in JUnit XML failures, JUnit 5 assertion messages and the
 * command line: the invariant, severity, message and count, then the reproduction path with every
 * request and response as the client recorded them (credentials masked, bodies cut).
 *
 * <pre>
 * CRITICAL refunds never exceed the order total (x2) after 'refund' in S7: SQL check returned false …
 *   path: 4 moves (shrunk from 6), reproduced from the start state
 *   1. create_order
 *      POST http://127.0.0.1:50123/orders → 201
 *        response: {"id":1,"total_cents":5900,"status":"pending"}
 *   …
 * </pre>
 */
public final class ViolationText {

    private ViolationText() {
    }

    /** The first line: severity, invariant, count, last move, state and message. */
    public static String headline(Violation v) {
        return v.severity() + " " + v.invariant() + " (x" + v.count() + ") after '" + v.lastMove() + "' in " + v.state()
                + ": " + CredentialMasker.maskText(String.valueOf(v.message()));
    }

    /**
     * {@code 4 moves (shrunk from 6)}, {@code 1 move (already minimal)} when shrinking removed nothing, or
     * the length followed by {@code notShrunk} when the path was not shrunk.
     */
    static String pathLength(Violation v, String notShrunk) {
        String moves = v.shrunkLength() + (v.shrunkLength() == 1 ? " move" : " moves");
        if (!v.shrunk()) {
            return moves + notShrunk;
        }
        return moves + (v.originalLength() > v.shrunkLength() ? " (shrunk from " + v.originalLength() + ")" : " (already minimal)");
    }

    /** The headline, then the path with every request and response. */
    public static String describe(Violation v) {
        StringBuilder sb = new StringBuilder(headline(v)).append('\n');
        sb.append("  path: ").append(pathLength(v, ""))
                .append(v.reproduced() ? ", reproduced from the start state" : "").append('\n');
        for (PathStep s : v.path()) {
            sb.append("  ").append(s.index()).append(". ").append(s.move());
            if (!s.args().isEmpty()) {
                sb.append(' ').append(ExplorationHtml.maskArgs(s.args()));
            }
            if (s.outcome() != Outcome.OK) {
                sb.append("  [").append(s.outcome()).append(']');
            }
            sb.append('\n');
            for (HttpExchange x : s.exchanges()) {
                sb.append("     ").append(x.summary()).append('\n');
                if (!x.requestBody().isEmpty()) {
                    sb.append("       request:  ").append(x.requestBody()).append('\n');
                }
                if (!x.responseBody().isEmpty()) {
                    sb.append("       response: ").append(x.responseBody()).append('\n');
                }
            }
            if (s.error() != null) {
                sb.append("     error: ").append(CredentialMasker.maskText(s.error())).append('\n');
            }
        }
        return sb.toString();
    }

    /** The moves of the path on one line: {@code create_order → pay_declined → pay_card → refund}. */
    public static String moves(Violation v) {
        return String.join(" → ", v.moves());
    }
}
