package io.venomqa.runner.internal;

import io.venomqa.core.CredentialMasker;
import io.venomqa.state.WorkerDatabaseException;

import java.util.ArrayList;
import java.util.List;

/**
 * What closing a set of workers must undo, in the order it must be undone: the APIs first (they
 * still hold connections to the workers' databases), then the state managers, then the copies.
 * Every action runs even when an earlier one failed. Not API.
 */
public final class WorkerCleanup {

    private final List<AutoCloseable> apis = new ArrayList<>();
    private final List<AutoCloseable> managers = new ArrayList<>();
    private final List<AutoCloseable> last = new ArrayList<>();
    private boolean closed;

    /** An API to stop before anything else. */
    public synchronized void first(AutoCloseable api) {
        apis.add(api);
    }

    /** A manager to disconnect once the APIs are stopped. */
    public synchronized void then(AutoCloseable manager) {
        managers.add(manager);
    }

    /** What to close at the very end (the worker databases). */
    public synchronized void afterAll(AutoCloseable action) {
        last.add(action);
    }

    /**
     * Runs everything once.
     *
     * @throws WorkerDatabaseException listing every action that failed
     */
    public synchronized void close() {
        List<Exception> failures = runAll();
        if (!failures.isEmpty()) {
            WorkerDatabaseException e = new WorkerDatabaseException("Closing the workers failed " + failures.size()
                    + " time(s): " + String.join("; ", failures.stream().map(f -> CredentialMasker.maskText(String.valueOf(f.getMessage()))).toList())
                    + ". Worker databases left behind are dropped by the next run that makes workers.", failures.get(0));
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }

    /** Runs everything once after {@code cause}, adding what failed to it as suppressed. */
    public synchronized void closeAfter(RuntimeException cause) {
        runAll().forEach(cause::addSuppressed);
    }

    private List<Exception> runAll() {
        List<Exception> failures = new ArrayList<>();
        if (closed) {
            return failures;
        }
        closed = true;
        for (List<AutoCloseable> group : List.of(apis, managers, last)) {
            for (AutoCloseable c : group) {
                try {
                    c.close();
                } catch (Exception e) {
                    failures.add(e);
                }
            }
        }
        return failures;
    }
}
