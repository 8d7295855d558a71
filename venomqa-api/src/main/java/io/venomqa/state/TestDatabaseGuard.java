package io.venomqa.state;

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
 * {@code ::1}), Unix sockets (no host, or a {@code host=/path} parameter), SQLite files, embedded
 * H2 ({@code mem:} and file URLs) and in-memory stores. Any other host needs option
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
     * The hosts a URL points at: an empty list for embedded and socket databases, a list with an
     * empty string when the URL's host cannot be read.
     */
    static List<String> hostsOf(String url) {
        if (url == null) {
            return List.of();
        }
        String u = url.trim();
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:")) {
            u = u.substring(5);
            lower = lower.substring(5);
        }
        if (lower.startsWith("memory:") || lower.startsWith("sqlite:") || lower.startsWith("sqlite3:")) {
            return List.of();
        }
        if (lower.startsWith("h2:")) {
            String rest = lower.substring(3);
            if (rest.startsWith("tcp://") || rest.startsWith("ssl://")) {
                return authorityHosts(u.substring(3 + 6));
            }
            return List.of();
        }
        int scheme = u.indexOf("://");
        if (scheme < 0) {
            return List.of("");
        }
        String rest = u.substring(scheme + 3);
        int query = rest.indexOf('?');
        if (query >= 0 && rest.substring(query).toLowerCase(Locale.ROOT).matches(".*[?&]host=/.*")) {
            return List.of(); // Unix socket
        }
        return authorityHosts(rest);
    }

    private static List<String> authorityHosts(String rest) {
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        String authority = rest.substring(0, end);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        if (authority.isEmpty()) {
            return List.of(); // no host: the driver's Unix socket
        }
        List<String> hosts = new ArrayList<>();
        for (String hostPort : authority.split(",")) {
            hosts.add(stripPort(hostPort.trim()));
        }
        return hosts;
    }

    private static String stripPort(String hostPort) {
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            return close < 0 ? "" : hostPort.substring(1, close);
        }
        int colon = hostPort.indexOf(':');
        if (colon >= 0 && hostPort.indexOf(':', colon + 1) < 0) {
            return hostPort.substring(0, colon);
        }
        return hostPort; // a bare IPv6 address, or a host without port
    }

    static boolean isLocal(String host) {
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
