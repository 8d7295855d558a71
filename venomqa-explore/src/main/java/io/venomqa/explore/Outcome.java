package io.venomqa.explore;

/** How one move ended. */
public enum Outcome {
    /** The action returned; its status, if any, was expected. */
    OK,
    /** The action returned a status the move does not expect. */
    UNEXPECTED_STATUS,
    /** The action threw. */
    ERROR,
    /** The action ran past its timeout and was interrupted. */
    TIMEOUT
}
