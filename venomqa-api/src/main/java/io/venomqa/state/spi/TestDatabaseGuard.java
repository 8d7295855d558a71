package io.venomqa.state.spi;

import io.venomqa.core.DatabaseUrl;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.UnsafeDatabaseException;

import io.venomqa.state.spi.OptionSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Keeps destructive operations ({@link StateManager#reset()}, installing a journal) away from
 * databases that are not clearly for tests, the way Ruby's DatabaseCleaner does, with more cases.
 *
 * <p>Allowed without configuration: local hosts ({@code localhost}, {@code 127.0.0.0/8},
 * {@code ::1}), URLs without a host (the driver's local default), SQLite files, embedded
 * H2 ({@code mem:} and file URLs) and in-memory stores. Hosts are read with {@link DatabaseUrl}, the
 * parser the backends build their driver URLs with, so the host checked is the host connected to. Any other host needs option
 * {@code allow_remote: true}, or the host listed in option {@code allowed_hosts}. An environment
 * variable {@code VENOMQA_ENV} (or option {@code environment}) of {@code production} refuses always,
 * whatever else is configured. A URL whose host cannot be read counts as remote.
 */
public final class TestDatabaseGuard {

    /** Option allowing any host. */
    public static final String ALLOW_REMOTE = "allow_remote";
    /** Option listing hosts that are test databases although not local. */
    public static final String ALLOWED_HOSTS = "allowed_hosts";
    /** Option and (upper-cased) environment variable naming the environment. */
    public static final String ENVIRONMENT = "environment";
    /** Environment variable naming the environment; {@code production} refuses always. */
    public static final String ENV_VARIABLE = "VENOMQA_ENV";

    /** The guard's options, accepted by every backend (and at the top level of {@code venomqa.yaml}). */
    public static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.bool(ALLOW_REMOTE, "false", "Allow reset and the journal on a database whose host is not local."),
            OptionSpec.list(ALLOWED_HOSTS, null, "Hosts that are test databases although not local."),
            OptionSpec.text(ENVIRONMENT, "$" + ENV_VARIABLE, "The environment; 'production' refuses every destructive operation."));

    private TestDatabaseGuard() {
    }

    /** Checks {@code config} with the process environment. */
    public static void check(StateConfig config, String operation) {
        check(config, operation, System::getenv);
    }

    /**
     * Checks {@code config} before {@code operation} (such as "reset", shown in the message).
     *
     * @param env looks up environment variables (tests pass their own)
     * @throws UnsafeDatabaseException with the reason and how to allow the database
     */
    public static void check(StateConfig config, String operation, Function<String, String> env) {
        Objects.requireNonNull(config, "config");
        String environment = config.optionString(ENVIRONMENT, env.apply(ENV_VARIABLE));
        if (environment != null && environment.trim().equalsIgnoreCase("production")) {
            throw new UnsafeDatabaseException("Refusing to " + operation + " " + shown(config) + ": the environment is '"
                    + environment.trim() + "' (" + ENV_VARIABLE + " or option '" + ENVIRONMENT
                    + "'). VenomQA never empties or journals a production database; run it against a test database"
                    + " with " + ENV_VARIABLE + " unset or set to 'test'.");
        }
        if (config.optionBoolean(ALLOW_REMOTE, false)) {
            return;
        }
        List<String> allowed = new ArrayList<>();
        for (String h : config.optionList(ALLOWED_HOSTS)) {
            allowed.add(normalise(h));
        }
        List<String> hosts = hostsOf(config.url());
        for (String host : hosts) {
            if (!isLocal(host) && !allowed.contains(normalise(host))) {
                String what = host.isEmpty() ? "its host cannot be read from the URL" : "host '" + host + "' is not local";
                throw new UnsafeDatabaseException("Refusing to " + operation + " " + shown(config) + ": " + what
                        + ". VenomQA empties tables and rolls back data only on databases that are clearly for tests."
                        + " If this is a test database, allow it in venomqa.yaml with 'allow_remote: true' or "
                        + "'allowed_hosts: [" + (host.isEmpty() ? "<host>" : host) + "]'.");
            }
        }
    }

    /**
     * The hosts a URL points at, as {@link DatabaseUrl#parse(String)} reads them (the parser every
     * backend builds its driver URL with): an empty list for embedded databases and for an empty
     * authority (the driver's local default), a list holding an empty string for each host that
     * cannot be read, and just an empty string when the URL itself cannot be read.
     */
    public static List<String> hostsOf(String url) {
        if (url == null) {
            return List.of();
        }
        DatabaseUrl parsed;
        try {
            parsed = DatabaseUrl.parse(url);
        } catch (IllegalArgumentException e) {
            return List.of("");
        }
        if (parsed.isEmbedded()) {
            return List.of();
        }
        if (!parsed.hasAuthority()) {
            return List.of("");
        }
        List<String> hosts = new ArrayList<>();
        for (DatabaseUrl.Host h : parsed.hosts()) {
            hosts.add(h.name());
        }
        return hosts;
    }

    /** Whether {@code host} is this machine: {@code localhost}, {@code *.localhost}, {@code 127.0.0.0/8} or {@code ::1}. */
    public static boolean isLocal(String host) {
        String h = normalise(host);
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static String normalise(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h;
    }

    private static String shown(StateConfig config) {
        return config.url() == null ? "the database" : config.maskedUrl();
    }
}
