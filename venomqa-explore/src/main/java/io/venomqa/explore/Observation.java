package io.venomqa.explore;

import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Client;
import io.venomqa.http.HttpExchange;
import io.venomqa.http.Response;
import io.venomqa.state.DbChanges;
import io.venomqa.state.StateManager;

import java.util.List;
import java.util.Optional;

/**
 * What an {@link Invariant} (and a {@link StateProjection}) sees after a move: the client, the
 * execution context, the move just made with its HTTP exchanges and response, and read-only SQL on
 * the database as it is now. Valid only during the check it is given to.
 */
public interface Observation {

    /** The HTTP client the moves use. */
    Client client();

    /** The execution context as the move left it. Invariants should only read it. */
    ExecutionContext context();

    /** The move just made; empty for a check before the first move ({@link Invariant#alsoBefore()}). */
    Optional<Move> lastMove();

    /** The value the move's action returned (a {@link Response} for most moves); empty when none or before. */
    Optional<Object> lastResult();

    /** The action's result when it is a {@link Response}. */
    Optional<Response> lastResponse();

    /** Every HTTP call the last move made, in order (masked and cut as in the client's history). */
    List<HttpExchange> lastExchanges();

    /** The last HTTP call of the last move. */
    default Optional<HttpExchange> lastExchange() {
        List<HttpExchange> all = lastExchanges();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * The rows the last move wrote, each with its net change, read by the explorer around every move
     * when the state manager tracks changes ({@link StateManager#changeTracker()}, option
     * {@code track_changes: true}). When it does not, or the window could not be read, or before the
     * first move, the result is {@linkplain DbChanges#tracked() not tracked} with the reason: never an
     * empty result that would read as "nothing written".
     */
    default DbChanges lastDbChanges() {
        return DbChanges.notTracked("this observation does not carry the database changes of its move");
    }

    /** Read-only SQL on the database under test. */
    DatabaseView db();

    /** The state manager of the run, for projections that need the backend (do not change checkpoints). */
    StateManager stateManager();

    /** Number of moves from the start state to the state being observed along the path taken. */
    int depth();
}
