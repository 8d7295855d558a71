package io.venomqa.runner;

import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Client;
import io.venomqa.journey.Journey;
import io.venomqa.runner.internal.JourneyExecution;
import io.venomqa.runner.internal.ParallelRun;
import io.venomqa.runner.internal.Reporting;
import io.venomqa.state.StateManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs journeys against an API through a {@link Client}, saving and restoring the database through
 * an optional {@link StateManager}.
 *
 * <pre>{@code
 * JourneyRunner runner = JourneyRunner.builder(client)
 *         .stateManager(stateManager)        // optional
 *         .console()                         // print the tree while it runs
 *         .reportDir("target/venomqa")       // JSON, JUnit XML and HTML reports
 *         .build();
 * JourneyResult result = runner.run(checkout);
 * }</pre>
 *
 * <h2>What a run does</h2>
 * <ul>
 *   <li><b>Steps</b> run in order. Each step's {@link StepResult} (the returned {@code Response} or
 *       value, duration, error) is stored in the {@link ExecutionContext} under the step name. A step
 *       fails when its action throws or returns a {@code Response} with status 400 or more; with
 *       {@code expectFailure} that is inverted. A step that runs past its timeout (its own, else the
 *       runner's default, and never past the journey's) is interrupted and fails. Failing attempts
 *       are retried as the step says. After a failed step the rest of its scope (the main line or
 *       the path) is skipped. A step without any timeout runs on the calling thread; one with a
 *       timeout runs on the runner's step thread so that it can be interrupted.</li>
 *   <li><b>What results keep</b>: every step's value, HTTP headers and bodies, stack trace and row
 *       details by default; with {@link Builder#keepResponses(KeepResponses) keepResponses(FAILURES)}
 *       only failed steps keep them and passing steps keep names, status, timing and each call's
 *       method, URL and status (see {@link KeepResponses}); reports say so.</li>
 *   <li><b>Checkpoints</b> save the database through the state manager and a deep snapshot of the
 *       context. The state manager gets the whole scope-qualified name ({@code checkout/card/paid};
 *       at most {@link io.venomqa.state.CheckpointNames#MAX_LENGTH} characters), unique in its stack even when nested paths reuse a
 *       checkpoint name, and the checkpoints of a path are released when the path ends (those of
 *       the main line when the journey ends), so the stack does not grow.</li>
 *   <li><b>Branches</b> run each path from the checkpoint they name: before every path the
 *       database is rolled back and the context restored, so no path sees another's writes or
 *       values. A failing path does not stop its siblings. <b>After the branch the journey
 *       continues from the checkpoint's state</b>: the state is put back once more after the last
 *       path, so nothing a path did is visible to the nodes after the branch.</li>
 *   <li><b>Without a state manager</b> checkpoints and branches still isolate the context; the
 *       runner warns once (per runner) that the database is not rolled back.</li>
 *   <li><b>Fail-fast</b> stops the whole run at the first failure: everything after it is
 *       reported as skipped.</li>
 *   <li><b>Journey timeout</b>: when it passes, the running step is interrupted and fails and the
 *       rest is skipped. An action that ignores interruption (a busy loop, a blocking call that
 *       is not interruptible) keeps running on its own daemon thread while the run goes on; the
 *       runner no longer waits for it, so make such actions check {@code Thread.interrupted()}.</li>
 *   <li>A state manager that is not connected is connected for the run and disconnected after it;
 *       one already connected is left connected. If the JVM is stopped during the run (Ctrl-C,
 *       SIGTERM), a shutdown hook disconnects a manager the runner connected, which puts the
 *       database back, and says so on standard error; once shutdown has begun no new step starts.</li>
 *   <li>A checkpoint the state manager has lost (its connection died: the server killed the session
 *       or restarted) fails the path that needed it with the backend's explanation; the remaining
 *       paths of that branch are skipped instead of rolled back to nothing, and the rest of the scope
 *       is skipped. A manager the caller connected is reconnected at the end of such a journey (with
 *       a warning), so later journeys run on a new session.</li>
 * </ul>
 * <h2>Parallel workers</h2>
 * With {@link Builder#workers(Workers)}, the top-level paths of a journey (the paths of its main
 * line's branches) run on several workers at once, each an API with a database of its own: path
 * {@code k} on worker {@code k mod n}, each worker first replaying the main line to bring its own
 * database to the branch's checkpoint. The result is the one a serial run gives (paths in declared
 * order, same content; durations, worker URLs in recorded calls and ids the API makes up per process
 * aside), and the listeners hear the same events in the same order, once every worker is done with the
 * journey. A worker that fails fails its paths with the cause; the others go on. Paths nested in a
 * top-level path run on that path's worker. With fail-fast the journey runs on the first worker alone.
 *
 * A runner may run many journeys, one at a time; each run starts with a fresh context unless one
 * is given to {@link #run(Journey, ExecutionContext)}.
 */
public final class JourneyRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JourneyRunner.class);
    private static final AtomicInteger RUNNER_IDS = new AtomicInteger();

    private final Client client;
    private final StateManager stateManager;
    private final boolean failFast;
    private final java.nio.file.Path reportDir;
    private final Duration defaultStepTimeout;
    private final List<JourneyListener> listeners;
    /** Whether {@link Builder#console()} added the console tree, which ends with the journey's summary line. */
    private final boolean consolePrinted;
    private final ReadRequestWrites readRequestWrites;
    private final java.util.Set<String> readWriteTables;
    private final KeepResponses keepResponses;
    private final AtomicBoolean noStateWarningGiven = new AtomicBoolean();
    private final ExecutorService executor;
    private final Workers workers;

    /** A runner without a state manager (the context is isolated, the database is not). */
    public JourneyRunner(Client client) {
        this(builder(client));
    }

    /** A runner that isolates the database through {@code stateManager}. */
    public JourneyRunner(Client client, StateManager stateManager) {
        this(builder(client).stateManager(stateManager));
    }

    private JourneyRunner(Builder b) {
        this.client = Objects.requireNonNull(b.client, "client");
        this.stateManager = b.stateManager;
        this.failFast = b.failFast;
        this.reportDir = b.reportDir;
        this.defaultStepTimeout = b.defaultStepTimeout;
        this.listeners = List.copyOf(b.listeners);
        this.consolePrinted = b.console;
        this.readRequestWrites = b.readRequestWrites;
        this.readWriteTables = b.readWriteTables;
        this.workers = b.workers;
        this.keepResponses = b.keepResponses;
        int id = RUNNER_IDS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "venomqa-runner-" + id + "-step-" + threads.incrementAndGet());
            t.setDaemon(true); // a step that ignores interruption must not keep the JVM alive
            return t;
        };
        // Cached: a timed-out action may still be running, and the next step must not wait for it.
        this.executor = Executors.newCachedThreadPool(factory);
    }

    /** A builder for a runner calling the API through {@code client}. */
    public static Builder builder(Client client) {
        return new Builder(client);
    }

    /**
     * Runs {@code journey} with a fresh context, notifies the listeners, and writes the reports
     * when a report directory is set.
     *
     * @return the result; a failing journey is a result, not an exception
     * @throws UncheckedIOException when the reports cannot be written
     */
    public JourneyResult run(Journey journey) {
        return run(journey, new ExecutionContext());
    }

    /** Runs {@code journey} starting from the values in {@code context} (which the run changes). */
    public JourneyResult run(Journey journey, ExecutionContext context) {
        Objects.requireNonNull(journey, "journey");
        Objects.requireNonNull(context, "context");
        JourneyResult result = workers == null
                ? new JourneyExecution(journey, client, stateManager, failFast, defaultStepTimeout, executor, listeners,
                        noStateWarningGiven, context).readRequestWrites(readRequestWrites, readWriteTables)
                        .keepResponses(keepResponses).run()
                : new ParallelRun(workers.members(), failFast, client, defaultStepTimeout, executor, listeners,
                        noStateWarningGiven, readRequestWrites, readWriteTables, keepResponses).run(journey, context);
        // The summary walks the whole tree: only built when it is printed. The console tree already ends with
        // it, so beside the console it goes to DEBUG (users of slf4j-simple saw it twice).
        if (consolePrinted ? LOG.isDebugEnabled() : LOG.isInfoEnabled()) {
            if (consolePrinted) {
                LOG.debug("{}", result.summary());
            } else {
                LOG.info("{}", result.summary());
            }
        }
        writeReports(result);
        return result;
    }

    /**
     * Writes the built-in reports (JSON, JUnit XML, HTML) of {@code result} to {@link #reportDir()}, as
     * {@link #run} does at its end, replacing that journey's files, and tells the listeners. For a caller
     * that learns something about the run after it, such as a {@code disconnect()} that could not put the
     * database back ({@link JourneyResult#databaseNotPutBack}). Nothing when the runner has no report
     * directory.
     *
     * @return the files written (empty without a report directory)
     * @throws UncheckedIOException when a report cannot be written
     */
    public List<java.nio.file.Path> writeReports(JourneyResult result) {
        if (reportDir == null) {
            return List.of();
        }
        try {
            List<java.nio.file.Path> files = Reporting.builtIn().writeAll(result, reportDir);
            for (JourneyListener l : listeners) {
                try {
                    l.reportsWritten(result, files);
                } catch (RuntimeException e) {
                    LOG.warn("Listener {} failed", l.getClass().getName(), e);
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the reports of journey '" + result.name()
                    + "' to " + reportDir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs the journeys one after another. With fail-fast, the journeys after the first failing one
     * are not run (and not in the list).
     */
    public List<JourneyResult> runAll(Collection<Journey> journeys) {
        List<JourneyResult> results = new ArrayList<>();
        for (Journey j : journeys) {
            JourneyResult r = run(j);
            results.add(r);
            if (failFast && r.failed()) {
                break;
            }
        }
        return results;
    }

    public Client client() {
        return client;
    }

    /** The state manager, or {@code null} when running without one. */
    public StateManager stateManager() {
        return stateManager;
    }

    public boolean failFast() {
        return failFast;
    }

    /** The parallel workers, or {@code null} when journeys run on this runner's client and state manager. */
    public Workers workers() {
        return workers;
    }

    /** Where reports are written, or {@code null} for none. */
    public java.nio.file.Path reportDir() {
        return reportDir;
    }

    /** Which steps keep their bodies in the results. */
    public KeepResponses keepResponses() {
        return keepResponses;
    }

    /** Builds a {@link JourneyRunner}. */
    public static final class Builder {
        private final Client client;
        private StateManager stateManager;
        private boolean failFast;
        private java.nio.file.Path reportDir;
        private Duration defaultStepTimeout;
        private final List<JourneyListener> listeners = new ArrayList<>();
        private boolean console;
        private ReadRequestWrites readRequestWrites = ReadRequestWrites.WARN;
        private java.util.Set<String> readWriteTables = java.util.Set.of();
        private Workers workers;
        private KeepResponses keepResponses = KeepResponses.ALL;

        private Builder(Client client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /** The state manager that saves and restores the database ({@code null}: none). */
        public Builder stateManager(StateManager stateManager) {
            this.stateManager = stateManager;
            return this;
        }

        /**
         * Runs the paths of each journey's branches on these workers (see {@link Workers} and
         * docs/workers.md); {@code null}, the default, runs everything on this runner's client and state
         * manager as before. The client given to {@link #builder(Client)} is the model of each worker's
         * client ({@link Client#withBaseUrl(String)}); the state manager, if any, is not used. The runner
         * does not close the workers: their owner does, after the last journey.
         */
        public Builder workers(Workers workers) {
            this.workers = workers;
            return this;
        }

        /** Stop at the first failure instead of running the sibling paths (default: false). */
        public Builder failFast(boolean failFast) {
            this.failFast = failFast;
            return this;
        }

        /** Write JSON, JUnit XML and HTML reports of every run to {@code dir} (created when missing). */
        public Builder reportDir(java.nio.file.Path dir) {
            this.reportDir = dir;
            return this;
        }

        /** Same as {@link #reportDir(java.nio.file.Path)}. */
        public Builder reportDir(String dir) {
            return reportDir(dir == null ? null : java.nio.file.Path.of(dir));
        }

        /** Timeout of each step attempt that does not set its own (default: none but the client's). */
        public Builder defaultStepTimeout(Duration timeout) {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("Default step timeout must be positive: " + timeout);
            }
            this.defaultStepTimeout = timeout;
            return this;
        }

        /** Adds a listener; listeners are called in the order added. */
        public Builder listener(JourneyListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * What to do when a step that only made {@code GET}/{@code HEAD}/{@code OPTIONS} calls wrote rows
         * (default {@link ReadRequestWrites#WARN}); writes to {@code allowedTables} (names as the database
         * spells them, case ignored) are not counted.
         */
        public Builder readRequestWrites(ReadRequestWrites mode, String... allowedTables) {
            this.readRequestWrites = Objects.requireNonNull(mode, "mode");
            java.util.Set<String> tables = new java.util.HashSet<>();
            for (String t : allowedTables) {
                tables.add(t.toLowerCase(java.util.Locale.ROOT));
            }
            this.readWriteTables = java.util.Set.copyOf(tables);
            return this;
        }

        /**
         * Which steps keep their response, HTTP headers and bodies, stack trace and row details in the
         * {@link JourneyResult} (default {@link KeepResponses#ALL}). {@link KeepResponses#FAILURES} keeps
         * them only for steps that did not pass, so a long journey's memory does not grow with its bodies;
         * see {@link KeepResponses} for what a passing step keeps and how long its response stays readable.
         */
        public Builder keepResponses(KeepResponses mode) {
            this.keepResponses = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Prints the journey tree to standard output while it runs (colour only on a terminal). */
        public Builder console() {
            console = true;
            return listener(Reporting.builtIn().console());
        }

        public JourneyRunner build() {
            return new JourneyRunner(this);
        }
    }
}
