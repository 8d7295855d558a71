package io.venomqa.explore;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Exploration#replay(List)} saw: each move of the path as it ran again, with the checks
 * that failed right after it. The database was put back as found afterwards.
 *
 * @param exploration the exploration's name
 * @param steps       the moves in the order they ran, each with its calls and failed checks
 */
public record ReplayResult(String exploration, List<Step> steps) {
    public ReplayResult {
        Objects.requireNonNull(exploration, "exploration");
        steps = List.copyOf(steps);
    }

    /**
     * One move replayed.
     *
     * @param step     the move with its status, outcome, error and HTTP calls (states are {@code "?"}: a
     *                 replay does not identify states)
     * @param failures the checks that failed after it, in the order they were checked
     */
    public record Step(PathStep step, List<Failure> failures) {
        public Step {
            Objects.requireNonNull(step, "step");
            failures = List.copyOf(failures);
        }
    }

    /**
     * One check that failed.
     *
     * @param invariant the invariant's name (built-in ones included)
     * @param severity  its severity
     * @param message   what it said, masked as in exploration results
     */
    public record Failure(String invariant, Severity severity, String message) {
    }

    /** Whether {@code invariant} failed after some move of the path. */
    public boolean failed(String invariant) {
        return steps.stream().anyMatch(s -> s.failures().stream().anyMatch(f -> f.invariant().equals(invariant)));
    }

    /** The failures of {@code invariant}, in path order. */
    public List<Failure> failuresOf(String invariant) {
        return steps.stream().flatMap(s -> s.failures().stream()).filter(f -> f.invariant().equals(invariant)).toList();
    }
}
