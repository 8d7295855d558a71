package io.venomqa.state.h2;

import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.JdbcStateManager;

/**
 * The H2 backend ({@code db_backend: h2}), for teams whose tests run on embedded H2, file or in-memory.
 *
 * <pre>{@code
 * try (H2StateManager state = new H2StateManager("jdbc:h2:mem:qa;DB_CLOSE_DELAY=-1")) {
 *     state.connect();
 *     state.checkpoint("seeded");
 *     // … the application writes through state.sharedDataSource() …
 *     state.rollback("seeded");
 * }
 * }</pre>
 *
 * Everything {@link JdbcStateManager} guarantees holds; H2 specifics (identity restore with
 * {@code ALTER … RESTART WITH}, reset with {@code TRUNCATE … RESTART IDENTITY} and referential
 * integrity switched off, H2's committing {@code TRUNCATE}) are described on {@link H2Dialect}.
 */
public class H2StateManager extends JdbcStateManager {

    /** An unconnected manager for {@code config}. */
    public H2StateManager(StateConfig config) {
        super(config, new H2Dialect());
    }

    /** Shorthand for a configuration holding only {@code url}. */
    public H2StateManager(String url) {
        this(StateConfig.builder().backend("h2").url(url).build());
    }

    /**
     * Worker copies made with H2's {@code SCRIPT}, for named in-memory and embedded file databases
     * (see {@link io.venomqa.state.WorkerDatabases}); an H2 server URL is refused when copies are made.
     */
    @Override
    public java.util.Optional<io.venomqa.state.WorkerDatabases> workerDatabases() {
        return java.util.Optional.of(new io.venomqa.state.h2.internal.H2WorkerDatabases(config(), dialect()));
    }
}
