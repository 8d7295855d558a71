package io.venomqa.explore;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the exploration tried, with the same names as the rest of the result (move names, state ids).
 *
 * @param moveRuns      how often each move ran, every move listed in declaration order (0 when it never ran)
 * @param pairs         every (state, move) pair possible in an expanded state, and whether it was tried
 * @param pairsTried    pairs tried
 * @param pairsPossible pairs possible: in each expanded state, the moves whose conditions held there
 */
public record Coverage(Map<String, Integer> moveRuns, List<Pair> pairs, int pairsTried, int pairsPossible) {
    public Coverage {
        moveRuns = Collections.unmodifiableMap(new LinkedHashMap<>(moveRuns));
        pairs = List.copyOf(pairs);
    }

    /**
     * One (state, move) pair.
     *
     * @param state a state id
     * @param move  a move name
     * @param tried whether the move was made from that state
     */
    public record Pair(String state, String move, boolean tried) {
    }

    /** {@link #pairsTried()} / {@link #pairsPossible()}, 1 when nothing was possible. */
    public double pairRatio() {
        return pairsPossible == 0 ? 1.0 : (double) pairsTried / pairsPossible;
    }
}
