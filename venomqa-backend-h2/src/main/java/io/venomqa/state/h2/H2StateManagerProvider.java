package io.venomqa.state.h2;

import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.spi.OptionSpec;
import io.venomqa.state.spi.StateManagerProvider;

import java.util.List;
import java.util.Set;

/** Registers {@link H2StateManager} as {@code h2} and claims {@code jdbc:h2:} (and {@code h2:}) URLs. */
public final class H2StateManagerProvider implements StateManagerProvider {

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public Set<String> aliases() {
        return Set.of();
    }

    @Override
    public StateManager create(StateConfig config) {
        return new H2StateManager(config);
    }

    @Override
    public String artifact() {
        return "io.venomqa:venomqa-backend-h2";
    }

    @Override
    public List<OptionSpec> options() {
        return JdbcStateManager.declaredOptions(new H2Dialect());
    }

    @Override
    public List<OptionSpec> options(StateConfig config) {
        return JdbcStateManager.acceptedOptions(new H2Dialect(), config);
    }
}
