package io.venomqa.runner;

/** Outcome of a step, checkpoint, path, branch or journey. */
public enum Status {
    /** Ran and met its expectation. */
    PASSED,
    /** Ran and did not meet its expectation, or could not run (a failed rollback, a timeout). */
    FAILED,
    /** Not run: an earlier step of its scope failed, fail-fast stopped the run, or the journey timed out. */
    SKIPPED;

    /** The symbol the console and the HTML report show: ✓, ✗ or ○. */
    public String symbol() {
        return switch (this) {
            case PASSED -> "✓";
            case FAILED -> "✗";
            case SKIPPED -> "○";
        };
    }
}
