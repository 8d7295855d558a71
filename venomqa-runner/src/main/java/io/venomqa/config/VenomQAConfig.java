package io.venomqa.config;

import io.venomqa.config.internal.ConfigFileReader;
import io.venomqa.config.internal.ConfigLayers;
import io.venomqa.config.internal.ConfigOptionCheck;
import io.venomqa.config.internal.WorkerKeys;
import io.venomqa.runner.WorkerEndpoint;
import io.venomqa.runner.Workers;
import io.venomqa.http.Client;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.runner.KeepResponses;
import io.venomqa.core.CredentialMasker;
import io.venomqa.state.spi.StateManagerProvider;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The settings of {@code venomqa.yaml}: where the API is, which database to roll back and how,
 * and where reports go. Immutable.
 *
 * <pre>
 * base_url: http://localhost:8080
 * db_url: postgresql://qa:${DB_PASSWORD}@localhost:5432/qa_test
 * db_backend: postgresql            # optional when db_url tells it
 * tables_to_reset: [users, orders]  # or "users, orders"
 * exclude_tables: [migrations]
 * checkpoint_strategy: savepoint    # or journal
 * timeout: 30s                      # HTTP request timeout: seconds, or 500ms / 30s / 2m
 * csrf_cookie: XSRF-TOKEN           # send this cookie's value as a header on POST/PUT/PATCH/DELETE
 * csrf_header: X-XSRF-TOKEN         #   (default: X- and the cookie's name)
 * report_dir: target/venomqa
 * workers: 2                        # parallel workers (default 1), each an API with its own database:
 * worker_apis:                      #   running elsewhere, one {base_url, db_url} per worker
 *   - {base_url: http://localhost:8081, db_url: postgresql://qa@localhost/qa_test_w1}
 *   - {base_url: http://localhost:8082, db_url: postgresql://qa@localhost/qa_test_w2}
 * # or, instead of worker_apis: VenomQA copies db_url per worker and starts the API itself
 * # worker_command: java -jar shop.jar --db=${jdbc_url} --port=${port}
 * # worker_health_url: http://127.0.0.1:${port}/health
 * reset: before_run                 # or never (default): reset, then checkpoint clean_state, before the first journey
 * keep_responses: failures          # or all (default): bodies of passing steps are not kept in results
 * allow_remote: false              # any option the chosen backend or strategy declares may stand here
 * db_options:                       # ... or here
 *   schema: shop
 * </pre>
 *
 * <p>How a file is read:
 * <ol>
 *   <li>{@code ${VAR}} and {@code ${VAR:-default}} are expanded in every text value ({@code $$} is
 *       a literal {@code $}); a variable without a default that is not set is an error naming it.</li>
 *   <li>A top-level key that is not one of {@link #KNOWN_KEYS} is a backend option; it and every key
 *       under {@code db_options} must be an option the chosen backend or checkpoint strategy
 *       declares ({@link StateManagerProvider#options(StateConfig)}, plus the safety guard's
 *       {@code allow_remote}, {@code allowed_hosts}, {@code environment}). Anything else is an error
 *       naming it, its line, and the nearest known name ({@code db_ulr} → did you mean
 *       {@code db_url}?; {@code sheme} → did you mean {@code schema}?). A typo never silently
 *       leaves the database un-isolated. When the backend is not on the class path yet, top-level
 *       options are checked against every backend found, and {@code db_options} when the manager is made.</li>
 *   <li>The environment variables {@code VENOMQA_BASE_URL}, {@code VENOMQA_DB_URL} and
 *       {@code VENOMQA_DB_BACKEND}, when set and not empty, override the file ({@link #fromEnvironment}).</li>
 * </ol>
 * Other sources are layered with {@link #overlay(VenomQAConfig)}: the JUnit extension puts its
 * annotation or builder settings, the environment, {@link #fromProperties system properties} and a
 * declared container over the file, in that order (docs/configuration.md).
 * {@link #createStateManager()} builds the backend through {@link StateManagers}, so switching
 * database is an edit of this file. {@link #toString()} masks passwords and secret options.
 */
public final class VenomQAConfig {

    /** The file looked for in the working directory. */
    public static final String FILE_NAME = "venomqa.yaml";
    /** Also accepted when {@value #FILE_NAME} is absent. */
    public static final String ALTERNATE_FILE_NAME = "venomqa.yml";

    public static final String BASE_URL = "base_url";
    public static final String DB_URL = StateConfig.KEY_URL;
    public static final String DB_BACKEND = StateConfig.KEY_BACKEND;
    public static final String TABLES_TO_RESET = StateConfig.KEY_TABLES_TO_RESET;
    public static final String EXCLUDE_TABLES = StateConfig.KEY_EXCLUDE_TABLES;
    public static final String CHECKPOINT_STRATEGY = "checkpoint_strategy";
    public static final String TIMEOUT = "timeout";
    /**
     * A cookie the API sets (Spring Security's {@code XSRF-TOKEN}) whose value the client sends back as
     * {@link #CSRF_HEADER} on requests that may change state: {@link Client.Builder#csrfCookie}.
     */
    public static final String CSRF_COOKIE = "csrf_cookie";
    /** The header {@link #CSRF_COOKIE}'s value goes out as; default {@code X-} and the cookie's name ({@code X-XSRF-TOKEN}). */
    public static final String CSRF_HEADER = "csrf_header";
    public static final String REPORT_DIR = "report_dir";
    /** Key of the reset switch: {@value #RESET_BEFORE_RUN} or {@value #RESET_NEVER}. */
    public static final String RESET = "reset";
    /** {@code reset: before_run}: empty the reset tables, then checkpoint {@value #CLEAN_STATE}, before the first journey. */
    public static final String RESET_BEFORE_RUN = "before_run";
    /** {@code reset: never}, the default: the database is used as it is found. */
    public static final String RESET_NEVER = "never";
    /** The checkpoint taken right after the reset of {@code reset: before_run}. */
    public static final String CLEAN_STATE = "clean_state";
    public static final String DB_OPTIONS = "db_options";
    /** Which steps keep their bodies in results: {@code all} (default) or {@code failures}; see {@link KeepResponses}. */
    public static final String KEEP_RESPONSES = KeepResponses.CONFIG_KEY;
    /**
     * The settings of an exploration from an OpenAPI document (document, auth, login, include /
     * exclude / never_run, checks, invariants). Read as they are here, {@code ${VAR}}s expanded, and
     * checked key by key by the venomqa-openapi module, which owns their meaning.
     */
    public static final String OPENAPI = "openapi";
    /** The number of parallel workers (default 1: everything runs on {@code base_url} and {@code db_url}). */
    public static final String WORKERS = WorkerKeys.WORKERS;
    /** The workers' APIs, each with its own database: a list of {@code {base_url, db_url}}. */
    public static final String WORKER_APIS = WorkerKeys.WORKER_APIS;
    /** The command VenomQA starts per worker, with {@code ${db_url}}, {@code ${jdbc_url}}, {@code ${port}}. */
    public static final String WORKER_COMMAND = WorkerKeys.WORKER_COMMAND;
    /** The URL, with {@code ${port}}, that answers once a started worker's API is up (default: its base URL). */
    public static final String WORKER_HEALTH_URL = WorkerKeys.WORKER_HEALTH_URL;
    /** Where a started worker's API listens, with {@code ${port}} (default {@code http://127.0.0.1:${port}}). */
    public static final String WORKER_BASE_URL = WorkerKeys.WORKER_BASE_URL;

    /** VenomQA's own keys of a {@code venomqa.yaml}. */
    public static final List<String> KNOWN_KEYS = List.of(BASE_URL, DB_URL, DB_BACKEND, TABLES_TO_RESET, EXCLUDE_TABLES,
            CHECKPOINT_STRATEGY, TIMEOUT, CSRF_COOKIE, CSRF_HEADER, REPORT_DIR, RESET, KEEP_RESPONSES, DB_OPTIONS, OPENAPI, WORKERS, WORKER_APIS, WORKER_COMMAND,
            WORKER_HEALTH_URL, WORKER_BASE_URL);

    /** Prefix of the system properties read by {@link #fromProperties} ({@code -Dvenomqa.db_url=...}). */
    public static final String PROPERTY_PREFIX = "venomqa.";

    /** Environment variable overriding {@code base_url}. */
    public static final String ENV_BASE_URL = "VENOMQA_BASE_URL";
    /** Environment variable overriding {@code db_url}. */
    public static final String ENV_DB_URL = "VENOMQA_DB_URL";
    /** Environment variable overriding {@code db_backend}. */
    public static final String ENV_DB_BACKEND = "VENOMQA_DB_BACKEND";

    private final String baseUrl;
    private final String dbUrl;
    private final String dbBackend;
    private final List<String> tablesToReset;
    private final List<String> excludeTables;
    private final String checkpointStrategy;
    private final Duration timeout;
    private final String csrfCookie;
    private final String csrfHeader;
    private final String reportDir;
    private final boolean resetBeforeRun;
    private final KeepResponses keepResponses;
    private final Map<String, Object> dbOptions;
    private final Map<String, Object> openapi;
    private final java.nio.file.Path source;
    private final Integer workers;
    private final List<Map<String, String>> workerApis;
    private final List<String> workerCommand;
    private final String workerHealthUrl;
    private final String workerBaseUrl;

    private VenomQAConfig(Builder b) {
        this.baseUrl = blankToNull(b.baseUrl);
        this.dbUrl = blankToNull(b.dbUrl);
        this.dbBackend = blankToNull(b.dbBackend);
        this.tablesToReset = List.copyOf(b.tablesToReset);
        this.excludeTables = List.copyOf(b.excludeTables);
        this.checkpointStrategy = blankToNull(b.checkpointStrategy);
        this.timeout = b.timeout;
        this.csrfCookie = blankToNull(b.csrfCookie);
        this.csrfHeader = blankToNull(b.csrfHeader);
        this.reportDir = blankToNull(b.reportDir);
        this.resetBeforeRun = b.resetBeforeRun;
        this.keepResponses = b.keepResponses;
        this.dbOptions = Collections.unmodifiableMap(new LinkedHashMap<>(b.dbOptions));
        this.openapi = b.openapi == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.openapi));
        this.source = b.source;
        this.workers = b.workers;
        this.workerApis = List.copyOf(b.workerApis);
        this.workerCommand = List.copyOf(b.workerCommand);
        this.workerHealthUrl = blankToNull(b.workerHealthUrl);
        this.workerBaseUrl = blankToNull(b.workerBaseUrl);
    }

    // ---- loading ---------------------------------------------------------------------------

    /**
     * Reads {@value #FILE_NAME} (or {@value #ALTERNATE_FILE_NAME}) from the working directory, with
     * the process environment.
     *
     * @throws ConfigException when there is no such file or it is not valid
     */
    public static VenomQAConfig load() {
        return loader().load();
    }

    /** Reads {@code file}, with the process environment. */
    public static VenomQAConfig load(java.nio.file.Path file) {
        return loader().load(file);
    }

    /** Reads YAML text, with the process environment. */
    public static VenomQAConfig parse(String yaml) {
        return loader().parse(yaml);
    }

    /** A loader whose environment and working directory can be set (for tests and tools). */
    public static Loader loader() {
        return new Loader();
    }

    /** A builder for a configuration made in code. */
    public static Builder builder() {
        return new Builder();
    }

    // ---- values ----------------------------------------------------------------------------

    /** Base URL of the API under test. */
    public Optional<String> baseUrl() {
        return Optional.ofNullable(baseUrl);
    }

    /** Database URL, password included; print {@link #maskedDbUrl()} instead. */
    public Optional<String> dbUrl() {
        return Optional.ofNullable(dbUrl);
    }

    /** The database URL with its password masked, or {@code null}. */
    public String maskedDbUrl() {
        return CredentialMasker.maskUrl(dbUrl);
    }

    /** Backend name; empty means "tell from db_url". */
    public Optional<String> dbBackend() {
        return Optional.ofNullable(dbBackend);
    }

    public List<String> tablesToReset() {
        return tablesToReset;
    }

    public List<String> excludeTables() {
        return excludeTables;
    }

    /**
     * Whether {@code reset: before_run} is set: tools (the {@code venomqa} command, the JUnit
     * extension) then empty the reset tables and checkpoint {@value #CLEAN_STATE} before the first journey.
     */
    public boolean resetBeforeRun() {
        return resetBeforeRun;
    }

    /** {@code keep_responses}; empty means not set here, which runs as {@link KeepResponses#ALL}. */
    public Optional<KeepResponses> keepResponses() {
        return Optional.ofNullable(keepResponses);
    }

    /** {@code savepoint} or {@code journal} for the SQL backends; empty means the backend's default. */
    public Optional<String> checkpointStrategy() {
        return Optional.ofNullable(checkpointStrategy);
    }

    /** {@code csrf_cookie}: the cookie whose value {@link #createClient()}'s client sends as {@link #csrfHeader()}. */
    public Optional<String> csrfCookie() {
        return Optional.ofNullable(csrfCookie);
    }

    /** {@code csrf_header}, or {@code X-} and {@link #csrfCookie()}'s name when only the cookie is set; empty without one. */
    public Optional<String> csrfHeader() {
        return csrfHeader != null ? Optional.of(csrfHeader) : csrfCookie().map(c -> "X-" + c);
    }

    /** HTTP request timeout for {@link #createClient()}; empty means the client's default. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** Where reports go, relative to the working directory unless absolute. */
    public Optional<java.nio.file.Path> reportDir() {
        return Optional.ofNullable(reportDir).map(java.nio.file.Path::of);
    }

    /** Backend options passed through as they are: top-level backend options and {@code db_options}. */
    public Map<String, Object> dbOptions() {
        return dbOptions;
    }

    /**
     * The {@value #OPENAPI} section as written (values expanded, not checked here: venomqa-openapi
     * checks it); empty when the file has none.
     */
    public Optional<Map<String, Object>> openapi() {
        return Optional.ofNullable(openapi);
    }

    /** The file this was read from, if any. */
    public Optional<java.nio.file.Path> source() {
        return Optional.ofNullable(source);
    }

    /**
     * The number of parallel workers: {@code workers}, else the number of {@code worker_apis}, else 1
     * (everything runs on {@code base_url} and {@code db_url}, as before workers existed).
     */
    public int workers() {
        return workers != null ? workers : workerApis.isEmpty() ? 1 : workerApis.size();
    }

    /**
     * The workers listed in {@code worker_apis}, in order: each one's base URL, and the configured
     * database ({@code db_backend}, tables, options, {@code checkpoint_strategy}) at its own {@code db_url}
     * (a top-level {@code db_url} is not needed then).
     *
     * @throws ConfigException when {@code workers} and the list disagree
     */
    public List<WorkerEndpoint> workerEndpoints() {
        if (workerApis.isEmpty()) {
            return List.of();
        }
        if (workers != null && workers != workerApis.size()) {
            throw new ConfigException(WORKERS + " is " + workers + " but " + WORKER_APIS + " lists " + workerApis.size()
                    + " worker(s)" + where() + ": make them agree, or leave " + WORKERS + " out.");
        }
        // The worker's db_url in place of db_url: the backend may come from it, as for db_url.
        return workerApis.stream().map(e -> new WorkerEndpoint(e.get("base_url"),
                toBuilder().dbUrl(e.get("db_url")).build().toStateConfig())).toList();
    }

    /**
     * The parallel workers this configuration asks for, connected ({@link Workers#external}); close
     * them after the last journey. Empty when {@link #workers()} is 1 and no {@code worker_apis} are
     * listed: journeys then run on {@code base_url} and {@code db_url} as always.
     *
     * @throws ConfigException when {@code workers} is more than 1 without {@code worker_apis}
     */
    public Optional<Workers> createWorkers() {
        if (!workerCommand.isEmpty()) {
            if (!workerApis.isEmpty()) {
                throw new ConfigException(WORKER_COMMAND + " and " + WORKER_APIS + where() + " both say where the workers' APIs"
                        + " are: keep one (worker_apis for APIs that already run, worker_command for VenomQA to start them).");
            }
            return Optional.of(Workers.commands(createStateManager(), workers(), workerCommand()));
        }
        if (workerApis.isEmpty()) {
            if (workers() > 1) {
                throw new ConfigException(WORKERS + ": " + workers() + where() + " needs an API with a database of its own"
                        + " per worker: list them under " + WORKER_APIS + " ({base_url, db_url} each), or, in Java, make"
                        + " them with Workers.copies(stateManager, " + workers() + ", factory) and pass them to"
                        + " JourneyRunner.Builder.workers. Set workers: 1 to run serially.");
            }
            return Optional.empty();
        }
        return Optional.of(Workers.external(workerEndpoints()));
    }

    /**
     * {@code worker_command} with {@code worker_base_url} and {@code worker_health_url}: what
     * {@link #createWorkers()} starts per worker on a copy of the database under test.
     *
     * @throws ConfigException when {@code worker_command} is not set
     */
    public io.venomqa.runner.WorkerCommand workerCommand() {
        if (workerCommand.isEmpty()) {
            throw new ConfigException("No " + WORKER_COMMAND + " configured" + where() + ".");
        }
        io.venomqa.runner.WorkerCommand c = io.venomqa.runner.WorkerCommand.of(workerCommand);
        if (workerBaseUrl != null) {
            c = c.baseUrl(workerBaseUrl);
        }
        return workerHealthUrl != null ? c.healthUrl(workerHealthUrl) : c;
    }

    /** Whether a database is configured ({@code db_url} or {@code db_backend}). */
    public boolean hasDatabase() {
        return dbUrl != null || dbBackend != null;
    }

    // ---- what it builds --------------------------------------------------------------------

    /**
     * The state manager settings: backend, URL, tables, and as options {@code checkpoint_strategy}
     * and every {@code db_options} entry.
     *
     * @throws ConfigException when no database is configured
     */
    public StateConfig toStateConfig() {
        if (!hasDatabase()) {
            throw new ConfigException("No database configured" + where() + ": set db_url (and db_backend when the URL"
                    + " does not tell it), or " + ENV_DB_URL + ". Without one, run journeys without a state manager.");
        }
        StateConfig.Builder b = StateConfig.builder().backend(dbBackend).url(dbUrl)
                .tablesToReset(tablesToReset).excludeTables(excludeTables);
        dbOptions.forEach(b::option);
        if (checkpointStrategy != null) {
            b.option(CHECKPOINT_STRATEGY, checkpointStrategy);
        }
        return b.build();
    }

    /**
     * A new, not yet connected state manager for the configured database, found through
     * {@link StateManagers} (so the backend's artifact must be on the class path).
     *
     * @throws ConfigException when no database is configured
     */
    public StateManager createStateManager() {
        return StateManagers.create(toStateConfig());
    }

    /**
     * A client for {@code base_url} with {@code timeout} as its request timeout.
     *
     * @throws ConfigException when no base URL is configured
     */
    public Client createClient() {
        if (baseUrl == null) {
            throw new ConfigException("No base_url configured" + where() + ": set base_url (for example"
                    + " http://localhost:8080) or " + ENV_BASE_URL + ".");
        }
        Client.Builder b = Client.builder(baseUrl);
        if (timeout != null) {
            b.timeout(timeout);
        }
        if (csrfHeader != null && csrfCookie == null) {
            throw new ConfigException(CSRF_HEADER + " is set" + where() + " but " + CSRF_COOKIE + " is not: name the cookie "
                    + "whose value goes out as header " + csrfHeader + " (csrf_cookie: XSRF-TOKEN), or remove csrf_header.");
        }
        csrfCookie().ifPresent(cookie -> b.csrfCookie(cookie, csrfHeader().orElseThrow()));
        return b.build();
    }

    /**
     * A runner builder with the configured client, a state manager when a database is configured,
     * the report directory and {@code keep_responses} when set; add listeners and options, then build.
     */
    public JourneyRunner.Builder runnerBuilder() {
        JourneyRunner.Builder b = JourneyRunner.builder(createClient());
        if (hasDatabase()) {
            b.stateManager(createStateManager());
        }
        reportDir().ifPresent(b::reportDir);
        keepResponses().ifPresent(b::keepResponses);
        return b;
    }

    private String where() {
        return source == null ? "" : " in " + source;
    }

    // ---- layering --------------------------------------------------------------------------

    /** A builder holding this configuration, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = builder().baseUrl(baseUrl).dbUrl(dbUrl).dbBackend(dbBackend).tablesToReset(tablesToReset)
                .excludeTables(excludeTables).checkpointStrategy(checkpointStrategy).timeout(timeout)
                .csrfCookie(csrfCookie).csrfHeader(csrfHeader)
                .reportDir(reportDir).dbOptions(dbOptions).resetBeforeRun(resetBeforeRun).keepResponses(keepResponses)
                .workerApis(workerApis);
        b.workers = workers;
        b.workerCommand = workerCommand;
        b.workerHealthUrl = workerHealthUrl;
        b.workerBaseUrl = workerBaseUrl;
        b.openapi = openapi;
        b.source = source;
        return b;
    }

    /**
     * This configuration with every value {@code over} sets put over it: a set value replaces this
     * one (a non-empty table list replaces the list), {@code db_options} are merged key by key with
     * {@code over}'s winning. The source file is this one's unless it has none.
     */
    public VenomQAConfig overlay(VenomQAConfig over) {
        Objects.requireNonNull(over, "over");
        Builder b = toBuilder();
        over.baseUrl().ifPresent(b::baseUrl);
        over.dbUrl().ifPresent(b::dbUrl);
        over.dbBackend().ifPresent(b::dbBackend);
        if (!over.tablesToReset.isEmpty()) {
            b.tablesToReset(over.tablesToReset);
        }
        if (!over.excludeTables.isEmpty()) {
            b.excludeTables(over.excludeTables);
        }
        over.checkpointStrategy().ifPresent(b::checkpointStrategy);
        over.timeout().ifPresent(b::timeout);
        over.csrfCookie().ifPresent(b::csrfCookie);
        if (over.csrfHeader != null) {
            b.csrfHeader(over.csrfHeader);
        }
        if (over.reportDir != null) {
            b.reportDir(over.reportDir);
        }
        if (over.resetBeforeRun) {
            b.resetBeforeRun(true); // "never" is the default, so only before_run is a value a layer sets
        }
        over.keepResponses().ifPresent(b::keepResponses);
        Map<String, Object> options = new LinkedHashMap<>(dbOptions);
        options.putAll(over.dbOptions);
        b.dbOptions(options);
        if (over.openapi != null) {
            b.openapi(over.openapi);
        }
        if (over.workers != null) {
            b.workers(over.workers);
        }
        if (!over.workerApis.isEmpty()) {
            b.workerApis(over.workerApis);
        }
        if (!over.workerCommand.isEmpty()) {
            b.workerCommand = over.workerCommand;
        }
        if (over.workerHealthUrl != null) {
            b.workerHealthUrl = over.workerHealthUrl;
        }
        if (over.workerBaseUrl != null) {
            b.workerBaseUrl = over.workerBaseUrl;
        }
        if (source == null) {
            b.source = over.source;
        }
        return b.build();
    }

    /**
     * The layer the environment gives: {@value #ENV_BASE_URL}, {@value #ENV_DB_URL} and
     * {@value #ENV_DB_BACKEND}, when set and not blank; nothing else.
     */
    public static VenomQAConfig fromEnvironment(Map<String, String> environment) {
        return ConfigLayers.environment(environment).build();
    }

    /**
     * The layer system properties give: {@code venomqa.<key>} for {@code base_url}, {@code db_url},
     * {@code db_backend}, {@code checkpoint_strategy}, {@code tables_to_reset}, {@code exclude_tables},
     * {@code report_dir}, {@code reset}, {@code keep_responses}, {@code workers} and {@code timeout}
     * ({@code -Dvenomqa.db_url=...}, {@code -Dvenomqa.tables_to_reset=a,b}, {@code -Dvenomqa.timeout=30s}),
     * and {@code venomqa.<option>} or {@code venomqa.db_options.<option>} for one backend option (the latter
     * winning). {@code -Dvenomqa.reset=never} cannot switch off a lower layer's {@code before_run}. The layer
     * alone cannot check option names, not knowing the backend: {@link #overlayProperties} does.
     *
     * @throws ConfigException when a value is not valid ({@code venomqa.timeout} not a duration), when a
     *         property names a key only {@code venomqa.yaml} can hold ({@code openapi}, {@code worker_*}), or
     *         when it is a near miss of a key that is read ({@code venomqa.db_ulr})
     */
    public static VenomQAConfig fromProperties(Properties properties) {
        return ConfigLayers.properties(properties).build();
    }

    /**
     * This configuration with the layer of system properties ({@link #fromProperties}) put over it, the backend
     * options those properties set checked as the file's are: {@code -Dvenomqa.<option>} stands for a top-level
     * option of the file and {@code -Dvenomqa.db_options.<option>} for one under {@code db_options} (which wins
     * when both name one option). Against the backend and strategy the result selects, an option name it does not
     * declare ({@code -Dvenomqa.track_changez}) is an error with the nearest declared name, and a value its type
     * does not read ({@code -Dvenomqa.track_changes=maybe}) an error saying what it must be. A backend that declares
     * no options gets them unchecked.
     *
     * @throws ConfigException as {@link #fromProperties}, or naming each such property
     */
    public VenomQAConfig overlayProperties(Properties properties) {
        VenomQAConfig config = overlay(fromProperties(properties));
        ConfigOptionCheck.check(config, ConfigLayers.topLevelOptions(properties), ConfigLayers.nestedOptions(properties),
                new ConfigOptionCheck.Where() {
                    @Override
                    public String source() {
                        return "the configuration with the -D" + PROPERTY_PREFIX + "* system properties";
                    }

                    @Override
                    public String top(String key) {
                        return "-D" + PROPERTY_PREFIX + key + ": ";
                    }

                    @Override
                    public String nested(String key) {
                        return "-D" + PROPERTY_PREFIX + DB_OPTIONS + "." + key + ": ";
                    }
                });
        return config;
    }

    @Override
    public String toString() {
        Map<String, Object> safe = new LinkedHashMap<>();
        dbOptions.forEach((k, v) -> safe.put(k, CredentialMasker.isSecretKey(k) ? CredentialMasker.MASK : v));
        return "VenomQAConfig[base_url=" + CredentialMasker.maskUrl(baseUrl) + ", db_url=" + maskedDbUrl()
                + ", db_backend=" + dbBackend + ", tables_to_reset=" + tablesToReset + ", exclude_tables=" + excludeTables
                + ", checkpoint_strategy=" + checkpointStrategy + ", timeout=" + timeout + ", report_dir=" + reportDir
                + (csrfCookie != null ? ", csrf_cookie=" + csrfCookie + ", csrf_header=" + csrfHeader().orElseThrow() : "")
                + (resetBeforeRun ? ", reset=" + RESET_BEFORE_RUN : "")
                + (keepResponses != null ? ", keep_responses=" + keepResponses.configValue() : "")
                + (workers() > 1 || !workerApis.isEmpty() ? ", workers=" + workers() + ", worker_apis=" + workerApis.stream()
                .map(e -> CredentialMasker.maskUrl(e.get("base_url")) + " " + CredentialMasker.maskUrl(e.get("db_url"))).toList() : "")
                + ", db_options=" + safe + (source != null ? ", source=" + source : "") + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    // ---- loader ----------------------------------------------------------------------------

    /** Reads configuration files with a chosen environment and working directory. */
    public static final class Loader {
        private Map<String, String> environment = System.getenv();
        private java.nio.file.Path workingDirectory;

        private Loader() {
        }

        /** The environment for {@code ${VAR}} and the {@code VENOMQA_*} overrides (default: the process's). */
        public Loader environment(Map<String, String> environment) {
            this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
            return this;
        }

        /** Where {@link #load()} looks for the file (default: {@code user.dir}). */
        public Loader workingDirectory(java.nio.file.Path dir) {
            this.workingDirectory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** The configuration file in the working directory, if there is one. */
        public Optional<java.nio.file.Path> find() {
            java.nio.file.Path dir = dir();
            for (String name : List.of(FILE_NAME, ALTERNATE_FILE_NAME)) {
                java.nio.file.Path f = dir.resolve(name);
                if (Files.isRegularFile(f)) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }

        /**
         * Reads the file in the working directory.
         *
         * @throws ConfigException when there is none, saying where it looked and what to write
         */
        public VenomQAConfig load() {
            return load(find().orElseThrow(() -> new ConfigException("No " + FILE_NAME + " found in "
                    + dir().toAbsolutePath() + ". Create one, for example:\n  base_url: http://localhost:8080\n"
                    + "  db_url: postgresql://qa:${DB_PASSWORD}@localhost:5432/qa_test\n"
                    + "or pass the file's path explicitly.")));
        }

        /** Reads the file in the working directory, or only the environment when there is none. */
        public VenomQAConfig loadOrEnvironment() {
            Optional<java.nio.file.Path> f = find();
            return f.isPresent() ? load(f.get()) : read("", null);
        }

        /** Reads {@code file}. */
        public VenomQAConfig load(java.nio.file.Path file) {
            Objects.requireNonNull(file, "file");
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException("Cannot read " + file + ": " + e.getMessage(), e);
            }
            return read(text, file);
        }

        /** Reads YAML text. */
        public VenomQAConfig parse(String yaml) {
            return read(Objects.requireNonNull(yaml, "yaml"), null);
        }

        private java.nio.file.Path dir() {
            return workingDirectory != null ? workingDirectory : java.nio.file.Path.of(System.getProperty("user.dir"));
        }

        /** The file's values with the environment's over them, its backend options checked. */
        private VenomQAConfig read(String text, java.nio.file.Path file) {
            String name = file == null ? FILE_NAME : file.toString();
            ConfigFileReader.Parsed parsed = ConfigFileReader.read(text, name, environment);
            Builder b = parsed.builder();
            b.source = file;
            VenomQAConfig config = b.build().overlay(fromEnvironment(environment));
            ConfigOptionCheck.check(config, parsed.topLevel(), parsed.nested(), text, name, parsed.yaml());
            return config;
        }
    }

    // ---- builder ---------------------------------------------------------------------------

    /** Builds a configuration in code; unset values stay unset. */
    public static final class Builder {
        private String baseUrl;
        private String dbUrl;
        private String dbBackend;
        private List<String> tablesToReset = List.of();
        private List<String> excludeTables = List.of();
        private String checkpointStrategy;
        private boolean resetBeforeRun;
        private KeepResponses keepResponses;
        private Duration timeout;
        private String csrfCookie;
        private String csrfHeader;
        private String reportDir;
        private Map<String, Object> dbOptions = new LinkedHashMap<>();
        private Map<String, Object> openapi;
        private java.nio.file.Path source;
        private Integer workers;
        private List<Map<String, String>> workerApis = List.of();
        private List<String> workerCommand = List.of();
        private String workerHealthUrl;
        private String workerBaseUrl;

        private Builder() {
        }

        /** {@value #WORKER_COMMAND}: the program and its arguments, started per worker. */
        public Builder workerCommand(List<String> command) {
            this.workerCommand = List.copyOf(command);
            return this;
        }

        /** {@value #WORKER_HEALTH_URL}, with {@code ${port}}. */
        public Builder workerHealthUrl(String url) {
            this.workerHealthUrl = url;
            return this;
        }

        /** {@value #WORKER_BASE_URL}, with {@code ${port}}. */
        public Builder workerBaseUrl(String url) {
            this.workerBaseUrl = url;
            return this;
        }

        /** {@value #WORKERS}: the number of parallel workers, 1 or more. */
        public Builder workers(int workers) {
            this.workers = WorkerKeys.checkCount(workers, "VenomQAConfig.Builder");
            return this;
        }

        /** {@value #WORKER_APIS}: one map per worker with exactly {@code base_url} and {@code db_url}. */
        public Builder workerApis(List<Map<String, String>> apis) {
            List<Map<String, String>> copy = new ArrayList<>();
            for (Map<String, String> e : apis) {
                if (!e.keySet().equals(Set.copyOf(WorkerKeys.ENTRY_KEYS))) {
                    throw new IllegalArgumentException("A worker_apis entry has exactly base_url and db_url: " + e.keySet());
                }
                copy.add(Map.copyOf(e));
            }
            this.workerApis = List.copyOf(copy);
            return this;
        }

        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        public Builder dbUrl(String dbUrl) {
            this.dbUrl = dbUrl;
            return this;
        }

        public Builder dbBackend(String dbBackend) {
            this.dbBackend = dbBackend;
            return this;
        }

        public Builder tablesToReset(List<String> tables) {
            this.tablesToReset = List.copyOf(tables);
            return this;
        }

        public Builder excludeTables(List<String> tables) {
            this.excludeTables = List.copyOf(tables);
            return this;
        }

        /** {@code reset: before_run} (true) or {@code reset: never} (false, the default). */
        public Builder resetBeforeRun(boolean resetBeforeRun) {
            this.resetBeforeRun = resetBeforeRun;
            return this;
        }

        /** {@code keep_responses} ({@code null}: not set, which runs as {@link KeepResponses#ALL}). */
        public Builder keepResponses(KeepResponses keepResponses) {
            this.keepResponses = keepResponses;
            return this;
        }

        public Builder checkpointStrategy(String strategy) {
            this.checkpointStrategy = strategy;
            return this;
        }

        /** {@value #CSRF_COOKIE}. */
        public Builder csrfCookie(String cookie) {
            this.csrfCookie = cookie;
            return this;
        }

        /** {@value #CSRF_HEADER}. */
        public Builder csrfHeader(String header) {
            this.csrfHeader = header;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder reportDir(String reportDir) {
            this.reportDir = reportDir;
            return this;
        }

        public Builder dbOptions(Map<String, ?> options) {
            this.dbOptions = new LinkedHashMap<>(options);
            return this;
        }

        public Builder dbOption(String key, Object value) {
            this.dbOptions.put(Objects.requireNonNull(key, "key"), value);
            return this;
        }

        /** The {@value #OPENAPI} section ({@code null} for none). */
        public Builder openapi(Map<String, ?> section) {
            this.openapi = section == null ? null : new LinkedHashMap<>(section);
            return this;
        }

        public VenomQAConfig build() {
            return new VenomQAConfig(this);
        }
    }
}
