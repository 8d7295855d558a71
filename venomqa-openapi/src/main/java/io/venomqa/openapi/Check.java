package io.venomqa.openapi;

import io.venomqa.explore.Severity;

import java.util.Locale;
import java.util.Optional;

/**
 * The checks an exploration from an OpenAPI document makes without any code. Each is an invariant
 * named {@link #invariantName()}; each can be turned off or made a warning ({@link CheckLevel}) in
 * Java or under {@code openapi.checks} in {@code venomqa.yaml} by its {@link #key()}.
 */
public enum Check {
    /** No response has a status of 500 or more. */
    NO_SERVER_ERROR("no_server_error", "no server error", Severity.HIGH),
    /** The status is one the document declares for the operation (exact, range such as {@code 4XX}, or {@code default}). */
    DECLARED_STATUS("declared_status", "declared status", Severity.MEDIUM),
    /** The body validates against the declared schema, and the {@code Content-Type} is a declared one. */
    RESPONSE_SCHEMA("response_schema", "response matches schema", Severity.MEDIUM),
    /** A resource a create just returned can be read back: {@code GET} of it answers 2xx. */
    READ_BACK("read_back", "created resource readable", Severity.HIGH),
    /** After a successful delete the resource is gone ({@code GET} answers 404 or 410), and stays gone after later moves. */
    DELETED_STAYS_GONE("deleted_stays_gone", "deleted resource stays gone", Severity.HIGH),
    /** An operation answering 404 for a resource whose {@code GET} answers 2xx, or 2xx where the {@code GET} answers 404. */
    NOT_FOUND_CONSISTENCY("not_found_consistency", "not-found consistency", Severity.HIGH),
    /**
     * A {@code GET} or {@code HEAD} operation wrote no row ({@link io.venomqa.explore.Observation#lastDbChanges()}).
     * Needs change tracking ({@code track_changes: true}); without it, or when the changes of a move
     * could not be read, the check does not run and says so once in {@link OpenApiExploration#notRun()}, and
     * the reports show it as not run ({@link io.venomqa.explore.InvariantSummary#didNotRun()}), not as held.
     */
    SAFE_METHOD_WRITES("safe_method_writes", "safe method writes nothing", Severity.HIGH),
    /**
     * A request body that breaks the operation's schema is refused: not answered 2xx. Judges only the
     * moves {@link OpenApiExploration#invalidBodies(boolean)} adds (a 5xx to them is
     * {@link #NO_SERVER_ERROR}'s to report). With invalid bodies off (the default) it judges no move: the
     * reports show it as not run ({@link io.venomqa.explore.InvariantSummary#didNotRun()}), not as held.
     */
    INVALID_BODY_REFUSED("invalid_body_refused", "invalid body refused", Severity.MEDIUM);

    private final String key;
    private final String invariantName;
    private final Severity severity;

    Check(String key, String invariantName, Severity severity) {
        this.key = key;
        this.invariantName = invariantName;
        this.severity = severity;
    }

    /** The name under {@code openapi.checks} in {@code venomqa.yaml}. */
    public String key() {
        return key;
    }

    /** The name of its invariant in results and reports. */
    public String invariantName() {
        return invariantName;
    }

    /** Its severity unless changed. */
    public Severity defaultSeverity() {
        return severity;
    }

    /** The check with key {@code key} ({@code read_back}; case and dashes ignored). */
    public static Optional<Check> byKey(String key) {
        String k = key.toLowerCase(Locale.ROOT).replace('-', '_');
        for (Check c : values()) {
            if (c.key.equals(k)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
