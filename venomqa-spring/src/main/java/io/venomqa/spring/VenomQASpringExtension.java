package io.venomqa.spring;

import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Client;
import io.venomqa.report.ConsoleReporter;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.spring.internal.ManagedDatabase;
import io.venomqa.state.CheckpointNames;
import io.venomqa.state.StateManager;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.jdbc.TablesMark;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.junit.jupiter.SpringExtension;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JUnit 5 side of {@link VenomQASpringTest} (registered by the annotation; it works next to
 * Spring's own {@code SpringExtension}, which {@code @SpringBootTest} registers).
 *
 * <p>What it guarantees:
 * <ul>
 *   <li><b>Isolation</b> (unless {@code isolation = false}): a checkpoint before each test class and
 *       each test method, a rollback to it afterwards (also when the test fails), so every class and
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
 *       {@link JourneyRunner} (that client and the context's state manager) and {@link StateManager}.
 *       Each test method gets its own client, context and runner. Journeys become dynamic tests with
 *       {@code io.venomqa.junit.JourneyTests}.</li>
 *   <li>Test classes of one context run one at a time (they share its transaction): a second class
 *       started while another runs fails with an error saying so, instead of sharing its rows. The
 *       methods of a class must run one at a time too (JUnit's default).</li>
 * </ul>
 */
public final class VenomQASpringExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(VenomQASpringExtension.class);
    private static final AtomicInteger CHECKPOINTS = new AtomicInteger();
    private static final String SLOT = "slot";
    private static final String CHECKPOINT = "checkpoint";

    @Override
    public void beforeAll(ExtensionContext context) {
        if (context.getRequiredTestClass().getEnclosingClass() != null
                && context.getStore(NAMESPACE).get(SLOT, String.class) != null) {
            return; // a @Nested class goes on inside its outer class's slot and checkpoint
        }
        ManagedDatabase db = database(context);
        String who = context.getRequiredTestClass().getName();
        db.enter(who);
        context.getStore(NAMESPACE).put(SLOT, who);
        if (isolated(context)) {
            try {
                take(context, db, "spring-class-" + CHECKPOINTS.incrementAndGet() + "-" + context.getRequiredTestClass().getSimpleName(),
                        true);
            } catch (RuntimeException e) {
                db.exit(who);
                throw e;
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        String who = context.getStore(NAMESPACE).get(SLOT, String.class);
        try {
            giveBack(context);
        } finally {
            if (who != null && who.equals(context.getRequiredTestClass().getName())) {
                database(context).exit(who);
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (isolated(context)) {
            take(context, database(context), "spring-" + CHECKPOINTS.incrementAndGet() + "-" + context.getRequiredTestMethod().getName(),
                    false);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        giveBack(context);
    }

    /** A checkpoint for a class or a method; a class's also marks the tables, to compare after its rollback. */
    private static void take(ExtensionContext context, ManagedDatabase db, String name, boolean markTables) {
        String checkpoint = name.length() > CheckpointNames.MAX_LENGTH ? name.substring(0, CheckpointNames.MAX_LENGTH) : name;
        StateManager m = db.manager();
        m.checkpoint(checkpoint);
        TablesMark mark = null;
        if (markTables && m instanceof JdbcStateManager jdbc) {
            try {
                mark = jdbc.markTables().orElse(null);
            } catch (RuntimeException e) {
                m.rollback(checkpoint);
                m.release(checkpoint);
                throw e;
            }
        }
        context.getStore(NAMESPACE).put(CHECKPOINT, new Held(db, checkpoint, mark));
    }

    private static void giveBack(ExtensionContext context) {
        Held held = context.getStore(NAMESPACE).remove(CHECKPOINT, Held.class);
        if (held == null) {
            return;
        }
        StateManager m = held.db.manager();
        if (!m.hasCheckpoint(held.checkpoint)) {
            throw new IllegalStateException("VenomQA could not roll back after " + context.getDisplayName()
                    + ": its checkpoint '" + held.checkpoint + "' is no longer active (active: " + m.activeCheckpoints()
                    + "). Did the test call reset(), release it, or roll back past it? Later tests may see this one's data.");
        }
        m.rollback(held.checkpoint);
        m.release(held.checkpoint);
        if (held.mark != null && m instanceof JdbcStateManager jdbc) {
            // Rows committed around the wrapped DataSource (a second DataSource bean, a client with connections
            // of its own) survive the rollback: the class that left them fails, instead of a warning at exit.
            jdbc.requireTablesAsMarked(held.mark, "test class " + context.getRequiredTestClass().getName());
        }
    }

    /** A checkpoint taken for a class or a method, and for a class the tables as they were at it. */
    private record Held(ManagedDatabase db, String checkpoint, TablesMark mark) {
    }

    // ---- parameters ---------------------------------------------------------------------------

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Client.class || type == ExecutionContext.class || type == JourneyRunner.class
                || type == StateManager.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == StateManager.class) {
            return database(context).manager();
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

    /** What one test method (or the class's lifecycle methods) gets: its own client, context and runner. */
    private static final class PerTest {
        final ExecutionContext context = new ExecutionContext();
        private Client client;
        private JourneyRunner runner;

        synchronized Client client(ExtensionContext ec) {
            if (client == null) {
                client = new Client(baseUrl(ec));
            }
            return client;
        }

        synchronized JourneyRunner runner(ExtensionContext ec) {
            if (runner == null) {
                JourneyRunner.Builder b = JourneyRunner.builder(client(ec)).stateManager(database(ec).manager());
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
