package io.venomqa.state.postgres;

import io.venomqa.state.StateConfig;
import io.venomqa.state.WorkerDatabases;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.postgres.internal.PostgreSQLWorkerDatabases;

import java.util.Optional;

/**
 * The PostgreSQL backend ({@code db_backend: postgresql}, alias {@code postgres}).
 *
 * <pre>{@code
 * try (PostgreSQLStateManager state = new PostgreSQLStateManager(StateConfig.builder()
 *         .url("postgresql://qa:secret@localhost:5432/qa_test")
 *         .tablesToReset(List.of("users", "orders"))
 *         .build())) {
 *     state.connect();
 *     state.checkpoint("before-order");
 *     // … the application writes through state.sharedDataSource() …
 *     state.rollback("before-order");
 * }
 * }</pre>
 *
 * Everything {@link JdbcStateManager} guarantees holds; PostgreSQL specifics (schema option,
 * sequences restored with {@code setval}, {@code TRUNCATE … RESTART IDENTITY}) are described on
 * {@link PostgreSQLDialect}. Options: {@code schema} (default {@code public}),
 * {@code connection_timeout}, {@code user}, {@code password}, {@code checkpoint_strategy},
 * {@code worker_copies} (default {@code auto}).
 */
public class PostgreSQLStateManager extends JdbcStateManager {

    /** An unconnected manager for {@code config}; the URL is checked now, nothing connects until {@link #connect()}. */
    public PostgreSQLStateManager(StateConfig config) {
        super(config, new PostgreSQLDialect());
        // A misspelt worker_copies fails when the configuration is loaded, not when workers are made.
        PostgreSQLWorkerDatabases.requireValidMode(config);
    }

    /** Shorthand for a configuration holding only {@code url}. */
    public PostgreSQLStateManager(String url) {
        this(StateConfig.builder().backend("postgresql").url(url).build());
    }

    /**
     * Copies of the database under test, as option {@code worker_copies} says: databases by
     * {@code CREATE DATABASE … TEMPLATE} (no other session may be connected to the source meanwhile),
     * or schemas of the same database for roles without CREATEDB ({@code auto} picks), see
     * {@code PostgreSQLWorkerDatabases}.
     */
    @Override
    public Optional<WorkerDatabases> workerDatabases() {
        return Optional.of(new PostgreSQLWorkerDatabases(config(), dialect()));
    }
}
