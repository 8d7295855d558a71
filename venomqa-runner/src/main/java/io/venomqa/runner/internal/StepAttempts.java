package io.venomqa.runner.internal;

import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Client;
import io.venomqa.http.HttpExchange;
import io.venomqa.http.Response;
import io.venomqa.journey.Step;
import io.venomqa.state.ShutdownCleanup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a step's action until it passes or its retries are used up: each attempt under the tighter
 * of the step's timeout and what is left of the journey's, judged against the step's expectation.
 * What happens to the database around the attempts (change windows, SQL checks) is
 * {@link JourneyExecution}'s business; this class knows only the action, time and retries.
 */
final class StepAttempts {

    // The execution's logger: what users configured for JourneyExecution keeps covering these messages.
    private static final Logger LOG = LoggerFactory.getLogger(JourneyExecution.class);

    /** What the attempts need of the journey run they belong to: its deadline and its stop switch. */
    interface RunState {
        /** When the journey's timeout passes, or {@code null} without one. */
        Instant deadline();

        boolean stopped();

        void stop(String reason);

        /** Records that the journey's timeout passed during {@code stepName}; returns the journey's message. */
        String journeyTimedOut(String stepName);
    }

    /** What one attempt of a step gave; after {@link #run}, the last attempt and how many there were. */
    static final class Attempt {
        Object value;
        Throwable error;
        boolean passed;
        boolean journeyTimeout;
        String message;
        List<HttpExchange> exchanges = List.of();
        int number;
    }

    private final Client client;
    private final ExecutionContext context;
    private final ExecutorService executor;
    private final Duration defaultStepTimeout;
    private final RunOutput out;
    private final RunState run;

    StepAttempts(Client client, ExecutionContext context, ExecutorService executor, Duration defaultStepTimeout,
                 RunOutput out, RunState run) {
        this.client = client;
        this.context = context;
        this.executor = executor;
        this.defaultStepTimeout = defaultStepTimeout;
        this.out = out;
        this.run = run;
    }

    /** Attempts {@code step} as its retries allow, waiting its delay between attempts; the last attempt. */
    Attempt run(Step step, int depth) {
        int attempt = 0;
        Attempt last;
        while (true) {
            attempt++;
            long before = client.recordedCount();
            last = attemptOnce(step);
            last.number = attempt;
            last.exchanges = client.historySince(before);
            if (last.passed || attempt > step.retries() || last.journeyTimeout || run.stopped()) {
                break;
            }
            Duration delay = step.delayBeforeRetry(attempt);
            Instant deadline = run.deadline();
            if (deadline != null && Instant.now().plus(delay).isAfter(deadline)) {
                last.message = last.message + " (no retry: the journey's timeout would pass during the wait)";
                break;
            }
            int failedAttempt = attempt;
            String reason = last.message;
            out.notify(l -> l.stepRetrying(step, failedAttempt, reason, delay.toMillis(), depth));
            LOG.debug("Step '{}' attempt {} failed ({}); retrying in {} ms", step.name(), failedAttempt, reason, delay.toMillis());
            if (!sleep(delay)) {
                break;
            }
        }
        return last;
    }

    private Attempt attemptOnce(Step step) {
        Attempt a = new Attempt();
        Duration limit = step.timeout().orElse(defaultStepTimeout);
        Instant deadline = run.deadline();
        Duration remaining = deadline == null ? null : Duration.between(Instant.now(), deadline);
        boolean journeyLimit = remaining != null && (limit == null || remaining.compareTo(limit) < 0);
        Duration effective = journeyLimit ? remaining : limit;
        if (effective != null && (effective.isNegative() || effective.isZero())) {
            a.journeyTimeout = true;
            a.message = run.journeyTimedOut(step.name());
            return a;
        }
        boolean timedOut = false;
        if (effective == null) {
            // No timeout to enforce: run the action on this thread. Handing it to the step thread and
            // waiting for it cost two thread wake-ups per step (see docs/performance.md, row 7).
            runInline(step, a);
            return judged(step, a);
        }
        Future<Object> future = executor.submit(() -> ShutdownCleanup.duringAction(() -> step.execute(client, context)));
        try {
            a.value = future.get(effective.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            timedOut = true;
            if (journeyLimit) {
                a.journeyTimeout = true;
                a.message = run.journeyTimedOut(step.name());
            } else {
                a.message = "Step '" + step.name() + "' did not finish within its timeout of " + RunOutput.format(effective)
                        + " and was interrupted.";
            }
            a.error = new StepTimeoutException(a.message);
        } catch (ExecutionException e) {
            a.error = e.getCause() != null ? e.getCause() : e;
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            a.error = e;
            run.stop("the run was interrupted");
        }
        if (timedOut) {
            a.passed = false; // a step that did not complete neither passed nor failed as expected
            return a;
        }
        return judged(step, a);
    }

    /**
     * Runs the action on the calling thread, catching what the step thread's future would have caught
     * (any {@link Throwable}); an interrupt of this thread stops the run, as it does while waiting for
     * the step thread.
     */
    private void runInline(Step step, Attempt a) {
        try {
            a.value = ShutdownCleanup.duringAction(() -> step.execute(client, context));
        } catch (Throwable e) {
            a.error = e;
        }
        if (Thread.currentThread().isInterrupted() || a.error instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            run.stop("the run was interrupted");
        }
    }

    /** Whether the attempt passed, and its message, from its value or error and the step's expectation. */
    private Attempt judged(Step step, Attempt a) {
        String failure = null;
        if (a.error != null) {
            client.addSecretsFrom(context); // a token the step stored, quoted in its exception
            failure = out.describe(a.error);
        } else if (a.value instanceof Response r && r.statusCode() >= 400) {
            failure = "HTTP " + r.statusCode() + " from " + r.method() + " "
                    + out.urlOf(r);
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

    /** Waits before a retry; false when interrupted, which stops the run. */
    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.stop("the run was interrupted");
            return false;
        }
    }
}
