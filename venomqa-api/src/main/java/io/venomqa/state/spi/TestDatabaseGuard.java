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
import java.util.Optional;
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
 *
 * <p>The database name is checked too, on every host: with option {@code allowed_databases}
 * (names or {@code *}/{@code ?} patterns) only those names pass; without it a name whose words say
 * development or production ({@code dev_db}, {@code shop_production}, a SQLite file
 * {@code development.sqlite3}) is refused unless a word says test ({@code qa}, {@code test}, …).
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
    /**
     * Option listing the database names (or patterns with {@code *} and {@code ?}, compared ignoring
     * case) that may be reset; when set, every other name is refused.
     */
    public static final String ALLOWED_DATABASES = "allowed_databases";

    /** Words of a database name that say it is not for tests (unless a test word is there too). */
    private static final java.util.Set<String> NOT_FOR_TESTS = java.util.Set.of("dev", "devel", "develop", "development",
            "prod", "prd", "production", "live", "staging", "stage", "stg");
    /** Words of a database name that say it is for tests. */
    private static final java.util.Set<String> FOR_TESTS = java.util.Set.of("test", "tests", "testing", "qa", "ci",
            "e2e", "it", "spec", "tmp", "temp", "scratch");

    /** Where a database name splits into words: punctuation, and between letters and digits ({@code shop2prod}). */
    private static final java.util.regex.Pattern WORD_BREAK =
            java.util.regex.Pattern.compile("[^a-z0-9]+|(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])");

    /** The guard's options, accepted by every backend (and at the top level of {@code venomqa.yaml}). */
    public static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.bool(ALLOW_REMOTE, "false", "Allow reset and the journal on a database whose host is not local."),
            OptionSpec.list(ALLOWED_HOSTS, null, "Hosts that are test databases although not local."),
            OptionSpec.list(ALLOWED_DATABASES, null, "Database-name patterns that are test databases ('*_test'); reset refuses other names that look like development or production."),
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
        checkName(config, operation);
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
     * The database-name rule: with {@value #ALLOWED_DATABASES} set, the name must match one of its
     * patterns; without it, a name whose words say development or production ({@code dev_db},
     * {@code shop_production}, {@code development.sqlite3}, {@code live}) is refused unless a word
     * says test ({@code dev_test}, {@code qa_staging}). In-memory databases and URLs whose database
     * name cannot be read are left to the host rule.
     */
    private static void checkName(StateConfig config, String operation) {
        String name = databaseNameOf(config.url());
        if (name == null) {
            return;
        }
        List<String> allowed = config.optionList(ALLOWED_DATABASES);
        if (!allowed.isEmpty()) {
            if (allowed.stream().noneMatch(p -> matches(p.trim(), name))) {
                throw new UnsafeDatabaseException("Refusing to " + operation + " " + shown(config) + ": database '" + name
                        + "' is not in '" + ALLOWED_DATABASES + ": " + allowed + "'. Add it (or a pattern such as '*_test')"
                        + " to " + ALLOWED_DATABASES + " in venomqa.yaml if this is a test database.");
            }
            return;
        }
        Optional<String> why = notForTestsWord(name);
        if (why.isPresent()) {
            throw new UnsafeDatabaseException("Refusing to " + operation + " " + shown(config) + ": database '" + name
                    + "' looks like a " + (why.get().startsWith("d") ? "development" : "production or shared") + " database"
                    + " (the word '" + why.get() + "'). VenomQA empties tables and rolls back data only on databases that"
                    + " are clearly for tests: use a separate test database (such as '" + name.replaceAll("(?i)" + why.get(), "test")
                    + "'), or, if this one is for tests, allow it in venomqa.yaml with '" + ALLOWED_DATABASES + ": [" + name + "]'.");
        }
    }

    /** The word of {@code name} that says it is not for tests, if any and no word says it is. */
    public static Optional<String> notForTestsWord(String name) {
        List<String> words = new ArrayList<>();
        for (String w : WORD_BREAK.split(name.toLowerCase(Locale.ROOT))) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        if (words.stream().anyMatch(FOR_TESTS::contains)) {
            return Optional.empty();
        }
        return words.stream().filter(NOT_FOR_TESTS::contains).findFirst();
    }

    /**
     * The database name {@code url} points at: the path of a server URL, the file name without its
     * extension for a file database; {@code null} for in-memory databases and URLs it cannot read.
     */
    public static String databaseNameOf(String url) {
        if (url == null) {
            return null;
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("memory:") || lower.contains(":mem:") || lower.contains(":memory:")) {
            return null;
        }
        DatabaseUrl parsed;
        try {
            parsed = DatabaseUrl.parse(url);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String name;
        // A scheme of a backend of the user's own with no host (props:/srv/prod.properties, props:x.properties,
        // props:///srv/x) names a file or a store, as the README's "Your URLs and the reset guard" says: its name is
        // read as an embedded database's is. Until 2026-12-05 the first two gave no name (the production-name check
        // never ran) and the third gave "srv/prod.properties".
        boolean ownFileScheme = !parsed.isJdbc() && parsed.hosts().isEmpty() && !SERVER_SCHEMES.contains(parsed.scheme());
        if (parsed.isEmbedded() || ownFileScheme) {
            String rest = url;
            int cut = indexOfAny(rest, '?', ';');
            if (cut >= 0) {
                rest = rest.substring(0, cut);
            }
            int slash = Math.max(rest.lastIndexOf('/'), Math.max(rest.lastIndexOf('\\'), rest.lastIndexOf(':')));
            name = rest.substring(slash + 1);
            int dot = name.indexOf('.');
            if (dot > 0) {
                name = name.substring(0, dot);
            }
        } else {
            name = parsed.database();
        }
        return name == null || name.isBlank() ? null : name;
    }

    /** The built-in server backends' schemes: {@code postgresql:///db} names database {@code db}, not a file. */
    private static final java.util.Set<String> SERVER_SCHEMES = java.util.Set.of("postgresql", "postgres", "mysql", "mariadb");

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    private static boolean matches(String pattern, String name) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return java.util.regex.Pattern.compile(re.toString(), java.util.regex.Pattern.CASE_INSENSITIVE).matcher(name).matches();
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
            // A custom backend's own scheme without "//" ("props:/tmp/x", "props:x") names a file or a
            // store, not a host: local, like "props:///tmp/x". Published server schemes and jdbc: URLs
            // without an authority leave the host to the driver, which the guard cannot see.
            if (!parsed.isJdbc() && url.matches("(?s)[A-Za-z][A-Za-z0-9+\\-]*:(?![0-9]).+") // a scheme, not "host:port"
                    && io.venomqa.state.internal.KnownBackends.byUrl(url).isEmpty()) {
                return List.of();
            }
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
