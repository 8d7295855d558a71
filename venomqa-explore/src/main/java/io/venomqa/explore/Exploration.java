package io.venomqa.explore;

import io.venomqa.context.ExecutionContext;
import io.venomqa.explore.internal.Explorer;
import io.venomqa.explore.internal.PathReplayer;
import io.venomqa.http.Client;
import io.venomqa.journey.Branch;
import io.venomqa.journey.Journey;
import io.venomqa.journey.JourneyNode;
import io.venomqa.journey.Path;
import io.venomqa.journey.Step;
import io.venomqa.runner.Workers;
import io.venomqa.state.StateManager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An exploration of an API's states, ready to {@link #run()}: the explorer makes {@link Move}s from
 * the start state, identifies each state it reaches by a {@link StateProjection}, checks every
 * {@link Invariant} after every move, and returns to any state it has seen to try the next move
 * there, until nothing is left to try or a limit is reached. Immutable; {@link #run()} may be
 * called several times (each run starts from the state the manager is in).
 *
 * <pre>{@code
 * ExplorationResult result = Exploration.builder()
 *         .name("shop")
 *         .client(new Client("http://localhost:8080"))
 *         .stateManager(manager)
 *         .moves(createOrder, pay, refund, cancel)
 *         .invariant(Invariant.sql("refunds never exceed payments",
 *                 "select coalesce(sum(r.amount), 0) <= coalesce(sum(p.amount), 0) from refunds r, payments p"))
 *         .strategy(Strategy.breadthFirst())
 *         .maxSteps(500)
 *         .build()
 *         .run();
 * }</pre>
 *
 * <p>Guarantees of a run:
 * <ul>
 *   <li><b>Returning to a state</b>: each new state gets a checkpoint. With a
 *       {@link io.venomqa.state.CheckpointTree} the explorer restores it directly
 *       ({@link RestoreMode#TREE}); otherwise it rolls back to the nearest checkpoint still on the
 *       stack from which the target was reached and replays the moves from there
 *       ({@link RestoreMode#REPLAY}). The execution context is restored with the state.</li>
 *   <li><b>Failures of the API never abort the run</b>: an action that throws or hangs, a status
 *       the move does not expect, an invariant that fails or throws: each is a {@link Violation}
 *       with its reproduction path.</li>
 *   <li><b>Shrinking</b> (on by default): each violation's path is cut down by delta debugging to a
 *       minimal one that still fails the same invariant; every try starts from the start state and
 *       checks all invariants after every move. Tries are bounded.</li>
 *   <li><b>Limits</b> are honoured exactly and the result says which one ended the run.</li>
 *   <li><b>Determinism</b>: the order of everything is fixed, so the same moves, API and seed give
 *       the same graph.</li>
 *   <li><b>The database as found</b>: everything the run created is rolled back and released; the
 *       state manager's checkpoint stack is left as it was. A manager that was not connected is
 *       connected for the run and disconnected after it.</li>
 * </ul>
 */
public final class Exploration {

    /**
     * The result attribute naming the journey a run started from ({@link Builder#startFrom}); with
     * {@link #START_CHECKPOINT_ATTRIBUTE}, the checkpoint. A replay of such a run's violation must
     * first bring the database to that checkpoint.
     */
    public static final String START_JOURNEY_ATTRIBUTE = "start.journey";

    /** The result attribute naming the checkpoint of {@link #START_JOURNEY_ATTRIBUTE} the run started from. */
    public static final String START_CHECKPOINT_ATTRIBUTE = "start.checkpoint";


    /** Steps unless set. */
    public static final int DEFAULT_MAX_STEPS = 1_000;
    /** Depth bound unless set. */
    public static final int DEFAULT_MAX_DEPTH = 8;
    /** States unless set. */
    public static final int DEFAULT_MAX_STATES = 1_000;
    /** Timeout of a move without its own, unless set. */
    public static final Duration DEFAULT_MOVE_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Client client;
    private final StateManager stateManager;
    private final List<Move> moves;
    private final List<Invariant> invariants;
    private final StateProjection projection;
    private final Strategy strategy;
    private final Limits limits;
    private final boolean shrink;
    private final ExecutionContext context;
    private final Journey startJourney;
    private final String startCheckpoint;
    private final List<ExplorationListener> listeners;
    private final Map<String, String> attributes;
    private final List<Warning> warnings;
    private final Workers workers;

    private Exploration(Builder b) {
        this.name = b.name;
        this.client = Objects.requireNonNull(b.client, "An exploration needs a client: .client(new Client(baseUrl))");
        this.workers = b.workers;
        if (b.workers != null && b.workers.size() > 1 && b.strategy.kind() != Strategy.Kind.BREADTH_FIRST) {
            throw new IllegalArgumentException("An exploration on " + b.workers.size() + " workers needs the breadth-first "
                    + "strategy (" + b.strategy.name() + " chooses each move from the state the one before reached, so its "
                    + "moves cannot run at once): use Strategy.breadthFirst(), or give it a single worker.");
        }
        this.stateManager = b.workers != null && b.stateManager == null ? b.workers.stateManagers().get(0)
                : Objects.requireNonNull(b.stateManager,
                "An exploration needs a state manager: .stateManager(StateManagers.fromUrl(...)), or workers: .workers(...)");
        if (b.moves.isEmpty()) {
            throw new IllegalArgumentException("An exploration needs at least one move: .move(Move.builder(\"name\").action(...).build())");
        }
        this.moves = List.copyOf(b.moves.values());
        this.invariants = List.copyOf(b.invariants);
        this.projection = b.projection != null ? b.projection : StateProjection.defaultFor(this.stateManager);
        this.strategy = b.strategy;
        this.limits = new Limits(b.maxSteps, b.maxDepth, b.maxStates, b.budget, b.moveTimeout);
        this.shrink = b.shrink;
        this.context = b.context;
        this.startJourney = b.startJourney;
        this.startCheckpoint = b.startCheckpoint;
        this.listeners = List.copyOf(b.listeners);
        this.attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.attributes));
        this.warnings = List.copyOf(b.warnings);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Explores until nothing is left to try or a limit is reached, then shrinks the violations and
     * puts the database back as it was found.
     *
     * @throws ExplorationException        when the run cannot go on: the start journey failed, or the
     *                                     state manager could not restore a state (the database is still
     *                                     put back as far as the manager allows)
     * @throws DatabaseNotPutBackException when the run ended but the manager, connected by this call,
     *                                     found at its disconnect that the database is not as it found
     *                                     it; the result is in the exception
     */
    public ExplorationResult run() {
        return new Explorer(this).run();
    }

    /**
     * Runs {@code path} once, in order, from the state the manager is in, checking every invariant
     * (the built-in {@value Invariant#MOVE_COMPLETES} and {@value Invariant#EXPECTED_STATUS} included)
     * after every move, and puts the database back as found: what {@code venomqa replay} does with a
     * violation's minimal path. Preconditions are not consulted (the path is replayed as given) and
     * the start journey, if any, runs first. The moves need not be among {@link #moves()}.
     *
     * @throws ExplorationException       when the start journey fails or the run is interrupted (the
     *                                    database is still put back)
     * @throws ReplayNotPutBackException when every move ran but the manager, connected by this call,
     *                                    found at its disconnect that the database is not as it found it;
     *                                    the result is in the exception
     */
    public ReplayResult replay(List<Move> path) {
        return new PathReplayer(this).replay(List.copyOf(path));
    }

    public String name() {
        return name;
    }

    public Client client() {
        return client;
    }

    public StateManager stateManager() {
        return stateManager;
    }

    /** The moves, in declaration order (the order strategies break ties in). */
    public List<Move> moves() {
        return moves;
    }

    /** The user's invariants, in declaration order (the built-in ones are not listed). */
    public List<Invariant> invariants() {
        return invariants;
    }

    public StateProjection projection() {
        return projection;
    }

    public Strategy strategy() {
        return strategy;
    }

    public Limits limits() {
        return limits;
    }

    /** Whether violations are shrunk. */
    public boolean shrink() {
        return shrink;
    }

    /** The context the run starts with (copied per run); empty when none was given. */
    public Optional<ExecutionContext> context() {
        return Optional.ofNullable(context);
    }

    /** The journey run before exploring, up to {@link #startCheckpoint()}. */
    public Optional<Journey> startJourney() {
        return Optional.ofNullable(startJourney);
    }

    /** The checkpoint of {@link #startJourney()} the exploration starts from. */
    public Optional<String> startCheckpoint() {
        return Optional.ofNullable(startCheckpoint);
    }

    /** Free-form facts about where the exploration came from (e.g. {@code openapi.document}), copied into the result. */
    public Map<String, String> attributes() {
        return attributes;
    }

    /** The warnings given when the exploration was built ({@link Builder#warning}), which its result starts with. */
    public List<Warning> warnings() {
        return warnings;
    }

    public List<ExplorationListener> listeners() {
        return listeners;
    }

    /**
     * The workers the exploration runs on ({@link Builder#workers(Workers)}); empty when it runs on
     * {@link #client()} and {@link #stateManager()}.
     */
    public Optional<Workers> workers() {
        return Optional.ofNullable(workers);
    }

    /** Builds an {@link Exploration}; client, state manager and at least one move are required. */
    public static final class Builder {
        private String name = "exploration";
        private Client client;
        private StateManager stateManager;
        private final Map<String, Move> moves = new LinkedHashMap<>();
        private final List<Invariant> invariants = new ArrayList<>();
        private StateProjection projection;
        private Strategy strategy = Strategy.breadthFirst();
        private int maxSteps = DEFAULT_MAX_STEPS;
        private int maxDepth = DEFAULT_MAX_DEPTH;
        private int maxStates = DEFAULT_MAX_STATES;
        private Duration budget;
        private Duration moveTimeout = DEFAULT_MOVE_TIMEOUT;
        private boolean shrink = true;
        private ExecutionContext context;
        private Journey startJourney;
        private String startCheckpoint;
        private final List<ExplorationListener> listeners = new ArrayList<>();
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private final List<Warning> warnings = new ArrayList<>();
        private Workers workers;

        private Builder() {
        }

        /** The name reports show (default {@code exploration}). */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("The exploration's name must not be blank.");
            }
            this.name = name;
            return this;
        }

        public Builder client(Client client) {
            this.client = client;
            return this;
        }

        public Builder stateManager(StateManager stateManager) {
            this.stateManager = stateManager;
            return this;
        }

        /** Adds a move; its name must differ from every other move's. */
        public Builder move(Move move) {
            Objects.requireNonNull(move, "move");
            if (moves.putIfAbsent(move.name(), move) != null) {
                throw new IllegalArgumentException("Two moves are named '" + move.name()
                        + "'. Move names identify moves in paths and reports: rename one.");
            }
            return this;
        }

        public Builder moves(Move... moves) {
            for (Move m : moves) {
                move(m);
            }
            return this;
        }

        public Builder moves(Collection<Move> moves) {
            moves.forEach(this::move);
            return this;
        }

        /**
         * Adds every step of {@code journey} as a move ({@link Move#of(Step)}), main line and paths, in
         * order; a step whose name was already added (by this call or before) is skipped.
         */
        public Builder movesFrom(Journey journey) {
            List<Step> steps = new ArrayList<>();
            collectSteps(journey.nodes(), steps);
            for (Step s : steps) {
                if (!moves.containsKey(s.name())) {
                    move(Move.of(s));
                }
            }
            return this;
        }

        private static void collectSteps(List<JourneyNode> nodes, List<Step> out) {
            for (JourneyNode n : nodes) {
                if (n instanceof Step s) {
                    out.add(s);
                } else if (n instanceof Branch b) {
                    for (Path p : b.paths()) {
                        collectSteps(p.nodes(), out);
                    }
                }
            }
        }

        public Builder invariant(Invariant invariant) {
            invariants.add(Objects.requireNonNull(invariant, "invariant"));
            return this;
        }

        public Builder invariants(Invariant... invariants) {
            for (Invariant i : invariants) {
                invariant(i);
            }
            return this;
        }

        public Builder invariants(Collection<Invariant> invariants) {
            invariants.forEach(this::invariant);
            return this;
        }

        /** What identifies a state (default: {@link StateProjection#defaultFor}). */
        public Builder projection(StateProjection projection) {
            this.projection = Objects.requireNonNull(projection, "projection");
            return this;
        }

        /** The order of exploration (default {@link Strategy#breadthFirst()}). */
        public Builder strategy(Strategy strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /** Most moves the exploration makes (default 1000); at least 1. */
        public Builder maxSteps(int maxSteps) {
            this.maxSteps = positive("maxSteps", maxSteps);
            return this;
        }

        /** States this many moves from the start are not expanded (default 8); at least 1. */
        public Builder maxDepth(int maxDepth) {
            this.maxDepth = positive("maxDepth", maxDepth);
            return this;
        }

        /** Most distinct states, the start state included (default 1000); at least 1. */
        public Builder maxStates(int maxStates) {
            this.maxStates = positive("maxStates", maxStates);
            return this;
        }

        /** Wall-clock budget of the exploration (shrinking not included); {@code null} for none. */
        public Builder budget(Duration budget) {
            if (budget != null && (budget.isNegative() || budget.isZero())) {
                throw new IllegalArgumentException("The budget must be positive: " + budget);
            }
            this.budget = budget;
            return this;
        }

        /** The longest a move without its own timeout may take (default 30 s). */
        public Builder moveTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("The move timeout must be positive: " + timeout);
            }
            this.moveTimeout = timeout;
            return this;
        }

        /** Whether to shrink violations (default {@code true}). */
        public Builder shrink(boolean shrink) {
            this.shrink = shrink;
            return this;
        }

        /** The context the exploration starts with (copied; the given object is not changed). */
        public Builder context(ExecutionContext context) {
            this.context = context;
            return this;
        }

        /**
         * Runs {@code journey}'s main line up to its checkpoint {@code checkpointName} before exploring,
         * and explores from the state reached there (log in, fill a cart, then explore from
         * {@code cart_ready}). Branches before the checkpoint are skipped: a branch ends where it
         * started. A step that fails (as the journey runner judges it) fails the run.
         */
        public Builder startFrom(Journey journey, String checkpointName) {
            this.startJourney = Objects.requireNonNull(journey, "journey");
            this.startCheckpoint = Objects.requireNonNull(checkpointName, "checkpointName");
            return this;
        }

        /**
         * Records a fact about the exploration's origin in the result and its JSON ({@code attributes}),
         * for tools that read reports: {@code venomqa replay} reads {@code openapi.document}.
         */
        public Builder attribute(String key, String value) {
            attributes.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * A warning about how the exploration was made (an operation of a document that got no move, say): the
         * result's {@link ExplorationResult#warnings()} start with it, so every report shows it with the run's own.
         */
        public Builder warning(Warning warning) {
            warnings.add(Objects.requireNonNull(warning, "warning"));
            return this;
        }

        /**
         * Explores on these workers instead of {@link #client(Client)} and {@link #stateManager(StateManager)}
         * ({@code workers: N} in {@code venomqa.yaml}): each an API writing to a database of its own
         * ({@link Workers#copies}, {@link Workers#external}, {@link Workers#commands}). Each worker's
         * client is {@code client.withBaseUrl(worker URL)}: same headers, token, timeout and masking;
         * the state manager, when given, is not used by {@link Exploration#run()}. The caller closes the workers.
         *
         * <p>With one worker the run is the serial one, on that worker. With more (breadth-first only)
         * the (state, move) pairs are handed to the workers as soon as the serial order has found their
         * state, each worker brought to a pair's state by rolling back to the nearest checkpoint of its own
         * on the way there and replaying the moves from the start state that reach it (checking that
         * each replayed move reaches the state it reached before), or, with a checkpoint tree, by
         * restoring its own checkpoint of the state reached by another path when the context that path
         * left is the same to the moves (equal values and step results); the outcomes are taken in the
         * serial order, so states, transitions, violations and their paths are those of a serial run
         * (of a deterministic API: a replay that reaches another state skips the pair and warns, as in
         * the serial replay mode). Every worker runs the start journey; a worker whose start state
         * differs from the first worker's fails the run. Moves, invariants and the projection are
         * called from several threads at once. Shrinking, and {@link Exploration#replay}, run on the first worker.
         *
         * @param workers {@code null} for none (the default)
         */
        public Builder workers(Workers workers) {
            this.workers = workers;
            return this;
        }

        public Builder listener(ExplorationListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @throws IllegalArgumentException when something required is missing
         * @throws ExplorationException     when no default projection exists for the manager
         */
        public Exploration build() {
            return new Exploration(this);
        }

        private static int positive(String what, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be at least 1: " + value);
            }
            return value;
        }
    }
}
