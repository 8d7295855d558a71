package io.venomqa.spring;

import io.venomqa.config.VenomQAConfig;
import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Client;
import io.venomqa.report.ConsoleReporter;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.spring.internal.ManagedDatabase;
import io.venomqa.state.StateManager;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.junit.jupiter.SpringExtension;

import java.util.Optional;

/**
 * The JUnit 5 side of {@link VenomQASpringTest} (registered by the annotation; it works next to
 * Spring's own {@code SpringExtension}, which {@code @SpringBootTest} registers).
 *
 * <p>What it guarantees:
 * <ul>
 *   <li><b>Isolation</b> (unless {@code isolation = false}): a checkpoint before each test class and
 *       each test method, a rollback to it afterwards (also when the test fails), taken by
 *       {@link VenomQATestExecutionListener} around Spring's own per-test work ({@code @Sql} scripts, a
 *       {@code @Transactional} test's transaction) whichever annotation is written first; a test whose
 *       checkpoint that listener did not take (the class replaced Spring's default listeners) fails before
 *       it runs, saying so. So every class and
 *       every test of a shared context starts from the same rows and, where the backend restores them,
 *       the same next ids. What the server wrote while serving the test (through VenomQA's
 *       {@link Client}, {@code TestRestTemplate}, {@code RestClient}, {@code WebTestClient} or anything
 *       else) is undone, because it was written through the wrapped DataSource. What was committed
 *       around it (a second DataSource bean, a client with connections of its own) cannot be: with the
 *       savepoint strategy the class's rollback is followed by a comparison of the tracked tables with
 *       those at its checkpoint ({@link JdbcStateManager#markTables()}), and a class that left such rows
 *       fails after its {@code @AfterAll} methods, naming the tables (on MySQL/MariaDB, whose REPEATABLE READ
 *       hides them from the run's transaction, the committed rows are compared, read on a second
 *       connection).</li>
 *   <li><b>Parameters</b> of test, lifecycle and {@code @TestFactory} methods: {@link Client} (for
 *       {@code http://localhost:<local.server.port><server.servlet.context-path>}), {@link ExecutionContext},
 *       {@link JourneyRunner} (that client and the context's state manager) and {@link StateManager} or any
 *       subtype the context's manager is ({@link JdbcStateManager} for a SQL database; another subtype is an
 *       error naming the manager's types). Each test method gets its own client, context and runner. Journeys
 *       become dynamic tests with {@code io.venomqa.junit.JourneyTests}.</li>
 *   <li><b>Reports</b>: an injected runner writes each journey's JSON, JUnit XML and HTML reports to
 *       {@code -Dvenomqa.report_dir}, else to {@link VenomQASpringTest#reportDir()}; with neither, none, and
 *       the first such runner of the run says so once on standard output (and as a JUnit report entry).
 *       {@code -Dvenomqa.keep_responses} applies to it too.</li>
 *   <li>Test classes of one context run one at a time (they share its transaction): a second class
 *       started while another runs fails with an error saying so, instead of sharing its rows. The
 *       methods of a class must run one at a time too (JUnit's default).</li>
 * </ul>
 */
public final class VenomQASpringExtension implements BeforeTestExecutionCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(VenomQASpringExtension.class);
    /** Said once per JVM when an injected runner writes no reports. */
    static final String NO_REPORTS = "VenomQA: no reports written: no report directory is set. Set @VenomQASpringTest(reportDir = "
            + "\"target/venomqa-reports\") or -Dvenomqa.report_dir=DIR for JSON, JUnit XML and HTML reports (venomqa.yaml is not "
            + "read under @VenomQASpringTest).";
    static final java.util.concurrent.atomic.AtomicBoolean NO_REPORTS_SAID = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Checks that {@link VenomQATestExecutionListener} took the test method's checkpoint. It runs after every
     * extension's {@code beforeEach}, so after Spring's, in either order of the annotations.
     */
    @Override
    public void beforeTestExecution(ExtensionContext context) {
        if (isolated(context) && database(context).methodCheckpoint() == null) {
            throw new ExtensionConfigurationException("VenomQA took no checkpoint before " + context.getRequiredTestClass().getName()
                    + "." + context.getRequiredTestMethod().getName() + "(), so its rows would stay for the next tests: "
                    + "Spring did not run " + VenomQATestExecutionListener.class.getName() + ". A class that declares "
                    + "@TestExecutionListeners replaces Spring's default listeners (this one among them): add mergeMode = "
                    + "TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS to it, or list VenomQATestExecutionListener there.");
        }
    }

    // ---- parameters ---------------------------------------------------------------------------

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        // StateManager and each of its subtypes: resolveParameter says so when the context's manager is not one.
        return type == Client.class || type == ExecutionContext.class || type == JourneyRunner.class
                || StateManager.class.isAssignableFrom(type);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (StateManager.class.isAssignableFrom(type)) {
            StateManager m = database(context).manager();
            if (!type.isInstance(m)) {
                throw new ParameterResolutionException("No " + type.getSimpleName() + " for " + parameter.getParameter()
                        + ": the state manager of " + context.getRequiredTestClass().getName() + "'s application context is a "
                        + m.getClass().getName() + " (" + m.backendName() + "). Declare the parameter as StateManager or as a "
                        + "type the manager is (" + supertypes(m.getClass()) + ").");
            }
            return m;
        }
        PerTest t = context.getStore(NAMESPACE).getOrComputeIfAbsent("per-test", k -> new PerTest(), PerTest.class);
        if (type == ExecutionContext.class) {
            return t.context;
        }
        if (type == Client.class) {
            return t.client(context);
        }
        return t.runner(context);
    }

    /** The manager's class and its superclasses and interfaces that are state managers, for the message. */
    private static String supertypes(Class<?> c) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        java.util.ArrayDeque<Class<?>> todo = new java.util.ArrayDeque<>(java.util.List.of(c));
        while (!todo.isEmpty()) {
            Class<?> k = todo.poll();
            if (StateManager.class.isAssignableFrom(k) && names.add(k.getSimpleName())) {
                if (k.getSuperclass() != null) {
                    todo.add(k.getSuperclass());
                }
                todo.addAll(java.util.List.of(k.getInterfaces()));
            }
        }
        return String.join(", ", names);
    }

    /** What one test method (or the class's lifecycle methods) gets: its own client, context and runner. */
    private static final class PerTest {
        final ExecutionContext context = new ExecutionContext();
        private Client client;
        private JourneyRunner runner;

        synchronized Client client(ExtensionContext ec) {
            if (client == null) {
                // The application's own server, with -Dvenomqa.timeout and csrf_cookie/csrf_header applied as the
                // runner's client applies them (configuration.md).
                client = VenomQAConfig.fromProperties(System.getProperties()).toBuilder().baseUrl(baseUrl(ec)).build()
                        .createClient();
            }
            return client;
        }

        synchronized JourneyRunner runner(ExtensionContext ec) {
            if (runner == null) {
                JourneyRunner.Builder b = JourneyRunner.builder(client(ec)).stateManager(database(ec).manager());
                // The attribute, then -Dvenomqa.report_dir over it, as for @VenomQATest (configuration.md).
                VenomQAConfig properties = VenomQAConfig.fromProperties(System.getProperties());
                Optional<java.nio.file.Path> dir = properties.reportDir()
                        .or(() -> Optional.of(settings(ec).reportDir()).filter(d -> !d.isBlank()).map(java.nio.file.Path::of));
                dir.ifPresentOrElse(b::reportDir, () -> {
                    if (NO_REPORTS_SAID.compareAndSet(false, true)) {
                        // Said once per run, not per test: "passed" with no report file is otherwise read as a bug.
                        System.out.println(NO_REPORTS);
                        ec.publishReportEntry("venomqa", NO_REPORTS);
                    }
                });
                properties.keepResponses().ifPresent(b::keepResponses);
                if (settings(ec).console()) {
                    b.listener(ConsoleReporter.toStdout());
                }
                runner = b.build();
            }
            return runner;
        }
    }

    // ---- the Spring side ----------------------------------------------------------------------

    private static VenomQASpringTest settings(ExtensionContext context) {
        VenomQASpringTest a = TestContextAnnotationUtils.findMergedAnnotation(context.getRequiredTestClass(), VenomQASpringTest.class);
        if (a == null) {
            throw new ExtensionConfigurationException("VenomQASpringExtension is registered on " + context.getRequiredTestClass().getName()
                    + " without @VenomQASpringTest: annotate the class with @VenomQASpringTest instead (it also prepares the "
                    + "application context).");
        }
        return a;
    }

    private static boolean isolated(ExtensionContext context) {
        return settings(context).isolation();
    }

    private static ManagedDatabase database(ExtensionContext context) {
        ApplicationContext app = SpringExtension.getApplicationContext(context);
        if (!app.containsBean(ManagedDatabase.BEAN_NAME)) {
            throw new ExtensionConfigurationException("The application context of " + context.getRequiredTestClass().getName()
                    + " has no VenomQA database: is venomqa-spring's META-INF/spring.factories on the test class path, and is the "
                    + "class (or its enclosing class) annotated @VenomQASpringTest?");
        }
        return app.getBean(ManagedDatabase.BEAN_NAME, ManagedDatabase.class);
    }

    private static String baseUrl(ExtensionContext context) {
        Environment env = SpringExtension.getApplicationContext(context).getEnvironment();
        String port = env.getProperty("local.server.port");
        if (port == null) {
            throw new ParameterResolutionException("No server port for " + context.getRequiredTestClass().getName()
                    + ": the application context runs no web server. Use @SpringBootTest(webEnvironment = "
                    + "SpringBootTest.WebEnvironment.RANDOM_PORT) (or DEFINED_PORT).");
        }
        String path = env.getProperty("server.servlet.context-path", "");
        return "http://localhost:" + port + (path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
    }
}
