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
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The workers of a breadth-first exploration, one lane per worker, each with its own client, state
 * manager, context and move runner. {@link #run} makes a batch of (state, move) pairs on the lanes at
 * once and hands back what each did; it records nothing (the explorer does, in the serial order).
 *
 * <p>A lane reaches a pair's state on its own database: it rolls back to the deepest checkpoint it
 * holds on that state's path from the start (the start state's when none) and replays the moves from
 * there, checking that each replayed move reaches the state it reached before; every state passed
 * gets a checkpoint of the lane's, so pairs of one state, and of states sharing a path, cost one
 * replay. After each move the lane rolls back to the pair's state. Lanes other than the first run the
 * start journey themselves and must reach the first lane's start state. The first lane is the
 * explorer's own manager; {@link #close()} puts every lane's database back (the first to the start
 * state, the others to where they were found). Not API.
 */
final class WorkerLanes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerLanes.class);

    /** What one pair gave: the step, or (step null) why its state could not be reached again. */
    record Outcome(Probe.Step step, Warning unreachable) {
    }

    private final Exploration ex;
    private final List<Lane> lanes;
    private final ExecutorService pool;

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
            made.await(starts, new AtomicBoolean());
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

    int size() {
        return lanes.size();
    }

    /** Moves replayed by all lanes to reach the states of their pairs. */
    int replayedMoves() {
        return lanes.stream().mapToInt(l -> l.replayed).sum();
    }

    /**
     * Makes every pair once, on whichever lane is free: a state's pairs stay together (one replay),
     * split in as many parts as it takes for every lane to get work when a level has fewer states
     * than lanes.
     *
     * @throws ExplorationException naming the worker that failed and why (the other lanes finish their
     *                              current state first)
     */
    Map<Frontier.Pair, Outcome> run(List<Frontier.Pair> pairs) throws InterruptedException {
        Map<Frontier.Pair, Outcome> out = new ConcurrentHashMap<>();
        if (pairs.isEmpty()) {
            return out;
        }
        // A state a lane holds in its checkpoint tree (it made the move that found it) goes to that lane
        // first: it restores the state instead of replaying its path. The others take any lane's work.
        List<Queue<List<Frontier.Pair>>> queues = new ArrayList<>();
        lanes.forEach(l -> queues.add(new ConcurrentLinkedQueue<>()));
        Queue<List<Frontier.Pair>> anyLane = new ConcurrentLinkedQueue<>();
        List<List<Frontier.Pair>> tasks = tasks(pairs);
        for (List<Frontier.Pair> task : tasks) {
            Lane holder = lanes.stream().filter(l -> l.holds(task.get(0).node())).findFirst().orElse(null);
            (holder == null ? anyLane : queues.get(holder.number - 1)).add(task);
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<Void>> running = new ArrayList<>();
        for (Lane l : lanes.subList(0, Math.min(lanes.size(), tasks.size()))) {
            running.add(pool.submit(() -> {
                for (List<Frontier.Pair> task = next(l, queues, anyLane); task != null && !stop.get(); task = next(l, queues, anyLane)) {
                    l.make(task, out);
                }
                return null;
            }));
        }
        await(running, stop);
        return out;
    }

    /** The lane's own next task, else one for any lane, else one of another lane's. */
    private static List<Frontier.Pair> next(Lane l, List<Queue<List<Frontier.Pair>>> queues, Queue<List<Frontier.Pair>> anyLane) {
        List<Frontier.Pair> t = queues.get(l.number - 1).poll();
        if (t == null) {
            t = anyLane.poll();
        }
        for (int i = 0; t == null && i < queues.size(); i++) {
            t = queues.get(i).poll();
        }
        return t;
    }

    /** Consecutive pairs of one state, in order; a state's run split in equal parts when there are fewer states than lanes. */
    private List<List<Frontier.Pair>> tasks(List<Frontier.Pair> pairs) {
        List<List<Frontier.Pair>> byState = new ArrayList<>();
        for (Frontier.Pair p : pairs) {
            if (byState.isEmpty() || byState.get(byState.size() - 1).get(0).node() != p.node()) {
                byState.add(new ArrayList<>());
            }
            byState.get(byState.size() - 1).add(p);
        }
        int parts = Math.max(1, (lanes.size() + byState.size() - 1) / byState.size());
        List<List<Frontier.Pair>> out = new ArrayList<>();
        for (List<Frontier.Pair> run : byState) {
            int n = Math.min(parts, run.size());
            for (int i = 0; i < n; i++) {
                out.add(run.subList(i * run.size() / n, (i + 1) * run.size() / n));
            }
        }
        return out;
    }

    /** Waits for every lane; the first failure stops the others at their next task and is thrown once all have ended. */
    private void await(List<Future<Void>> running, AtomicBoolean stop) throws InterruptedException {
        RuntimeException failure = null;
        for (Future<Void> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                stop.set(true);
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r
                            : new ExplorationException("A worker failed: " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                stop.set(true);
                running.forEach(r -> r.cancel(true));
                throw e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Stops the lanes and puts their databases back: the first to the start state (the explorer goes
     * on there: shrinking), the others to where they were found. Failures are logged: the caller's
     * own outcome, or failure, is what the run reports.
     */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("A worker of exploration '{}' did not stop within 30 s; its database is put back regardless.", ex.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Lane l : lanes) {
            l.close();
        }
    }

    /** One worker. Used by one thread at a time. */
    private static final class Lane {
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
        /** States whose checkpoints this lane holds above {@link #base}, in path order, with their names and contexts. */
        private final List<Node> stack = new ArrayList<>();
        private final Map<Node, String> checkpoints = new HashMap<>();
        private final Map<Node, ContextSnapshot> contexts = new HashMap<>();
        /**
         * With a checkpoint tree: the state each move of this lane reached, by (state, move) pair, with the
         * context after it, restorable directly: the state that pair found, when it found one.
         */
        private final CheckpointTree tree;
        private final Map<Frontier.Pair, String> reachedBy = new ConcurrentHashMap<>();
        private final Map<Frontier.Pair, ContextSnapshot> contextAfter = new HashMap<>();
        private int made;
        int replayed;

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

        /** Whether this lane can restore {@code node} from its tree (it made the move that found it). */
        boolean holds(Node node) {
            return tree != null && node.parent != null && reachedBy.containsKey(new Frontier.Pair(node.parent, node.via));
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
            ctx.restore(startContext);
        }

        /** Another lane: runs the start journey and checks that it reaches the first lane's start state. */
        void startAlongside(Node root) throws InterruptedException {
            String mark = nextName();
            m.checkpoint(mark);
            origin = mark;
            ctx.restore(ex.context().map(ExecutionContext::copy).orElseGet(ExecutionContext::new).snapshot());
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
        }

        /** Makes one state's pairs: reaches the state, then each move, back to the state after each. */
        void make(List<Frontier.Pair> task, Map<Frontier.Pair, Outcome> out) throws InterruptedException {
            Node at = task.get(0).node();
            Warning unreachable;
            try {
                unreachable = reach(at);
            } catch (RuntimeException e) {
                throw failed("while returning to state " + at.id(), e);
            }
            if (unreachable != null) {
                task.forEach(p -> out.put(p, new Outcome(null, unreachable)));
                return;
            }
            int depth = at.depth() + 1;
            for (Frontier.Pair p : task) {
                Probe.Step s;
                try {
                    s = probe.step(p.move(), depth, depth < ex.limits().maxDepth());
                    if (tree != null) {
                        String name = nextName();
                        m.checkpoint(name);
                        reachedBy.put(p, name);
                        contextAfter.put(p, s.after());
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
                ctx.restore(at.parent == null ? startContext : contexts.get(at));
                out.put(p, new Outcome(s, null));
            }
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
            stack.subList(keep + 1, stack.size()).clear();
            Node from = keep < 0 ? chain.get(0) : stack.get(keep);
            m.rollback(keep < 0 ? base : checkpoints.get(from));
            ctx.restore(keep < 0 ? startContext : contexts.get(from));
            for (int k = chain.indexOf(from) + 1; k < chain.size(); k++) {
                Node next = chain.get(k);
                String fp = probe.replay(next.via, k);
                replayed++;
                if (!fp.equals(next.fingerprint)) {
                    m.rollback(keep < 0 ? base : checkpoints.get(from));
                    return new Warning("replaying the path to " + target.id() + " reached another state than " + next.id()
                            + " after '" + ex.moves().get(next.via).name() + "' (worker " + number + ")",
                            "the API or the projection is not deterministic for the same moves; leave volatile values "
                                    + "(ids, times) out of the projection");
                }
                // Unique names: a rolled-back checkpoint may linger in a manager's tree.
                String name = nextName();
                m.checkpoint(name);
                stack.add(next);
                checkpoints.put(next, name);
                contexts.put(next, ctx.snapshot());
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
                    checkpoints.put(n, reachedBy.get(found));
                    contexts.put(n, contextAfter.get(found));
                }
                if (checkpoints.containsKey(n)) {
                    from = k;
                }
            }
            Node start = chain.get(from);
            tree.restore(from == 0 ? base : checkpoints.get(start));
            ctx.restore(from == 0 ? startContext : contexts.get(start));
            for (int k = from + 1; k < chain.size(); k++) {
                Node next = chain.get(k);
                String fp = probe.replay(next.via, k);
                replayed++;
                if (!fp.equals(next.fingerprint)) {
                    return new Warning("replaying the path to " + target.id() + " reached another state than " + next.id()
                            + " after '" + ex.moves().get(next.via).name() + "' (worker " + number + ")",
                            "the API or the projection is not deterministic for the same moves; leave volatile values "
                                    + "(ids, times) out of the projection");
                }
                String name = nextName();
                m.checkpoint(name);
                checkpoints.put(next, name);
                contexts.put(next, ctx.snapshot());
            }
            return null;
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
