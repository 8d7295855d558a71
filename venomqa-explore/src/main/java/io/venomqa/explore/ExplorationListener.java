package io.venomqa.explore;

/**
 * Follows an exploration as it runs (console progress, IDE plugins). Called on the exploring thread;
 * keep it quick. What a listener throws is ignored (and logged), so a broken listener never ends a run.
 */
public interface ExplorationListener {

    /** Before the first move. */
    default void onStart(String name, Strategy strategy, Limits limits) {
    }

    /** After every move of the exploration. */
    default void onProgress(Progress progress) {
    }

    /** When an (invariant, last move) pair fails for the first time, before shrinking. */
    default void onViolation(Violation violation) {
    }

    /** Once the run has ended, shrinking included, with the result about to be returned. */
    default void onFinish(ExplorationResult result) {
    }
}
