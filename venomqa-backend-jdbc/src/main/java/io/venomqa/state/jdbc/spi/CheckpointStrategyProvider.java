package io.venomqa.state.jdbc.spi;

import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.StateConfig;
import io.venomqa.state.spi.OptionSpec;

import java.util.List;

/**
 * Makes a {@link CheckpointStrategy} for the {@code checkpoint_strategy} option value {@link #name()}.
 *
 * <p>A {@link JdbcStateManager} looks for the requested name, in this order: the providers of its
 * dialect ({@link JdbcDialect#checkpointStrategies()}), then providers registered with
 * {@link java.util.ServiceLoader} in
 * {@code META-INF/services/io.venomqa.state.jdbc.spi.CheckpointStrategyProvider} whose
 * {@link #supports(JdbcDialect)} accepts the dialect, then the built-in {@code savepoint}.
 * The lookup happens when the manager is constructed, so a wrong name fails at configuration time.
 */
public interface CheckpointStrategyProvider {

    /** The option value, lower case ({@code savepoint}, {@code journal}). */
    String name();

    /** Whether this provider works with {@code dialect} (a journal needs dialect-specific triggers). */
    default boolean supports(JdbcDialect dialect) {
        return true;
    }

    /**
     * The databases this provider works with, in words ({@code "PostgreSQL, MySQL/MariaDB and SQLite"}),
     * for the error a user gets when selecting it on a backend it does not {@link #supports support};
     * {@code null} (the default) when it does not say.
     */
    default String supportedDatabases() {
        return null;
    }

    /** A new strategy for one connection of a manager with this dialect and configuration. */
    CheckpointStrategy create(JdbcDialect dialect, StateConfig config);

    /**
     * The options this strategy reads (name, type, default, description). They are accepted only
     * when this strategy is chosen; the default declares none.
     */
    default List<OptionSpec> options() {
        return List.of();
    }

    /**
     * Read-only checks of what this strategy will need from the session's database (privileges,
     * leftovers of a run that died), for {@code venomqa doctor}. The session's own strategy may be
     * another one (doctor inspects with {@code savepoint}, so that looking installs nothing): this
     * must not change anything. Default: no findings.
     */
    default List<Finding> preflight(JdbcSession session) throws java.sql.SQLException {
        return List.of();
    }
}
