package io.venomqa.openapi;

import java.util.Objects;

/**
 * A failed {@link Check} whose level is {@link CheckLevel#WARNING}: reported, not failing the run.
 *
 * @param check     the check
 * @param operation the operation (move name) after which it failed
 * @param message   what was wrong, with the calls involved
 * @param count     how often the same (check, operation) failed
 */
public record OpenApiFinding(Check check, String operation, String message, int count) {
    public OpenApiFinding {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(message, "message");
    }

    /** {@code warning: response matches schema after getCustomer (2x): ...}. */
    @Override
    public String toString() {
        return "warning: " + check.invariantName() + " after " + operation + (count > 1 ? " (" + count + "x)" : "") + ": " + message;
    }
}
