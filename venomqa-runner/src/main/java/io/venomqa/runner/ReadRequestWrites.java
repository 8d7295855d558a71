package io.venomqa.runner;

/**
 * What the runner does when a step whose HTTP calls were all {@code GET}, {@code HEAD} or
 * {@code OPTIONS} wrote rows to the database (a read that writes: an audit log, a lazily created
 * row, or a bug). Needs a state manager that tracks changes. Set with
 * {@link JourneyRunner.Builder#readRequestWrites(ReadRequestWrites, String...)}; tables the
 * application is expected to write on reads (an access log) can be left out there.
 */
public enum ReadRequestWrites {
    /** A warning in every report ("GET /orders/1 inserted 1 row into audit_log"); the step passes. The default. */
    WARN,
    /** The step fails with that message. */
    FAIL,
    /** Not checked. */
    IGNORE
}
