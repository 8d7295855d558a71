package io.venomqa.runner;

import java.time.Duration;

/**
 * The result of one node of a journey's tree: a {@link StepResult}, a {@link CheckpointResult} or a
 * {@link BranchResult}. Immutable, like every result type.
 */
public sealed interface NodeResult permits StepResult, CheckpointResult, BranchResult {

    /** The step or checkpoint name, or the checkpoint a branch started from. */
    String name();

    Status status();

    /** Wall-clock time the node took (zero when skipped). */
    Duration duration();

    default boolean passed() {
        return status() == Status.PASSED;
    }

    default boolean failed() {
        return status() == Status.FAILED;
    }
}
