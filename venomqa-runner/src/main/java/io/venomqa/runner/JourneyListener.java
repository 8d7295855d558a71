package io.venomqa.runner;

import io.venomqa.journey.Branch;
import io.venomqa.journey.Checkpoint;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.journey.Step;

import java.util.List;

/**
 * Sees a run as it happens, for progress output (the console reporter is one) or custom tooling.
 * Every method has an empty default, so implement only what you need.
 *
 * <p>{@code depth} is how many paths enclose the event: 0 on the journey's main line, 1 inside a
 * path of a main-line branch, and so on. Events come from the thread that called
 * {@link JourneyRunner#run(Journey)}, in run order. An exception thrown by a listener is logged and
 * otherwise ignored: a broken listener never changes a result.
 */
public interface JourneyListener {

    default void journeyStarted(Journey journey) {
    }

    default void stepStarted(Step step, int depth) {
    }

    /** A step ended (after all its attempts). */
    default void stepFinished(StepResult result, int depth) {
    }

    /** A step failed an attempt and will be retried after {@code delayMillis}. */
    default void stepRetrying(Step step, int failedAttempt, String reason, long delayMillis, int depth) {
    }

    default void checkpointFinished(Checkpoint checkpoint, CheckpointResult result, int depth) {
    }

    default void branchStarted(Branch branch, int depth) {
    }

    /**
     * The state was put back to checkpoint {@code checkpointName}: before each path of a branch, and
     * after its last path. {@code database} tells whether the database was rolled back too (false
     * without a state manager).
     */
    default void rolledBack(String checkpointName, boolean database, int depth) {
    }

    /** A path starts; {@code depth} is that of its branch. */
    default void pathStarted(Path path, int depth) {
    }

    /** A path ended; {@code depth} is that of its branch. */
    default void pathFinished(PathResult result, int depth) {
    }

    default void branchFinished(BranchResult result, int depth) {
    }

    /** Something the user should know, such as running without a state manager. */
    default void warning(String message) {
    }

    default void journeyFinished(JourneyResult result) {
    }

    /** The runner wrote report files for {@code result}. */
    default void reportsWritten(JourneyResult result, List<java.nio.file.Path> files) {
    }
}
