package io.venomqa.explore;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything an exploration found: the state graph, coverage, violations with their reproduction
 * paths, and why it stopped. Immutable; lists are in a deterministic order (states by discovery,
 * transitions by step, violations by first occurrence), so the same seed gives an equal graph.
 *
 * @param name          the exploration's name
 * @param strategy      the strategy's name ({@code bfs}, {@code dfs}, {@code random}, {@code coverage})
 * @param seed          the random seed, or {@code null} for strategies that use none
 * @param stopReason    which limit ended the run, or {@link StopReason#EXHAUSTED}
 * @param steps         moves made by the exploration (not counting replays and shrinking)
 * @param replayedMoves moves re-run to return to a state (only in {@link RestoreMode#REPLAY})
 * @param shrinkRuns    moves run while shrinking violations
 * @param startedAt     when the run started
 * @param duration      how long it took, shrinking included
 * @param backend       the state manager's backend name
 * @param projection    how states were identified ({@link StateProjection#describe()})
 * @param restoreMode   how the explorer returned to states
 * @param restoreNote   that mode in words, for reports
 * @param limits        the limits it ran under
 * @param states        the states seen, {@code S0} first
 * @param transitions   the moves made, in order
 * @param coverage      runs per move and (state, move) pairs tried
 * @param neverRun      the moves that never ran, with why
 * @param invariants    every invariant checked, built-in ones included, with their counts
 * @param violations    the violations, grouped by (invariant, last move), in order of first occurrence
 * @param warnings      things to act on (a projection that sees one state, nondeterministic replays…)
 * @param moves         every move declared, with the statuses it expects (what a replay judges statuses by)
 * @param attributes    facts about the exploration's origin ({@link Exploration.Builder#attribute}), e.g. {@code openapi.document}
 */
public record ExplorationResult(String name, String strategy, Long seed, StopReason stopReason, int steps,
                                int replayedMoves, int shrinkRuns, Instant startedAt, Duration duration,
                                String backend, String projection, RestoreMode restoreMode, String restoreNote,
                                Limits limits, List<StateNode> states, List<Transition> transitions,
                                Coverage coverage, List<NeverRun> neverRun, List<InvariantSummary> invariants,
                                List<Violation> violations, List<Warning> warnings, List<MoveSummary> moves,
                                Map<String, String> attributes) {
    public ExplorationResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stopReason, "stopReason");
        states = List.copyOf(states);
        transitions = List.copyOf(transitions);
        neverRun = List.copyOf(neverRun);
        invariants = List.copyOf(invariants);
        violations = List.copyOf(violations);
        warnings = List.copyOf(warnings);
        moves = List.copyOf(moves);
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** A result without {@link #moves()} and {@link #attributes()} (as results were before they existed). */
    public ExplorationResult(String name, String strategy, Long seed, StopReason stopReason, int steps,
                             int replayedMoves, int shrinkRuns, Instant startedAt, Duration duration,
                             String backend, String projection, RestoreMode restoreMode, String restoreNote,
                             Limits limits, List<StateNode> states, List<Transition> transitions,
                             Coverage coverage, List<NeverRun> neverRun, List<InvariantSummary> invariants,
                             List<Violation> violations, List<Warning> warnings) {
        this(name, strategy, seed, stopReason, steps, replayedMoves, shrinkRuns, startedAt, duration, backend, projection,
                restoreMode, restoreNote, limits, states, transitions, coverage, neverRun, invariants, violations, warnings,
                List.of(), Map.of());
    }

    /** Whether no invariant (built-in ones included) failed. */
    public boolean passed() {
        return violations.isEmpty();
    }

    /** Whether some invariant failed. */
    public boolean hasViolations() {
        return !violations.isEmpty();
    }

    /** The state with id {@code id}. */
    public Optional<StateNode> state(String id) {
        return states.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** The violations of invariant {@code name}. */
    public List<Violation> violationsOf(String invariant) {
        return violations.stream().filter(v -> v.invariant().equals(invariant)).toList();
    }

    /** One line: {@code explore 'shop' (bfs): 12 states, 40 transitions, 40 steps, 1 violation, stopped: EXHAUSTED}. */
    public String summary() {
        return "explore '" + name + "' (" + strategy + (seed != null ? ", seed " + seed : "") + "): "
                + count(states.size(), "state") + ", " + count(transitions.size(), "transition") + ", " + count(steps, "step")
                + ", " + count(violations.size(), "violation") + ", stopped: " + stopReason;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
