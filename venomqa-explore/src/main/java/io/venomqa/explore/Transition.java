package io.venomqa.explore;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One move made during the exploration, as an edge of the state graph.
 *
 * @param step       its number, from 1, in the order the moves were made
 * @param from       id of the state the move ran in
 * @param move       the move's name
 * @param to         id of the state it led to ({@code from} for a self-loop)
 * @param status     the HTTP status of the move's result, or {@code null} when it returned no response
 * @param outcome    how the move ended
 * @param duration   how long the action took
 * @param violations names of the invariants that failed after it, empty when all held
 */
public record Transition(int step, String from, String move, String to, Integer status, Outcome outcome,
                         Duration duration, List<String> violations) {
    public Transition {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(move, "move");
        Objects.requireNonNull(to, "to");
        violations = List.copyOf(violations);
    }

    /** Whether the move led back to the state it ran in. */
    public boolean selfLoop() {
        return from.equals(to);
    }
}
