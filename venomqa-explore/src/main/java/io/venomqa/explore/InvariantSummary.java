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
 */
public record InvariantSummary(String name, Severity severity, boolean builtIn, int checks, int violations) {
    /** Whether it never failed. */
    public boolean held() {
        return violations == 0;
    }
}
