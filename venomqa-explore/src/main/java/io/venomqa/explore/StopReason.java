package io.venomqa.explore;

/** Which limit ended an exploration, or that nothing was left to try. */
public enum StopReason {
    /** Every (state, move) pair within the depth bound was tried. */
    EXHAUSTED,
    /** {@link Exploration.Builder#maxSteps(int)} moves were made. */
    MAX_STEPS,
    /** {@link Exploration.Builder#maxStates(int)} states were seen. */
    MAX_STATES,
    /** The wall-clock {@link Exploration.Builder#budget(java.time.Duration) budget} ran out. */
    BUDGET,
    /** The thread running the exploration was interrupted. */
    INTERRUPTED
}
