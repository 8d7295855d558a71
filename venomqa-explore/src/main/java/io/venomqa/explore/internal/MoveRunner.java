package io.venomqa.explore.internal;

import io.venomqa.context.ExecutionContext;
import io.venomqa.explore.Move;
import io.venomqa.explore.Outcome;
import io.venomqa.http.Client;
import io.venomqa.http.HttpExchange;
import io.venomqa.http.Response;
import io.venomqa.state.ChangeMark;
import io.venomqa.state.ChangeTracker;
import io.venomqa.state.DbChanges;
import io.venomqa.state.StateManager;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one move on a worker thread so that a hanging action can be interrupted at its timeout.
 * Threads are daemons and cached: a worker stuck in an action that ignores interruption is
 * abandoned, and the next move gets a fresh one.
 */
final class MoveRunner implements AutoCloseable {

    /** What one run of a move gave. */
    record Run(Object result, Integer status, Outcome outcome, String error, Duration duration,
               List<HttpExchange> exchanges, DbChanges changes) {
        boolean completed() {
            return outcome == Outcome.OK || outcome == Outcome.UNEXPECTED_STATUS;
        }
    }

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "venomqa-explore-move-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private final Client client;
    private final Duration defaultTimeout;
    private final ChangeTracker tracker;
    private final String notTrackedReason;

    /**
     * {@code manager} (connected, or null) gives the tracker whose window around each move becomes
     * {@link Run#changes()}; without one, every run's changes read "not tracked" with its reason.
     */
    MoveRunner(Client client, Duration defaultTimeout, StateManager manager) {
        this.client = client;
        this.defaultTimeout = defaultTimeout;
        this.tracker = manager == null ? null : manager.changeTracker().orElse(null);
        this.notTrackedReason = manager == null ? "no state manager" : tracker == null ? manager.changesNotTrackedReason() : null;
    }

    /**
     * Runs {@code move} once in {@code context}; its result is stored in the context under its name
     * when the action returned.
     *
     * @throws InterruptedException when the exploring thread itself is interrupted
     */
    Run run(Move move, ExecutionContext context) throws InterruptedException {
        Duration limit = move.timeout().orElse(defaultTimeout);
        long before = client.recordedCount();
        ChangeMark mark = null;
        String markFailed = null;
        if (tracker != null) {
            try {
                mark = tracker.mark();
            } catch (RuntimeException e) {
                markFailed = "no mark could be taken before the move: " + client.mask(String.valueOf(e.getMessage()));
            }
        }
        long start = System.nanoTime();
        Future<Object> f = executor.submit(() -> move.execute(client, context));
        Object result = null;
        Outcome outcome;
        String error = null;
        try {
            result = f.get(limit.toNanos(), TimeUnit.NANOSECONDS);
            outcome = Outcome.OK;
        } catch (TimeoutException e) {
            f.cancel(true);
            outcome = Outcome.TIMEOUT;
            error = "did not finish within its timeout of " + limit.toMillis() + "ms (interrupted)";
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            outcome = Outcome.ERROR;
            error = client.addSecretsFrom(context).mask(cause.getClass().getName()
                    + (cause.getMessage() != null ? ": " + cause.getMessage() : ""));
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Integer status = result instanceof Response r ? r.statusCode() : null;
        if (outcome == Outcome.OK) {
            context.storeStepResult(move.name(), result);
            if (status != null && !move.isExpected(status)) {
                outcome = Outcome.UNEXPECTED_STATUS;
            }
        }
        return new Run(result, status, outcome, error, took, client.historySince(before), changesSince(mark, markFailed));
    }

    /** A failure to read changes never fails the move: its changes read "not tracked" with the reason. */
    private DbChanges changesSince(ChangeMark mark, String markFailed) {
        if (tracker == null) {
            return DbChanges.notTracked(notTrackedReason);
        }
        if (mark == null) {
            return DbChanges.notTracked(markFailed);
        }
        try {
            return tracker.changesSince(mark);
        } catch (RuntimeException e) {
            return DbChanges.notTracked("the state manager could not read them: " + client.mask(String.valueOf(e.getMessage())));
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
