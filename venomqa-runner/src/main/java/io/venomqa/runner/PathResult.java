package io.venomqa.runner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One path of a branch: its nodes' results in order. A path fails when one of its steps, nested
 * branches or checkpoints fails, or when the state could not be put back before it ({@link #message()}).
 *
 * @param name        path name
 * @param description path description, empty when none
 * @param status      passed, failed, or skipped (fail-fast, journey timeout)
 * @param duration    time of the path, the rollback before it included
 * @param nodes       results of its nodes, in order (skipped ones included)
 * @param message     a failure that is not a step's (a rollback that failed), or {@code null}
 */
public record PathResult(String name, String description, Status status, Duration duration, List<NodeResult> nodes,
                         String message) {

    public PathResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(duration, "duration");
        description = description == null ? "" : description;
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    public boolean passed() {
        return status == Status.PASSED;
    }

    public boolean failed() {
        return status == Status.FAILED;
    }

    /** The steps of this path and of its nested paths, in run order. */
    public List<StepResult> steps() {
        List<StepResult> out = new ArrayList<>();
        JourneyResult.collectSteps(nodes, out);
        return out;
    }
}
