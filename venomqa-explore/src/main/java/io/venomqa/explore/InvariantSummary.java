package io.venomqa.explore;

/**
 * One invariant as checked in a run (one test case in JUnit XML).
 *
 * @param name         the invariant's name
 * @param severity     its severity
 * @param builtIn      whether it is one of the explorer's own ({@value Invariant#EXPECTED_STATUS},
 *                     {@value Invariant#MOVE_COMPLETES})
 * @param checks       how often it was checked during the exploration (not run ones included)
 * @param violations   how often it failed during the exploration (before grouping)
 * @param sql          its query when it is an {@link Invariant#sql SQL invariant} (so a replay can run it again), else {@code null}
 * @param notRun       how many of the {@code checks} could not judge their move ({@link Invariant.NotRun}): they
 *                     neither held nor failed
 * @param notRunReason why, the first reason given, or {@code null} when {@code notRun} is 0
 * @param warned       how many of the {@code checks} found a problem the invariant only warns about
 *                     ({@link Invariant.Warned}, e.g. an OpenAPI check at level warning): they did not fail the run,
 *                     and the invariant did not hold there either
 * @param warning      the first such problem (masked), or {@code null} when {@code warned} is 0
 */
public record InvariantSummary(String name, Severity severity, boolean builtIn, int checks, int violations, String sql,
                               int notRun, String notRunReason, int warned, String warning) {

    /** A summary of an invariant that warned about nothing. */
    public InvariantSummary(String name, Severity severity, boolean builtIn, int checks, int violations, String sql,
                            int notRun, String notRunReason) {
        this(name, severity, builtIn, checks, violations, sql, notRun, notRunReason, 0, null);
    }

    /** A summary of an invariant that judged every move it was checked after. */
    public InvariantSummary(String name, Severity severity, boolean builtIn, int checks, int violations, String sql) {
        this(name, severity, builtIn, checks, violations, sql, 0, null);
    }

    /** A summary of an invariant that is not an SQL one and judged every move it was checked after. */
    public InvariantSummary(String name, Severity severity, boolean builtIn, int checks, int violations) {
        this(name, severity, builtIn, checks, violations, null);
    }

    /**
     * Whether it never failed, never warned and judged every move it was checked after. One that never failed but
     * could not judge some moves ({@link #notRun()} {@code > 0}) did not hold there: it did not run; one that
     * warned ({@link #warned()} {@code > 0}) did not hold either, though the run does not fail for it.
     */
    public boolean held() {
        return violations == 0 && notRun == 0 && warned == 0;
    }

    /**
     * Whether reports show it as warned: it never failed, but found a problem it only warns about after some
     * moves ({@link #warned()} {@code > 0}). Comes before {@link #didNotRun()}: what it found is more than
     * what it could not judge.
     */
    public boolean didWarn() {
        return violations == 0 && warned > 0;
    }

    /**
     * Whether reports show it as not run: it never failed nor warned, but could not judge some moves
     * ({@link #notRun()} {@code > 0}), so it neither held nor was violated. One that failed is violated, one that
     * warned is warned, whatever it could not judge.
     */
    public boolean didNotRun() {
        return violations == 0 && warned == 0 && notRun > 0;
    }

    /**
     * What every report says after "warned" when {@link #didWarn()}, else {@code null}: {@code after 2 of 20
     * checks: GET /items answered 200 with a body that does not match …} (and what it could not judge, if any).
     */
    public String warnedDetail() {
        if (!didWarn()) {
            return null;
        }
        return "after " + warned + " of " + checks + (checks == 1 ? " check: " : " checks: ") + warning
                + (notRun > 0 ? "; could not judge " + notRun + ": " + notRunReason : "");
    }

    /**
     * What every report says after "not run" when {@link #didNotRun()}, else {@code null}: {@code could not judge
     * 10 of 20 checks: database changes not tracked: …}.
     */
    public String notRunDetail() {
        return didNotRun() ? "could not judge " + notRun + " of " + checks + (checks == 1 ? " check: " : " checks: ") + notRunReason
                : null;
    }
}
