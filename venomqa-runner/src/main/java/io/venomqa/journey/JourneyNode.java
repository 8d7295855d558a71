package io.venomqa.journey;

/**
 * One element of a journey's or a path's sequence: a {@link Step} that calls the API, a
 * {@link Checkpoint} that saves the state, or a {@link Branch} that runs several {@link Path}s from
 * a checkpoint. Sealed: the runner and the reports know every kind.
 */
public sealed interface JourneyNode permits Step, Checkpoint, Branch {

    /** A short label for messages and reports: the step or checkpoint name, or {@code branch from 'x'}. */
    String label();
}
