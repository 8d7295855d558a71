package io.venomqa.state.sqlite;

import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.spi.OptionSpec;
import io.venomqa.state.spi.StateManagerProvider;

import java.util.List;
import java.util.Set;

/** Registers {@link SQLiteStateManager} as {@code sqlite} (alias {@code sqlite3}) and claims {@code sqlite:} and {@code jdbc:sqlite:} URLs. */
public final class SQLiteStateManagerProvider implements StateManagerProvider {

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("sqlite3");
    }

    @Override
    public StateManager create(StateConfig config) {
        return new SQLiteStateManager(config);
    }

    @Override
    public String artifact() {
        return "io.venomqa:venomqa-backend-sqlite";
    }

    @Override
    public List<OptionSpec> options() {
        return JdbcStateManager.declaredOptions(new SQLiteDialect());
    }

    @Override
    public List<OptionSpec> options(StateConfig config) {
        return JdbcStateManager.acceptedOptions(new SQLiteDialect(), config);
    }
}
