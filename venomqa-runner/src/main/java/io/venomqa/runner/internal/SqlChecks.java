package io.venomqa.runner.internal;

import io.venomqa.context.ExecutionContext;
import io.venomqa.journey.Step;
import io.venomqa.state.SqlReader;
import io.venomqa.state.StateManager;

import java.util.List;
import java.util.Optional;

/**
 * Runs the SQL checks of a step or a journey through the state manager's {@link SqlReader}, with
 * parameters taken from the execution context. A check that cannot run fails like one whose rows
 * disagree: a check nobody ran must not read as a pass.
 */
final class SqlChecks {

    private final StateManager stateManager;
    private final ExecutionContext context;
    private final RunOutput out;

    SqlChecks(StateManager stateManager, ExecutionContext context, RunOutput out) {
        this.stateManager = stateManager;
        this.context = context;
        this.out = out;
    }

    /** Runs {@code checks} in order; the first failure, if any. */
    Optional<String> run(List<Step.SqlCheck> checks) {
        if (checks.isEmpty()) {
            return Optional.empty();
        }
        SqlReader reader = stateManager == null ? null : stateManager.sqlReader().orElse(null);
        if (reader == null) {
            return Optional.of("SQL checks cannot run: " + (stateManager == null ? "there is no state manager"
                    : "the " + stateManager.backendName() + " state manager cannot run SQL") + ".");
        }
        for (Step.SqlCheck check : checks) {
            try {
                List<?> params = check.paramsFor(context);
                Optional<String> failure = check.compare(params, reader.query(check.sql(), params));
                if (failure.isPresent()) {
                    return failure.map(out::mask); // a secret the client knows may sit in a column not named secret
                }
            } catch (RuntimeException e) {
                return Optional.of("SQL check " + check.sql() + " could not run: " + out.mask(e.getMessage()));
            }
        }
        return Optional.empty();
    }
}
