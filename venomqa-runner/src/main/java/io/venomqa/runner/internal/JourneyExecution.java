package io.venomqa.runner.internal;

import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Client;
import io.venomqa.journey.Branch;
import io.venomqa.journey.Checkpoint;
import io.venomqa.journey.Journey;
import io.venomqa.journey.JourneyNode;
import io.venomqa.journey.Path;
import io.venomqa.journey.Step;
import io.venomqa.runner.BranchResult;
import io.venomqa.runner.CheckpointResult;
import io.venomqa.runner.JourneyListener;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.KeepResponses;
import io.venomqa.runner.NodeResult;
import io.venomqa.runner.PathResult;
import io.venomqa.runner.ReadRequestWrites;
import io.venomqa.runner.Status;
import io.venomqa.runner.StepResult;
import io.venomqa.state.DbChanges;
import io.venomqa.state.StateManager;
import io.venomqa.state.ShutdownCleanup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of one journey: the semantics documented on {@code JourneyRunner}. Not API; not reusable
 * (make a new one per run). Runs on the calling thread; a step action that has a timeout (its own,
 * the runner's default or what is left of the journey's) runs on the runner's executor instead, so
 * that the timeout can be enforced.
 */
public final class JourneyExecution {

    /** Warning given once per runner when there is no state manager. */
    public static final String NO_STATE_MANAGER_WARNING = "Running without a state manager: checkpoints and branches"
            + " restore the execution context only, the DATABASE IS NOT ROLLED BACK between paths, so a path can see"
            + " what an earlier path wrote. Set db_url (and db_backend) in venomqa.yaml, or pass a StateManager to"
            + " JourneyRunner, to isolate the database too.";

    private final Journey journey;
    private final StateManager stateManager;
    private final boolean failFast;
    private final ExecutionContext context;
    private final RunOutput out;
    private final CheckpointStack checkpoints;
    private final StepAttempts attempts;
    private final SqlChecks sqlChecks;
    private final KeptResponses keptResponses;
    private ChangeWatch changes;
    private ReadRequestWrites readRequestWrites = ReadRequestWrites.WARN;
    private java.util.Set<String> readWriteTables = java.util.Set.of();
    /** Which top-level paths (numbered across the main line's branches, from 0) this execution runs. */
    private java.util.function.IntPredicate ownsTopLevelPath = i -> true;
    /** The number of the next main-line branch's first path, counted whether the branch runs or not. */
    private int nextTopLevelPath;

    private Instant deadline;
    private boolean stopped;
    private String stopReason;
    private String journeyMessage;

    /** The nodes' results; whether one failed; whether one blocked the rest of the scope. */
    private record ScopeRun(List<NodeResult> nodes, boolean failed, boolean blocked) {
    }

    /**
     * The main line's net changes so far, for the journey's {@code expectDb}; and as they were at each
     * main-line checkpoint, since a branch puts the state back there.
     */
    private DbChanges mainLine;
    private final java.util.Map<String, DbChanges> mainLineAt = new java.util.HashMap<>();

    public JourneyExecution(Journey journey, Client client, StateManager stateManager, boolean failFast,
                            Duration defaultStepTimeout, ExecutorService executor, List<JourneyListener> listeners,
                            AtomicBoolean noStateWarningGiven, ExecutionContext context) {
        this.journey = journey;
        this.stateManager = stateManager;
        this.failFast = failFast;
        this.context = context;
        this.out = new RunOutput(client, listeners, noStateWarningGiven);
        this.checkpoints = new CheckpointStack(stateManager, context, client, out);
        this.attempts = new StepAttempts(client, context, executor, defaultStepTimeout, out, new AttemptsState());
        this.sqlChecks = new SqlChecks(stateManager, context, out);
        this.keptResponses = new KeptResponses(context);
    }

    /** What a GET/HEAD/OPTIONS step that wrote rows means ({@code tables} in lower case are allowed). */
    public JourneyExecution readRequestWrites(ReadRequestWrites mode, java.util.Set<String> tables) {
        this.readRequestWrites = mode;
        this.readWriteTables = tables;
        return this;
    }

    /**
     * Runs only the top-level paths that {@code owns} accepts (paths of the main line's branches, numbered
     * across them in declared order from 0); the others get a {@link #NOT_HERE} placeholder result and
     * no events. How a worker runs its share of a journey: the main line runs in full (the replay that
     * brings its database to each branch's checkpoint), the paths of others are left out.
     */
    public JourneyExecution onlyTopLevelPaths(java.util.function.IntPredicate owns) {
        this.ownsTopLevelPath = owns;
        return this;
    }

    /** Message of the placeholder result of a top-level path left to another worker. */
    public static final String NOT_HERE = "Not run: another worker runs this path.";

    /** Which steps keep their bodies in the result (default {@link KeepResponses#ALL}). */
    public JourneyExecution keepResponses(KeepResponses mode) {
        keptResponses.mode(mode);
        return this;
    }

    public JourneyResult run() {
        Instant startedAt = Instant.now();
        long t0 = System.nanoTime();
        deadline = journey.timeout().map(startedAt::plus).orElse(null);
        out.notify(l -> l.journeyStarted(journey));
        boolean connectedHere = false;
        ShutdownCleanup.Registration cleanup = null;
        ScopeRun run;
        Scope root = new Scope(journey.name(), 0);
        if (stateManager != null && !stateManager.isConnected()) {
            try {
                stateManager.connect();
                connectedHere = true;
                cleanup = ShutdownCleanup.register(stateManager, "journey '" + journey.name() + "'");
            } catch (RuntimeException e) {
                journeyMessage = "The state manager could not connect: " + out.mask(e.getMessage());
                stopped = true;
                stopReason = "the state manager could not connect";
            }
        }
        changes = new ChangeWatch(stopped ? null : stateManager, out);
        mainLine = changes.tracking() ? DbChanges.none() : DbChanges.notTracked(changes.notTrackedReason());
        if (stopped) {
            run = new ScopeRun(SkippedResults.all(journey.nodes(), stopReason), true, true);
        } else {
            run = runNodes(journey.nodes(), root);
            journeyChecks(run);
            checkpoints.releaseScope(root);
        }
        keptResponses.releaseLastStep();
        if (stopped && journey.hasDbChecks()) {
            journeyFailed("Journey database checks not run: " + stopReason + ".");
        }
        if (connectedHere) {
            try {
                cleanup.close();
                stateManager.disconnect();
            } catch (RuntimeException e) {
                // The database was not left as the journey found it (a journal whose undo failed):
                // the run must fail, not pass with a warning nobody reads.
                String m = "The state manager could not put the database back when disconnecting: " + out.mask(e.getMessage());
                journeyFailed(m);
            }
        } else if (checkpoints.connectionLost()) {
            // The caller connected the manager and expects it connected afterwards: a dead session would
            // fail every later journey, so open a new one (the lost one's checkpoints are gone anyway).
            try {
                stateManager.disconnect();
                stateManager.connect();
                out.warn("The state manager's connection was lost during this journey; it was reconnected for the next ones.");
            } catch (RuntimeException e) {
                out.warn("The state manager's connection was lost and could not be reopened: " + out.mask(e.getMessage()));
            }
        }
        Status status = run.failed() || journeyMessage != null ? Status.FAILED : Status.PASSED;
        JourneyResult result = new JourneyResult(journey.name(), journey.description(), journey.tags(), status, startedAt,
                Duration.ofNanos(System.nanoTime() - t0), run.nodes(), out.warnings(), journeyMessage, stateManager != null,
                stateManager != null ? stateManager.backendName() : null);
        out.notify(l -> l.journeyFinished(result));
        return result;
    }

    // ---- nodes -------------------------------------------------------------------------------

    private ScopeRun runNodes(List<JourneyNode> nodes, Scope scope) {
        List<NodeResult> results = new ArrayList<>();
        boolean failed = false;
        boolean blocked = false;
        for (JourneyNode node : nodes) {
            int firstTopLevelPath = nextTopLevelPath;
            if (scope.depth == 0 && node instanceof Branch b) {
                nextTopLevelPath += b.paths().size();
            }
            if (!stopped && deadlinePassed()) {
                journeyTimedOut(null);
            }
            if (blocked) {
                results.add(SkippedResults.node(node,
                        "an earlier node of this " + (scope.depth == 0 ? "journey" : "path") + " failed"));
                continue;
            }
            if (stopped) {
                results.add(SkippedResults.node(node, stopReason));
                continue;
            }
            if (node instanceof Step step) {
                StepResult r = runStep(step, scope);
                results.add(keptResponses.kept(r));
                if (scope.depth == 0) {
                    mainLine = mainLine.then(r.changesBefore()).then(r.dbChanges());
                }
                if (r.failed()) {
                    failed = blocked = true;
                    stopIfFailFast("step '" + step.name() + "' failed");
                }
            } else if (node instanceof Checkpoint cp) {
                CheckpointResult r = createCheckpoint(cp, scope);
                results.add(r);
                if (scope.depth == 0) {
                    mainLineAt.put(cp.name(), mainLine);
                }
                if (r.failed()) {
                    failed = blocked = true;
                    stopIfFailFast("checkpoint '" + cp.name() + "' failed");
                }
            } else if (node instanceof Branch branch) {
                BranchResult r = runBranch(branch, scope, firstTopLevelPath);
                results.add(r);
                if (scope.depth == 0) {
                    // The paths' writes, and the main line's since the checkpoint, were undone.
                    mainLine = mainLineAt.getOrDefault(branch.checkpointName(), mainLine);
                }
                if (r.failed()) {
                    failed = true;
                    // A failed path leaves the state put back, so the scope goes on; a failed
                    // restore after the branch does not, the state is unknown.
                    blocked = r.message() != null;
                }
            }
        }
        return new ScopeRun(results, failed, blocked);
    }

    private StepResult runStep(Step step, Scope scope) {
        out.notify(l -> l.stepStarted(step, scope.depth));
        long t0 = System.nanoTime();
        DbChanges changesBefore = changes.stepStarts();
        StepAttempts.Attempt last = attempts.run(step, scope.depth);
        int attempt = last.number;
        DbChanges written = changes.stepEnds();
        java.util.Optional<String> dbFailure = last.journeyTimeout ? java.util.Optional.empty()
                : step.hasDbExpectations() ? step.checkDb(written, changes.knownTables()) : java.util.Optional.empty();
        if (dbFailure.isEmpty() && !last.journeyTimeout) {
            dbFailure = sqlChecks.run(step.sqlChecks());
        }
        if (dbFailure.isPresent()) {
            // A step that passed until its check fails for the check: that comes first, and the call's own outcome
            // ("Failed as expected: …") after it; a step that already failed keeps its reason first.
            last.message = last.message == null ? dbFailure.get() : last.passed ? joined(dbFailure.get(), "the call: " + last.message)
                    : joined(last.message, dbFailure.get());
            last.passed = false;
        }
        String readWrote = ReadWrites.describe(last.exchanges, written, readRequestWrites, readWriteTables);
        if (readWrote != null) {
            if (readRequestWrites == ReadRequestWrites.FAIL && last.passed) {
                last.passed = false;
                last.message = last.message == null ? readWrote : joined(readWrote, "the call: " + last.message);
            } else {
                out.warn("Step '" + step.name() + "': " + readWrote);
            }
        }
        String valueSummary = out.summarize(last.value);
        StepResult result = new StepResult(step.name(), step.description(), last.passed ? Status.PASSED : Status.FAILED,
                step.expectFailure(), attempt, Duration.ofNanos(System.nanoTime() - t0), last.message,
                last.error == null ? null : last.error.getClass().getName(),
                last.error == null ? null : out.stackTrace(last.error), last.exchanges, valueSummary, last.value,
                written, changesBefore);
        context.storeStepResult(step.name(), result);
        keptResponses.stored(step.name());
        out.notify(l -> l.stepFinished(result, scope.depth));
        return result;
    }

    /** Two messages as one, without a sentence's full stop before the separator ("….; …"). */
    static String joined(String first, String second) {
        String a = first.endsWith(".") ? first.substring(0, first.length() - 1) : first;
        return a + "; " + second;
    }

    /**
     * The journey's own database checks, once its main line ran to the end (not when a node blocked it
     * or the run stopped: then the journey fails anyway and the checks would judge a half-run journey).
     * Runs before the root scope's checkpoints are released and before disconnecting, so the SQL checks
     * see the journey's writes.
     */
    private void journeyChecks(ScopeRun run) {
        if (!journey.hasDbChecks() || stopped) {
            return; // a stopped run is reported in run()
        }
        if (run.blocked()) {
            journeyFailed("Journey database checks not run: the main line did not run to its end.");
            return;
        }
        // What was written after the last step (a background job) belongs to the journey too.
        DbChanges net = mainLine.then(changes.stepStarts());
        java.util.Optional<String> failure = journey.checkDb(net, changes.knownTables());
        if (failure.isEmpty()) {
            failure = sqlChecks.run(journey.sqlChecks()).map(m -> "Journey " + m);
        }
        failure.ifPresent(this::journeyFailed);
    }

    private void journeyFailed(String message) {
        journeyMessage = journeyMessage == null ? message : journeyMessage + " " + message;
    }

    private CheckpointResult createCheckpoint(Checkpoint cp, Scope scope) {
        long t0 = System.nanoTime();
        CheckpointResult result;
        try {
            checkpoints.save(cp.name(), scope);
            result = new CheckpointResult(cp.name(), Status.PASSED, stateManager != null,
                    Duration.ofNanos(System.nanoTime() - t0), null);
        } catch (RuntimeException e) {
            result = new CheckpointResult(cp.name(), Status.FAILED, false, Duration.ofNanos(System.nanoTime() - t0),
                    "Could not save the state: " + out.describe(e));
        }
        CheckpointResult r = result;
        out.notify(l -> l.checkpointFinished(cp, r, scope.depth));
        return result;
    }

    private BranchResult runBranch(Branch branch, Scope scope, int firstTopLevelPath) {
        long t0 = System.nanoTime();
        out.notify(l -> l.branchStarted(branch, scope.depth));
        CheckpointStack.Live target = checkpoints.find(branch.checkpointName());
        if (target == null) {
            // Validation makes this unreachable unless the checkpoint itself failed, which blocks the scope first.
            BranchResult r = new BranchResult(branch.checkpointName(), Status.FAILED, Duration.ofNanos(System.nanoTime() - t0),
                    branch.paths().stream().map(p -> SkippedResults.path(p, "checkpoint '" + branch.checkpointName() + "' is not available")).toList(),
                    "Checkpoint '" + branch.checkpointName() + "' is not available.");
            out.notify(l -> l.branchFinished(r, scope.depth));
            return r;
        }
        List<PathResult> paths = new ArrayList<>();
        boolean anyFailed = false;
        String gone = null; // why the checkpoint no longer exists in the state manager (a lost connection)
        int index = firstTopLevelPath - 1;
        for (Path path : branch.paths()) {
            index++;
            if (stopped) {
                paths.add(SkippedResults.path(path, stopReason));
                continue;
            }
            if (scope.depth == 0 && !ownsTopLevelPath.test(index)) {
                paths.add(SkippedResults.notHere(path));
                continue;
            }
            if (gone != null) {
                // Rolling back to a checkpoint the state manager no longer has would only fail again, and say less.
                PathResult skipped = SkippedResults.path(path, gone);
                anyFailed = true;
                paths.add(skipped);
                out.notify(l -> l.pathStarted(path, scope.depth));
                out.notify(l -> l.pathFinished(skipped, scope.depth));
                continue;
            }
            long p0 = System.nanoTime();
            String restoreError = checkpoints.restore(target, scope.depth);
            changes.forget();
            if (restoreError != null && checkpoints.isGone(target)) {
                gone = "checkpoint '" + target.name() + "' is gone: " + restoreError;
            }
            out.notify(l -> l.pathStarted(path, scope.depth));
            PathResult pr;
            if (restoreError != null) {
                pr = new PathResult(path.name(), path.description(), Status.FAILED, Duration.ofNanos(System.nanoTime() - p0),
                        SkippedResults.all(path.nodes(), "the state could not be put back before this path"),
                        "Could not put the state back to checkpoint '" + target.name() + "' before this path: " + restoreError);
                stopIfFailFast("path '" + path.name() + "' could not start");
            } else {
                Scope child = scope.child(path.name());
                ScopeRun run = runNodes(path.nodes(), child);
                checkpoints.releaseScope(child);
                pr = new PathResult(path.name(), path.description(), run.failed() ? Status.FAILED : Status.PASSED,
                        Duration.ofNanos(System.nanoTime() - p0), run.nodes(), null);
            }
            anyFailed |= pr.failed();
            paths.add(pr);
            PathResult finished = pr;
            out.notify(l -> l.pathFinished(finished, scope.depth));
        }
        // Continue from the checkpoint's state, whatever the last path did.
        String after = gone != null ? gone : checkpoints.restore(target, scope.depth);
        changes.forget();
        String message = after == null ? null : "Could not put the state back to checkpoint '" + target.name()
                + "' after the branch: " + after;
        BranchResult r = new BranchResult(branch.checkpointName(), anyFailed || message != null ? Status.FAILED : Status.PASSED,
                Duration.ofNanos(System.nanoTime() - t0), paths, message);
        out.notify(l -> l.branchFinished(r, scope.depth));
        return r;
    }

    // ---- skipping, stopping ------------------------------------------------------------------

    private void stopIfFailFast(String what) {
        if (failFast && !stopped) {
            stop("fail-fast after " + what);
        }
    }

    private void stop(String reason) {
        stopped = true;
        stopReason = reason;
    }

    private boolean deadlinePassed() {
        return deadline != null && !Instant.now().isBefore(deadline);
    }

    private void journeyTimedOut(String stepName) {
        if (journeyMessage == null) {
            journeyMessage = "Journey '" + journey.name() + "' exceeded its timeout of "
                    + RunOutput.format(journey.timeout().orElseThrow()) + (stepName != null ? " during step '" + stepName + "'" : "") + ".";
        }
        stop("the journey's timeout of " + RunOutput.format(journey.timeout().orElseThrow()) + " passed");
    }

    /** Lends {@link StepAttempts} the run's deadline and stop switch. */
    private final class AttemptsState implements StepAttempts.RunState {
        @Override
        public Instant deadline() {
            return deadline;
        }

        @Override
        public boolean stopped() {
            return stopped;
        }

        @Override
        public void stop(String reason) {
            JourneyExecution.this.stop(reason);
        }

        @Override
        public String journeyTimedOut(String stepName) {
            JourneyExecution.this.journeyTimedOut(stepName);
            return journeyMessage;
        }
    }
}
