package io.venomqa.junit;

import io.venomqa.config.VenomQAConfig;
import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Client;
import io.venomqa.junit.internal.ConcurrentUse;
import io.venomqa.junit.internal.ConfigResolver;
import io.venomqa.junit.internal.ContainerDatabase;
import io.venomqa.junit.internal.ContainerFinder;
import io.venomqa.junit.internal.Settings;
import io.venomqa.report.ConsoleReporter;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.core.CredentialMasker;
import io.venomqa.state.CheckpointNames;
import io.venomqa.state.StateManager;
import io.venomqa.state.ShutdownCleanup;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The JUnit 5 extension behind {@link VenomQATest}. Use the annotation, or register it in code when
 * a value is only known at run time (a random port):
 *
 * <pre>{@code
 * @RegisterExtension
 * static VenomQAExtension venomqa = VenomQAExtension.builder()
 *         .baseUrl(() -> app.url())          // read when a test first needs a Client
 *         .dbOption("schema", "shop")
 *         .build();
 * }</pre>
 *
 * <p>What it guarantees:
 * <ul>
 *   <li><b>Configuration</b> as {@link VenomQATest} describes (file, code, environment, system
 *       properties; a declared Testcontainers {@code JdbcDatabaseContainer} is the database). Errors
 *       name the test class and never print a password.</li>
 *   <li><b>One state manager per test class</b>, made from the configuration and connected before
 *       the class's {@code @BeforeAll} methods, disconnected after its {@code @AfterAll} methods (also
 *       when tests fail, and by a shutdown hook when the JVM is stopped with Ctrl-C or SIGTERM).
 *       Disconnecting leaves the database as connecting found it, so a class leaves
 *       no data behind. {@code @Nested} classes share their outer class's manager.</li>
 *   <li><b>Isolation</b> (unless {@code isolation = false}): before each test method a checkpoint,
 *       after it a rollback to that checkpoint and its release, so every test starts from the same
 *       state and sees nothing another test wrote. Only the {@link StateManager} API is used, so it
 *       works with every backend and strategy: {@code savepoint} for an API in this JVM writing through
 *       the manager's shared DataSource, {@code journal} for an API in another process.</li>
 *   <li><b>Parameters</b> of test, lifecycle and {@code @TestFactory} methods: {@link StateManager} (or
 *       its backend type), {@link Client}, {@link ExecutionContext}, {@link JourneyRunner} (with that
 *       client, the class's state manager, the report directory, and the console tree unless
 *       {@code console = false}) and {@link VenomQAConfig}. Each test method gets its own client,
 *       context and runner; the state manager is the class's.</li>
 *   <li><b>Parallel execution</b>: one test method of a class at a time, and one class per database
 *       at a time. {@link VenomQATest} arranges both through a JUnit resource lock; a class that only
 *       registers a built extension and runs concurrently anyway gets a clear error (a second method
 *       started while another runs; a second class on a database another class is using), never
 *       two users of one checkpoint stack.</li>
 *   <li><b>Testcontainers is optional</b>: this class and everything it loads for a user without a
 *       container never touch a Testcontainers class.</li>
 * </ul>
 */
public final class VenomQAExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VenomQAExtension.class);

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(VenomQAExtension.class);
    private static final String CLASS_STATE = "class-state";
    private static final String METHOD_STATE = "method-state";
    private static final AtomicInteger CHECKPOINTS = new AtomicInteger();

    private final Settings code;
    /** Made by JUnit for {@code @VenomQATest}/{@code @ExtendWith}, not by the builder. */
    private final boolean declarative;

    /** The extension as {@code @VenomQATest} or {@code @ExtendWith} registers it: settings from the annotation. */
    public VenomQAExtension() {
        this(new Settings(), true);
    }

    private VenomQAExtension(Settings code, boolean declarative) {
        this.code = code;
        this.declarative = declarative;
    }

    /**
     * Whether this instance steps aside: the one {@code @VenomQATest} registers does, when the class
     * also registers a built extension in a static field (both together are allowed; the annotation's
     * attributes then still apply, through the built one). Otherwise two instances would take two
     * checkpoints per test and compete for every parameter.
     */
    private boolean deferred(ExtensionContext context) {
        if (!declarative) {
            return false;
        }
        for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
            for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                for (java.lang.reflect.Field f : k.getDeclaredFields()) {
                    if (VenomQAExtension.class.isAssignableFrom(f.getType())
                            && java.lang.reflect.Modifier.isStatic(f.getModifiers())
                            && f.isAnnotationPresent(org.junit.jupiter.api.extension.RegisterExtension.class)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** A builder for an extension registered with {@code @RegisterExtension}. */
    public static Builder builder() {
        return new Builder();
    }

    // ---- class --------------------------------------------------------------------------------

    @Override
    public void beforeAll(ExtensionContext context) {
        if (deferred(context)) {
            return;
        }
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (store.get(CLASS_STATE, ClassState.class) != null) {
            return; // a @Nested class: the outer class's manager and checkpoints go on
        }
        Class<?> testClass = context.getRequiredTestClass();
        Settings settings = settings(testClass);
        ContainerDatabase container;
        VenomQAConfig config;
        try {
            container = ContainerFinder.find(testClass, settings.container);
            config = resolver(testClass, settings).resolve(container, false);
        } catch (RuntimeException e) {
            throw new ExtensionConfigurationException("VenomQA cannot configure " + testClass.getName() + ": "
                    + CredentialMasker.maskText(e.getMessage()), e);
        }
        ClassState state = new ClassState(testClass, settings, container, config);
        store.put(CLASS_STATE, state);
        if (config.hasDatabase()) {
            state.claim = ConcurrentUse.claim(config, testClass);
            try {
                try {
                    state.manager = config.createStateManager();
                } catch (io.venomqa.state.BackendNotFoundException | IllegalArgumentException e) {
                    // A configuration the backend refuses (db_backend, a strategy or option it does not know):
                    // say which class and file, as for the problems found while reading the file.
                    throw new ExtensionConfigurationException("VenomQA cannot configure " + testClass.getName()
                            + config.source().map(f -> " (" + f + ")").orElse("") + ": "
                            + CredentialMasker.maskText(e.getMessage()), e);
                }
                state.manager.connect();
            } catch (RuntimeException e) {
                state.claim.close(); // a class that never connected must not keep others off its database
                state.claim = null;
                throw e;
            }
            state.cleanup = ShutdownCleanup.register(state.manager, "the test class " + testClass.getName());
            if (resetBeforeRun(testClass, settings, config)) {
                // Committed; the class's disconnect comes back to this state, and every test starts after it.
                state.manager.reset();
                state.manager.checkpoint(VenomQAConfig.CLEAN_STATE);
            }
        } else {
            // Legitimate for tests of an API alone, and easy to get by mistake (a venomqa.yaml under another name, a
            // forgotten dbUrl): said once per class, in the log and in the test report, so that "passed" is not read
            // as "passed and rolled back".
            String why = "VenomQA: no database is configured for " + testClass.getName()
                    + config.source().map(f -> " (" + f + ")").orElse("") + ": its tests call the API without checkpoints, "
                    + "and nothing they write is rolled back. Set db_url in venomqa.yaml, @VenomQATest(dbUrl = ...), "
                    + "-Dvenomqa.db_url=... or " + VenomQAConfig.ENV_DB_URL + " to test against a database put back after "
                    + "each test.";
            LOG.warn(why);
            context.publishReportEntry("venomqa", why);
        }
    }

    private static boolean resetBeforeRun(Class<?> testClass, Settings settings, VenomQAConfig config) {
        if (settings.reset == null) {
            return config.resetBeforeRun();
        }
        if (settings.reset.equalsIgnoreCase(VenomQAConfig.RESET_BEFORE_RUN)) {
            return true;
        }
        if (settings.reset.equalsIgnoreCase(VenomQAConfig.RESET_NEVER)) {
            return false;
        }
        throw new ExtensionConfigurationException("VenomQA cannot configure " + testClass.getName() + ": reset must be '"
                + VenomQAConfig.RESET_BEFORE_RUN + "' or '" + VenomQAConfig.RESET_NEVER + "', got '" + settings.reset + "'.");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (deferred(context)) {
            return;
        }
        ClassState state = context.getStore(NAMESPACE).get(CLASS_STATE, ClassState.class);
        if (state != null && state.testClass == context.getRequiredTestClass()) {
            state.close();
        }
    }

    // ---- method -------------------------------------------------------------------------------

    @Override
    public void beforeEach(ExtensionContext context) {
        if (deferred(context)) {
            return;
        }
        ClassState state = classState(context);
        MethodState m = methodState(context);
        if (state.manager != null && state.isolated()) {
            state.methods.enter(state.testClass, context.getUniqueId(), context.getDisplayName());
            String name = "junit-" + CHECKPOINTS.incrementAndGet() + "-" + context.getRequiredTestMethod().getName();
            m.checkpoint = name.length() > CheckpointNames.MAX_LENGTH ? name.substring(0, CheckpointNames.MAX_LENGTH) : name;
            state.manager.checkpoint(m.checkpoint);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (deferred(context)) {
            return;
        }
        ClassState state = classState(context);
        try {
            rollBackAfter(context, state);
        } finally {
            state.methods.exit(context.getUniqueId());
        }
    }

    private static void rollBackAfter(ExtensionContext context, ClassState state) {
        MethodState m = methodState(context);
        if (m.checkpoint == null) {
            return;
        }
        StateManager db = state.manager;
        String cp = m.checkpoint;
        m.checkpoint = null;
        if (!db.hasCheckpoint(cp)) {
            throw new IllegalStateException("VenomQA could not roll back after " + context.getDisplayName()
                    + ": its checkpoint '" + cp + "' is no longer active (active: " + db.activeCheckpoints()
                    + "). Did the test call reset(), release it, or roll back past it? The following tests may see"
                    + " this test's data.");
        }
        db.rollback(cp);
        db.release(cp);
    }

    // ---- parameters ---------------------------------------------------------------------------

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        if (deferred(context)) {
            return false;
        }
        Class<?> type = parameter.getParameter().getType();
        if (type == Client.class || type == ExecutionContext.class || type == JourneyRunner.class
                || type == VenomQAConfig.class || type == StateManager.class) {
            return true;
        }
        // A backend type (PostgreSQLStateManager, JdbcStateManager): only when the manager is one.
        ClassState state = context.getStore(NAMESPACE).get(CLASS_STATE, ClassState.class);
        return StateManager.class.isAssignableFrom(type) && state != null && type.isInstance(state.manager);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        ClassState state = classState(context);
        if (type == VenomQAConfig.class) {
            // In a test method, with a base URL supplier answered; in @BeforeAll, as the class started.
            return context.getTestMethod().isPresent() ? state.clientConfig() : state.config;
        }
        if (StateManager.class.isAssignableFrom(type)) {
            if (state.manager == null) {
                throw new ParameterResolutionException("No StateManager for " + parameter.getParameter()
                        + ": no database is configured for " + state.testClass.getName() + ". Set db_url in venomqa.yaml,"
                        + " @VenomQATest(dbUrl = ...), -Dvenomqa.db_url=... or " + VenomQAConfig.ENV_DB_URL
                        + ", or declare a static JdbcDatabaseContainer field.");
            }
            return state.manager;
        }
        MethodState m = methodState(context);
        if (type == Client.class) {
            return m.client(state);
        }
        if (type == ExecutionContext.class) {
            return m.context;
        }
        return m.runner(state);
    }

    // ---- state --------------------------------------------------------------------------------

    private Settings settings(Class<?> testClass) {
        Optional<VenomQATest> annotation = AnnotationSupport.findAnnotation(testClass, VenomQATest.class);
        return Settings.of(annotation.orElse(null)).overriddenBy(code);
    }

    private static ConfigResolver resolver(Class<?> testClass, Settings settings) {
        Properties props = System.getProperties();
        Map<String, String> env = System.getenv();
        return new ConfigResolver(testClass, settings, env, props);
    }

    private static ClassState classState(ExtensionContext context) {
        ClassState state = context.getStore(NAMESPACE).get(CLASS_STATE, ClassState.class);
        if (state == null) {
            throw new ExtensionConfigurationException("VenomQAExtension was not set up for " + context.getDisplayName()
                    + ": register it on the test class (@VenomQATest, @ExtendWith or a static @RegisterExtension field),"
                    + " not on a method or an instance field.");
        }
        return state;
    }

    /** The state of the current test method, or of the class for lifecycle methods (@BeforeAll). */
    private static MethodState methodState(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(context.getUniqueId() + "/" + METHOD_STATE,
                k -> new MethodState(), MethodState.class);
    }

    /** What a test class holds: its configuration and its connected state manager. */
    private static final class ClassState implements AutoCloseable {
        final Class<?> testClass;
        final Settings settings;
        final ContainerDatabase container;
        final VenomQAConfig config;
        final ConcurrentUse.MethodSlot methods = new ConcurrentUse.MethodSlot();
        ConcurrentUse.Claim claim;
        StateManager manager;
        /** Disconnects the manager if the JVM is stopped (Ctrl-C, SIGTERM) before the class ends. */
        ShutdownCleanup.Registration cleanup;

        ClassState(Class<?> testClass, Settings settings, ContainerDatabase container, VenomQAConfig config) {
            this.testClass = testClass;
            this.settings = settings;
            this.container = container;
            this.config = config;
        }

        boolean isolated() {
            return settings.isolation == null || settings.isolation;
        }

        /** The configuration for a client: the base URL is read again, as late as possible. */
        VenomQAConfig clientConfig() {
            return resolver(testClass, settings).resolve(container, true);
        }

        /** Disconnects once; JUnit also calls this when the class's store closes after a failure. */
        @Override
        public synchronized void close() {
            try {
                if (manager != null) {
                    StateManager m = manager;
                    manager = null;
                    if (cleanup != null) {
                        cleanup.close();
                    }
                    m.disconnect();
                }
            } finally {
                if (claim != null) {
                    claim.close();
                    claim = null;
                }
            }
        }
    }

    /** What one test method (or the class's lifecycle methods) gets: its own client, context, runner. */
    private static final class MethodState {
        final ExecutionContext context = new ExecutionContext();
        String checkpoint;
        private Client client;
        private JourneyRunner runner;

        synchronized Client client(ClassState state) {
            if (client == null) {
                VenomQAConfig c = state.clientConfig();
                if (c.baseUrl().isEmpty()) {
                    throw new ParameterResolutionException("No base_url for " + state.testClass.getName()
                            + ": set it in venomqa.yaml, @VenomQATest(baseUrl = ...), VenomQAExtension.builder().baseUrl(...),"
                            + " -Dvenomqa.base_url=... or " + VenomQAConfig.ENV_BASE_URL + ".");
                }
                client = c.createClient();
            }
            return client;
        }

        synchronized JourneyRunner runner(ClassState state) {
            if (runner == null) {
                JourneyRunner.Builder b = JourneyRunner.builder(client(state)).stateManager(state.manager);
                state.config.reportDir().ifPresent(b::reportDir);
                state.config.keepResponses().ifPresent(b::keepResponses);
                if (state.settings.console == null || state.settings.console) {
                    b.listener(ConsoleReporter.toStdout());
                }
                runner = b.build();
            }
            return runner;
        }
    }

    /** Settings for an extension registered in code; unset values keep the annotation's and the file's. */
    public static final class Builder {
        private final Settings s = new Settings();

        private Builder() {
        }

        /** A configuration file or class path resource instead of {@code venomqa.yaml}. */
        public Builder config(String fileOrResource) {
            s.config = fileOrResource;
            return this;
        }

        /** {@code base_url}. */
        public Builder baseUrl(String url) {
            Objects.requireNonNull(url, "url");
            s.baseUrl = () -> url;
            return this;
        }

        /** {@code base_url}, asked for when a test first needs a client (after {@code @BeforeAll}). */
        public Builder baseUrl(Supplier<String> url) {
            s.baseUrl = Objects.requireNonNull(url, "url");
            s.baseUrlDeferred = true;
            return this;
        }

        /** {@code db_url}. */
        public Builder dbUrl(String url) {
            s.values = s.values.toBuilder().dbUrl(url).build();
            return this;
        }

        /** {@code db_backend}. */
        public Builder dbBackend(String backend) {
            s.values = s.values.toBuilder().dbBackend(backend).build();
            return this;
        }

        /** {@code checkpoint_strategy}: {@code savepoint} or {@code journal}. */
        public Builder checkpointStrategy(String strategy) {
            s.values = s.values.toBuilder().checkpointStrategy(strategy).build();
            return this;
        }

        /** {@code tables_to_reset}. */
        public Builder tablesToReset(String... tables) {
            s.values = s.values.toBuilder().tablesToReset(java.util.List.of(tables)).build();
            return this;
        }

        /** {@code exclude_tables}. */
        public Builder excludeTables(String... tables) {
            s.values = s.values.toBuilder().excludeTables(java.util.List.of(tables)).build();
            return this;
        }

        /** One entry of {@code db_options} (such as {@code schema}). */
        public Builder dbOption(String key, Object value) {
            s.values = s.values.toBuilder().dbOption(Objects.requireNonNull(key, "key"), value).build();
            return this;
        }

        /** {@code report_dir}. */
        public Builder reportDir(String dir) {
            s.values = s.values.toBuilder().reportDir(dir).build();
            return this;
        }

        /** The static container field to use when the class declares several. */
        public Builder container(String fieldName) {
            s.container = fieldName;
            return this;
        }

        /** Roll back after every test method (default true). */
        public Builder isolation(boolean isolation) {
            s.isolation = isolation;
            return this;
        }

        /** {@code reset: before_run} for this class: empty the reset tables when it starts, then checkpoint clean_state. */
        public Builder resetBeforeRun() {
            s.reset = VenomQAConfig.RESET_BEFORE_RUN;
            return this;
        }

        /** Print the journey tree of injected runners (default true). */
        public Builder console(boolean console) {
            s.console = console;
            return this;
        }

        public VenomQAExtension build() {
            Settings copy = new Settings().overriddenBy(s);
            return new VenomQAExtension(copy, false);
        }
    }
}
