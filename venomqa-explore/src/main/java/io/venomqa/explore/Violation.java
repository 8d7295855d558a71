package io.venomqa.explore;

import java.util.List;
import java.util.Objects;

/**
 * An invariant that failed, with the path that reproduces it from the start state. Repeats of the
 * same (invariant, last move) pair are grouped into one violation with a {@link #count()}; the
 * first occurrence is kept and, with shrinking on, shrunk.
 *
 * @param invariant       the invariant's name (or a built-in one: {@value Invariant#EXPECTED_STATUS},
 *                        {@value Invariant#MOVE_COMPLETES})
 * @param severity        its severity
 * @param message         what the check said (assertion message, status, exception)
 * @param state           id of the state the failing check saw
 * @param lastMove        the move after which it failed first
 * @param path            the reproduction path from the start state: minimal when {@link #shrunk()},
 *                        else the path the exploration took; each step with its requests and responses
 * @param originalLength  moves in the path the exploration found
 * @param shrunk          whether shrinking produced {@link #path()} (it was on and a replay reproduced the failure)
 * @param reproduced      whether a replay from the start state failed the same invariant again
 *                        ({@code false} also when shrinking was off: nothing was replayed)
 * @param count           how often this (invariant, last move) pair failed during the exploration
 * @param firstStep       the exploration step at which it failed first
 */
public record Violation(String invariant, Severity severity, String message, String state, String lastMove,
                        List<PathStep> path, int originalLength, boolean shrunk, boolean reproduced, int count,
                        int firstStep) {
    public Violation {
        Objects.requireNonNull(invariant, "invariant");
        Objects.requireNonNull(severity, "severity");
        path = List.copyOf(path);
    }

    /** Moves in {@link #path()}. */
    public int shrunkLength() {
        return path.size();
    }

    /** The move names of {@link #path()}, in order. */
    public List<String> moves() {
        return path.stream().map(PathStep::move).toList();
    }
}
