package io.venomqa.runner.internal;

import io.venomqa.context.ContextSnapshot;
import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Client;
import io.venomqa.http.HttpExchange;
import io.venomqa.http.HttpRequestException;
import io.venomqa.http.Response;
import io.venomqa.http.internal.Redactor;
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
import io.venomqa.runner.NodeResult;
import io.venomqa.runner.PathResult;
import io.venomqa.runner.Status;
import io.venomqa.runner.StepResult;
import io.venomqa.state.StateConnectionException;
import io.venomqa.state.CheckpointNames;
import io.venomqa.state.StateManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One run of one journey: the semantics documented on {@code JourneyRunner}. Not API; not reusable
 * (make a new one per run). Runs on the calling thread except for step actions, which run on the
 * runner's executor so that timeouts can be enforced.
 */
public final class JourneyExecution {

    private static final Logger LOG = LoggerFactory.getLogger(JourneyExecution.class);

    /** Characters of a stack trace kept in a result. */
    static final int MAX_STACK_CHARS = 8_000;
    /** Characters of a returned value's text kept in a result. */
    static final int MAX_VALUE_CHARS = 300;

    /** Warning given once per runner when there is no state manager. */
    public static final String NO_STATE_MANAGER_WARNING = "Running without a state manager: checkpoints and branches"
            + " restore the execution context only, the DATABASE IS NOT ROLLED BACK between paths, so a path can see"
            + " what an earlier path wrote. Set db_url (and db_backend) in venomqa.yaml, or pass a StateManager to"
            + " JourneyRunner, to isolate the database too.";

    private final Journey journey;
    private final Client client;
    private final StateManager stateManager;
    private final boolean failFast;
    private final Duration defaultStepTimeout;
    private final ExecutorService executor;
    private final List<JourneyListener> listeners;
    private final AtomicBoolean noStateWarningGiven;
    private final ExecutionContext context;

    private final List<Live> live = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private Instant deadline;
    private boolean stopped;
    private String stopReason;
    private String journeyMessage;
    private boolean connectionLost;

    /** A checkpoint alive during the run: the runner's mirror of the state manager's stack. */
    private record Live(String name, Scope scope, String stateName, ContextSnapshot snapshot) {
    }

    /** The main line or one path; identity matters (two runs of one path are two scopes). */
    private static final class Scope {
        final String qualified;
        final int depth;

        Scope(String qualified, int depth) {
            this.qualified = qualified;
            this.depth = depth;
        }
    }

    private record ScopeRun(List<NodeResult> nodes, boolean failed) {
    }

    public JourneyExecution(Journey journey, Client client, StateManager stateManager, boolean failFast,
                            Duration defaultStepTimeout, ExecutorService executor, List<JourneyListener> listeners,
                            AtomicBoolean noStateWarningGiven, ExecutionContext context) {
        this.journey = journey;
        this.client = client;
        this.stateManager = stateManager;
        this.failFast = failFast;
        this.defaultStepTimeout = defaultStepTimeout;
        this.executor = executor;
        this.listeners = List.copyOf(listeners);
        this.noStateWarningGiven = noStateWarningGiven;
        this.context = context;
    }

    public JourneyResult run() {
        Instant startedAt = Instant.now();
        long t0 = System.nanoTime();
        deadline = journey.timeout().map(startedAt::plus).orElse(null);
        notify(l -> l.journeyStarted(journey));
        boolean connectedHere = false;
        ScopeRun run;
        Scope root = new Scope(journey.name(), 0);
        if (stateManager != null && !stateManager.isConnected()) {
            try {
                stateManager.connect();
                connectedHere = true;
            } catch (RuntimeException e) {
                journeyMessage = "The state manager could not connect: " + mask(e.getMessage());
                stopped = true;
                stopReason = "the state manager could not connect";
            }
        }
        if (stopped) {
            run = new ScopeRun(skipAll(journey.nodes(), stopReason), true);
        } else {
            run = runNodes(journey.nodes(), root);
            releaseScope(root);
        }
        if (connectedHere) {
            try {
                stateManager.disconnect();
            } catch (RuntimeException e) {
                warn("The state manager could not disconnect cleanly: " + mask(e.getMessage()));
            }
        } else if (connectionLost) {
            // The caller connected the manager and expects it connected afterwards: a dead session would
            // fail every later journey, so open a new one (the lost one's checkpoints are gone anyway).
            try {
                stateManager.disconnect();
                stateManager.connect();
                warn("The state manager's connection was lost during this journey; it was reconnected for the next ones.");
            } catch (RuntimeException e) {
                warn("The state manager's connection was lost and could not be reopened: " + mask(e.getMessage()));
            }
        }
        Status status = run.failed() || journeyMessage != null ? Status.FAILED : Status.PASSED;
        JourneyResult result = new JourneyResult(journey.name(), journey.description(), journey.tags(), status, startedAt,
                Duration.ofNanos(System.nanoTime() - t0), run.nodes(), warnings, journeyMessage, stateManager != null);
        notify(l -> l.journeyFinished(result));
        return result;
    }

    // ---- nodes -------------------------------------------------------------------------------

    private ScopeRun runNodes(List<JourneyNode> nodes, Scope scope) {
        List<NodeResult> out = new ArrayList<>();
        boolean failed = false;
        boolean blocked = false;
        for (JourneyNode node : nodes) {
            if (!stopped && deadlinePassed()) {
                journeyTimedOut(null);
            }
            if (blocked) {
                out.add(skip(node, "an earlier node of this " + (scope.depth == 0 ? "journey" : "path") + " failed"));
                continue;
            }
            if (stopped) {
                out.add(skip(node, stopReason));
                continue;
            }
            if (node instanceof Step step) {
                StepResult r = runStep(step, scope);
                out.add(r);
                if (r.failed()) {
                    failed = blocked = true;
                    stopIfFailFast("step '" + step.name() + "' failed");
                }
            } else if (node instanceof Checkpoint cp) {
                CheckpointResult r = createCheckpoint(cp, scope);
                out.add(r);
                if (r.failed()) {
                    failed = blocked = true;
                    stopIfFailFast("checkpoint '" + cp.name() + "' failed");
                }
            } else if (node instanceof Branch branch) {
                BranchResult r = runBranch(branch, scope);
                out.add(r);
                if (r.failed()) {
                    failed = true;
                    // A failed path leaves the state put back, so the scope goes on; a failed
                    // restore after the branch does not, the state is unknown.
                    blocked = r.message() != null;
                }
            }
        }
        return new ScopeRun(out, failed);
    }

    private StepResult runStep(Step step, Scope scope) {
        notify(l -> l.stepStarted(step, scope.depth));
        long t0 = System.nanoTime();
        int attempt = 0;
        Attempt last;
        while (true) {
            attempt++;
            long before = client.recordedCount();
            last = attemptOnce(step);
            last.exchanges = client.historySince(before);
            if (last.passed || attempt > step.retries() || last.journeyTimeout || stopped) {
                break;
            }
            Duration delay = step.delayBeforeRetry(attempt);
            if (deadline != null && Instant.now().plus(delay).isAfter(deadline)) {
                last.message = last.message + " (no retry: the journey's timeout would pass during the wait)";
                break;
            }
            int failedAttempt = attempt;
            String reason = last.message;
            notify(l -> l.stepRetrying(step, failedAttempt, reason, delay.toMillis(), scope.depth));
            LOG.debug("Step '{}' attempt {} failed ({}); retrying in {} ms", step.name(), failedAttempt, reason, delay.toMillis());
            if (!sleep(delay)) {
                break;
            }
        }
        String valueSummary = summarize(last.value);
        StepResult result = new StepResult(step.name(), step.description(), last.passed ? Status.PASSED : Status.FAILED,
                step.expectFailure(), attempt, Duration.ofNanos(System.nanoTime() - t0), last.message,
                last.error == null ? null : last.error.getClass().getName(),
                last.error == null ? null : stackTrace(last.error), last.exchanges, valueSummary, last.value);
        context.storeStepResult(step.name(), result);
        notify(l -> l.stepFinished(result, scope.depth));
        return result;
    }

    /** What one attempt of a step gave. */
    private static final class Attempt {
        Object value;
        Throwable error;
        boolean passed;
        boolean journeyTimeout;
        String message;
        List<HttpExchange> exchanges = List.of();
    }

    private Attempt attemptOnce(Step step) {
        Attempt a = new Attempt();
        Duration limit = step.timeout().orElse(defaultStepTimeout);
        Duration remaining = deadline == null ? null : Duration.between(Instant.now(), deadline);
        boolean journeyLimit = remaining != null && (limit == null || remaining.compareTo(limit) < 0);
        Duration effective = journeyLimit ? remaining : limit;
        if (effective != null && (effective.isNegative() || effective.isZero())) {
            journeyTimedOut(step.name());
            a.journeyTimeout = true;
            a.message = journeyMessage;
            return a;
        }
        boolean timedOut = false;
        Future<Object> future = executor.submit(() -> step.execute(client, context));
        try {
            a.value = effective == null ? future.get() : future.get(effective.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            timedOut = true;
            if (journeyLimit) {
                journeyTimedOut(step.name());
                a.journeyTimeout = true;
                a.message = journeyMessage;
            } else {
                a.message = "Step '" + step.name() + "' did not finish within its timeout of " + format(effective)
                        + " and was interrupted.";
            }
            a.error = new StepTimeoutException(a.message);
        } catch (ExecutionException e) {
            a.error = e.getCause() != null ? e.getCause() : e;
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            a.error = e;
            stop("the run was interrupted");
        }
        if (timedOut) {
            a.passed = false; // a step that did not complete neither passed nor failed as expected
            return a;
        }
        String failure = null;
        if (a.error != null) {
            failure = describe(a.error);
        } else if (a.value instanceof Response r && r.statusCode() >= 400) {
            failure = "HTTP " + r.statusCode() + " from " + r.method() + " "
                    + (r.exchange() != null ? r.exchange().url() : client.mask(r.uri().toString()));
        }
        if (step.expectFailure()) {
            a.passed = failure != null;
            a.message = failure != null ? "Failed as expected: " + failure
                    : "Expected a failure, but the step succeeded" + (a.value instanceof Response r
                    ? " (HTTP " + r.statusCode() + " from " + r.method() + " " + (r.exchange() != null ? r.exchange().url() : "") + ")" : "") + ".";
        } else {
            a.passed = failure == null;
            a.message = failure;
        }
        return a;
    }

    private CheckpointResult createCheckpoint(Checkpoint cp, Scope scope) {
        long t0 = System.nanoTime();
        String stateName = null;
        CheckpointResult result;
        try {
            if (stateManager != null) {
                stateName = stateName(scope, cp.name());
                stateManager.checkpoint(stateName);
            } else {
                warnNoStateManager();
            }
            live.add(new Live(cp.name(), scope, stateName, context.snapshot()));
            result = new CheckpointResult(cp.name(), Status.PASSED, stateManager != null,
                    Duration.ofNanos(System.nanoTime() - t0), null);
        } catch (RuntimeException e) {
            connectionLost |= e instanceof StateConnectionException;
            if (stateName != null && stateManager.hasCheckpoint(stateName)) {
                safeRelease(stateName); // the context snapshot failed after the database saved
            }
            result = new CheckpointResult(cp.name(), Status.FAILED, false, Duration.ofNanos(System.nanoTime() - t0),
                    "Could not save the state: " + describe(e));
        }
        CheckpointResult r = result;
        notify(l -> l.checkpointFinished(cp, r, scope.depth));
        return result;
    }

    private BranchResult runBranch(Branch branch, Scope scope) {
        long t0 = System.nanoTime();
        notify(l -> l.branchStarted(branch, scope.depth));
        Live target = findLive(branch.checkpointName());
        if (target == null) {
            // Validation makes this unreachable unless the checkpoint itself failed, which blocks the scope first.
            BranchResult r = new BranchResult(branch.checkpointName(), Status.FAILED, Duration.ofNanos(System.nanoTime() - t0),
                    branch.paths().stream().map(p -> skipPath(p, "checkpoint '" + branch.checkpointName() + "' is not available")).toList(),
                    "Checkpoint '" + branch.checkpointName() + "' is not available.");
            notify(l -> l.branchFinished(r, scope.depth));
            return r;
        }
        List<PathResult> paths = new ArrayList<>();
        boolean anyFailed = false;
        String gone = null; // why the checkpoint no longer exists in the state manager (a lost connection)
        for (Path path : branch.paths()) {
            if (stopped) {
                paths.add(skipPath(path, stopReason));
                continue;
            }
            if (gone != null) {
                // Rolling back to a checkpoint the state manager no longer has would only fail again, and say less.
                PathResult skipped = skipPath(path, gone);
                anyFailed = true;
                paths.add(skipped);
                notify(l -> l.pathStarted(path, scope.depth));
                notify(l -> l.pathFinished(skipped, scope.depth));
                continue;
            }
            long p0 = System.nanoTime();
            String restoreError = restore(target, scope.depth);
            if (restoreError != null && isGone(target)) {
                gone = "checkpoint '" + target.name() + "' is gone: " + restoreError;
            }
            notify(l -> l.pathStarted(path, scope.depth));
            PathResult pr;
            if (restoreError != null) {
                pr = new PathResult(path.name(), path.description(), Status.FAILED, Duration.ofNanos(System.nanoTime() - p0),
                        skipAll(path.nodes(), "the state could not be put back before this path"),
                        "Could not put the state back to checkpoint '" + target.name() + "' before this path: " + restoreError);
                stopIfFailFast("path '" + path.name() + "' could not start");
            } else {
                Scope child = new Scope(scope.qualified + "/" + path.name(), scope.depth + 1);
                ScopeRun run = runNodes(path.nodes(), child);
                releaseScope(child);
                pr = new PathResult(path.name(), path.description(), run.failed() ? Status.FAILED : Status.PASSED,
                        Duration.ofNanos(System.nanoTime() - p0), run.nodes(), null);
            }
            anyFailed |= pr.failed();
            paths.add(pr);
            PathResult finished = pr;
            notify(l -> l.pathFinished(finished, scope.depth));
        }
        // Continue from the checkpoint's state, whatever the last path did.
        String after = gone != null ? gone : restore(target, scope.depth);
        String message = after == null ? null : "Could not put the state back to checkpoint '" + target.name()
                + "' after the branch: " + after;
        BranchResult r = new BranchResult(branch.checkpointName(), anyFailed || message != null ? Status.FAILED : Status.PASSED,
                Duration.ofNanos(System.nanoTime() - t0), paths, message);
        notify(l -> l.branchFinished(r, scope.depth));
        return r;
    }

    // ---- state -------------------------------------------------------------------------------

    /** Rolls the database back and restores the context; returns why that failed, or null. */
    private String restore(Live target, int depth) {
        try {
            if (target.stateName() != null) {
                stateManager.rollback(target.stateName());
            }
            context.restore(target.snapshot());
        } catch (RuntimeException e) {
            connectionLost |= e instanceof StateConnectionException;
            LOG.warn("Could not put the state back to checkpoint '{}': {}", target.name(), mask(e.getMessage()));
            return describe(e);
        }
        int index = live.indexOf(target);
        live.subList(index + 1, live.size()).clear();
        notify(l -> l.rolledBack(target.name(), target.stateName() != null, depth));
        return null;
    }

    /** Whether the state manager has lost {@code target} (it forgets every checkpoint when its connection dies). */
    private boolean isGone(Live target) {
        try {
            return target.stateName() != null && !stateManager.hasCheckpoint(target.stateName());
        } catch (RuntimeException e) {
            return true;
        }
    }

    private Live findLive(String name) {
        for (int i = live.size() - 1; i >= 0; i--) {
            if (live.get(i).name().equals(name)) {
                return live.get(i);
            }
        }
        return null;
    }

    /** Forgets the checkpoints a scope created, so the state manager's stack does not grow. */
    private void releaseScope(Scope scope) {
        for (int i = 0; i < live.size(); i++) {
            if (live.get(i).scope() == scope) {
                Live first = live.get(i);
                if (first.stateName() != null) {
                    safeRelease(first.stateName());
                }
                live.subList(i, live.size()).clear();
                return;
            }
        }
    }

    private void safeRelease(String stateName) {
        try {
            if (stateManager.isConnected() && stateManager.hasCheckpoint(stateName)) {
                stateManager.release(stateName);
            }
        } catch (RuntimeException e) {
            warn("Could not release checkpoint '" + stateName + "': " + mask(e.getMessage()));
        }
    }

    /**
     * A name for the state manager that is unique in its stack: the scope-qualified name
     * ({@code checkout/card/paid}), whole (names never reach SQL, so no length of a database
     * identifier applies), with {@code ~2}, {@code ~3}… when nested paths reuse a name.
     *
     * @throws IllegalArgumentException when the qualified name is longer than {@link CheckpointNames#MAX_LENGTH}
     */
    private String stateName(Scope scope, String checkpoint) {
        String full = sanitize(scope.qualified + "/" + checkpoint);
        String candidate = full;
        Set<String> taken = new HashSet<>(stateManager.activeCheckpoints());
        int n = 1;
        while (taken.contains(candidate)) {
            candidate = full + "~" + (++n);
        }
        CheckpointNames.validate(candidate);
        return candidate;
    }

    private static String sanitize(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> sb.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return sb.toString();
    }

    // ---- skipping, stopping ------------------------------------------------------------------

    private List<NodeResult> skipAll(List<JourneyNode> nodes, String reason) {
        return nodes.stream().map(n -> skip(n, reason)).toList();
    }

    private NodeResult skip(JourneyNode node, String reason) {
        if (node instanceof Step s) {
            return StepResult.skipped(s.name(), s.description(), s.expectFailure(), "Not run: " + reason + ".");
        }
        if (node instanceof Checkpoint c) {
            return new CheckpointResult(c.name(), Status.SKIPPED, false, Duration.ZERO, "Not run: " + reason + ".");
        }
        Branch b = (Branch) node;
        return new BranchResult(b.checkpointName(), Status.SKIPPED, Duration.ZERO,
                b.paths().stream().map(p -> skipPath(p, reason)).toList(), null);
    }

    private PathResult skipPath(Path p, String reason) {
        return new PathResult(p.name(), p.description(), Status.SKIPPED, Duration.ZERO, skipAll(p.nodes(), reason), null);
    }

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
                    + format(journey.timeout().orElseThrow()) + (stepName != null ? " during step '" + stepName + "'" : "") + ".";
        }
        stop("the journey's timeout of " + format(journey.timeout().orElseThrow()) + " passed");
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop("the run was interrupted");
            return false;
        }
    }

    // ---- messages ----------------------------------------------------------------------------

    private void warnNoStateManager() {
        if (noStateWarningGiven.compareAndSet(false, true)) {
            LOG.warn(NO_STATE_MANAGER_WARNING);
            warnings.add(NO_STATE_MANAGER_WARNING);
            notify(l -> l.warning(NO_STATE_MANAGER_WARNING));
        }
    }

    private void warn(String message) {
        LOG.warn(message);
        warnings.add(message);
        notify(l -> l.warning(message));
    }

    private String describe(Throwable e) {
        if (e instanceof HttpRequestException || e instanceof StepTimeoutException) {
            return mask(e.getMessage());
        }
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + mask(m));
    }

    private String stackTrace(Throwable e) {
        StringWriter sw = new StringWriter();
        e.printStackTrace(new PrintWriter(sw));
        return Redactor.truncate(mask(sw.toString()), MAX_STACK_CHARS);
    }

    private String summarize(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Response r) {
            return "HTTP " + r.statusCode() + " from " + r.method() + " "
                    + (r.exchange() != null ? r.exchange().url() : client.mask(r.uri().toString()));
        }
        return Redactor.truncate(mask(String.valueOf(value)), MAX_VALUE_CHARS);
    }

    private String mask(String text) {
        return text == null ? null : client.mask(text);
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private void notify(Consumer<JourneyListener> event) {
        for (JourneyListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("Listener {} failed; ignoring it for this event", l.getClass().getName(), e);
            }
        }
    }

    /** A step ran past its timeout. */
    static final class StepTimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StepTimeoutException(String message) {
            super(message, null, false, false);
        }
    }
}
