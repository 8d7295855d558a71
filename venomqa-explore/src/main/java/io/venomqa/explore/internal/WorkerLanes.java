package io.venomqa.explore.internal;

import io.venomqa.context.ContextSnapshot;
import io.venomqa.context.ExecutionContext;
import io.venomqa.core.CredentialMasker;
import io.venomqa.explore.Exploration;
import io.venomqa.explore.ExplorationException;
import io.venomqa.explore.Warning;
import io.venomqa.http.Client;
import io.venomqa.runner.Workers;
import io.venomqa.state.CheckpointTree;
import io.venomqa.state.StateManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The workers of a breadth-first exploration, one lane per worker, each with its own client, state
 * manager, context and move runner. The explorer {@link #offer}s (state, move) pairs as it learns of
 * them; each lane, on a thread of its own, takes the next pair it is best placed to make (see
 * {@link #pick}) and leaves what it did for {@link #outcome}, which the explorer asks for in the serial
 * order. It records nothing (the explorer does).
 *
 * <p>A lane reaches a pair's state on its own database: it rolls back to the deepest checkpoint it
 * holds on that state's path from the start (the start state's when none) and replays the moves from
 * there, checking that each replayed move reaches the state it reached before; every state passed
 * gets a checkpoint of the lane's, so pairs of one state, and of states sharing a path, cost one
 * replay. A lane with a checkpoint tree also keeps a checkpoint after each of its moves, which stands
 * for the state the move reached, found by this path or by another ({@link Lane#standIn}). After each
 * move the lane rolls back to the pair's state. Lanes other than the first run the
 * start journey themselves and must reach the first lane's start state. The first lane is the
 * explorer's own manager; {@link #close()} puts every lane's database back (the first to the start
 * state, the others to where they were found). Not API.
 */
final class WorkerLanes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerLanes.class);

    /** What one pair gave: the step, or (step null) why its state could not be reached again. */
    record Outcome(Probe.Step step, Warning unreachable) {
    }

    /** How many pending pairs a free lane looks through for the cheapest to reach. */
    private static final int WINDOW = 256;

    private final Exploration ex;
    private final List<Lane> lanes;
    private final ExecutorService pool;
    /** Guards everything below; lanes wait on it for work, the caller for outcomes. */
    private final Object lock = new Object();
    /** Offered and not started, in the caller's order. */
    private final List<Frontier.Pair> pending = new ArrayList<>();
    private final Set<Frontier.Pair> inFlight = new HashSet<>();
    private final Map<Frontier.Pair, Outcome> outcomes = new HashMap<>();
    private final List<Future<Void>> loops = new ArrayList<>();
    /** Pairs withdrawn while a lane made them: their outcomes are dropped. */
    private final Set<Frontier.Pair> discarded = new HashSet<>();
    /** The pairs of {@link #pending}, to look them up. */
    private final Set<Frontier.Pair> pendingSet = new HashSet<>();
    /** A move's time on the lanes, a running average; 0 until one is known. */
    private long moveNanos;
    /** Set by {@link #pick}: when a lane that found nothing to take should look again. */
    private long wake;
    private int busy;
    private boolean stopping;
    private RuntimeException failure;

    private WorkerLanes(Exploration ex, List<Lane> lanes, ExecutorService pool) {
        this.ex = ex;
        this.lanes = lanes;
        this.pool = pool;
    }

    /**
     * Readies every worker: the first (the explorer's manager, standing in {@code root} with
     * {@code first}'s URL) at once, the others by running the start journey on each, at once.
     *
     * @throws ExplorationException naming the worker whose start failed or differs (everything undone)
     */
    static WorkerLanes start(Exploration ex, Workers workers, String prefix, Node root, Client first) {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers.size(), r -> {
            Thread t = new Thread(r, "venomqa-explore-worker-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<StateManager> managers = workers.stateManagers();
        List<String> urls = workers.baseUrls();
        List<Lane> lanes = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) {
            Client c = i == 0 ? first : ex.client().withBaseUrl(urls.get(i));
            lanes.add(new Lane(ex, i + 1, c, managers.get(i), prefix + "w" + (i + 1) + "-"));
        }
        WorkerLanes made = new WorkerLanes(ex, lanes, pool);
        try {
            lanes.get(0).startAt(root);
            List<Future<Void>> starts = new ArrayList<>();
            for (Lane l : lanes.subList(1, lanes.size())) {
                starts.add(pool.submit(() -> {
                    l.startAlongside(root);
                    return null;
                }));
            }
            awaitStarts(starts);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            made.close();
            throw new ExplorationException("The exploration '" + ex.name() + "' was interrupted while its workers ran the "
                    + "start journey; their databases were put back as found.", e);
        } catch (RuntimeException e) {
            made.close();
            throw e;
        }
        return made;
    }

    /** Waits for every lane's start; the first failure is thrown once all have ended. */
    private static void awaitStarts(List<Future<Void>> starts) throws InterruptedException {
        RuntimeException failure = null;
        for (Future<Void> f : starts) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r
                            : new ExplorationException("A worker failed: " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                starts.forEach(r -> r.cancel(true));
                throw e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    int size() {
        return lanes.size();
    }

    /** Moves replayed by all lanes to reach the states of their pairs. */
    int replayedMoves() {
        return lanes.stream().mapToInt(l -> l.replayed).sum();
    }

    /**
     * Hands {@code p} to the lanes, after the pairs offered before it; which lane makes it, and when,
     * is {@link #pick}'s choice. Pairs are made in any order and at once; the caller takes their
     * outcomes in its own order with {@link #outcome}.
     */
    void offer(Frontier.Pair p) {
        synchronized (lock) {
            if (!pendingSet.contains(p) && !outcomes.containsKey(p) && !inFlight.contains(p)) {
                pending.add(p);
                pendingSet.add(p);
                lock.notifyAll();
            }
        }
    }

    /**
     * Waits for what {@code p} did, offering it ahead of every pending pair if it was not offered. The
     * outcome is handed out once.
     *
     * @throws ExplorationException naming the worker that failed and why, once every lane has finished
     *                              the pair it was making
     */
    Outcome outcome(Frontier.Pair p) throws InterruptedException {
        synchronized (lock) {
            ensureLanesRunning();
            if (!outcomes.containsKey(p) && !inFlight.contains(p)) {
                pending.remove(p);
                pending.add(0, p);
                pendingSet.add(p);
                lock.notifyAll();
            }
            while (!outcomes.containsKey(p) && failure == null) {
                lock.wait();
            }
            if (failure != null) {
                stopping = true;
                lock.notifyAll();
                while (busy > 0) {
                    lock.wait();
                }
                throw failure;
            }
            return outcomes.remove(p);
        }
    }

    /** Forgets {@code p}: takes it back from the lanes if none has started it, drops its outcome when it comes. */
    void withdraw(Frontier.Pair p) {
        synchronized (lock) {
            pending.remove(p);
            pendingSet.remove(p);
            outcomes.remove(p);
            if (inFlight.contains(p)) {
                discarded.add(p);
            }
        }
    }

    /** Starts one loop per lane on the pool, once: each takes pairs until the lanes stop. */
    private void ensureLanesRunning() {
        if (loops.isEmpty()) {
            for (Lane l : lanes) {
                loops.add(pool.submit(() -> {
                    laneLoop(l);
                    return null;
                }));
            }
        }
    }

    private void laneLoop(Lane l) throws InterruptedException {
        while (true) {
            Frontier.Pair p;
            synchronized (lock) {
                while (true) {
                    if (stopping) {
                        return;
                    }
                    long now = System.nanoTime();
                    p = pick(l, now);
                    if (p != null) {
                        break;
                    }
                    if (wake == Long.MAX_VALUE) {
                        lock.wait();
                    } else {
                        TimeUnit.NANOSECONDS.timedWait(lock, Math.max(1, wake - now));
                    }
                }
                pending.remove(p);
                pendingSet.remove(p);
                inFlight.add(p);
                busy++;
                l.busyUntil = System.nanoTime() + (l.cost(p.node()) + 1L) * Math.max(moveNanos, 1);
            }
            Outcome o = null;
            RuntimeException failed = null;
            try {
                o = l.make(p);
            } catch (RuntimeException e) {
                failed = e;
            } catch (Error e) {
                failed = new ExplorationException(l.who() + " failed: " + e, e);
                throw e;
            } finally {
                synchronized (lock) {
                    inFlight.remove(p);
                    busy--;
                    l.busyUntil = 0;
                    boolean dropped = discarded.remove(p);
                    if (o != null) {
                        if (!dropped) {
                            outcomes.put(p, o);
                        }
                        if (o.step() != null) {
                            long took = l.lastMoveNanos;
                            moveNanos = moveNanos == 0 ? took : (moveNanos * 7 + took) / 8;
                        }
                    } else if (failure == null) {
                        // an interrupted move (the pool shut down) leaves no failure of the worker's own
                        failure = failed != null ? failed : new ExplorationException(l.who() + " was interrupted.");
                    }
                    if (o == null) {
                        stopping = true;
                    }
                    lock.notifyAll();
                }
            }
        }
    }

    /**
     * The pair lane {@code l} makes next, under the lock, or null with {@link #wake} set to when to look
     * again. Among the first {@value #WINDOW} pending (a pair far ahead of the caller's order would only
     * wait there): a pair of the state the lane stands in, else of a state it holds a checkpoint of, the
     * earliest; else the earliest it would finish before any other lane could, by the lanes' estimated
     * free times, what each holds ahead of it, and the moves each must replay to reach its state. A
     * replay costs API calls: a lane that holds the state and is about to be free is often the better
     * choice, and the pair the caller waits for holds up every later one.
     */
    private Frontier.Pair pick(Lane l, long now) {
        wake = Long.MAX_VALUE;
        Frontier.Pair held = null;
        int n = Math.min(pending.size(), WINDOW);
        int[] mine = new int[n];
        for (int i = 0; i < n; i++) {
            Frontier.Pair p = pending.get(i);
            int c = l.cost(p.node());
            mine[i] = c;
            if (c < 0) {
                return p;
            }
            if (c == 0 && held == null) {
                held = p;
            }
        }
        if (held != null) {
            return held;
        }
        long mv = Math.max(moveNanos, 1);
        int[] ahead = new int[lanes.size()];
        for (int i = 0; i < n; i++) {
            Frontier.Pair p = pending.get(i);
            long done = now + (mine[i] + 1L) * mv;
            boolean first = true;
            for (Lane h : lanes) {
                if (h == l) {
                    continue;
                }
                int c = h.cost(p.node());
                long free = freeAt(h, now, mv);
                if (free + (ahead[h.number - 1] + c + 1L) * mv < done) {
                    first = false;
                    wake = Math.min(wake, Math.max(free, now + mv / 4));
                }
                if (c <= 0) {
                    ahead[h.number - 1]++;
                }
            }
            if (first) {
                return p;
            }
        }
        return null;
    }

    /**
     * When lane {@code h} is expected to be free: now when it waits for work, else when its pair should
     * end, and a lane past that is expected to take as long again as it has overrun (so a hung move
     * does not hold the pairs of its state forever).
     */
    private static long freeAt(Lane h, long now, long mv) {
        if (h.busyUntil == 0) {
            return now;
        }
        return h.busyUntil > now ? h.busyUntil : now + (now - h.busyUntil) + mv;
    }

    /**
     * Stops the lanes and puts their databases back: the first to the start state (the explorer goes
     * on there: shrinking), the others to where they were found. Failures are logged: the caller's
     * own outcome, or failure, is what the run reports.
     */
    @Override
    public void close() {
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
        }
        // A move under way is let finish (or, when this thread was interrupted, interrupted) and waited
        // for: its write must not land in a database already put back, nor its manager be used twice at once.
        pool.shutdown();
        boolean interrupted = Thread.interrupted();
        if (!interrupted) {
            try {
                pool.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (!pool.isTerminated()) {
            pool.shutdownNow();
            try {
                if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("A worker of exploration '{}' did not stop; its database is put back regardless.", ex.name());
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (Lane l : lanes) {
            l.close();
        }
    }

    /** A checkpoint a lane took after one of its moves, and the context after that move. */
    record Reached(String checkpoint, ContextSnapshot context, Client.CookieSnapshot cookies) {
    }

    /** One worker. Used by one thread at a time; package-private for its tests. */
    static final class Lane {
        private final Exploration ex;
        private final int number;
        private final Client client;
        private final StateManager m;
        private final String names;
        private final MoveRunner runner;
        private final ExecutionContext ctx = new ExecutionContext();
        private final Probe probe;
        /** Taken before the start journey on lanes other than the first: rolled back to at close. */
        private String origin;
        /** The start state's checkpoint. */
        private String base;
        private ContextSnapshot startContext;
        private Client.CookieSnapshot startCookies;
        /** States whose checkpoints this lane holds above {@link #base}, in path order, with their names and contexts. */
        private final List<Node> stack = new ArrayList<>();
        private final Map<Node, String> checkpoints = new ConcurrentHashMap<>();
        private final Map<Node, ContextSnapshot> contexts = new HashMap<>();
        /** The lane's client's cookies with each state of {@link #contexts} (a session is part of where the API is). */
        private final Map<Node, Client.CookieSnapshot> cookieJars = new HashMap<>();
        /**
         * With a checkpoint tree: the state each move of this lane reached, by (state, move) pair, with the
         * context after it, restorable directly: the state that pair found, when it found one.
         */
        private final CheckpointTree tree;
        private final Map<Frontier.Pair, String> reachedBy = new ConcurrentHashMap<>();
        private final Map<Frontier.Pair, ContextSnapshot> contextAfter = new HashMap<>();
        private final Map<Frontier.Pair, Client.CookieSnapshot> cookiesAfter = new HashMap<>();
        /**
         * With a checkpoint tree: the checkpoints taken after this lane's moves, by the fingerprint of the
         * state each reached, with the context after the move. A state found by one path is often reached
         * again by another (one move made in another order): such a checkpoint stands for the state when
         * its context is the same as the state's to the moves ({@link #standIn}).
         */
        private final Map<String, List<Reached>> reachedStates = new ConcurrentHashMap<>();
        /** Per state, the checkpoint of {@link #reachedStates} found to stand for it, and how many were looked at. */
        private final Map<Node, Reached> standIns = new ConcurrentHashMap<>();
        private final Map<Node, Integer> standInsExamined = new ConcurrentHashMap<>();
        private int made;
        int replayed;
        /** How long this lane's last move took, its checks included. */
        long lastMoveNanos;
        /** When the pair this lane makes should end (System.nanoTime()); 0 while it waits for work. Under the lanes' lock. */
        long busyUntil;
        /** The state this lane stands in, with the context of it; null while unknown (between moves, after a failure). */
        private volatile Node here;
        /** The states on {@link #stack}, readable by the other lanes' threads when they pick work. */
        private final Set<Node> stacked = ConcurrentHashMap.newKeySet();

        Lane(Exploration ex, int number, Client client, StateManager m, String names) {
            this.ex = ex;
            this.number = number;
            this.client = client;
            this.m = m;
            this.names = names;
            this.runner = new MoveRunner(client, ex.limits().moveTimeout(), m);
            this.probe = new Probe(ex, client, m, runner, ctx);
            this.tree = m.checkpointTree().orElse(null);
        }

        /** Whether this lane can restore {@code node} from its tree (it made the move that found it, or {@link #standIn}). */
        boolean holds(Node node) {
            return tree != null && node.parent != null
                    && (reachedBy.containsKey(new Frontier.Pair(node.parent, node.via)) || standIn(node) != null);
        }

        /**
         * A checkpoint this lane took after a move of another path than {@code node}'s that reached
         * {@code node}'s state with a context the same as {@code node}'s to the moves ({@link SameContext}),
         * or null. Restoring it saves replaying the state's path. The serial run takes the two for one
         * state too: a move that reaches a state seen before gets the state's first context back, and the
         * next move from that state, if it comes next, is made from the database that move left
         * ({@code Explorer.record}). Called by every lane's thread (under the lanes' lock) and by this
         * lane's own: the answer for a given list of checkpoints is the same on each, so a race only
         * repeats the comparison.
         */
        Reached standIn(Node node) {
            Reached known = standIns.get(node);
            if (known != null || node.snapshot == null) {
                return known;
            }
            List<Reached> same = reachedStates.get(node.fingerprint);
            if (same == null) {
                return null;
            }
            int upTo = same.size(); // this lane's thread may add to the list meanwhile
            for (int i = standInsExamined.getOrDefault(node, 0); i < upTo; i++) {
                Reached r = same.get(i);
                if (SameContext.test(r.context(), node.snapshot)) {
                    standIns.put(node, r);
                    return r;
                }
            }
            standInsExamined.put(node, upTo);
            return null;
        }

        /** Returns to a checkpoint of this lane: from the tree when there is one (its checkpoints are not a stack). */
        private void back(String name) {
            if (tree != null) {
                tree.restore(name);
            } else {
                m.rollback(name);
            }
        }

        String who() {
            return "Worker " + number + " (" + CredentialMasker.maskUrl(client.baseUrl()) + ")";
        }

        /** The first lane: its manager stands in the start state already. */
        void startAt(Node root) {
            base = nextName();
            m.checkpoint(base);
            startContext = root.snapshot;
            startCookies = root.cookies;
            restore(startContext, startCookies);
            here = root;
        }

        /** Another lane: runs the start journey and checks that it reaches the first lane's start state. */
        void startAlongside(Node root) throws InterruptedException {
            String mark = nextName();
            m.checkpoint(mark);
            origin = mark;
            ctx.restore(ex.context().map(ExecutionContext::copy).orElseGet(ExecutionContext::new).snapshot());
            client.clearCookies();
            try {
                Explorer.runStartJourney(ex, runner, ctx);
            } catch (ExplorationException e) {
                throw new ExplorationException(who() + ": " + e.getMessage(), e);
            }
            String fp;
            try (GuardedDb db = new GuardedDb(m)) {
                fp = Canonical.fingerprint(probe.capture(new Obs(client, ctx, null, null, db, m, 0), "the start state"));
            }
            if (!fp.equals(root.fingerprint)) {
                throw new ExplorationException(who() + " starts in another state than worker 1: the projection ("
                        + ex.projection().describe() + ") differs after the start. States are compared across workers, so "
                        + "the projection must leave out values that differ from run to run (a random session token, a "
                        + "time): choose one over what the moves change, e.g. StateProjection.sql(\"select * from orders "
                        + "order by id\"). Otherwise the workers' databases differ: give every worker a copy of the same "
                        + "database (Workers.copies makes them).");
            }
            base = nextName();
            m.checkpoint(base);
            startContext = ctx.snapshot();
            startCookies = client.cookies();
            here = root;
        }

        /**
         * Makes one pair: reaches its state (nothing to do when the lane stands there already), makes
         * the move, and returns to the state.
         */
        Outcome make(Frontier.Pair p) throws InterruptedException {
            Node at = p.node();
            if (here != at) {
                here = null;
                Warning unreachable;
                try {
                    unreachable = reach(at);
                } catch (RuntimeException e) {
                    throw failed("while returning to state " + at.id(), e);
                }
                if (unreachable != null) {
                    return new Outcome(null, unreachable);
                }
            }
            here = null;
            int depth = at.depth() + 1;
            Probe.Step s;
            try {
                long began = System.nanoTime();
                s = probe.step(p.move(), depth, depth < ex.limits().maxDepth());
                lastMoveNanos = System.nanoTime() - began;
                if (tree != null) {
                    String name = nextName();
                    m.checkpoint(name);
                    reachedBy.put(p, name);
                    contextAfter.put(p, s.after());
                    cookiesAfter.put(p, s.cookiesAfter());
                    reachedStates.computeIfAbsent(s.fingerprint(), k -> new CopyOnWriteArrayList<>())
                            .add(new Reached(name, s.after(), s.cookiesAfter()));
                }
                back(at.parent == null ? base : checkpoints.get(at));
            } catch (RuntimeException e) {
                throw failed("after move '" + ex.moves().get(p.move()).name() + "' from state " + at.id(), e);
            }
            if (s.run().outcome() == io.venomqa.explore.Outcome.ERROR && !answers()) {
                throw new ExplorationException(who() + " stopped answering: move '" + ex.moves().get(p.move()).name()
                        + "' from state " + at.id() + " failed with " + s.run().error() + ", and nothing listens at its "
                        + "address any more. The exploration stopped: a dead worker would turn every later move into a "
                        + "false violation. Its database was put back; closing the workers drops the copies.");
            }
            if (at.parent == null) {
                restore(startContext, startCookies);
            } else {
                restore(contexts.get(at), cookieJars.get(at));
            }
            here = at;
            return new Outcome(s, null);
        }

        /**
         * How many moves this lane would replay to stand in {@code node}: -1 when it stands there, else
         * the moves from the deepest state on the path it holds a checkpoint of (the start's always).
         * Read by every lane's thread when it picks work (under the lanes' lock): what it reads may be
         * a move behind, which only makes a pick less good.
         */
        int cost(Node node) {
            if (node == here) {
                return -1;
            }
            int d = 0;
            for (Node n = node; n.parent != null; n = n.parent, d++) {
                boolean held = tree != null ? checkpoints.containsKey(n) || holds(n) : checkpoints.containsKey(n) && stacked.contains(n);
                if (held) {
                    break;
                }
            }
            return d;
        }

        /** Brings this lane to {@code target}; a warning when a replayed move reached another state than before. */
        private Warning reach(Node target) throws InterruptedException {
            if (tree != null) {
                return reachFromTree(target);
            }
            List<Node> chain = target.chain();
            int keep = -1;
            for (int i = stack.size() - 1; i >= 0 && keep < 0; i--) {
                if (chain.contains(stack.get(i))) {
                    keep = i;
                }
            }
            stack.subList(keep + 1, stack.size()).forEach(stacked::remove);
            stack.subList(keep + 1, stack.size()).clear();
            Node from = keep < 0 ? chain.get(0) : stack.get(keep);
            m.rollback(keep < 0 ? base : checkpoints.get(from));
            if (keep < 0) {
                restore(startContext, startCookies);
            } else {
                restore(contexts.get(from), cookieJars.get(from));
            }
            return replay(chain, chain.indexOf(from) + 1, true);
        }

        /**
         * Replays the moves to {@code chain}'s states from index {@code k} on, checking each state reached
         * and taking a checkpoint there; a warning when one differs from the state reached before.
         */
        private Warning replay(List<Node> chain, int k, boolean onStack) throws InterruptedException {
            Node target = chain.get(chain.size() - 1);
            for (; k < chain.size(); k++) {
                Node next = chain.get(k);
                String fp = probe.replay(next.via, k);
                replayed++;
                if (!fp.equals(next.fingerprint)) {
                    return new Warning("replaying the path to " + target.id() + " reached another state than " + next.id()
                            + " after '" + ex.moves().get(next.via).name() + "' (worker " + number + ")",
                            "the API or the projection is not deterministic for the same moves; leave volatile values "
                                    + "(ids, times) out of the projection");
                }
                // Unique names: a rolled-back checkpoint may linger in a manager's tree.
                String name = nextName();
                m.checkpoint(name);
                if (onStack) {
                    stack.add(next);
                    stacked.add(next);
                }
                checkpoints.put(next, name);
                contexts.put(next, ctx.snapshot());
                cookieJars.put(next, client.cookies());
            }
            return null;
        }

        /**
         * With a checkpoint tree: restores the deepest state on the path to {@code target} that this lane
         * holds (reached before, or found by one of its moves), and replays the rest.
         */
        private Warning reachFromTree(Node target) throws InterruptedException {
            List<Node> chain = target.chain();
            int from = 0;
            for (int k = chain.size() - 1; k > 0 && from == 0; k--) {
                Node n = chain.get(k);
                if (!checkpoints.containsKey(n) && holds(n)) {
                    Frontier.Pair found = new Frontier.Pair(n.parent, n.via);
                    Reached other = reachedBy.containsKey(found) ? null : standIn(n);
                    checkpoints.put(n, other == null ? reachedBy.get(found) : other.checkpoint());
                    contexts.put(n, other == null ? contextAfter.get(found) : other.context());
                    cookieJars.put(n, other == null ? cookiesAfter.get(found) : other.cookies());
                }
                if (checkpoints.containsKey(n)) {
                    from = k;
                }
            }
            Node start = chain.get(from);
            tree.restore(from == 0 ? base : checkpoints.get(start));
            if (from == 0) {
                restore(startContext, startCookies);
            } else {
                restore(contexts.get(start), cookieJars.get(start));
            }
            return replay(chain, from + 1, false);
        }

        /** Puts back a state's context and this lane's client's cookies with it. */
        private void restore(ContextSnapshot context, Client.CookieSnapshot cookies) {
            ctx.restore(context);
            if (cookies != null) {
                client.restoreCookies(cookies);
            }
        }

        private String nextName() {
            return names + (++made);
        }

        private ExplorationException failed(String when, RuntimeException e) {
            if (e instanceof ExplorationException x) {
                return new ExplorationException(who() + " " + when + ": " + x.getMessage(), x);
            }
            return new ExplorationException(who() + " failed " + when + ": " + CredentialMasker.maskText(String.valueOf(e))
                    + ". The exploration stopped; its database was put back as far as it allows, and closing the workers "
                    + "drops the copies.", e);
        }

        /** Whether anything still accepts connections at this lane's address. */
        private boolean answers() {
            try {
                URI u = URI.create(client.baseUrl());
                int port = u.getPort() >= 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(u.getHost(), port), 2_000);
                    return true;
                }
            } catch (Exception e) {
                return false;
            }
        }

        /** Puts the database back and stops the move runner; failures are logged. */
        void close() {
            runner.close();
            String to = origin != null ? origin : base;
            if (to == null) {
                return;
            }
            try {
                m.rollback(to);
                m.release(to);
            } catch (RuntimeException e) {
                LOG.warn("{} could not put its database back after the exploration: {}", who(),
                        CredentialMasker.maskText(String.valueOf(e.getMessage())));
            }
        }
    }
}
