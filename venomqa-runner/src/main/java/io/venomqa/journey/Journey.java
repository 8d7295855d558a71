package io.venomqa.journey;

import io.venomqa.core.DidYouMean;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A named scenario through an API: steps, checkpoints that save the state, and branches that run
 * several paths from one checkpoint with the state put back before each. Immutable, and valid by
 * construction: the constructor (and so {@link Builder#build()}) checks the whole tree and throws
 * {@link JourneyValidationException} listing every problem.
 *
 * <pre>{@code
 * Journey checkout = Journey.builder("checkout")
 *         .description("Login, fill the cart, pay three ways")
 *         .tag("smoke")
 *         .timeout(Duration.ofMinutes(1))
 *         .step("login", (client, ctx) -> client.post("/login", Map.of("email", "a@b.c", "password", "pw")))
 *         .step("add_to_cart", (client, ctx) -> client.post("/cart/items", Map.of("sku", "BOOK-1", "qty", 1)))
 *         .checkpoint("cart_ready")
 *         .branch("cart_ready",
 *                 Path.of("card", Step.of("pay_card", (client, ctx) -> client.post("/pay", Map.of("method", "card")))),
 *                 Path.of("paypal", Step.of("pay_paypal", (client, ctx) -> client.post("/pay", Map.of("method", "paypal")))))
 *         .build();
 * }</pre>
 *
 * <h2>Scopes and what is checked</h2>
 * The journey's main line is one scope and each path is another, nested in the scope of its
 * branch. A branch may name a checkpoint created before it in its own scope, or the checkpoint its
 * enclosing branch started from, or (through that) any checkpoint visible there that is not older
 * than it. It may not name a checkpoint of an enclosing scope older than the one its enclosing
 * branch started from: rolling back that far would undo the enclosing branch itself. Rolling back
 * to a checkpoint discards the checkpoints taken after it, so after a branch from {@code a} a later
 * branch cannot name a checkpoint created after {@code a}. Checkpoint names are unique within a
 * scope; an inner path may reuse an outer name, and then the inner checkpoint is the one meant.
 * Paths must not be empty and their names are unique within a branch; a branch needs a path.
 */
public final class Journey {

    private final String name;
    private final String description;
    private final Set<String> tags;
    private final Duration timeout;
    private final List<JourneyNode> nodes;
    private final List<java.util.function.Consumer<DbExpectation>> dbExpectations;
    private final List<Step.SqlCheck> sqlChecks;

    /**
     * A journey with the given nodes, validated.
     *
     * @param timeout the longest the whole journey may run, or {@code null} for no limit
     * @throws JourneyValidationException listing every problem of the tree
     */
    public Journey(String name, String description, Set<String> tags, Duration timeout, List<? extends JourneyNode> nodes) {
        this(name, description, tags, timeout, nodes, List.of(), List.of());
    }

    private Journey(String name, String description, Set<String> tags, Duration timeout, List<? extends JourneyNode> nodes,
                    List<java.util.function.Consumer<DbExpectation>> dbExpectations, List<Step.SqlCheck> sqlChecks) {
        this.dbExpectations = List.copyOf(dbExpectations);
        this.sqlChecks = List.copyOf(sqlChecks);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A journey needs a name that is not blank.");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("Timeout of journey '" + name + "' must be positive: " + timeout);
        }
        this.name = name;
        this.description = description == null ? "" : description;
        this.tags = tags == null ? Set.of() : java.util.Collections.unmodifiableSet(new LinkedHashSet<>(tags));
        this.timeout = timeout;
        Objects.requireNonNull(nodes, "nodes");
        for (JourneyNode n : nodes) {
            Objects.requireNonNull(n, () -> "journey '" + name + "' holds a null node");
        }
        this.nodes = List.copyOf(nodes);
        List<String> problems = new Validator().validate(this.nodes);
        if (!problems.isEmpty()) {
            throw new JourneyValidationException(name, problems);
        }
    }

    /** A fluent builder for a journey named {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** The description, empty when none was given. */
    public String description() {
        return description;
    }

    /** Tags for selecting journeys (a CLI's {@code --tag smoke}), in the order given. */
    public Set<String> tags() {
        return tags;
    }

    /** The longest the whole journey may run; empty means no limit. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** The main line's nodes, in order. */
    public List<JourneyNode> nodes() {
        return nodes;
    }

    /**
     * Checks the journey's net changes against its {@link Builder#expectDb expectDb} declarations;
     * empty when they hold (or there are none), else the failure message with expected and actual.
     */
    public Optional<String> checkDb(io.venomqa.state.DbChanges written) {
        return checkDb(written, null);
    }

    /**
     * {@link #checkDb(io.venomqa.state.DbChanges)}, where an expectation naming a table that is not among
     * {@code knownTables} (the tables whose changes are tracked; null when not known) fails, with the nearest name.
     */
    public Optional<String> checkDb(io.venomqa.state.DbChanges written, java.util.Collection<String> knownTables) {
        if (dbExpectations.isEmpty()) {
            return Optional.empty();
        }
        DbExpectation e = new DbExpectation();
        dbExpectations.forEach(d -> d.accept(e));
        return e.check(written, knownTables).map(m -> "Journey " + Character.toLowerCase(m.charAt(0)) + m.substring(1));
    }

    /** The SQL checks run at the end of the journey, in order. */
    public List<Step.SqlCheck> sqlChecks() {
        return sqlChecks;
    }

    /** Whether the journey declares database checks ({@code expectDb} or {@code checkSql}). */
    public boolean hasDbChecks() {
        return !dbExpectations.isEmpty() || !sqlChecks.isEmpty();
    }

    @Override
    public String toString() {
        return "Journey[" + name + ", " + nodes.size() + " nodes]";
    }

    /** Builds a {@link Journey}; {@link #build()} validates the whole tree. */
    public static final class Builder extends NodeSequenceBuilder<Builder> {
        private final String name;
        private String description = "";
        private final Set<String> tags = new LinkedHashSet<>();
        private Duration timeout;
        private final List<java.util.function.Consumer<DbExpectation>> dbExpectations = new ArrayList<>();
        private final List<Step.SqlCheck> sqlChecks = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** Adds tags. */
        public Builder tag(String... tags) {
            for (String t : tags) {
                this.tags.add(Objects.requireNonNull(t, "tag"));
            }
            return this;
        }

        /** The longest the whole journey may run; steps still running then fail and the rest is skipped. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * What the whole journey must have written, checked when its main line has run to the end:
         * {@code .expectDb(db -> db.inserted("orders", 1).unchanged("payments"))}. It is checked against
         * the journey's net changes: what the main line's steps wrote (and what was written between
         * them), each row's changes folded into one. The paths of a branch do not count: the state is
         * put back to the branch's checkpoint after them, which also undoes the main-line steps run
         * between that checkpoint and the branch, so those do not count either. A failed expectation
         * fails the journey with the expected and actual rows; changes that are not tracked
         * ({@code track_changes} off, no state manager) fail it too, saying so. May be called several
         * times; every declaration is checked.
         */
        public Builder expectDb(java.util.function.Consumer<DbExpectation> expectation) {
            dbExpectations.add(Objects.requireNonNull(expectation, "expectation"));
            return this;
        }

        /**
         * A query run when the journey's main line has run to the end, before the runner puts the
         * database back, so it sees the journey's writes (read-only, as a step's
         * {@link Step.Builder#checkSql SQL check}); its first column must hold {@code expected}, one
         * value per row in order, compared as text. A mismatch fails the journey with the expected and
         * actual rows. Needs a SQL state manager ({@link io.venomqa.state.StateManager#sqlReader()});
         * without one the journey fails saying so.
         *
         * @param params the parameters from the context: one value, or a {@link List} of them
         */
        public Builder checkSql(String sql, java.util.function.Function<io.venomqa.context.ExecutionContext, Object> params,
                                Object... expected) {
            sqlChecks.add(Step.SqlCheck.of(sql, params, expected));
            return this;
        }

        /**
         * The journey.
         *
         * @throws JourneyValidationException listing every problem of the tree
         */
        public Journey build() {
            return new Journey(name, description, tags, timeout, nodes(), dbExpectations, sqlChecks);
        }
    }

    /** Walks the tree once, collecting every problem with where it is. */
    private final class Validator {
        private final List<String> problems = new ArrayList<>();

        /** A checkpoint visible at some point: its name and the scope that created it. */
        private record Visible(String name, String scope) {
        }

        List<String> validate(List<JourneyNode> mainLine) {
            if (mainLine.isEmpty()) {
                problems.add("it has no steps. Add at least one with .step(name, action).");
            }
            walk(mainLine, "main line", new ArrayList<>(), 0);
            return problems;
        }

        /**
         * @param inherited checkpoints visible on entry, oldest first
         * @param floor     index in {@code inherited} of the oldest checkpoint a branch here may name
         */
        private void walk(List<JourneyNode> nodes, String scope, List<Visible> inherited, int floor) {
            List<Visible> visible = new ArrayList<>(inherited);
            Map<String, Integer> createdHere = new HashMap<>();
            Map<String, String> discardedBy = new HashMap<>();
            for (int i = 0; i < nodes.size(); i++) {
                JourneyNode node = nodes.get(i);
                int position = i + 1;
                if (node instanceof Checkpoint c) {
                    Integer earlier = createdHere.putIfAbsent(c.name(), position);
                    if (earlier != null) {
                        problems.add(where(scope) + "checkpoint '" + c.name() + "' is created twice (nodes #" + earlier
                                + " and #" + position + "). Checkpoint names must be unique within the main line or a path.");
                    } else {
                        visible.add(new Visible(c.name(), scope));
                        discardedBy.remove(c.name());
                    }
                } else if (node instanceof Branch b) {
                    int target = lastIndexOf(visible, b.checkpointName());
                    String label = "branch from '" + b.checkpointName() + "' (node #" + position + ")";
                    if (target < 0) {
                        String why = discardedBy.get(b.checkpointName());
                        if (why != null) {
                            problems.add(where(scope) + label + " names checkpoint '" + b.checkpointName()
                                    + "', which no longer exists there: " + why
                                    + " rolled back to an earlier checkpoint, which discards the checkpoints created after it.");
                        } else {
                            problems.add(where(scope) + label + " names checkpoint '" + b.checkpointName()
                                    + "', which is not created before it in this scope. " + available(visible, floor, b.checkpointName()));
                        }
                    } else if (target < floor) {
                        problems.add(where(scope) + label + " names checkpoint '" + b.checkpointName()
                                + "' of an enclosing scope, older than '" + visible.get(floor).name()
                                + "' which this path starts from; rolling back that far would undo the enclosing branch. "
                                + available(visible, floor, b.checkpointName()));
                    }
                    checkPaths(b, scope, label);
                    List<Visible> atTarget = target < 0 ? visible : new ArrayList<>(visible.subList(0, target + 1));
                    for (Path p : b.paths()) {
                        if (!p.nodes().isEmpty()) {
                            walk(p.nodes(), scopeOf(scope, p), atTarget, target < 0 ? visible.size() : target);
                        }
                    }
                    if (target >= 0) {
                        // The rollback before (and after) each path discards every later checkpoint.
                        for (Visible gone : visible.subList(target + 1, visible.size())) {
                            discardedBy.put(gone.name(), "the " + label);
                            if (gone.scope().equals(scope)) {
                                createdHere.remove(gone.name());
                            }
                        }
                        visible = atTarget;
                    }
                }
            }
        }

        private void checkPaths(Branch b, String scope, String label) {
            if (b.paths().isEmpty()) {
                problems.add(where(scope) + label + " has no paths. Give it at least one Path.");
                return;
            }
            Set<String> names = new HashSet<>();
            Set<String> reported = new HashSet<>();
            for (Path p : b.paths()) {
                if (!names.add(p.name()) && reported.add(p.name())) {
                    problems.add(where(scope) + label + " has two paths named '" + p.name()
                            + "'. Path names must be unique within a branch (they name the test cases in reports).");
                }
                if (p.nodes().isEmpty()) {
                    problems.add(where(scopeOf(scope, p)) + "the path is empty (in the " + label
                            + "). Give it at least one step.");
                }
            }
        }

        private String available(List<Visible> visible, int floor, String wanted) {
            Set<String> names = new LinkedHashSet<>();
            for (int i = Math.min(floor, visible.size()); i < visible.size(); i++) {
                names.add(visible.get(i).name());
            }
            if (names.isEmpty()) {
                return "No checkpoint is available here; add .checkpoint(\"" + wanted + "\") before the branch.";
            }
            String hint = DidYouMean.nearest(wanted, names).map(n -> " Did you mean '" + n + "'?").orElse("");
            return "Checkpoints available here: " + names + "." + hint;
        }

        private String where(String scope) {
            return "main line".equals(scope) ? "main line: " : scope + ": ";
        }

        private String scopeOf(String parent, Path p) {
            return ("main line".equals(parent) ? "" : parent + " > ") + "path '" + p.name() + "'";
        }

        private int lastIndexOf(List<Visible> visible, String name) {
            for (int i = visible.size() - 1; i >= 0; i--) {
                if (visible.get(i).name().equals(name)) {
                    return i;
                }
            }
            return -1;
        }
    }
}
