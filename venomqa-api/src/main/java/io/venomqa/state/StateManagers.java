package io.venomqa.state;

import io.venomqa.core.CredentialMasker;
import io.venomqa.core.DidYouMean;
import io.venomqa.core.VenomQAException;
import io.venomqa.state.internal.KnownBackends;
import io.venomqa.state.spi.OptionSpec;
import io.venomqa.state.spi.TestDatabaseGuard;
import io.venomqa.state.spi.StateManagerProvider;

import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds backends with {@link ServiceLoader} and creates the one a configuration asks for.
 *
 * <ul>
 *   <li>{@code db_backend} is matched against every provider's name and aliases, case-insensitively.</li>
 *   <li>Without {@code db_backend}, the backend is inferred from {@code db_url}
 *       ({@code postgresql://}, {@code jdbc:mysql:}, {@code sqlite:}, {@code memory://}, …).</li>
 *   <li>Only the chosen provider's {@code create} is called; nothing connects until
 *       {@link StateManager#connect()}.</li>
 *   <li>The system property {@value #PROVIDER_PROPERTY} names a provider class that is used for
 *       every configuration, whatever {@code db_backend} says (the way out when two providers
 *       claim one name).</li>
 *   <li>An unknown name raises {@link BackendNotFoundException} listing what is available and
 *       which artifact to add; two providers claiming the requested name raise
 *       {@link BackendConflictException} naming both classes and jars.</li>
 * </ul>
 * Providers are looked up through the thread's context class loader (falling back to this
 * class's loader) unless a loader is passed.
 */
public final class StateManagers {

    /** System property naming a provider class to use regardless of {@code db_backend}. */
    public static final String PROVIDER_PROPERTY = "venomqa.state.provider";

    private StateManagers() {
    }

    /** Creates an unconnected manager for {@code config}, using the context class loader. */
    public static StateManager create(StateConfig config) {
        return create(config, defaultLoader());
    }

    /**
     * Creates an unconnected manager for {@code config}, looking for providers in {@code loader}. When the
     * provider declares its options, an option it does not declare, or whose value its declared type does not
     * read ({@link OptionSpec#requireValid}), fails here with an {@link IllegalArgumentException}, before
     * anything connects.
     */
    public static StateManager create(StateConfig config, ClassLoader loader) {
        Objects.requireNonNull(config, "config");
        StateManagerProvider provider = resolve(config, loadProviders(loader));
        List<OptionSpec> accepted = acceptedOptions(provider, config);
        if (!accepted.isEmpty()) {
            OptionSpec.requireKnown(config, accepted, "db_backend '" + provider.name() + "'");
            OptionSpec.requireValid(config, accepted, "db_backend '" + provider.name() + "'");
        }
        StateManager manager = provider.create(config);
        if (manager == null) {
            throw new VenomQAException("Provider " + provider.getClass().getName() + " returned null from create()");
        }
        return manager;
    }

    /** Creates an unconnected manager for a URL alone, inferring the backend from its scheme. */
    public static StateManager fromUrl(String url) {
        Objects.requireNonNull(url, "url");
        return create(StateConfig.builder().url(url).build());
    }

    /** The backends on the class path, sorted by name. */
    public static List<BackendInfo> available() {
        return available(defaultLoader());
    }

    /** The backends visible to {@code loader}, sorted by name. */
    public static List<BackendInfo> available(ClassLoader loader) {
        return loadProviders(loader).stream()
                .map(StateManagers::info)
                .sorted(Comparator.comparing(BackendInfo::name))
                .toList();
    }

    /** The provider that {@code nameOrAlias} selects. */
    public static StateManagerProvider provider(String nameOrAlias) {
        return resolve(StateConfig.builder().backend(nameOrAlias).build(), loadProviders(defaultLoader()));
    }

    /**
     * The provider {@code config} selects ({@code db_backend}, else {@code db_url}), looked up in
     * the context class loader, without creating anything.
     *
     * @throws BackendNotFoundException or {@link BackendConflictException} as {@link #create} would
     */
    public static StateManagerProvider provider(StateConfig config) {
        return resolve(Objects.requireNonNull(config, "config"), loadProviders(defaultLoader()));
    }

    /** Every provider visible to the context class loader, in discovery order. */
    public static List<StateManagerProvider> providers() {
        return loadProviders(defaultLoader());
    }

    /**
     * The options {@code provider} accepts for {@code config}: what it declares for that
     * configuration plus {@link TestDatabaseGuard#OPTIONS}; an empty list when the provider declares
     * none (its options are then not checked).
     *
     * @throws IllegalArgumentException when the configuration selects something the provider does not know
     */
    public static List<OptionSpec> acceptedOptions(StateManagerProvider provider, StateConfig config) {
        List<OptionSpec> declared = provider.options(config);
        if (declared == null || declared.isEmpty()) {
            return List.of();
        }
        List<OptionSpec> all = new ArrayList<>(declared);
        all.addAll(TestDatabaseGuard.OPTIONS);
        return OptionSpec.distinct(all);
    }

    // ---- resolution -------------------------------------------------------------------------

    private static StateManagerProvider resolve(StateConfig config, List<StateManagerProvider> providers) {
        String forced = System.getProperty(PROVIDER_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            return forcedProvider(forced.trim(), providers);
        }
        String requested = config.backend();
        if (requested == null) {
            return inferFromUrl(config.url(), providers);
        }
        List<StateManagerProvider> matches = providers.stream()
                .filter(p -> answersTo(p, requested))
                .toList();
        if (matches.isEmpty()) {
            throw new BackendNotFoundException(unknownBackendMessage(requested, providers));
        }
        if (matches.size() > 1) {
            throw new BackendConflictException(conflictMessage(requested, matches));
        }
        StateManagerProvider chosen = matches.get(0);
        checkUrlMatches(requested, chosen, config.url(), providers);
        return chosen;
    }

    private static StateManagerProvider forcedProvider(String className, List<StateManagerProvider> providers) {
        for (StateManagerProvider p : providers) {
            if (p.getClass().getName().equals(className)) {
                return p;
            }
        }
        throw new BackendNotFoundException("System property " + PROVIDER_PROPERTY + " names '" + className
                + "', but no StateManagerProvider of that class is registered on the class path. Registered: "
                + describe(providers) + ". Fix the class name or remove the property.");
    }

    private static StateManagerProvider inferFromUrl(String url, List<StateManagerProvider> providers) {
        if (url == null) {
            throw new BackendNotFoundException("No backend configured: set db_backend (one of " + names(providers)
                    + ") or a db_url whose scheme tells it (postgresql://, mysql://, sqlite:, jdbc:h2:, memory://).");
        }
        List<StateManagerProvider> matches = providers.stream().filter(p -> acceptsUrl(p, url)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.size() > 1) {
            throw new BackendConflictException("db_url '" + CredentialMasker.maskUrl(url)
                    + "' is accepted by more than one backend: " + describe(matches)
                    + ". Set db_backend to choose one.");
        }
        String masked = CredentialMasker.maskUrl(url);
        var known = KnownBackends.byUrl(url);
        if (known.isPresent()) {
            KnownBackends.Known k = known.get();
            throw new BackendNotFoundException("db_url '" + masked + "' needs the " + k.displayName()
                    + " backend, which is not on the class path. Available: " + describe(providers)
                    + ". For " + k.displayName() + " add " + k.coordinates() + ".");
        }
        // A backend of one's own is picked by URL only through its provider's acceptsUrl(): say so when
        // one is registered, since its author's likeliest mistake is not overriding it.
        List<String> own = providers.stream().map(StateManagerProvider::name)
                .filter(n -> KnownBackends.byName(n).isEmpty()).toList();
        String ownHint = own.isEmpty() ? "" : " The backend" + (own.size() == 1 ? " " : "s ") + own
                + " on the class path did not claim it: a provider is chosen by db_url alone only when its "
                + "acceptsUrl(String) returns true for the URL.";
        throw new BackendNotFoundException("Cannot tell the backend from db_url '" + masked
                + "'. Set db_backend (one of " + names(providers) + ") or use a URL starting with "
                + "postgresql://, mysql://, mariadb://, sqlite:, jdbc:h2: or memory://." + ownHint);
    }

    private static void checkUrlMatches(String requested, StateManagerProvider chosen, String url,
                                        List<StateManagerProvider> providers) {
        if (url == null || acceptsUrl(chosen, url)) {
            return;
        }
        // Only complain when the URL clearly belongs to another backend; custom URL forms stay allowed.
        String owner = providers.stream().filter(p -> p != chosen && acceptsUrl(p, url)).map(StateManagerProvider::name)
                .findFirst()
                .orElseGet(() -> KnownBackends.byUrl(url)
                        .filter(k -> !k.answersTo(chosen.name()))
                        .map(KnownBackends.Known::name).orElse(null));
        if (owner != null) {
            throw new BackendNotFoundException("db_backend '" + requested + "' does not match db_url '"
                    + CredentialMasker.maskUrl(url) + "', which is a " + owner
                    + " URL. Change db_backend to '" + owner + "' or give a " + chosen.name() + " URL.");
        }
    }

    private static String unknownBackendMessage(String requested, List<StateManagerProvider> providers) {
        StringBuilder msg = new StringBuilder("Unknown db_backend '").append(requested).append("'. Available: ")
                .append(describe(providers)).append('.');
        // A typo of a backend that is on the class path: the user has the artifact and needs the name.
        List<String> installed = new ArrayList<>();
        for (StateManagerProvider p : providers) {
            installed.add(p.name());
            if (p.aliases() != null) {
                installed.addAll(p.aliases());
            }
        }
        Optional<String> typo = DidYouMean.nearest(requested.toLowerCase(Locale.ROOT), installed);
        if (typo.isPresent()) {
            String name = providers.stream().filter(p -> answersTo(p, typo.get())).map(StateManagerProvider::name)
                    .findFirst().orElse(typo.get());
            return msg.append(" Did you mean '").append(name).append("'?").toString();
        }
        KnownBackends.byName(requested).or(() -> KnownBackends.nearest(requested))
                .filter(k -> providers.stream().noneMatch(p -> answersTo(p, k.name())))
                .ifPresentOrElse(
                        k -> msg.append(" For ").append(k.displayName()).append(" add ").append(k.coordinates()).append('.'),
                        () -> msg.append(" Use one of the names above, add the venomqa-backend-<name> artifact of the"
                                + " database you need, or register your own StateManagerProvider in"
                                + " META-INF/services/io.venomqa.state.spi.StateManagerProvider."));
        return msg.toString();
    }

    private static String conflictMessage(String requested, List<StateManagerProvider> matches) {
        String each = matches.stream()
                .map(p -> p.getClass().getName() + " (from " + location(p) + ")")
                .collect(Collectors.joining(" and "));
        return "Two backends claim db_backend '" + requested + "': " + each
                + ". Remove one of the jars from the class path, or choose one with -D" + PROVIDER_PROPERTY
                + "=<provider class>.";
    }

    // ---- discovery --------------------------------------------------------------------------

    private static List<StateManagerProvider> loadProviders(ClassLoader loader) {
        List<StateManagerProvider> out = new ArrayList<>();
        ServiceLoader<StateManagerProvider> sl = ServiceLoader.load(StateManagerProvider.class, loader);
        var it = sl.iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                out.add(it.next());
            } catch (ServiceConfigurationError e) {
                // ServiceLoader says "<class> not a subtype" when the file names a class that exists but is not a
                // provider: most often the StateManager itself instead of its StateManagerProvider.
                String message = String.valueOf(e.getMessage());
                String fix = message.endsWith("not a subtype")
                        ? "The class it names does not implement " + StateManagerProvider.class.getName()
                                + ": list the provider class there (the one implementing StateManagerProvider, whose "
                                + "create(config) returns your StateManager), not the StateManager itself."
                        : "Check that the class exists, is public and has a public no-argument constructor.";
                throw new VenomQAException("A backend registered in META-INF/services/"
                        + StateManagerProvider.class.getName() + " could not be loaded: " + message + ". " + fix, e);
            }
        }
        return out;
    }

    private static boolean answersTo(StateManagerProvider p, String requested) {
        String r = requested.toLowerCase(Locale.ROOT);
        if (p.name().toLowerCase(Locale.ROOT).equals(r)) {
            return true;
        }
        Set<String> aliases = p.aliases();
        return aliases != null && aliases.stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(r));
    }

    private static boolean acceptsUrl(StateManagerProvider p, String url) {
        try {
            return p.acceptsUrl(url);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static BackendInfo info(StateManagerProvider p) {
        Set<String> aliases = p.aliases() == null ? Set.of() : new LinkedHashSet<>(p.aliases());
        return new BackendInfo(p.name(), Set.copyOf(aliases), artifactOf(p), p.getClass().getName(), location(p));
    }

    private static String artifactOf(StateManagerProvider p) {
        String a = p.artifact();
        if (a != null && !a.isBlank()) {
            return a;
        }
        String loc = location(p);
        int slash = loc.lastIndexOf('/', loc.endsWith("/") ? loc.length() - 2 : loc.length() - 1);
        return slash >= 0 ? loc.substring(slash + 1) : loc;
    }

    /** {@code memory (venomqa-backend-memory), sqlite (venomqa-backend-sqlite)}, or a note that there are none. */
    private static String describe(List<StateManagerProvider> providers) {
        if (providers.isEmpty()) {
            return "none (no venomqa-backend-* artifact on the class path)";
        }
        return providers.stream()
                .sorted(Comparator.comparing(StateManagerProvider::name))
                .map(p -> p.name() + " (" + shortArtifact(artifactOf(p)) + ")")
                .collect(Collectors.joining(", "));
    }

    private static String shortArtifact(String artifact) {
        return artifact.startsWith("io.venomqa:") ? artifact.substring("io.venomqa:".length()) : artifact;
    }

    private static String names(List<StateManagerProvider> providers) {
        return providers.isEmpty() ? "none available"
                : providers.stream().map(StateManagerProvider::name).sorted().collect(Collectors.joining(", "));
    }

    private static String location(StateManagerProvider p) {
        try {
            CodeSource cs = p.getClass().getProtectionDomain().getCodeSource();
            URL url = cs == null ? null : cs.getLocation();
            return url == null ? "(unknown)" : url.toString();
        } catch (SecurityException e) {
            return "(unknown)";
        }
    }

    private static ClassLoader defaultLoader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : StateManagers.class.getClassLoader();
    }
}
