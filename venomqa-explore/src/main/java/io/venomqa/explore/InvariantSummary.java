package io.venomqa.explore;

/**
 * One invariant as checked in a run (one test case in JUnit XML).
 *
 * @param name       the invariant's name
 * @param severity   its severity
 * @param builtIn    whether it is one of the explorer's own ({@value Invariant#EXPECTED_STATUS},
 *                   {@value Invariant#MOVE_COMPLETES})
 * @param checks     how often it was checked during the exploration
 * @param violations how often it failed during the exploration (before grouping)
 * @param sql        its query when it is an {@link Invariant#sql SQL invariant} (so a replay can run it again), else {@code null}
 */
public record InvariantSummary(String name, Severity severity, boolean builtIn, int checks, int violations, String sql) {

    /** A summary of an invariant that is not an SQL one. */
    public InvariantSummary(String name, Severity severity, boolean builtIn, int checks, int violations) {
        this(name, severity, builtIn, checks, violations, null);
    }

    /** Whether it never failed. */
    public boolean held() {
        return violations == 0;
    }
}
