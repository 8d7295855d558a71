package io.venomqa.explore;

import io.venomqa.explore.internal.Projections;
import io.venomqa.state.StateManager;

import java.util.List;
import java.util.Objects;

/**
 * What identifies a state: the explorer captures the projection after every move, and two
 * moments with equal projections are one state of the graph. The captured value is turned into
 * canonical text (maps keep their order, so use ordered queries) and hashed into the state's
 * fingerprint.
 *
 * <p>Choosing it is the main tuning knob: too coarse and different situations merge (bugs
 * behind them are missed, the result warns when almost every move is a self-loop); too fine and
 * the graph never ends (ids or timestamps in the projection make every state new).
 *
 * <p>Defaults ({@link #defaultFor}): {@link #tableContents()} on SQL backends,
 * {@link #memoryStore()} on the in-memory backend.
 */
public interface StateProjection {

    /** What this projection captures, in words, for reports. */
    String describe();

    /**
     * The value identifying the current state: maps, lists, strings, numbers, booleans or
     * {@code null}, compared by their canonical text.
     */
    Object capture(Observation observation) throws Exception;

    /**
     * The row content of every table the state manager tracks (its checkpoints cover them):
     * each table read whole ({@code select *}; every table in one guarded read on the manager's
     * connection), its rows rendered as text and sorted, then hashed.
     * Exact, and indifferent to row order, but it costs one full read of every tracked table per
     * move: fine for test databases of hundreds of rows, slow for big ones (use
     * {@link #rowCounts()} or {@link #sql} there). SQL backends only.
     */
    static StateProjection tableContents() {
        return Projections.tableContents();
    }

    /** The number of rows of each tracked table: one {@code count(*)} per table. SQL backends only. */
    static StateProjection rowCounts() {
        return Projections.rowCounts();
    }

    /** The rows of each query, in the order the query returns them (add {@code order by}). */
    static StateProjection sql(String... queries) {
        return Projections.sql(List.of(queries));
    }

    /** The values of these execution-context keys (absent keys count as absent, not as null). */
    static StateProjection contextKeys(String... keys) {
        return Projections.contextKeys(List.of(keys));
    }

    /** The whole in-memory store of an {@code InMemoryStateManager}, keys sorted. Memory backend only. */
    static StateProjection memoryStore() {
        return Projections.memoryStore();
    }

    /** All of {@code parts}: states are equal when every part is. */
    static StateProjection of(StateProjection... parts) {
        return Projections.combined(List.of(parts));
    }

    /** A projection of your own, named for reports. */
    static StateProjection custom(String description, Capture capture) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(capture, "capture");
        return new StateProjection() {
            @Override
            public String describe() {
                return description;
            }

            @Override
            public Object capture(Observation observation) throws Exception {
                return capture.capture(observation);
            }
        };
    }

    /**
     * The default for {@code manager}: {@link #tableContents()} for a SQL backend, {@link #memoryStore()}
     * for the in-memory one.
     *
     * @throws ExplorationException for any other manager, saying which projection to choose
     */
    static StateProjection defaultFor(StateManager manager) {
        return Projections.defaultFor(manager);
    }

    /** The function of a {@link #custom} projection. */
    @FunctionalInterface
    interface Capture {
        /** The value identifying the current state. */
        Object capture(Observation observation) throws Exception;
    }
}
