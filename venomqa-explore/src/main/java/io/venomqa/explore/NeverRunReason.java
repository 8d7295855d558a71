package io.venomqa.explore;

/** Why a move never ran in an exploration. */
public enum NeverRunReason {
    /** In every state the explorer stood in, a required context key was missing or a precondition was false. */
    PRECONDITION_NEVER_TRUE,
    /** Its {@link Move.Builder#maxRuns(int) cap} is 0. */
    CAP_REACHED,
    /** It could run somewhere, but a limit (steps, states, budget) ended the run before its turn. */
    LIMIT_REACHED
}
