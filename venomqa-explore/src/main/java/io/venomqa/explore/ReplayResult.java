package io.venomqa.explore;

import io.venomqa.http.HttpExchange;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Exploration#replay(List)} saw: each move of the path as it ran again, with the checks
 * that failed right after it. The database was put back as found afterwards.
 *
 * <p>Not failing is not holding: a move that got no answer from the API (connection refused, unknown
 * host, no answer within the timeout) proves nothing about the API, and the moves after it do not run
 * from the state the path leads to; nor does a check that could not judge a move ({@link Invariant.NotRun}).
 * {@link #verdict(String)} says whether a replay shows the invariant fixed, still failing, or cannot tell.
 *
 * @param exploration the exploration's name
 * @param steps       the moves in the order they ran, each with its calls and failed checks
 */
public record ReplayResult(String exploration, List<Step> steps) {
    public ReplayResult {
        Objects.requireNonNull(exploration, "exploration");
        steps = List.copyOf(steps);
    }

    /**
     * One move replayed.
     *
     * @param step     the move with its status, outcome, error and HTTP calls (states are {@code "?"}: a
     *                 replay does not identify states)
     * @param failures the checks that failed after it, in the order they were checked
     * @param notRun   the invariants that could not judge it ({@link Invariant.NotRun}), with their reasons (masked)
     */
    public record Step(PathStep step, List<Failure> failures, Map<String, String> notRun) {
        public Step {
            Objects.requireNonNull(step, "step");
            failures = List.copyOf(failures);
            notRun = Collections.unmodifiableMap(new LinkedHashMap<>(notRun));
        }

        /** A move after which every invariant judged it. */
        public Step(PathStep step, List<Failure> failures) {
            this(step, failures, Map.of());
        }

        /** Whether the move's action returned (whatever status it answered): {@link Outcome#OK} or {@link Outcome#UNEXPECTED_STATUS}. */
        public boolean completed() {
            return step.outcome() == Outcome.OK || step.outcome() == Outcome.UNEXPECTED_STATUS;
        }

        /**
         * Why the move got no answer from the API, or empty when it did or completed: a move that ran past its
         * timeout ({@link Outcome#TIMEOUT}, its error), or one that failed ({@link Outcome#ERROR}) on a call
         * that got no response (its last call: {@code GET http://127.0.0.1:1/items → connection refused}). A move
         * that failed after its last call was answered (or before making any) reached the API, or never tried.
         */
        public Optional<String> noAnswer() {
            if (step.outcome() == Outcome.TIMEOUT) {
                return Optional.of(String.valueOf(step.error()));
            }
            if (step.outcome() != Outcome.ERROR || step.exchanges().isEmpty()) {
                return Optional.empty();
            }
            HttpExchange last = step.exchanges().get(step.exchanges().size() - 1);
            return last.hasResponse() ? Optional.empty() : Optional.of(last.summary());
        }

        private boolean failed(String invariant) {
            return failures.stream().anyMatch(f -> f.invariant().equals(invariant));
        }
    }

    /**
     * One check that failed.
     *
     * @param invariant the invariant's name (built-in ones included)
     * @param severity  its severity
     * @param message   what it said, masked as in exploration results
     */
    public record Failure(String invariant, Severity severity, String message) {
    }

    /** What a replay shows about one invariant. */
    public enum Kind {
        /** Every move completed and the invariant held after each. */
        FIXED,
        /** The invariant failed again after a move that got an answer (or completed without calling the API). */
        STILL_THERE,
        /** Cannot tell: a move got no answer from the API ({@link Step#noAnswer()}) before the invariant failed. */
        NO_ANSWER,
        /** Cannot tell: a move was answered but did not complete (its action threw), before the invariant failed. */
        DID_NOT_COMPLETE,
        /** Cannot tell: every move completed and the invariant never failed, but it could not judge some move. */
        NOT_RUN
    }

    /**
     * The verdict on one invariant.
     *
     * @param kind   which of the outcomes
     * @param step   the move it rests on: where the invariant failed again, or the move that got no answer or
     *               did not complete; {@code null} for {@link Kind#FIXED}
     * @param reason for {@link Kind#NO_ANSWER} the call that got none (or the timeout), for
     *               {@link Kind#DID_NOT_COMPLETE} the move's error, for {@link Kind#STILL_THERE} the failure's
     *               message, for {@link Kind#NOT_RUN} why the invariant could not judge the move; {@code null}
     *               for {@link Kind#FIXED}
     */
    public record Verdict(Kind kind, Step step, String reason) {
    }

    /**
     * What the replay shows about {@code invariant}, from the moves in path order: the first move after which
     * it failed is {@link Kind#STILL_THERE}, unless a move before it, or that move itself, got no answer from the
     * API ({@link Kind#NO_ANSWER}: its checks, {@value Invariant#MOVE_COMPLETES} included, then judge an API that
     * did not answer, not the bug) or did not complete ({@link Kind#DID_NOT_COMPLETE}: the moves after it do not
     * start from the state the path leads to). When every move completed and the invariant never failed, it is
     * {@link Kind#NOT_RUN} if it could not judge some move (the first), else {@link Kind#FIXED}.
     */
    public Verdict verdict(String invariant) {
        Verdict notRun = null;
        for (Step s : steps) {
            Optional<String> noAnswer = s.noAnswer();
            if (noAnswer.isPresent()) {
                return new Verdict(Kind.NO_ANSWER, s, noAnswer.get());
            }
            if (s.failed(invariant)) {
                return new Verdict(Kind.STILL_THERE, s, failuresOf(invariant).get(0).message());
            }
            if (!s.completed()) {
                return new Verdict(Kind.DID_NOT_COMPLETE, s, String.valueOf(s.step().error()));
            }
            if (notRun == null && s.notRun().containsKey(invariant)) {
                notRun = new Verdict(Kind.NOT_RUN, s, s.notRun().get(invariant)); // a later failure still tells
            }
        }
        return notRun != null ? notRun : new Verdict(Kind.FIXED, null, null);
    }

    /** Whether {@code invariant} failed after some move of the path (see {@link #verdict(String)} for whether that tells anything). */
    public boolean failed(String invariant) {
        return steps.stream().anyMatch(s -> s.failed(invariant));
    }

    /** The failures of {@code invariant}, in path order. */
    public List<Failure> failuresOf(String invariant) {
        return steps.stream().flatMap(s -> s.failures().stream()).filter(f -> f.invariant().equals(invariant)).toList();
    }
}
