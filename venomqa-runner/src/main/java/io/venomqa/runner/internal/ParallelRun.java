package io.venomqa.runner.internal;

import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Client;
import io.venomqa.journey.Branch;
import io.venomqa.journey.Journey;
import io.venomqa.journey.JourneyNode;
import io.venomqa.runner.JourneyListener;
import io.venomqa.runner.KeepResponses;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.ReadRequestWrites;
import io.venomqa.core.CredentialMasker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One journey on several workers. Top-level path {@code k} (paths of the main line's branches,
 * numbered across them in declared order) runs on lane {@code k mod lanes}; every lane runs the whole
 * main line on its own worker, which brings its database to each branch's checkpoint by replay, and
 * leaves the other lanes' paths out. Then the results are merged ({@link ResultMerge}) and the
 * listeners hear the events in serial order ({@link EventReplay}). Each lane takes a checkpoint on
 * its worker before the journey and rolls back to it after, so every journey starts from the state
 * the worker had when it was made. Not API.
 */
public final class ParallelRun {

    /** The checkpoint that isolates one journey on a worker; no journey checkpoint has this name (theirs have a '/'). */
    static final String JOURNEY_MARK = "venomqa.worker.journey";

    private static final AtomicInteger RUNS = new AtomicInteger();

    private final List<Worker> workers;
    private final Client template;
    private final Duration defaultStepTimeout;
    private final ExecutorService stepExecutor;
    private final List<JourneyListener> listeners;
    private final AtomicBoolean noStateWarningGiven;
    private final ReadRequestWrites readRequestWrites;
    private final Set<String> readWriteTables;
    private final boolean failFast;
    private final KeepResponses keepResponses;

    /** With {@code failFast} the journey runs on the first worker alone: stopping at the first failure is serial by nature. */
    public ParallelRun(List<Worker> workers, boolean failFast, Client template, Duration defaultStepTimeout, ExecutorService stepExecutor,
                       List<JourneyListener> listeners, AtomicBoolean noStateWarningGiven,
                       ReadRequestWrites readRequestWrites, Set<String> readWriteTables, KeepResponses keepResponses) {
        this.workers = failFast ? List.of(workers.get(0)) : List.copyOf(workers);
        this.failFast = failFast;
        this.template = template;
        this.defaultStepTimeout = defaultStepTimeout;
        this.stepExecutor = stepExecutor;
        this.listeners = List.copyOf(listeners);
        this.noStateWarningGiven = noStateWarningGiven;
        this.readRequestWrites = readRequestWrites;
        this.readWriteTables = readWriteTables;
        this.keepResponses = keepResponses;
    }

    /** How many lanes a journey uses: no more than its top-level paths (a lane without a path would only replay). */
    static int laneCount(Journey journey, int workers) {
        int paths = 0;
        for (JourneyNode n : journey.nodes()) {
            if (n instanceof Branch b) {
                paths += b.paths().size();
            }
        }
        return Math.max(1, Math.min(workers, paths));
    }

    public JourneyResult run(Journey journey, ExecutionContext context) {
        long t0 = System.nanoTime();
        int lanes = laneCount(journey, workers.size());
        int run = RUNS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(lanes, r -> {
            Thread t = new Thread(r, "venomqa-worker-" + run + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<Future<LaneOutcome>> futures = new ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
            int me = lane;
            ExecutionContext own = lane == 0 ? context : copyOf(context);
            futures.add(pool.submit(() -> runLane(journey, workers.get(me), own, me, lanes)));
        }
        List<LaneOutcome> outcomes = collect(futures, pool);
        pool.shutdown();
        ResultMerge merge = new ResultMerge(journey, outcomes);
        JourneyResult merged = merge.merge(Duration.ofNanos(System.nanoTime() - t0));
        EventReplay.replay(journey, outcomes, merge, merged, new RunOutput(template, listeners, noStateWarningGiven));
        return merged;
    }

    private LaneOutcome runLane(Journey journey, Worker worker, ExecutionContext context, int lane, int lanes) {
        List<String> notes = new ArrayList<>();
        boolean marked = false;
        try {
            worker.state().checkpoint(JOURNEY_MARK);
            marked = true;
        } catch (RuntimeException e) {
            notes.add("could not take the checkpoint that isolates this journey: " + CredentialMasker.maskText(e.getMessage()));
        }
        EventRecorder events = new EventRecorder(journey);
        Client client = template.withBaseUrl(worker.baseUrl());
        JourneyResult result = new JourneyExecution(journey, client, worker.state(), failFast, defaultStepTimeout, stepExecutor,
                List.of(events), noStateWarningGiven, context)
                .readRequestWrites(readRequestWrites, readWriteTables)
                .keepResponses(keepResponses)
                .onlyTopLevelPaths(i -> ResultMerge.laneOf(i, lanes) == lane)
                .run();
        if (marked) {
            try {
                worker.state().rollback(JOURNEY_MARK);
                worker.state().release(JOURNEY_MARK);
            } catch (RuntimeException e) {
                notes.add("could not put its database back after this journey (later journeys on it start from what"
                        + " this one left): " + CredentialMasker.maskText(e.getMessage()));
            }
        }
        return new LaneOutcome(worker, result, events, notes);
    }

    /** Waits for every lane; an interrupt interrupts the lanes (they stop as a serial run does) and is kept. */
    private static List<LaneOutcome> collect(List<Future<LaneOutcome>> futures, ExecutorService pool) {
        List<LaneOutcome> out = new ArrayList<>();
        boolean interrupted = false;
        for (Future<LaneOutcome> f : futures) {
            while (true) {
                try {
                    out.add(f.get());
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    pool.shutdownNow();
                } catch (ExecutionException e) {
                    // A lane only throws on a VenomQA bug: the journey's own failures are results.
                    pool.shutdownNow();
                    throw new IllegalStateException("A worker lane failed unexpectedly: " + e.getCause(), e.getCause());
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    private static ExecutionContext copyOf(ExecutionContext context) {
        ExecutionContext copy = new ExecutionContext();
        copy.restore(context.snapshot());
        return copy;
    }
}
