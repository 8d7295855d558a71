package io.venomqa.state.sqlite;

import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.sqlite.internal.SQLiteWorkerDatabases;

/**
 * The SQLite backend ({@code db_backend: sqlite}), for file and in-memory databases.
 *
 * <pre>{@code
 * try (SQLiteStateManager state = new SQLiteStateManager("sqlite:///build/qa.db")) {
 *     state.connect();
 *     state.checkpoint("empty-cart");
 *     // … writes through state.sharedDataSource() …
 *     state.rollback("empty-cart");
 * }
 * }</pre>
 *
 * Everything {@link JdbcStateManager} guarantees holds; SQLite specifics (URL forms, the
 * {@code timeout} and {@code foreign_keys} options, reset by {@code DELETE} plus
 * {@code sqlite_sequence}, the write lock held by the run) are described on {@link SQLiteDialect}.
 */
public class SQLiteStateManager extends JdbcStateManager {

    /** An unconnected manager for {@code config}. */
    public SQLiteStateManager(StateConfig config) {
        super(config, new SQLiteDialect());
    }

    /** Shorthand for a configuration holding only {@code url}. */
    public SQLiteStateManager(String url) {
        this(StateConfig.builder().backend("sqlite").url(url).build());
    }

    /** Copies the database file ({@code VACUUM INTO}) next to it per worker; in-memory databases have none. */
    @Override
    public java.util.Optional<io.venomqa.state.WorkerDatabases> workerDatabases() {
        return java.util.Optional.of(new SQLiteWorkerDatabases(config(), dialect()));
    }
}
