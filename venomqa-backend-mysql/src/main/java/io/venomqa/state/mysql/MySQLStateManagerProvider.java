package io.venomqa.state.mysql;

import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.mysql.internal.MySQLConnectionSpec;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.spi.OptionSpec;
import io.venomqa.state.spi.StateManagerProvider;

import java.util.List;
import java.util.Set;

/**
 * Registers {@link MySQLStateManager} as {@code db_backend: mysql} (alias {@code mariadb}), and as
 * the backend of {@code mysql://}, {@code mariadb://}, {@code jdbc:mysql:} and {@code jdbc:mariadb:}
 * URLs when {@code db_backend} is left out. Cheap to construct: nothing is loaded or opened until
 * {@link #create(StateConfig)} and then {@link StateManager#connect()}.
 */
public final class MySQLStateManagerProvider implements StateManagerProvider {

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("mariadb");
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the URL is not a MySQL/MariaDB URL or an option
     *                                  ({@code charset}, {@code connection_timeout}, …) is unusable
     */
    @Override
    public StateManager create(StateConfig config) {
        return new MySQLStateManager(config);
    }

    @Override
    public String artifact() {
        return "io.venomqa:venomqa-backend-mysql";
    }

    @Override
    public List<OptionSpec> options() {
        return JdbcStateManager.declaredOptions(new MySQLDialect());
    }

    @Override
    public List<OptionSpec> options(StateConfig config) {
        return JdbcStateManager.acceptedOptions(new MySQLDialect(), config);
    }
}
