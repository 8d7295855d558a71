package io.venomqa.explore;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule that must hold after every move: a name, a {@link Severity}, and a check over an
 * {@link Observation}. Immutable.
 *
 * <p>The check <em>fails</em> when it returns {@code false} or throws an {@link AssertionError} (so
 * AssertJ and JUnit assertions work inside it); the violation's message is the assertion's message.
 * Any other exception is recorded as a violation too, with the message {@code invariant threw …}:
 * a broken check never aborts the run, but it is never mistaken for a pass either. A check that
 * cannot judge a move (what it needs was not observed) throws {@link NotRun}: the move neither passes
 * nor fails it, and every report says that the invariant did not run there, and why
 * ({@link InvariantSummary#notRun()}). A check that found a problem it only warns about throws {@link Warned}:
 * the move does not fail it, and every report shows the invariant as warned, not as held.
 *
 * <p>Checks run after every move, and with {@link #alsoBefore()} once more in the start state
 * before the first move. SQL read through {@link Observation#db()} cannot change the state.
 *
 * <pre>{@code
 * Invariant.sql("no negative stock", "select count(*) = 0 from items where stock < 0");
 * Invariant.of("refunds never exceed payments", Severity.CRITICAL, o ->
 *         ((Number) o.db().value("select coalesce(sum(amount), 0) from refunds")).longValue()
 *         <= ((Number) o.db().value("select coalesce(sum(amount), 0) from payments")).longValue());
 * Invariant.asserting("orders list answers", Severity.HIGH, o ->
 *         assertThat(o.client().get("/orders").statusCode()).isEqualTo(200));
 * }</pre>
 */
public final class Invariant {

    /** Built-in invariant: each move answers a status it {@link Move#isExpected expects}. */
    public static final String EXPECTED_STATUS = "expected status";
    /** Built-in invariant: each move's action returns within its timeout without throwing. */
    public static final String MOVE_COMPLETES = "move completes";

    /**
     * Thrown by a check that cannot judge the move just made, because what it needs was not observed
     * (database changes not tracked, a kind of move the run does not make). The explorer counts the
     * check as not run for that move, keeps the first reason, and reports it: such a check neither holds
     * nor fails ({@link InvariantSummary#notRun()}, {@link InvariantSummary#notRunReason()}).
     */
    public static final class NotRun extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** {@code reason} says what was missing and how to get it ("database changes not tracked: …"). */
        public NotRun(String reason) {
            super(Objects.requireNonNull(reason, "reason"), null, false, false);
        }

        /** Why the check could not judge the move. */
        public String reason() {
            return getMessage();
        }
    }

    /**
     * Thrown by a check that found a problem it only warns about (an OpenAPI check set to level warning): the
     * move does not fail it and the run does not fail for it, but it did not hold either. The explorer counts
     * the warning, keeps the first message, and every report shows the invariant as warned with that message
     * ({@link InvariantSummary#warned()}, {@link InvariantSummary#warning()}), never as held.
     */
    public static final class Warned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** {@code problem} says what was wrong, as a failure's message would. */
        public Warned(String problem) {
            super(Objects.requireNonNull(problem, "problem"), null, false, false);
        }

        /** What was wrong. */
        public String problem() {
            return getMessage();
        }
    }

    /** The check of an {@link Invariant}: {@code true} when the rule holds. */
    @FunctionalInterface
    public interface Check {
        /** {@code true} when the rule holds; {@code false} or an {@link AssertionError} when it does not. */
        boolean holds(Observation observation) throws Exception;
    }

    /** A check written with assertions: it holds when it returns normally. */
    @FunctionalInterface
    public interface Assertion {
        /** Returns normally when the rule holds, throws {@link AssertionError} when it does not. */
        void check(Observation observation) throws Exception;
    }

    private final String name;
    private final Severity severity;
    private final Check check;
    private final boolean alsoBefore;
    private final String sql;

    private Invariant(String name, Severity severity, Check check, boolean alsoBefore, String sql) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("An invariant needs a name that is not blank (reports name it).");
        }
        this.name = name;
        this.severity = Objects.requireNonNull(severity, "severity");
        this.check = Objects.requireNonNull(check, "check");
        this.alsoBefore = alsoBefore;
        this.sql = sql;
    }

    /** An invariant that holds when {@code check} returns {@code true}. */
    public static Invariant of(String name, Severity severity, Check check) {
        return new Invariant(name, severity, check, false, null);
    }

    /** An invariant of severity {@link Severity#HIGH}. */
    public static Invariant of(String name, Check check) {
        return of(name, Severity.HIGH, check);
    }

    /** An invariant that holds when {@code assertion} returns without throwing. */
    public static Invariant asserting(String name, Severity severity, Assertion assertion) {
        Objects.requireNonNull(assertion, "assertion");
        return new Invariant(name, severity, o -> {
            assertion.check(o);
            return true;
        }, false, null);
    }

    /**
     * An invariant of severity {@link Severity#HIGH} that holds when {@code query} returns one row
     * with one value that is true: boolean {@code true}, or the number 1 (SQLite and MySQL answer a
     * comparison with an integer). Any other answer fails, quoting it; on a backend without SQL the
     * check fails with a message saying so.
     *
     * @throws IllegalArgumentException when the query answers a bare count ({@code select count(*) from
     *         items where stock < 0}): that would hold in exactly the state with one bad row; the message
     *         gives the query with {@code = 0}
     */
    public static Invariant sql(String name, String query) {
        return sql(name, Severity.HIGH, query);
    }

    /** As {@link #sql(String, String)} with a chosen severity. */
    public static Invariant sql(String name, Severity severity, String query) {
        Objects.requireNonNull(query, "query");
        Matcher count = BARE_COUNT.matcher(query);
        if (count.find()) {
            // 1, on MySQL and SQLite the answer of a true comparison, is also what a count of one bad row reads.
            throw new IllegalArgumentException("Invariant '" + name + "': its query answers a count (" + query.strip()
                    + "), but an SQL invariant holds when its query answers true, and a count of one row reads as true "
                    + "(1) while a count of none reads as false. To say that no row may match, write: "
                    + (query.substring(0, count.end(1)) + " = 0" + query.substring(count.end(1))).strip());
        }
        return new Invariant(name, severity, o -> {
            Object v = o.db().value(query);
            if (isTrue(v)) {
                return true;
            }
            throw new AssertionError("SQL check returned " + shownValue(v) + " (expected true or 1): " + query);
        }, false, query);
    }

    /**
     * What an SQL invariant's query answered, for its violation message: NULL, a boolean, a number or a word that
     * reads as one as it is; other text only by its length, since a query may answer a column's value (a
     * password) and the message reaches every report.
     */
    static String shownValue(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof Boolean || v instanceof Number) {
            return String.valueOf(v);
        }
        String text = String.valueOf(v);
        return READS_AS_A_VALUE.matcher(text).matches() ? "'" + text + "'" : "a text of " + text.length() + " characters";
    }

    private static final java.util.regex.Pattern READS_AS_A_VALUE =
            java.util.regex.Pattern.compile("(?i)t|f|true|false|yes|no|y|n|-?\\d+(\\.\\d+)?");

    /** A copy that is also checked in the start state, before the first move. */
    public Invariant alsoBefore() {
        return new Invariant(name, severity, check, true, sql);
    }

    /** A copy with another severity. */
    public Invariant severity(Severity severity) {
        return new Invariant(name, severity, check, alsoBefore, sql);
    }

    public String name() {
        return name;
    }

    public Severity severity() {
        return severity;
    }

    /** The check; the explorer calls it, catching what it throws. */
    public Check check() {
        return check;
    }

    /** Whether it is also checked before the first move. */
    public boolean isAlsoBefore() {
        return alsoBefore;
    }

    /** The query of an {@link #sql} invariant, else {@code null}. */
    public String sqlQuery() {
        return sql;
    }

    @Override
    public String toString() {
        return "Invariant[" + name + ", " + severity + (alsoBefore ? ", alsoBefore" : "") + "]";
    }

    /** {@code select count(…) from}, nothing between the count and {@code from}; group 1 ends after the count. */
    private static final Pattern BARE_COUNT = Pattern.compile(
            "(?is)^\\s*select\\s+(count\\s*\\((?:[^()]|\\([^()]*\\))*\\))\\s*(?:as\\s+\\S+\\s*)?from\\b");

    private static boolean isTrue(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.doubleValue() == 1.0;
        }
        return v instanceof String s && (s.equalsIgnoreCase("true") || s.equals("1") || s.equalsIgnoreCase("t"));
    }
}
