package io.venomqa.state.memory;

import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.spi.OptionSpec;
import io.venomqa.state.spi.StateManagerProvider;

import java.util.List;
import java.util.Set;

/** Registers {@link InMemoryStateManager} as {@code db_backend: memory} (aliases {@code inmemory}, {@code in-memory}; URLs {@code memory://<name>}). */
public final class InMemoryStateManagerProvider implements StateManagerProvider {

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("inmemory", "in-memory");
    }

    @Override
    public StateManager create(StateConfig config) {
        return new InMemoryStateManager(config);
    }

    @Override
    public List<OptionSpec> options() {
        return InMemoryStateManager.OPTIONS;
    }

    @Override
    public String artifact() {
        return "io.venomqa:venomqa-backend-memory";
    }
}
