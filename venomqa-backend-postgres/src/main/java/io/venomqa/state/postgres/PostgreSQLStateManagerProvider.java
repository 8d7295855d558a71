package io.venomqa.state.postgres;

import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.spi.OptionSpec;
import io.venomqa.state.spi.StateManagerProvider;

import java.util.List;
import java.util.Set;

/**
 * Registers {@link PostgreSQLStateManager} as {@code postgresql} (alias {@code postgres}) and claims
 * {@code postgresql://}, {@code postgres://} and {@code jdbc:postgresql:} URLs.
 */
public final class PostgreSQLStateManagerProvider implements StateManagerProvider {

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("postgres");
    }

    @Override
    public StateManager create(StateConfig config) {
        return new PostgreSQLStateManager(config);
    }

    @Override
    public String artifact() {
        return "io.venomqa:venomqa-backend-postgres";
    }

    @Override
    public List<OptionSpec> options() {
        return JdbcStateManager.declaredOptions(new PostgreSQLDialect());
    }

    @Override
    public List<OptionSpec> options(StateConfig config) {
        return JdbcStateManager.acceptedOptions(new PostgreSQLDialect(), config);
    }
}
