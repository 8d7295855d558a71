package io.venomqa.journey;

import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Client;
import io.venomqa.state.DbChanges;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One call of the API in a journey: a name, an {@link Action}, and options. Immutable.
 *
 * <p>How the runner treats a step:
 * <ul>
 *   <li>It fails when the action throws, or returns a {@code Response} with a status of 400 or more.
 *       With {@link #expectFailure()} that is inverted: the failure is a pass and a success fails
 *       the step. A step that runs past its timeout fails either way.</li>
 *   <li>{@link #timeout()}: the longest one attempt may take; the action's thread is interrupted
 *       when it is exceeded (the HTTP client's calls stop on interruption).</li>
 *   <li>{@link #retries()}: how many more attempts a failing step gets. The first retry waits
 *       {@link #retryDelay()}, each further one {@link #backoffMultiplier()} times longer.</li>
 *   <li>{@link #args()}: data for an {@link ArgsAction}, so one action can serve several steps.</li>
 * </ul>
 *
 * <pre>{@code
 * Step pay = Step.builder("pay")
 *         .action((client, ctx, args) -> client.post("/payments", Map.of("method", args.getString("method"))))
 *         .arg("method", "card")
 *         .description("Pays the order by card")
 *         .timeout(Duration.ofSeconds(5))
 *         .retries(2, Duration.ofMillis(200))
 *         .build();
 * }</pre>
 */
public final class Step implements JourneyNode {

    /** Delay before the first retry unless set. */
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMillis(100);
    /** Factor between successive retry delays unless set. */
    public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;

    private final String name;
    private final ArgsAction action;
    private final String description;
    private final Duration timeout;
    private final int retries;
    private final Duration retryDelay;
    private final double backoffMultiplier;
    private final boolean expectFailure;
    private final StepArgs args;
    private final List<java.util.function.Consumer<DbExpectation>> dbExpectations;
    private final List<SqlCheck> sqlChecks;

    /**
     * A query run after the step, whose first column must hold {@code expected}, row by row (compared
     * as text; {@code null} for SQL NULL).
     *
     * @param sql      the query, with {@code ?} placeholders
     * @param params   the parameters from the context: one value, or a {@link List} of them
     * @param expected the first column of each row, in order
     */
    public record SqlCheck(String sql, java.util.function.Function<ExecutionContext, Object> params, List<String> expected) {
        public SqlCheck {
            Objects.requireNonNull(sql, "sql");
            Objects.requireNonNull(params, "params");
            expected = java.util.Collections.unmodifiableList(new ArrayList<>(expected));
        }

        /** A check whose expected values are {@code expected} as text ({@code null} for SQL NULL). */
        public static SqlCheck of(String sql, java.util.function.Function<ExecutionContext, Object> params, Object... expected) {
            List<String> values = new ArrayList<>(expected.length);
            for (Object e : expected) {
                values.add(e == null ? null : String.valueOf(e));
            }
            return new SqlCheck(sql, params, values);
        }

        /** The parameters for {@code context}, as a list. */
        public List<?> paramsFor(ExecutionContext context) {
            Object p = params.apply(context);
            return p instanceof List<?> l ? l : p instanceof Object[] a ? java.util.Arrays.asList(a)
                    : java.util.Collections.singletonList(p);
        }

        /**
         * Compares the rows a query returned with {@link #expected()}; empty when they match, else the
         * failure message with both.
         */
        public Optional<String> compare(List<?> params, List<Map<String, Object>> rows) {
            List<String> actual = new ArrayList<>(rows.size());
            String column = null;
            for (Map<String, Object> row : rows) {
                Object v = row.isEmpty() ? null : row.values().iterator().next();
                if (column == null && !row.isEmpty()) {
                    column = row.keySet().iterator().next();
                }
                actual.add(v == null ? null : String.valueOf(v));
            }
            if (actual.equals(expected)) {
                return Optional.empty();
            }
            if (column != null && io.venomqa.core.CredentialMasker.isSecretKey(column.toLowerCase(java.util.Locale.ROOT))) {
                // The message goes to the console and every report: a secret column's values are masked as
                // they are in the database changes, leaving the row counts and where they differ.
                return Optional.of("SQL check failed: " + sql + " with " + params + " expected " + masked(expected)
                        + ", actual " + masked(actual) + " (values of the secret column " + column + " masked; "
                        + differences(expected, actual) + ")");
            }
            return Optional.of("SQL check failed: " + sql + " with " + params + " expected " + expected + ", actual "
                    + actual);
        }

        private static List<String> masked(List<String> values) {
            List<String> out = new ArrayList<>(values.size());
            values.forEach(v -> out.add(v == null ? null : io.venomqa.core.CredentialMasker.MASK));
            return out;
        }

        private static String differences(List<String> expected, List<String> actual) {
            if (expected.size() != actual.size()) {
                return expected.size() + (expected.size() == 1 ? " row" : " rows") + " expected, " + actual.size() + " returned";
            }
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                if (!Objects.equals(expected.get(i), actual.get(i))) {
                    rows.add(i + 1);
                }
            }
            return (rows.size() == 1 ? "row " : "rows ") + rows.stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(", ")) + (rows.size() == 1 ? " differs" : " differ");
        }
    }

    /** A step with no options. */
    public Step(String name, Action action) {
        this(builder(name).action(action));
    }

    private Step(Builder b) {
        this.name = requireName(b.name);
        this.action = Objects.requireNonNull(b.action, () -> "step '" + b.name + "' has no action");
        this.description = b.description == null ? "" : b.description;
        this.timeout = b.timeout;
        this.retries = b.retries;
        this.retryDelay = b.retryDelay;
        this.backoffMultiplier = b.backoffMultiplier;
        this.expectFailure = b.expectFailure;
        this.args = StepArgs.of(b.args);
        this.dbExpectations = List.copyOf(b.dbExpectations);
        this.sqlChecks = List.copyOf(b.sqlChecks);
    }

    /** Same as {@code new Step(name, action)}. */
    public static Step of(String name, Action action) {
        return new Step(name, action);
    }

    /** A step whose action receives its {@link StepArgs}. */
    public static Step of(String name, ArgsAction action) {
        return builder(name).action(action).build();
    }

    /** A builder for a step named {@code name}; set its action with {@link Builder#action(Action)}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding this step's settings, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.action = action;
        b.description = description;
        b.timeout = timeout;
        b.retries = retries;
        b.retryDelay = retryDelay;
        b.backoffMultiplier = backoffMultiplier;
        b.expectFailure = expectFailure;
        b.args.putAll(args.asMap());
        b.dbExpectations.addAll(dbExpectations);
        b.sqlChecks.addAll(sqlChecks);
        return b;
    }

    /**
     * Checks what the step wrote against its {@link Builder#expectDb expectDb} declarations; empty when
     * they hold (or there are none), else the failure message with expected and actual rows.
     */
    public Optional<String> checkDb(DbChanges written) {
        return checkDb(written, null);
    }

    /**
     * {@link #checkDb(DbChanges)}, where an expectation naming a table that is not among {@code knownTables} (the
     * tables whose changes are tracked; null when not known) fails, with the nearest name: a typo in
     * {@code unchanged("prodcut")} would otherwise always hold.
     */
    public Optional<String> checkDb(DbChanges written, java.util.Collection<String> knownTables) {
        if (dbExpectations.isEmpty()) {
            return Optional.empty();
        }
        DbExpectation e = new DbExpectation();
        dbExpectations.forEach(d -> d.accept(e));
        return e.check(written, knownTables);
    }

    /** The SQL checks run after the step, in order. */
    public List<SqlCheck> sqlChecks() {
        return sqlChecks;
    }

    /** Whether the step declares database expectations. */
    public boolean hasDbExpectations() {
        return !dbExpectations.isEmpty();
    }

    /**
     * Runs the action once with this step's arguments. The runner calls this; it applies no
     * timeout, retry or failure rule of its own.
     */
    public Object execute(Client client, ExecutionContext context) throws Exception {
        return action.execute(client, context, args);
    }

    public String name() {
        return name;
    }

    /** The description, empty when none was given. */
    public String description() {
        return description;
    }

    /** The longest one attempt may take; empty means the runner's default (if any). */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** Extra attempts after a failure; 0 means the step runs once. */
    public int retries() {
        return retries;
    }

    /** Wait before the first retry. */
    public Duration retryDelay() {
        return retryDelay;
    }

    /** Factor applied to the delay before each further retry. */
    public double backoffMultiplier() {
        return backoffMultiplier;
    }

    /** Wait before retry number {@code retry} (1-based): {@code retryDelay × multiplier^(retry-1)}. */
    public Duration delayBeforeRetry(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry numbers start at 1: " + retry);
        }
        double millis = retryDelay.toMillis() * Math.pow(backoffMultiplier, retry - 1);
        return Duration.ofMillis((long) Math.min(millis, Duration.ofHours(1).toMillis()));
    }

    /** Whether this step is meant to fail (a rejected payment, a forbidden call). */
    public boolean expectFailure() {
        return expectFailure;
    }

    /** The step's arguments, empty when none were given. */
    public StepArgs args() {
        return args;
    }

    @Override
    public String label() {
        return name;
    }

    @Override
    public String toString() {
        return "Step[" + name + (expectFailure ? ", expectFailure" : "") + (retries > 0 ? ", retries=" + retries : "")
                + (timeout != null ? ", timeout=" + timeout.toMillis() + "ms" : "") + (args.isEmpty() ? "" : ", args=" + args) + "]";
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A step needs a name that is not blank (it keys the step's result in the context).");
        }
        return name;
    }

    /** Builds a {@link Step}; every option is optional except the action. */
    public static final class Builder {
        private final String name;
        private ArgsAction action;
        private String description;
        private Duration timeout;
        private int retries;
        private Duration retryDelay = DEFAULT_RETRY_DELAY;
        private double backoffMultiplier = DEFAULT_BACKOFF_MULTIPLIER;
        private boolean expectFailure;
        private final Map<String, Object> args = new LinkedHashMap<>();
        private final List<java.util.function.Consumer<DbExpectation>> dbExpectations = new ArrayList<>();
        private final List<SqlCheck> sqlChecks = new ArrayList<>();

        private Builder(String name) {
            this.name = requireName(name);
        }

        /** What the step does. */
        public Builder action(Action action) {
            Objects.requireNonNull(action, "action");
            this.action = (client, context, args) -> action.execute(client, context);
            return this;
        }

        /** What the step does, with access to its arguments. */
        public Builder action(ArgsAction action) {
            this.action = Objects.requireNonNull(action, "action");
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** The longest one attempt may take; must be positive. */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("Timeout of step '" + name + "' must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Extra attempts after a failure (0 to 100), with the default delay and backoff. */
        public Builder retries(int retries) {
            if (retries < 0 || retries > 100) {
                throw new IllegalArgumentException("Retries of step '" + name + "' must be between 0 and 100: " + retries);
            }
            this.retries = retries;
            return this;
        }

        /** Extra attempts after a failure, waiting {@code initialDelay} before the first one. */
        public Builder retries(int retries, Duration initialDelay) {
            retries(retries);
            return retryDelay(initialDelay);
        }

        /** Wait before the first retry (zero allowed). */
        public Builder retryDelay(Duration delay) {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("Retry delay of step '" + name + "' must not be negative: " + delay);
            }
            this.retryDelay = delay;
            return this;
        }

        /** Factor between successive retry delays, at least 1 (1 means a constant delay). */
        public Builder backoffMultiplier(double multiplier) {
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("Backoff multiplier of step '" + name + "' must be at least 1: " + multiplier);
            }
            this.backoffMultiplier = multiplier;
            return this;
        }

        /** Marks the step as meant to fail: an error or HTTP status of 400+ passes, a success fails. */
        public Builder expectFailure() {
            return expectFailure(true);
        }

        public Builder expectFailure(boolean expectFailure) {
            this.expectFailure = expectFailure;
            return this;
        }

        /**
         * What the step must write to the database, checked after it ran against its
         * {@link io.venomqa.runner.StepResult#dbChanges()}:
         * {@code .expectDb(db -> db.inserted("orders", 1).unchanged("payments"))}. A failed expectation
         * fails the step with the expected and actual rows; changes that are not tracked fail it too.
         * May be called several times; every declaration is checked.
         */
        public Builder expectDb(java.util.function.Consumer<DbExpectation> expectation) {
            dbExpectations.add(Objects.requireNonNull(expectation, "expectation"));
            return this;
        }

        /**
         * A query run after the step where it sees the step's own writes (inside the savepoint
         * transaction; rolled back afterwards, so read-only), whose first column must hold
         * {@code expected}, one value per row in order, compared as text:
         * {@code .checkSql("select status from orders where id = ?", ctx -> ctx.get("order_id"), "PAID")}.
         * A mismatch fails the step with the expected and actual rows. Needs a SQL state manager
         * ({@link io.venomqa.state.StateManager#sqlReader()}); without one the step fails saying so.
         *
         * @param params the parameters from the context: one value, or a {@link List} of them
         */
        public Builder checkSql(String sql, java.util.function.Function<ExecutionContext, Object> params, Object... expected) {
            sqlChecks.add(SqlCheck.of(sql, params, expected));
            return this;
        }

        /** Adds argument {@code name} for an {@link ArgsAction}. */
        public Builder arg(String name, Object value) {
            args.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, () -> "value of argument '" + name + "'"));
            return this;
        }

        /** Adds every entry of {@code args}. */
        public Builder args(Map<String, ?> args) {
            args.forEach(this::arg);
            return this;
        }

        public Step build() {
            return new Step(this);
        }
    }
}
