package io.venomqa.explore.internal;

import io.venomqa.context.ExecutionContext;
import io.venomqa.explore.Coverage;
import io.venomqa.explore.Exploration;
import io.venomqa.explore.ExplorationException;
import io.venomqa.explore.ExplorationListener;
import io.venomqa.explore.ExplorationResult;
import io.venomqa.explore.Invariant;
import io.venomqa.explore.InvariantSummary;
import io.venomqa.explore.Limits;
import io.venomqa.explore.Move;
import io.venomqa.explore.MoveSummary;
import io.venomqa.explore.NeverRun;
import io.venomqa.explore.NeverRunReason;
import io.venomqa.explore.Outcome;
import io.venomqa.explore.PathStep;
import io.venomqa.explore.Progress;
import io.venomqa.explore.RestoreMode;
import io.venomqa.explore.Severity;
import io.venomqa.explore.StateNode;
import io.venomqa.explore.StopReason;
import io.venomqa.explore.Transition;
import io.venomqa.explore.Violation;
import io.venomqa.explore.Warning;
import io.venomqa.http.Client;
import io.venomqa.http.HttpExchange;
import io.venomqa.journey.Checkpoint;
import io.venomqa.journey.Journey;
import io.venomqa.journey.JourneyNode;
import io.venomqa.journey.Step;
import io.venomqa.state.CheckpointTree;
import io.venomqa.state.StateManager;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import io.venomqa.explore.internal.Probe.Failure;

/**
 * The exploration engine: one instance per {@link Exploration#run()}. Records everything on the
 * calling thread; moves run on {@link MoveRunner}'s thread, one at a time, or with several workers
 * ({@link Exploration.Builder#workers}) breadth-first on {@link WorkerLanes}, as soon as each pair is known.
 */
public final class Explorer {

    /** Moves run while shrinking one violation, at most. */
    static final int MAX_SHRINK_MOVES_PER_VIOLATION = 400;

    private final Exploration ex;
    private final StateManager m;
    private final Client client;
    private final List<Move> moves;
    private final Limits limits;
    private final String prefix;
    private CheckpointTree tree;

    private ExecutionContext ctx;
    private MoveRunner runner;
    /** Makes and observes moves on {@link #m}. */
    private Probe probe;
    /** The workers of a parallel run beyond the first, which is {@link #m}; null when serial. */
    private WorkerLanes lanes;
    /** On workers: pairs of the frontier not offered to the workers yet, in the serial order. */
    private ArrayDeque<Frontier.Pair> toOffer;
    /** On workers: pairs offered and not taken yet, and how many of them each move has. */
    private final Set<Frontier.Pair> offered = new HashSet<>();
    private int[] inFlightRuns;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Node> byFingerprint = new HashMap<>();
    /** Checkpoints on the manager's stack in REPLAY mode, bottom first (the start state's at index 0). */
    private final List<Node> stack = new ArrayList<>();
    private Node current;

    /**
     * The database holds what a move did after it reached {@link #current}, a state seen before: equal in the
     * projection, not necessarily in what it leaves out (an id used up, a counter moved, a column not projected).
     * The next move from {@code current} restores the state's checkpoint first, so that what it finds is what the
     * state's path gives.
     */
    private boolean offCheckpoint;
    private Frontier frontier;
    private final List<Transition> transitions = new ArrayList<>();
    /** What each (state, move) pair gave the first time, for reproduction paths. */
    private final Map<String, PathStep> recorded = new HashMap<>();
    private final int[] moveRuns;
    private final int[] cappedSkips;
    private final Set<String> pairsTried = new LinkedHashSet<>();
    private final Map<Integer, Map<String, Integer>> blockedBy = new HashMap<>();
    /** Every context key seen in an expanded state: a required key that never was may be a typo of one. */
    private final Set<String> contextKeysSeen = new java.util.TreeSet<>();
    private int statesExpanded;
    private final Map<String, int[]> invariantCounts = new LinkedHashMap<>();
    /** The first reason each invariant gave for not judging a move ({@link Invariant.NotRun}). */
    private final Map<String, String> notRunReasons = new HashMap<>();
    /** The first problem each invariant only warned about ({@link Invariant.Warned}). */
    private final Map<String, String> warnedProblems = new HashMap<>();
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Set<Warning> warnings = new LinkedHashSet<>();
    private int steps;
    private int replayedMoves;
    private int shrinkRuns;
    private int violationCount;
    private int skippedUnreachable;
    private long startNanos;

    /** The first occurrence of an (invariant, last move) pair, and how often it recurred. */
    private static final class Group {
        final String invariant;
        final Severity severity;
        final String message;
        final Node from;
        final int move;
        final Node to;
        final int step;
        int count = 1;

        Group(String invariant, Severity severity, String message, Node from, int move, Node to, int step) {
            this.invariant = invariant;
            this.severity = severity;
            this.message = message;
            this.from = from;
            this.move = move;
            this.to = to;
            this.step = step;
        }
    }

    public Explorer(Exploration exploration) {
        this.ex = exploration;
        io.venomqa.runner.Workers workers = exploration.workers().orElse(null);
        // On workers the first worker is this explorer's own manager and API: the start, the first lane and shrinking run there.
        this.m = workers == null ? exploration.stateManager() : workers.stateManagers().get(0);
        this.client = workers == null ? exploration.client() : exploration.client().withBaseUrl(workers.baseUrls().get(0));
        this.moves = exploration.moves();
        this.limits = exploration.limits();
        this.prefix = "vqx" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff)) + "-";
        this.moveRuns = new int[moves.size()];
        this.cappedSkips = new int[moves.size()];
        warnings.addAll(exploration.warnings());
        invariantCounts.put(Invariant.MOVE_COMPLETES, new int[4]);
        invariantCounts.put(Invariant.EXPECTED_STATUS, new int[4]);
        for (Invariant i : ex.invariants()) {
            invariantCounts.putIfAbsent(i.name(), new int[4]);
        }
    }

    public ExplorationResult run() {
        boolean connectedHere = !m.isConnected();
        if (connectedHere) {
            m.connect();
        }
        tree = m.checkpointTree().orElse(null);
        Instant startedAt = Instant.now();
        startNanos = System.nanoTime();
        String origin = prefix + "origin";
        m.checkpoint(origin);
        runner = new MoveRunner(client, limits.moveTimeout(), m);
        StopReason stop;
        List<Violation> violations;
        boolean explored = false;
        io.venomqa.state.RollbackException notPutBack = null;
        try {
            ctx = ex.context().map(ExecutionContext::copy).orElseGet(ExecutionContext::new);
            probe = new Probe(ex, client, m, runner, ctx);
            runStartJourney();
            Node root = observeStart();
            listeners(l -> l.onStart(ex.name(), ex.strategy(), limits));
            frontier = Frontier.of(ex.strategy(), i -> moveRuns[i]);
            expand(root);
            if (ex.workers().isPresent() && ex.workers().get().size() > 1) {
                try {
                    lanes = WorkerLanes.start(ex, ex.workers().get(), prefix, root, client);
                    stop = exploreOnWorkers(lanes);
                } finally {
                    if (lanes != null) {
                        replayedMoves += lanes.replayedMoves();
                        lanes.close();
                    }
                }
                current = null; // the first lane moved the manager: shrinking starts with goToStart
            } else {
                stop = explore();
            }
            violations = buildViolations();
            explored = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExplorationException("The exploration '" + ex.name() + "' was interrupted while running its start "
                    + "journey or shrinking; the database was put back as found.", e);
        } finally {
            runner.close();
            try {
                m.rollback(origin);
                m.release(origin);
            } finally {
                if (connectedHere) {
                    try {
                        m.disconnect();
                    } catch (io.venomqa.state.RollbackException e) {
                        if (!explored) {
                            throw e;
                        }
                        notPutBack = e; // thrown after the result is made and told, so that it is not lost
                    }
                }
            }
        }
        ExplorationResult result = result(startedAt, stop, violations);
        listeners(l -> l.onFinish(result));
        if (notPutBack != null) {
            throw new io.venomqa.explore.DatabaseNotPutBackException(result, notPutBack);
        }
        return result;
    }

    // ---- the start ------------------------------------------------------------------------------

    private void runStartJourney() throws InterruptedException {
        runStartJourney(ex, runner, ctx);
    }

    /** Runs the start journey's main line up to its checkpoint, failing the run when a step fails (shared with {@link PathReplayer}). */
    static void runStartJourney(Exploration ex, MoveRunner runner, ExecutionContext ctx) throws InterruptedException {
        Journey j = ex.startJourney().orElse(null);
        if (j == null) {
            return;
        }
        String target = ex.startCheckpoint().orElseThrow();
        List<String> mainLine = new ArrayList<>();
        for (JourneyNode n : j.nodes()) {
            if (n instanceof Checkpoint c) {
                mainLine.add(c.name());
            }
        }
        if (!mainLine.contains(target)) {
            throw new ExplorationException("Journey '" + j.name() + "' has no checkpoint '" + target
                    + "' on its main line, so the exploration cannot start from it. Checkpoints on its main line: "
                    + (mainLine.isEmpty() ? "(none)" : String.join(", ", mainLine)) + ".");
        }
        for (JourneyNode n : j.nodes()) {
            if (n instanceof Checkpoint c && c.name().equals(target)) {
                return;
            }
            if (n instanceof Step s) {
                MoveRunner.Run r = runner.run(Move.of(s), ctx);
                boolean failed = r.outcome() == Outcome.ERROR || r.outcome() == Outcome.TIMEOUT
                        || (r.status() != null && r.status() >= 400);
                if (failed != s.expectFailure()) {
                    throw new ExplorationException("The start journey '" + j.name() + "' failed at step '" + s.name()
                            + "' before reaching checkpoint '" + target + "': "
                            + (r.error() != null ? r.error() : s.expectFailure() ? "it was expected to fail but succeeded"
                            : "HTTP " + r.status() + lastCall(r.exchanges()))
                            + ". Fix the journey (run it alone with JourneyRunner to see every step) before exploring from it.");
                }
            }
            // a Branch ends where it started (the runner puts the state back), so the main line skips it
        }
    }

    static String lastCall(List<HttpExchange> xs) {
        return xs.isEmpty() ? "" : " from " + xs.get(xs.size() - 1).method() + " " + xs.get(xs.size() - 1).url();
    }

    private Node observeStart() {
        Node root;
        List<Failure> failures = new ArrayList<>();
        try (GuardedDb db = new GuardedDb(m)) {
            Obs o = new Obs(client, ctx, null, null, db, m, 0);
            Probe.Captured captured = probe.captureShown(o, "the start state");
            root = newNode(captured.shown(), Canonical.fingerprint(captured.text()), 0);
            checkQueriesRun(db);
            for (Invariant i : ex.invariants()) {
                if (i.isAlsoBefore()) {
                    int before = failures.size();
                    Probe.Unheld unheld = Probe.Unheld.create();
                    probe.check(i, o, failures, unheld);
                    count(i.name(), false);
                    if (failures.size() > before) {
                        count(i.name(), true);
                    }
                    countUnheld(unheld);
                }
            }
        }
        root.snapshot = ctx.snapshot();
        root.cookies = client.cookies();
        takeCheckpoint(root);
        current = root;
        for (Failure f : failures) {
            violationCount++;
            groups.putIfAbsent(key(f.invariant(), "(start)"), new Group(f.invariant(), f.severity(), f.message(), root, -1, root, 0));
        }
        return root;
    }

    /**
     * Runs each {@link Invariant#sql} query once in the start state, on a SQL backend, and warns about one
     * that cannot run there (a syntax error, a column that is not there, more than one value): it is still
     * checked, and reported, after every move (a broken check never aborts a run), but without this warning
     * those reports read as the API's violations, with a "minimal path" that reproduces only the typo.
     * Whether the rule holds is not judged here.
     */
    private void checkQueriesRun(GuardedDb db) {
        if (!db.available()) {
            return; // no SQL here: each check fails saying so, as documented
        }
        List<String> queries = ex.invariants().stream().map(Invariant::sqlQuery).filter(java.util.Objects::nonNull).toList();
        if (queries.isEmpty()) {
            return;
        }
        try {
            Backends.queryEach(m, queries); // one guarded read for all; only a failure reads them one by one
            return;
        } catch (RuntimeException together) {
            // one of them is to blame: find which
        }
        for (Invariant i : ex.invariants()) {
            if (i.sqlQuery() == null) {
                continue;
            }
            try {
                db.value(i.sqlQuery());
            } catch (RuntimeException e) {
                warnings.add(new Warning("the query of invariant '" + i.name() + "' fails in the start state ("
                        + String.valueOf(e.getMessage()).strip().replaceAll("\\s*\\R\\s*", " ")
                        + "), so every check of it fails and its violations say nothing about the API",
                        "fix the query: " + i.sqlQuery()));
            }
        }
    }

    // ---- the main loop ---------------------------------------------------------------------------

    private StopReason explore() {
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                return StopReason.INTERRUPTED;
            }
            if (frontier.isEmpty()) {
                Node late = unexpandedWithinBound();
                if (late == null) {
                    return StopReason.EXHAUSTED;
                }
                try {
                    if (goTo(late)) {
                        expand(late);
                    } else {
                        late.unreachable = true;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return StopReason.INTERRUPTED;
                }
                continue;
            }
            StopReason limit = limitReached();
            if (limit != null) {
                return limit;
            }
            Frontier.Pair p = frontier.next(current);
            Move mv = moves.get(p.move());
            if (mv.maxRuns().isPresent() && moveRuns[p.move()] >= mv.maxRuns().getAsInt()) {
                cappedSkips[p.move()]++;
                continue;
            }
            try {
                if (!goTo(p.node())) {
                    skippedUnreachable++;
                    continue;
                }
                step(p.node(), p.move());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return StopReason.INTERRUPTED;
            }
            Progress progress = progress();
            listeners(l -> l.onProgress(progress));
        }
    }

    /** The limit that ends the run before its next move (interrupt, steps, states, budget), or null. */
    private StopReason limitReached() {
        if (Thread.currentThread().isInterrupted()) {
            return StopReason.INTERRUPTED;
        }
        if (steps >= limits.maxSteps()) {
            return StopReason.MAX_STEPS;
        }
        if (nodes.size() >= limits.maxStates()) {
            return StopReason.MAX_STATES;
        }
        if (limits.budget() != null && System.nanoTime() - startNanos >= limits.budget().toNanos()) {
            return StopReason.BUDGET;
        }
        return null;
    }

    /**
     * Breadth-first on workers: the pairs the serial loop will try are handed to the workers as soon as
     * they are known (a state's pairs once the outcome that found it is taken), up to the steps left
     * and the moves' caps, and made at once; their outcomes are taken in the serial order with the
     * serial loop's checks, so the graph, the counts and the stop reason are the serial run's. A state
     * is found in the serial order and its path is final then: breadth-first reaches every state first
     * by a shortest path. Pairs made beyond a limit were made for nothing and are dropped.
     */
    private StopReason exploreOnWorkers(WorkerLanes lanes) {
        toOffer = new ArrayDeque<>(frontier.remaining());
        inFlightRuns = new int[moves.size()];
        offerAhead(lanes);
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                return StopReason.INTERRUPTED;
            }
            if (frontier.isEmpty()) {
                return StopReason.EXHAUSTED;
            }
            StopReason limit = limitReached();
            if (limit != null) {
                return limit;
            }
            Frontier.Pair p = frontier.next(null);
            boolean wasOffered = offered.remove(p);
            if (wasOffered) {
                inFlightRuns[p.move()]--;
            } else {
                toOffer.remove(p);
            }
            Move mv = moves.get(p.move());
            if (mv.maxRuns().isPresent() && moveRuns[p.move()] >= mv.maxRuns().getAsInt()) {
                cappedSkips[p.move()]++;
                lanes.withdraw(p);
                continue;
            }
            WorkerLanes.Outcome o;
            try {
                // offers p first if it was not: a cap kept it back, and an earlier pair of its move did not run after all
                o = lanes.outcome(p);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return StopReason.INTERRUPTED;
            }
            if (o.step() == null) {
                warnings.add(o.unreachable());
                skippedUnreachable++;
            } else {
                record(p.node(), p.move(), o.step(), false);
                Progress progress = progress();
                listeners(l -> l.onProgress(progress));
            }
            offerAhead(lanes);
        }
    }

    /**
     * Offers the workers the next pairs in the serial order that the serial loop would make if every
     * pair before them ran: as many as steps are left, none of a move whose cap the pairs already
     * counted reach. A pair left out for its cap is decided again when its turn comes.
     */
    private void offerAhead(WorkerLanes lanes) {
        int room = limits.maxSteps() - steps - offered.size();
        while (room > 0 && !toOffer.isEmpty()) {
            Frontier.Pair p = toOffer.poll();
            Move mv = moves.get(p.move());
            if (mv.maxRuns().isPresent() && moveRuns[p.move()] + inFlightRuns[p.move()] >= mv.maxRuns().getAsInt()) {
                continue;
            }
            inFlightRuns[p.move()]++;
            offered.add(p);
            lanes.offer(p);
            room--;
        }
    }

    private void step(Node from, int mi) throws InterruptedException {
        record(from, mi, probe.step(mi, from.depth() + 1, false), true);
    }

    /**
     * Records what move {@code mi} did from {@code from}: the transition, the new state if it is one,
     * the violations. {@code serial}: the move was made here, so the manager and the context stand in
     * the state it reached, which gets a checkpoint and is expanded here. Otherwise a worker made it
     * and {@code s} carries the expansion of the state it reached.
     */
    private void record(Node from, int mi, Probe.Step s, boolean serial) {
        steps++;
        Move mv = moves.get(mi);
        MoveRunner.Run r = s.run();
        moveRuns[mi]++;
        pairsTried.add(pairKey(from, mi));
        List<Failure> failures = s.failures();
        countChecks(failures, s.unheld());
        String fp = s.fingerprint();
        Node to = byFingerprint.get(fp);
        boolean isNew = to == null;
        if (isNew) {
            to = newNode(s.shown(), fp, steps);
            to.parent = from;
            to.via = mi;
        } else if (to.parent != null && from.depth() + 1 < to.depth() && !from.chain().contains(to)) {
            to.parent = from;
            to.via = mi;
        }
        boolean reachedShallower = !isNew && !to.expanded && to.depth() < limits.maxDepth();
        List<String> failed = failures.stream().map(Failure::invariant).toList();
        transitions.add(new Transition(steps, from.id(), mv.name(), to.id(), r.status(), r.outcome(), r.duration(), failed));
        recorded.put(pairKey(from, mi), pathStep(0, mi, r, from.id(), to.id()));
        if (serial) {
            current = to;
            offCheckpoint = false; // a new state's checkpoint is taken below, from the database as it is
        }
        if (serial && !isNew) {
            // A state seen before is the state as first reached, context and database included: what this move
            // put in the context without changing the state (an id a read learnt), or in the database outside
            // the projection (an id an insert refused by a unique key used up), must not reach the moves run next
            // from here, whose paths leave this move out and would then not reproduce. Until 2026-12-06 the
            // database was left as the move left it, and a state first reached from there held other ids than
            // its path gives.
            restoreSession(to);
            offCheckpoint = true;
        }
        for (Failure f : failures) {
            violationCount++;
            Group g = (Group) from.brokenBy.get(f.invariant());
            if (g == null) {
                g = groups.get(key(f.invariant(), mv.name()));
            }
            if (g != null) {
                g.count++;
            } else {
                g = new Group(f.invariant(), f.severity(), f.message(), from, mi, to, steps);
                groups.put(key(f.invariant(), mv.name()), g);
                Violation first = violation(g, recordedPath(g), false, false);
                listeners(l -> l.onViolation(first));
            }
            if (isNew && !isBuiltIn(f.invariant())) {
                to.brokenBy.put(f.invariant(), g);
            }
        }
        if (isNew) {
            to.snapshot = s.after();
            to.cookies = s.cookiesAfter();
            if (serial) {
                takeCheckpoint(to);
                expand(to);
            } else {
                apply(to, s.expansion());
            }
        } else if (reachedShallower) {
            // first reached at the depth bound, now by a shorter path: its moves are within the bound after all
            if (!serial) {
                throw new ExplorationException("Internal error: breadth-first on workers reached " + to.id()
                        + " by a shorter path after its level.");
            }
            expand(to);
        }
    }

    /**
     * A state first reached at the depth bound whose path has become shorter since (a state on its
     * path was reached more directly later): its moves are within the bound now.
     */
    private Node unexpandedWithinBound() {
        for (Node n : nodes) {
            if (!n.expanded && !n.unreachable && n.depth() < limits.maxDepth()) {
                return n;
            }
        }
        return null;
    }

    /** Decides which moves may run in {@code node} (the current state) and hands its pairs to the frontier. */
    private void expand(Node node) {
        if (node.depth() >= limits.maxDepth()) {
            return;
        }
        apply(node, probe.expansion());
    }

    /** Expands {@code node} with the moves found possible in it (here or on the worker that reached it). */
    private void apply(Node node, Probe.Expansion e) {
        if (node.depth() >= limits.maxDepth()) {
            return;
        }
        node.expanded = true;
        statesExpanded++;
        warnings.addAll(e.warnings());
        e.blocked().forEach((i, why) -> blockedBy.computeIfAbsent(i, k -> new LinkedHashMap<>()).merge(why, 1, Integer::sum));
        contextKeysSeen.addAll(e.contextKeys());
        node.enabled = e.enabled();
        frontier.add(node, e.enabled());
        if (toOffer != null) {
            e.enabled().forEach(mi -> toOffer.add(new Frontier.Pair(node, mi)));
        }
    }

    // ---- returning to a state --------------------------------------------------------------------

    private void takeCheckpoint(Node n) {
        m.checkpoint(cp(n));
        if (tree == null) {
            stack.add(n);
        }
    }

    private String cp(Node n) {
        return prefix + n.id();
    }

    /**
     * Makes {@code target} the current state. False when a replay reached another state (an API or
     * projection that is not deterministic): the pair is skipped and the run says so.
     */
    private boolean goTo(Node target) throws InterruptedException {
        if (current == target && !offCheckpoint) {
            return true;
        }
        offCheckpoint = false;
        if (tree != null) {
            tree.restore(cp(target));
            restoreSession(target);
            current = target;
            return true;
        }
        List<Node> chain = target.chain();
        int base = -1;
        for (int i = stack.size() - 1; i >= 0 && base < 0; i--) {
            if (chain.contains(stack.get(i))) {
                base = i;
            }
        }
        if (base < 0) {
            throw new ExplorationException("Internal error: the start state's checkpoint is not on the stack.");
        }
        Node from = stack.get(base);
        m.rollback(cp(from));
        stack.subList(base + 1, stack.size()).clear();
        restoreSession(from);
        current = from;
        for (int k = chain.indexOf(from) + 1; k < chain.size(); k++) {
            Node next = chain.get(k);
            Move mv = moves.get(next.via);
            String fp = probe.replay(next.via, k);
            replayedMoves++;
            if (!fp.equals(next.fingerprint)) {
                Node actual = byFingerprint.get(fp);
                warnings.add(new Warning("replaying the path to " + target.id() + " reached "
                        + (actual != null ? actual.id() : "a state never seen") + " instead of " + next.id() + " after '"
                        + mv.name() + "'", "the API or the projection is not deterministic for the same moves; "
                        + "use a state manager with a checkpoint tree (no replay), or leave volatile values (ids, times) "
                        + "out of the projection"));
                current = actual;
                return false;
            }
            current = next;
            // The new checkpoint holds what the replay wrote (a new session, a new token): the context
            // restored with it must be the replay's too, or a later rollback pairs rows and context
            // from two different runs.
            next.snapshot = ctx.snapshot();
            next.cookies = client.cookies();
            m.checkpoint(cp(next));
            stack.add(next);
        }
        return true;
    }

    private void goToStart() {
        Node root = nodes.get(0);
        if (tree != null) {
            tree.restore(cp(root));
        } else {
            m.rollback(cp(root));
            stack.subList(1, stack.size()).clear();
        }
        restoreSession(root);
        current = root;
        offCheckpoint = false;
    }

    /**
     * Puts back the context and the client's cookies {@code n} was first reached with: a state is the database,
     * the context and the session the API knows the client by (a cookie set at login), so a move run from it
     * must not carry a session another path left.
     */
    private void restoreSession(Node n) {
        ctx.restore(n.snapshot);
        if (n.cookies != null) {
            client.restoreCookies(n.cookies);
        }
    }

    // ---- checks ----------------------------------------------------------------------------------

    /**
     * The invariant's failure message, or null when it holds (shared with {@link PathReplayer}).
     *
     * @throws Invariant.NotRun when the check could not judge the move
     * @throws Invariant.Warned when the check found a problem it only warns about
     */
    static String failureOf(Invariant i, Obs o) {
        try {
            return i.check().holds(o) ? null : "returned false";
        } catch (Invariant.NotRun | Invariant.Warned e) {
            throw e; // neither holds nor fails: the caller counts it as not run or warned
        } catch (AssertionError e) {
            return e.getMessage() != null ? e.getMessage() : "assertion failed";
        } catch (Exception | LinkageError e) {
            return "invariant threw " + e.getClass().getName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
        }
    }

    /** Per invariant: checks, failures, checks not run, checks that warned. */
    private int[] counts(String invariant) {
        return invariantCounts.computeIfAbsent(invariant, k -> new int[4]);
    }

    private void count(String invariant, boolean failed) {
        counts(invariant)[failed ? 1 : 0]++;
    }

    /**
     * Counts checks of invariants that could not judge their move or only warned, keeping the first reason or
     * problem of each.
     */
    private void countUnheld(Probe.Unheld unheld) {
        unheld.notRun().forEach((invariant, reason) -> {
            counts(invariant)[2]++;
            notRunReasons.putIfAbsent(invariant, reason);
        });
        unheld.warned().forEach((invariant, problem) -> {
            counts(invariant)[3]++;
            warnedProblems.putIfAbsent(invariant, problem);
        });
    }

    /**
     * Counts the checks after one move of the exploration ({@link Probe#checkAll} checks every
     * invariant each time) and its failures. Shrinking re-checks on purpose and is not counted.
     */
    private void countChecks(List<Failure> failures, Probe.Unheld unheld) {
        count(Invariant.MOVE_COMPLETES, false);
        count(Invariant.EXPECTED_STATUS, false);
        for (Invariant i : ex.invariants()) {
            count(i.name(), false);
        }
        failures.forEach(f -> count(f.invariant(), true));
        countUnheld(unheld);
    }

    // ---- violations and shrinking ----------------------------------------------------------------

    private List<Violation> buildViolations() throws InterruptedException {
        List<Violation> out = new ArrayList<>();
        for (Group g : groups.values()) {
            List<PathStep> recordedPath = recordedPath(g);
            if (!ex.shrink() || g.move < 0) {
                out.add(violation(g, recordedPath, false, false));
                continue;
            }
            List<Integer> original = new ArrayList<>();
            List<Node> chain = g.from.chain();
            for (int k = 1; k < chain.size(); k++) {
                original.add(chain.get(k).via);
            }
            original.add(g.move);
            List<PathStep> minimal = new Shrink(g.invariant).ddmin(original);
            if (minimal == null) {
                warnings.add(new Warning("violation of '" + g.invariant + "' after '" + moves.get(g.move).name()
                        + "' did not happen again when its path was replayed from the start",
                        "the failure depends on something the path does not reproduce (time, other traffic, a state the "
                                + "projection merges); the path shown is the one the exploration took"));
                out.add(violation(g, recordedPath, false, false));
            } else {
                out.add(violation(g, minimal, true, true));
            }
        }
        return out;
    }

    /** Delta debugging of one violation's path; every try starts from the start state and checks everything. */
    private final class Shrink {
        private final String invariant;
        private final Map<List<Integer>, List<PathStep>> tried = new HashMap<>();
        private int budget = MAX_SHRINK_MOVES_PER_VIOLATION;

        Shrink(String invariant) {
            this.invariant = invariant;
        }

        /** The minimal failing path's steps, or null when the original path does not fail again. */
        List<PathStep> ddmin(List<Integer> original) throws InterruptedException {
            List<PathStep> best = test(original);
            if (best == null) {
                return null;
            }
            List<Integer> c = movesOf(best);
            int n = 2;
            while (c.size() >= 2 && budget > 0) {
                List<List<Integer>> parts = split(c, n);
                boolean reduced = false;
                for (List<Integer> part : parts) {
                    List<PathStep> r = test(part);
                    if (r != null) {
                        best = r;
                        c = movesOf(r);
                        n = Math.max(n - 1, 2);
                        reduced = true;
                        break;
                    }
                }
                if (!reduced) {
                    for (int i = 0; i < parts.size() && !reduced; i++) {
                        List<Integer> complement = new ArrayList<>();
                        for (int j = 0; j < parts.size(); j++) {
                            if (j != i) {
                                complement.addAll(parts.get(j));
                            }
                        }
                        List<PathStep> r = test(complement);
                        if (r != null) {
                            best = r;
                            c = movesOf(r);
                            n = Math.max(n - 1, 2);
                            reduced = true;
                        }
                    }
                }
                if (!reduced) {
                    if (n >= c.size()) {
                        break;
                    }
                    n = Math.min(c.size(), 2 * n);
                }
            }
            return best;
        }

        /** The steps up to the first failure of the invariant, or null when the candidate does not fail it. */
        private List<PathStep> test(List<Integer> candidate) throws InterruptedException {
            if (candidate.isEmpty() || tried.containsKey(candidate)) {
                return candidate.isEmpty() ? null : tried.get(candidate);
            }
            if (budget < candidate.size()) {
                budget = 0;
                return null;
            }
            List<PathStep> result = run(candidate);
            tried.put(List.copyOf(candidate), result);
            return result;
        }

        private List<PathStep> run(List<Integer> candidate) throws InterruptedException {
            goToStart();
            List<PathStep> out = new ArrayList<>();
            String fromId = nodes.get(0).id();
            for (int mi : candidate) {
                Move mv = moves.get(mi);
                try (GuardedDb db = new GuardedDb(m)) {
                    if (probe.blocked(mv, db, warnings) != null) {
                        current = null;
                        return null;
                    }
                }
                MoveRunner.Run r = runner.run(mv, ctx);
                budget--;
                shrinkRuns++;
                List<Failure> failures = new ArrayList<>();
                String text;
                try (GuardedDb db = new GuardedDb(m)) {
                    Obs o = new Obs(client, ctx, mv, r, db, m, out.size() + 1);
                    text = probe.capture(o, "move '" + mv.name() + "' while shrinking");
                    probe.checkAll(o, mv, r, failures, Probe.Unheld.create()); // shrinking is not counted
                }
                Node to = byFingerprint.get(Canonical.fingerprint(text));
                String toId = to != null ? to.id() : "?";
                out.add(pathStep(out.size() + 1, mi, r, fromId, toId));
                fromId = toId;
                if (failures.stream().anyMatch(f -> f.invariant().equals(invariant))) {
                    current = null;
                    return out;
                }
            }
            current = null;
            return null;
        }

        private List<Integer> movesOf(List<PathStep> steps) {
            List<Integer> out = new ArrayList<>();
            for (PathStep s : steps) {
                out.add(indexOf(s.move()));
            }
            return out;
        }
    }

    private int indexOf(String moveName) {
        for (int i = 0; i < moves.size(); i++) {
            if (moves.get(i).name().equals(moveName)) {
                return i;
            }
        }
        throw new IllegalStateException("no move " + moveName);
    }

    private static List<List<Integer>> split(List<Integer> c, int n) {
        List<List<Integer>> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < n; i++) {
            int end = start + (c.size() - start) / (n - i);
            if (end > start) {
                parts.add(new ArrayList<>(c.subList(start, end)));
            }
            start = end;
        }
        return parts;
    }

    private List<PathStep> recordedPath(Group g) {
        List<PathStep> out = new ArrayList<>();
        if (g.move < 0) {
            return out;
        }
        List<Node> chain = g.from.chain();
        for (int k = 1; k < chain.size(); k++) {
            Node n = chain.get(k);
            out.add(renumber(recorded.get(pairKey(n.parent, n.via)), out.size() + 1));
        }
        out.add(renumber(recorded.get(pairKey(g.from, g.move)), out.size() + 1));
        return out;
    }

    private static PathStep renumber(PathStep s, int index) {
        return new PathStep(index, s.move(), s.args(), s.from(), s.to(), s.status(), s.outcome(), s.error(), s.exchanges());
    }

    private PathStep pathStep(int index, int mi, MoveRunner.Run r, String from, String to) {
        Move mv = moves.get(mi);
        return new PathStep(index, mv.name(), mv.args(), from, to, r.status(), r.outcome(), r.error(), r.exchanges());
    }

    private Violation violation(Group g, List<PathStep> path, boolean shrunk, boolean reproduced) {
        int original = g.move < 0 ? 0 : g.from.depth() + 1;
        return new Violation(g.invariant, g.severity, g.message, g.to.id(), g.move < 0 ? "(start)" : moves.get(g.move).name(),
                path, original, shrunk, reproduced, g.count, g.step);
    }

    // ---- the result ------------------------------------------------------------------------------

    private ExplorationResult result(Instant startedAt, StopReason stop, List<Violation> violations) {
        List<StateNode> states = new ArrayList<>();
        for (Node n : nodes) {
            List<String> path = new ArrayList<>();
            List<Node> chain = n.chain();
            for (int k = 1; k < chain.size(); k++) {
                path.add(moves.get(chain.get(k).via).name());
            }
            states.add(new StateNode(n.id(), n.fingerprint, path.size(), path, n.summary, n.discoveredAtStep,
                    n.enabled.stream().map(i -> moves.get(i).name()).toList(), n.expanded));
        }
        Map<String, Integer> runs = new LinkedHashMap<>();
        for (int i = 0; i < moves.size(); i++) {
            runs.put(moves.get(i).name(), moveRuns[i]);
        }
        List<Coverage.Pair> pairs = new ArrayList<>();
        for (Node n : nodes) {
            for (int i : n.enabled) {
                pairs.add(new Coverage.Pair(n.id(), moves.get(i).name(), pairsTried.contains(pairKey(n, i))));
            }
        }
        int tried = (int) pairs.stream().filter(Coverage.Pair::tried).count();
        Coverage coverage = new Coverage(runs, pairs, tried, pairs.size());
        List<InvariantSummary> inv = new ArrayList<>();
        Map<String, Severity> severities = new HashMap<>();
        severities.put(Invariant.MOVE_COMPLETES, Severity.CRITICAL);
        severities.put(Invariant.EXPECTED_STATUS, Severity.HIGH);
        ex.invariants().forEach(i -> severities.putIfAbsent(i.name(), i.severity()));
        Map<String, String> sql = new HashMap<>();
        ex.invariants().forEach(i -> {
            if (i.sqlQuery() != null) {
                sql.putIfAbsent(i.name(), i.sqlQuery());
            }
        });
        invariantCounts.forEach((name, c) -> inv.add(new InvariantSummary(name, severities.get(name),
                isBuiltIn(name), c[0], c[1], sql.get(name), c[2], notRunReasons.get(name), c[3], warnedProblems.get(name))));
        List<Warning> w = new ArrayList<>(warnings);
        addGraphWarnings(w, stop);
        RestoreMode mode = tree != null && lanes == null ? RestoreMode.TREE : RestoreMode.REPLAY;
        String note = lanes != null ? lanes.size() + " workers explored breadth-first at once; each was brought to a state "
                + "by rolling back to the nearest checkpoint of its own on the path there and replaying the moves from there ("
                + replayedMoves + " moves replayed)"
                : tree != null
                ? "the " + m.backendName() + " state manager restored every state directly from its checkpoint tree"
                : "the " + m.backendName() + " state manager keeps a stack of checkpoints only, so the explorer rolled back to "
                + "the nearest checkpoint leading to each state and replayed the moves from there (" + replayedMoves
                + " moves replayed)";
        return new ExplorationResult(ex.name(), ex.strategy().name(),
                ex.strategy().seed().isPresent() ? ex.strategy().seed().getAsLong() : null, stop, steps, replayedMoves,
                shrinkRuns, startedAt, Duration.ofNanos(System.nanoTime() - startNanos), m.backendName(),
                ex.projection().describe(), mode, note, limits, states, transitions, coverage, neverRun(stop), inv,
                violations, w, moves.stream().map(MoveSummary::of).toList(), attributes());
    }

    /**
     * The exploration's attributes, the client's base URL (masked), which replays make recorded URLs
     * relative to, and the journey it started from, if any: a replay must start from that journey's
     * checkpoint, not from the database as it is.
     */
    private Map<String, String> attributes() {
        Map<String, String> a = new LinkedHashMap<>(ex.attributes());
        a.putIfAbsent("base_url", io.venomqa.core.CredentialMasker.maskUrl(client.baseUrl()));
        ex.startJourney().ifPresent(j -> {
            a.putIfAbsent(io.venomqa.explore.Exploration.START_JOURNEY_ATTRIBUTE, j.name());
            a.putIfAbsent(io.venomqa.explore.Exploration.START_CHECKPOINT_ATTRIBUTE, ex.startCheckpoint().orElseThrow());
        });
        return a;
    }

    private List<NeverRun> neverRun(StopReason stop) {
        Set<Integer> pending = new HashSet<>();
        frontier.remaining().forEach(p -> pending.add(p.move()));
        List<NeverRun> out = new ArrayList<>();
        for (int i = 0; i < moves.size(); i++) {
            if (moveRuns[i] > 0) {
                continue;
            }
            Move mv = moves.get(i);
            if (mv.maxRuns().isPresent() && mv.maxRuns().getAsInt() == 0) {
                out.add(new NeverRun(mv.name(), NeverRunReason.CAP_REACHED, "its maxRuns is 0"));
            } else if (pending.contains(i) || possibleSomewhere(i)) {
                out.add(new NeverRun(mv.name(), NeverRunReason.LIMIT_REACHED, "it could run in "
                        + statesWhereEnabled(i) + " but the run stopped first (" + stop + ")"
                        + (skippedUnreachable > 0 ? " or its state could not be reached again" : "")));
            } else {
                Map<String, Integer> why = blockedBy.getOrDefault(i, Map.of());
                List<String> parts = new ArrayList<>();
                why.forEach((reason, count) -> parts.add(reason + ": false in " + count + " of " + statesExpanded
                        + (statesExpanded == 1 ? " state" : " states") + typoOf(reason)));
                out.add(new NeverRun(mv.name(), NeverRunReason.PRECONDITION_NEVER_TRUE, String.join("; ", parts)
                        + (nodes.size() > statesExpanded ? " (" + (nodes.size() - statesExpanded)
                        + " states at the depth bound or reached last were not considered)" : "")));
            }
        }
        return out;
    }

    /**
     * For a "requires k" that was never true: the context key seen in the run that {@code k} is probably a
     * typo of, as " (no state's context had k; did you mean k2?)", else "".
     */
    private String typoOf(String reason) {
        if (!reason.startsWith("requires ")) {
            return "";
        }
        String key = reason.substring("requires ".length());
        return contextKeysSeen.contains(key) ? "" : io.venomqa.core.DidYouMean.nearest(key, contextKeysSeen)
                .map(k -> " (no state's context had '" + key + "'; did you mean '" + k + "'?)").orElse("");
    }

    private boolean possibleSomewhere(int mi) {
        return nodes.stream().anyMatch(n -> n.enabled.contains(mi));
    }

    private String statesWhereEnabled(int mi) {
        List<String> ids = nodes.stream().filter(n -> n.enabled.contains(mi)).map(Node::id).toList();
        return ids.size() <= 5 ? String.join(", ", ids) : String.join(", ", ids.subList(0, 5)) + " and " + (ids.size() - 5) + " more";
    }

    private void addGraphWarnings(List<Warning> w, StopReason stop) {
        if (nodes.size() == 1 && steps > 0) {
            w.add(new Warning("only one state seen in " + steps + " moves: the projection (" + ex.projection().describe()
                    + ") did not change", "choose a projection that sees what the moves change, e.g. "
                    + "StateProjection.sql(\"select status, count(*) from orders group by status order by status\") "
                    + "or StateProjection.contextKeys(\"order_id\")"));
        } else if (transitions.size() >= 10) {
            long loops = transitions.stream().filter(Transition::selfLoop).count();
            if (loops * 10 >= transitions.size() * 8L) {
                w.add(new Warning("most transitions are self-loops (" + loops + " of " + transitions.size()
                        + "): the projection (" + ex.projection().describe() + ") rarely sees a move's effect",
                        "choose a better projection: one that includes the tables or context keys the moves change"));
            }
        }
        for (int i = 0; i < moves.size(); i++) {
            if (cappedSkips[i] > 0) {
                w.add(new Warning("move '" + moves.get(i).name() + "' reached its cap of " + moves.get(i).maxRuns().getAsInt()
                        + " runs; " + cappedSkips[i] + " more (state, move) pairs were not tried",
                        "raise maxRuns if those states matter"));
            }
        }
        if (skippedUnreachable > 0) {
            w.add(new Warning(skippedUnreachable + " (state, move) pairs were skipped because their state could not be reached again",
                    ""));
        }
    }

    // ---- small helpers ---------------------------------------------------------------------------

    /** @param shown the state's projection as reports show it ({@link Probe.Captured#shown}) */
    private Node newNode(String shown, String fingerprint, int step) {
        Node n = new Node(nodes.size(), fingerprint, shown, step);
        nodes.add(n);
        byFingerprint.put(n.fingerprint, n);
        return n;
    }

    private static boolean isBuiltIn(String invariant) {
        return invariant.equals(Invariant.MOVE_COMPLETES) || invariant.equals(Invariant.EXPECTED_STATUS);
    }

    private static String pairKey(Node n, int move) {
        return n.index + "/" + move;
    }

    private static String key(String invariant, String move) {
        return invariant + "\u0000" + move;
    }

    private Progress progress() {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        double secs = Math.max(elapsed.toNanos() / 1e9, 1e-9);
        Duration left = limits.budget() == null ? null : limits.budget().minus(elapsed).isNegative() ? Duration.ZERO
                : limits.budget().minus(elapsed);
        return new Progress(steps, nodes.size(), transitions.size(), violationCount, elapsed, steps / secs, left);
    }

    private void listeners(java.util.function.Consumer<ExplorationListener> call) {
        for (ExplorationListener l : ex.listeners()) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                warnings.add(new Warning("listener " + l.getClass().getName() + " threw " + e, "fix the listener"));
            }
        }
    }
}
