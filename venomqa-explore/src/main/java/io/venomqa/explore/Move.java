package io.venomqa.explore;

import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Client;
import io.venomqa.journey.Action;
import io.venomqa.journey.ArgsAction;
import io.venomqa.journey.Step;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * One thing the explorer can do: a named call of the API (a journey {@link Step}'s action, its
 * arguments and timeout) with the conditions under which it may run, the statuses it may answer,
 * tags, and an optional cap on how often it runs. Immutable; names are unique within an
 * {@link Exploration}.
 *
 * <p>How the explorer treats a move:
 * <ul>
 *   <li>It runs only where every {@link Builder#requires required context key} is present and
 *       every {@link Builder#when precondition} is true.</li>
 *   <li>A status outside {@link #expectedStatuses()} (by default: any status of 500 or more) is a
 *       finding of the built-in invariant {@value Invariant#EXPECTED_STATUS}, not a crash.</li>
 *   <li>An action that throws, or runs past its timeout (the step's own, else the exploration's
 *       {@link Exploration.Builder#moveTimeout(Duration) move timeout}), is a violation of the
 *       built-in invariant {@value Invariant#MOVE_COMPLETES} with its path; the run goes on.</li>
 *   <li>Its result is stored in the context under its name, as the journey runner does, so moves
 *       taken from journeys find earlier results where they expect them.</li>
 * </ul>
 *
 * <pre>{@code
 * Move refund = Move.builder("refund")
 *         .action((client, ctx) -> client.post("/orders/" + ctx.get("order_id") + "/refund"))
 *         .requires("order_id")
 *         .when("order is paid", (ctx, db) -> db.value("select count(*) from payments where order_id = ?",
 *                 ctx.get("order_id")) instanceof Number n && n.longValue() > 0)
 *         .expectStatus(200, 409)
 *         .maxRuns(50)
 *         .build();
 * }</pre>
 */
public final class Move {

    /**
     * A named precondition.
     *
     * @param description what it checks, as reports show it ("order is paid", "requires order_id")
     * @param test        the check
     */
    public record Condition(String description, Precondition test) {
        public Condition {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(test, "test");
        }
    }

    private final Step step;
    private final List<String> requiredKeys;
    private final List<Condition> conditions;
    private final Set<Integer> expectedStatuses;
    private final Set<String> tags;
    private final int maxRuns;

    private Move(Builder b) {
        this.step = b.step.build();
        this.requiredKeys = List.copyOf(b.requires);
        this.conditions = List.copyOf(b.conditions);
        this.expectedStatuses = Collections.unmodifiableSet(new TreeSet<>(b.expected));
        this.tags = Collections.unmodifiableSet(new LinkedHashSet<>(b.tags));
        this.maxRuns = b.maxRuns;
    }

    /** A builder for a move named {@code name}; set its action with {@link Builder#action(Action)}. */
    public static Builder builder(String name) {
        return new Builder(Step.builder(requireName(name)));
    }

    /** A move with no condition that calls {@code action}. */
    public static Move of(String name, Action action) {
        return builder(name).action(action).build();
    }

    /** A move reusing a journey step: its name, action, arguments, timeout and description. */
    public static Move of(Step step) {
        return from(step).build();
    }

    /**
     * A builder starting from a journey step (its name, action, arguments, timeout and description),
     * to add conditions, statuses, tags or a cap. The step's retries and {@code expectFailure} do not
     * apply: the explorer runs a move once and judges its status with {@link #expectedStatuses()}.
     */
    public static Builder from(Step step) {
        Objects.requireNonNull(step, "step");
        return new Builder(step.toBuilder());
    }

    /** Runs the action once, with its arguments; the explorer applies the timeout around this call. */
    public Object execute(Client client, ExecutionContext context) throws Exception {
        return step.execute(client, context);
    }

    public String name() {
        return step.name();
    }

    /** The description, empty when none was given. */
    public String description() {
        return step.description();
    }

    /** The journey step this move runs (its action, arguments and timeout). */
    public Step step() {
        return step;
    }

    /** The action's arguments, in the order given; empty when none. */
    public Map<String, Object> args() {
        return step.args().asMap();
    }

    /** The longest one run may take; empty means the exploration's move timeout. */
    public Optional<Duration> timeout() {
        return step.timeout();
    }

    /** Context keys that must be present for the move to run. */
    public List<String> requiredKeys() {
        return requiredKeys;
    }

    /** The preconditions added with {@link Builder#when}, in order. */
    public List<Condition> conditions() {
        return conditions;
    }

    /** The statuses declared expected, ascending; empty means "any status below 500". */
    public Set<Integer> expectedStatuses() {
        return expectedStatuses;
    }

    /** Whether {@code status} is expected for this move (see {@link #expectedStatuses()}). */
    public boolean isExpected(int status) {
        return expectedStatuses.isEmpty() ? status < 500 : expectedStatuses.contains(status);
    }

    /** What {@link #isExpected} accepts, in words: {@code "200, 409"}, {@code "200-299"} or {@code "below 500"}. */
    public String expectedDescription() {
        if (expectedStatuses.isEmpty()) {
            return "below 500";
        }
        // As ranges: a move that accepts every status (an OpenAPI operation's) is "100-599", not 500 numbers.
        return String.join(", ", MoveSummary.of(this).expectedStatuses());
    }

    /** Tags, in the order given. */
    public Set<String> tags() {
        return tags;
    }

    /** The most times the move may run in one exploration; empty when unbounded. */
    public OptionalInt maxRuns() {
        return maxRuns < 0 ? OptionalInt.empty() : OptionalInt.of(maxRuns);
    }

    @Override
    public String toString() {
        return "Move[" + name() + (args().isEmpty() ? "" : ", args=" + io.venomqa.core.CredentialMasker.maskValues(args()))
                + (requiredKeys.isEmpty() ? "" : ", requires=" + requiredKeys)
                + (conditions.isEmpty() ? "" : ", when=" + conditions.stream().map(Condition::description).toList())
                + ", expects " + expectedDescription() + "]";
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A move needs a name that is not blank (reports and paths name it).");
        }
        return name;
    }

    /** Builds a {@link Move}; every option is optional except the action. */
    public static final class Builder {
        private final Step.Builder step;
        private final List<String> requires = new ArrayList<>();
        private final List<Condition> conditions = new ArrayList<>();
        private final Set<Integer> expected = new TreeSet<>();
        private final Set<String> tags = new LinkedHashSet<>();
        private int maxRuns = -1;

        private Builder(Step.Builder step) {
            this.step = step;
        }

        /** What the move does. */
        public Builder action(Action action) {
            step.action(action);
            return this;
        }

        /** What the move does, with access to its {@link #arg arguments}. */
        public Builder action(ArgsAction action) {
            step.action(action);
            return this;
        }

        /** Adds argument {@code name} for an {@link ArgsAction} (and for reports and exported journeys). */
        public Builder arg(String name, Object value) {
            step.arg(name, value);
            return this;
        }

        /** Adds every entry of {@code args}. */
        public Builder args(Map<String, ?> args) {
            step.args(new LinkedHashMap<>(args));
            return this;
        }

        public Builder description(String description) {
            step.description(description);
            return this;
        }

        /** The longest one run may take; must be positive. */
        public Builder timeout(Duration timeout) {
            step.timeout(timeout);
            return this;
        }

        /** Context keys that must be present (for example an id an earlier move stored). */
        public Builder requires(String... contextKeys) {
            for (String k : contextKeys) {
                requires.add(Objects.requireNonNull(k, "context key"));
            }
            return this;
        }

        /** A precondition over the context and the database, described for reports. */
        public Builder when(String description, Precondition precondition) {
            conditions.add(new Condition(description, precondition));
            return this;
        }

        /**
         * The statuses this move may answer; any other is a finding of {@value Invariant#EXPECTED_STATUS}.
         * Without this call, any status below 500 is expected.
         */
        public Builder expectStatus(int... statuses) {
            for (int s : statuses) {
                if (s < 100 || s > 599) {
                    throw new IllegalArgumentException("Not an HTTP status: " + s + " (expected 100 to 599).");
                }
                expected.add(s);
            }
            return this;
        }

        /** Tags, to select moves or group them in reports. */
        public Builder tags(String... tags) {
            this.tags.addAll(Arrays.asList(tags));
            return this;
        }

        /** The most times this move may run in one exploration (0 disables it). */
        public Builder maxRuns(int maxRuns) {
            if (maxRuns < 0) {
                throw new IllegalArgumentException("maxRuns must not be negative: " + maxRuns);
            }
            this.maxRuns = maxRuns;
            return this;
        }

        public Move build() {
            return new Move(this);
        }
    }
}
