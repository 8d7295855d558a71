package io.venomqa.explore;

import java.util.List;
import java.util.Objects;

/**
 * One state of the explored graph: the states whose {@link StateProjection projections} are equal.
 *
 * @param id              {@code S0} for the start state, then {@code S1}, {@code S2}… in order of discovery
 * @param fingerprint     hash of the projection (hex)
 * @param depth           length of {@link #path()}
 * @param path            the shortest known sequence of move names from the start state to this one
 * @param summary         the projection as text, cut to a few hundred characters, for reports: values of secret-looking
 *                        columns and context keys, and secret fields of JSON values, as {@code ***}
 * @param discoveredAtStep the step that first reached it (0 for the start state)
 * @param enabledMoves    the moves that could run here when the explorer first stood in it; empty when
 *                        it was not expanded
 * @param expanded        whether its moves were considered (false at the depth bound)
 */
public record StateNode(String id, String fingerprint, int depth, List<String> path, String summary,
                        int discoveredAtStep, List<String> enabledMoves, boolean expanded) {
    public StateNode {
        Objects.requireNonNull(id, "id");
        path = List.copyOf(path);
        enabledMoves = List.copyOf(enabledMoves);
    }
}
