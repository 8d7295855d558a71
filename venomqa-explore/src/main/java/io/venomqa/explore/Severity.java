package io.venomqa.explore;

/** How bad a broken {@link Invariant} is; reports sort violations by it, most severe first. */
public enum Severity {
    /** Data loss, money, security: the run's result must not be ignored. */
    CRITICAL,
    /** A wrong answer or state a user would notice. */
    HIGH,
    /** Inconsistent but recoverable. */
    MEDIUM,
    /** Cosmetic or informational. */
    LOW
}
