package io.venomqa.runner;

import io.venomqa.context.ExecutionContext;
import io.venomqa.http.HttpExchange;
import io.venomqa.http.Response;
import io.venomqa.state.DbChanges;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * What one step did. The runner stores it in the {@link ExecutionContext} under the step name, so a
 * later step can read an earlier one's response:
 *
 * <pre>{@code
 * long orderId = StepResult.of(ctx, "create_order").response().json().get("id").asLong();
 * }</pre>
 *
 * Everything but {@link #value()} is safe to print and bounded: messages and calls are masked and
 * cut (see {@link HttpExchange}); {@link #value()} is what the action returned, unchanged.
 *
 * @param name          step name
 * @param description   step description, empty when none
 * @param status        passed, failed or skipped
 * @param expectFailure whether the step was meant to fail
 * @param attempts      attempts made (more than 1 after retries; 0 when skipped)
 * @param duration      time of all attempts and the waits between them
 * @param message       why it failed, or for an expected failure what failed; {@code null} when nothing to say
 * @param errorType     class name of the exception of the last attempt, or {@code null}
 * @param stackTrace    stack trace of that exception (cut), or {@code null}
 * @param exchanges     the HTTP calls of the last attempt, oldest first
 * @param valueSummary  a short text of what the action returned (for a response: status, method, URL)
 * @param value         what the action returned in its last attempt; {@code null} after an exception. Not in reports.
 * @param dbChanges     the rows written to the database while the step ran, all attempts together (by the
 *                      application, or by any session the state manager sees); not tracked without a state
 *                      manager or when it cannot track changes (the reason says so). Secret-looking columns masked.
 * @param changesBefore rows written after the previous step ended and before this one started (a background
 *                      job of the application): usually empty; not tracked for the first step after a
 *                      checkpoint was restored, nor when {@code dbChanges} is not (when not given, it is then
 *                      {@code dbChanges}, with its reason)
 * @param bodiesKept    false when the runner dropped the value, the calls' headers and bodies, the stack
 *                      trace and the row details of this passing step ({@link KeepResponses#FAILURES},
 *                      {@link #withoutBodies()}); reports then say "not kept" instead of showing empty bodies
 */
public record StepResult(String name, String description, Status status, boolean expectFailure, int attempts,
                         Duration duration, String message, String errorType, String stackTrace,
                         List<HttpExchange> exchanges, String valueSummary, Object value,
                         DbChanges dbChanges, DbChanges changesBefore, boolean bodiesKept) implements NodeResult {

    /** Said of the changes of a step that did not run. */
    public static final String NOT_RUN = "the step did not run";

    public StepResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(duration, "duration");
        description = description == null ? "" : description;
        exchanges = exchanges == null ? List.of() : List.copyOf(exchanges);
        dbChanges = dbChanges == null ? DbChanges.notTracked("no state manager") : dbChanges;
        // Unknown when the step's own changes are not tracked (track_changes off): never "nothing written".
        changesBefore = changesBefore != null ? changesBefore : dbChanges.tracked() ? DbChanges.none() : dbChanges;
    }

    /** A result with everything kept. */
    public StepResult(String name, String description, Status status, boolean expectFailure, int attempts,
                      Duration duration, String message, String errorType, String stackTrace,
                      List<HttpExchange> exchanges, String valueSummary, Object value,
                      DbChanges dbChanges, DbChanges changesBefore) {
        this(name, description, status, expectFailure, attempts, duration, message, errorType, stackTrace, exchanges,
                valueSummary, value, dbChanges, changesBefore, true);
    }

    /**
     * This result as a passing step keeps it under {@link KeepResponses#FAILURES}: name, description,
     * status, attempts, duration, message and value summary, and per call method, URL, status and
     * timing; without the value, the calls' headers and bodies, the stack trace and the rows of
     * {@link #dbChanges()} and {@link #changesBefore()} (their one-line summary stays, as the reason
     * they are not tracked). Returns this result when nothing is left to drop.
     */
    public StepResult withoutBodies() {
        if (!bodiesKept) {
            return this;
        }
        return new StepResult(name, description, status, expectFailure, attempts, duration, message, errorType, null,
                exchanges.stream().map(HttpExchange::withoutBodies).toList(), valueSummary, null,
                rowsDropped(dbChanges), rowsDropped(changesBefore), false);
    }

    private static DbChanges rowsDropped(DbChanges c) {
        // Untracked or empty changes hold nothing worth dropping; rows are replaced by their summary.
        return !c.tracked() || c.isEmpty() ? c
                : DbChanges.notTracked("rows " + HttpExchange.NOT_KEPT + " (they were: " + c.summary() + ")");
    }

    /** A result without database changes (they read "not tracked: no state manager"). */
    public StepResult(String name, String description, Status status, boolean expectFailure, int attempts,
                      Duration duration, String message, String errorType, String stackTrace,
                      List<HttpExchange> exchanges, String valueSummary, Object value) {
        this(name, description, status, expectFailure, attempts, duration, message, errorType, stackTrace, exchanges,
                valueSummary, value, null, null);
    }

    /** A step that did not run. */
    public static StepResult skipped(String name, String description, boolean expectFailure, String reason) {
        return new StepResult(name, description, Status.SKIPPED, expectFailure, 0, Duration.ZERO, reason, null, null,
                List.of(), null, null, DbChanges.notTracked(NOT_RUN), DbChanges.none());
    }

    /**
     * The result of step {@code stepName} as stored in {@code context} by the runner.
     *
     * @throws NoSuchElementException when that step has not run in this context
     */
    public static StepResult of(ExecutionContext context, String stepName) {
        Object stored = context.getStepResultRequired(stepName);
        if (stored instanceof StepResult r) {
            return r;
        }
        throw new IllegalStateException("The result stored for step '" + stepName + "' is a "
                + (stored == null ? "null" : stored.getClass().getName()) + ", not a StepResult; was it stored by hand?");
    }

    /**
     * The {@link Response} the step returned.
     *
     * @throws IllegalStateException when the step returned something else or failed with an exception
     */
    public Response response() {
        if (value instanceof Response r) {
            return r;
        }
        if (!bodiesKept) {
            throw new IllegalStateException("The response of step '" + name + "' was " + HttpExchange.NOT_KEPT
                    + ": a passing step's response stays readable only until the next step has finished. Save what later"
                    + " steps need with ctx.set(...) in the step that receives it, or set keep_responses: all.");
        }
        throw new IllegalStateException("Step '" + name + "' did not return a Response ("
                + (value == null ? (errorType != null ? "it threw " + errorType : "it returned null") : "it returned a " + value.getClass().getName())
                + ").");
    }

    /** Whether the step returned a {@link Response}. */
    public boolean hasResponse() {
        return value instanceof Response;
    }

    /** The last HTTP call of the step, or {@code null} when it made none. */
    public HttpExchange lastExchange() {
        return exchanges.isEmpty() ? null : exchanges.get(exchanges.size() - 1);
    }

    @Override
    public String toString() {
        return "StepResult[" + name + " " + status + (message != null ? ": " + message : "") + "]";
    }
}
