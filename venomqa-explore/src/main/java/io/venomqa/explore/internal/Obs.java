package io.venomqa.explore.internal;

import io.venomqa.context.ExecutionContext;
import io.venomqa.explore.DatabaseView;
import io.venomqa.explore.Move;
import io.venomqa.explore.Observation;
import io.venomqa.http.Client;
import io.venomqa.http.HttpExchange;
import io.venomqa.http.Response;
import io.venomqa.state.DbChanges;
import io.venomqa.state.StateManager;

import java.util.List;
import java.util.Optional;

/** The {@link Observation} given to projections and invariants. */
record Obs(Client client, ExecutionContext context, Move move, MoveRunner.Run run, DatabaseView db,
           StateManager stateManager, int depth) implements Observation {

    @Override
    public Optional<Move> lastMove() {
        return Optional.ofNullable(move);
    }

    @Override
    public Optional<Object> lastResult() {
        return run == null ? Optional.empty() : Optional.ofNullable(run.result());
    }

    @Override
    public Optional<Response> lastResponse() {
        return run != null && run.result() instanceof Response r ? Optional.of(r) : Optional.empty();
    }

    @Override
    public List<HttpExchange> lastExchanges() {
        return run == null ? List.of() : run.exchanges();
    }

    @Override
    public DbChanges lastDbChanges() {
        return run == null ? DbChanges.notTracked("no move was made yet") : run.changes();
    }
}
