package io.venomqa.runner.internal;

/** A step ran past its timeout. */
final class StepTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StepTimeoutException(String message) {
        super(message, null, false, false);
    }
}
