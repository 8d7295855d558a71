package io.venomqa.explore;

import io.venomqa.http.HttpExchange;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Results built by hand, shaped like the shop's, for the report tests (no engine involved). */
final class SampleResults {

    static final String BASE = "http://127.0.0.1:4321";
    static final String INVARIANT = "refunds <never> exceed the total";

    private SampleResults() {
    }

    static HttpExchange exchange(String method, String path, String body, int status, String response) {
        return new HttpExchange(method, BASE + path, Map.of("Authorization", "Bearer ***"), body, status,
                Map.of("Content-Type", "application/json"), response, Instant.parse("2025-01-01T00:00:00Z"), Duration.ofMillis(3), null);
    }

    static PathStep step(int i, String move, String from, String to, HttpExchange x) {
        return new PathStep(i, move, Map.of(), from, to, x.status(), Outcome.OK, null, List.of(x));
    }

    /** Four states in a line, one violation with a four-move path, one self-loop, one never-run move. */
    static ExplorationResult withViolation() {
        List<PathStep> path = List.of(
                step(1, "create_order", "S0", "S1", exchange("POST", "/orders", "", 201, "{\"id\":7,\"status\":\"pending\"}")),
                step(2, "pay_declined", "S1", "S2", exchange("POST", "/orders/7/payments",
                        "{\"method\":\"card\",\"card_number\":\"4000000000000002\"}", 402, "{\"error\":\"card declined\"}")),
                step(3, "pay_card", "S2", "S3", exchange("POST", "/orders/7/payments",
                        "{\"method\":\"card\",\"card_number\":\"4242424242424242\"}", 201, "{\"id\":2,\"status\":\"paid\"}")),
                new PathStep(4, "refund", Map.of("password", "hunter2"), "S3", "S4", 200, Outcome.OK, null,
                        List.of(exchange("POST", "/orders/7/refund", "", 200, "{\"status\":\"refunded\"}"))));
        Violation v = new Violation(INVARIANT, Severity.CRITICAL, "SQL check returned false <script>alert(1)</script>"
                + " at postgresql://qa:s3cret@db/x", "S4", "refund", path, 6, true, true, 2, 9);
        List<StateNode> states = List.of(
                new StateNode("S0", "a0", 0, List.of(), "orders: []", 0, List.of("create_order"), true),
                new StateNode("S1", "a1", 1, List.of("create_order"), "orders: [pending]", 1,
                        List.of("create_order", "pay_card", "pay_declined", "refund"), true),
                new StateNode("S2", "a2", 2, List.of("create_order", "pay_declined"), "declined", 3, List.of("pay_card"), true),
                new StateNode("S3", "a3", 2, List.of("create_order", "pay_card"), "paid", 4, List.of("refund"), true),
                new StateNode("S4", "a4", 3, List.of("create_order", "pay_card", "refund"), "refunded </script>", 6, List.of(), false));
        List<Transition> transitions = List.of(
                new Transition(1, "S0", "create_order", "S1", 201, Outcome.OK, Duration.ofMillis(2), List.of()),
                new Transition(2, "S1", "create_order", "S1", 409, Outcome.OK, Duration.ofMillis(2), List.of()),
                new Transition(3, "S1", "pay_declined", "S2", 402, Outcome.OK, Duration.ofMillis(2), List.of()),
                new Transition(4, "S1", "pay_card", "S3", 201, Outcome.OK, Duration.ofMillis(2), List.of()),
                new Transition(5, "S2", "pay_card", "S3", 201, Outcome.OK, Duration.ofMillis(2), List.of()),
                new Transition(6, "S3", "refund", "S4", 200, Outcome.OK, Duration.ofMillis(2), List.of(INVARIANT)));
        Map<String, Integer> runs = new LinkedHashMap<>();
        runs.put("create_order", 2);
        runs.put("pay_card", 2);
        runs.put("pay_declined", 1);
        runs.put("refund", 1);
        runs.put("cancel", 0);
        Coverage coverage = new Coverage(runs, List.of(new Coverage.Pair("S0", "create_order", true),
                new Coverage.Pair("S1", "create_order", true), new Coverage.Pair("S1", "refund", false)), 2, 3);
        return new ExplorationResult("shop <demo>", "bfs", null, StopReason.EXHAUSTED, 6, 0, 10,
                Instant.parse("2025-01-01T00:00:00Z"), Duration.ofMillis(1234), "sqlite", "table contents", RestoreMode.TREE,
                "restored directly", new Limits(100, 4, 100, null, Duration.ofSeconds(30)), states, transitions, coverage,
                List.of(new NeverRun("cancel", NeverRunReason.PRECONDITION_NEVER_TRUE, "requires shipped: false in all 5 states")),
                List.of(new InvariantSummary(INVARIANT, Severity.CRITICAL, false, 6, 2),
                        new InvariantSummary("stock >= 0", Severity.HIGH, false, 6, 0),
                        new InvariantSummary(Invariant.EXPECTED_STATUS, Severity.HIGH, true, 6, 0)),
                List.of(v), List.of(new Warning("few states", "add context keys to the projection")));
    }
}
