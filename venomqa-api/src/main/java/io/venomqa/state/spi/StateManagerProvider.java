package io.venomqa.state.spi;

import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;

import java.util.List;
import java.util.Set;

/**
 * Service-provider interface of a VenomQA backend, found with {@link java.util.ServiceLoader}.
 *
 * <p>Register an implementation in
 * {@code META-INF/services/io.venomqa.state.spi.StateManagerProvider} (one fully qualified class
 * name per line). It must have a public no-argument constructor and be cheap to construct:
 * discovery instantiates every provider to read its name, but only the chosen provider's
 * {@link #create(StateConfig)} is ever called. Name your class {@code <Backend>StateManagerProvider}.
 */
public interface StateManagerProvider {

    /** The backend's name as written in {@code db_backend}: lower case, such as {@code postgresql}. */
    String name();

    /** Other names accepted for {@code db_backend} (matched case-insensitively); may be empty. */
    Set<String> aliases();

    /**
     * Builds a new, unconnected manager for {@code config}. Must not open connections: that is
     * {@link StateManager#connect()}'s job.
     *
     * @throws IllegalArgumentException when the configuration is not usable by this backend,
     *                                  with a message naming the key at fault
     */
    StateManager create(StateConfig config);

    /**
     * Whether {@code url} is one this backend understands, used to pick a backend when
     * {@code db_backend} is not set. The default accepts the {@link BackendUrls#prefixes(String) prefixes}
     * VenomQA knows for {@link #name()}: nothing for a backend VenomQA does not publish.
     */
    default boolean acceptsUrl(String url) {
        return BackendUrls.claims(name(), url);
    }

    /**
     * The Maven coordinates of the artifact holding this provider ({@code io.venomqa:venomqa-backend-sqlite}),
     * shown in error messages and listings; {@code null} when unknown, in which case the jar
     * file name is shown.
     */
    default String artifact() {
        return null;
    }

    /**
     * The options this backend reads, whatever the rest of the configuration: name, type, default
     * and a one-line description, printed by {@code venomqa backends --options} and
     * {@code venomqa doctor}. The safety guard's options ({@link TestDatabaseGuard#OPTIONS})
     * are accepted everywhere and need not be repeated.
     *
     * <p>An empty list (the default) means "not declared": such a provider's options are not
     * checked, so providers written before declarations existed keep working. Declare at least
     * one option to have every undeclared one rejected.
     */
    default List<OptionSpec> options() {
        return List.of();
    }

    /**
     * The options accepted for {@code config}: {@link #options()} plus those of what the
     * configuration selects (an SQL backend adds its {@code checkpoint_strategy}'s). Configuration
     * loading and {@link io.venomqa.state.StateManagers#create} reject an option that is neither
     * here nor a guard option, naming the nearest declared one. Default: {@link #options()}.
     *
     * @throws IllegalArgumentException when {@code config} selects something unknown (a strategy name)
     */
    default List<OptionSpec> options(StateConfig config) {
        return options();
    }
}
