package io.venomqa.benchmarks;

import io.venomqa.spring.VenomQASpringTest;
import io.venomqa.spring.VenomQASpringContexts;
import io.venomqa.spring.sample.SampleApp;
import io.venomqa.state.StateManager;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextManager;

/**
 * The Spring Boot sample application of {@code venomqa-spring}'s tests ({@link SampleApp}, from the
 * unpublished module {@code venomqa-spring-sample}) started in this JVM the way a user's test class
 * starts it: through Spring's TestContext framework, from a class annotated
 * {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} — with {@code @VenomQASpringTest} (the
 * DataSource wrapped into VenomQA's transaction, savepoint strategy) or without it (the application's
 * own Hikari pool, nothing of VenomQA). A real embedded Tomcat on a free port, and PostgreSQL: a schema
 * of its own ({@link Db}), created before the context starts (Flyway migrates and seeds it) and dropped
 * after the context is closed.
 */
final class SpringSampleApp implements AutoCloseable {

    /** What a user's test class declares to get VenomQA on the app (the injected runner prints nothing). */
    @SpringBootTest(classes = SampleApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    @ContextConfiguration(initializers = OwnSchema.class)
    @VenomQASpringTest(console = false)
    static final class WithVenomQA {
    }

    /** The same test class without VenomQA. */
    @SpringBootTest(classes = SampleApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    @ContextConfiguration(initializers = OwnSchema.class)
    static final class WithoutVenomQA {
    }

    /** Points {@code spring.datasource.*} at the schema of the context being started (one at a time, on this thread). */
    static final class OwnSchema implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        private static final ThreadLocal<String> URL = new ThreadLocal<>();

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            String url = URL.get();
            if (url == null) {
                throw new IllegalStateException("SpringSampleApp.start() sets the schema before the context starts");
            }
            TestPropertyValues.of("spring.datasource.url=" + url, "spring.datasource.username=postgres",
                    "spring.datasource.password=").applyTo(context);
        }
    }

    final Db db;
    private final TestContext test;
    private final ApplicationContext context;

    private SpringSampleApp(Db db, TestContext test) {
        this.db = db;
        this.test = test;
        this.context = test.getApplicationContext();
    }

    /**
     * Starts the app on a new schema, with VenomQA's wrapping or without; {@code synchronousCommit} is
     * PostgreSQL's setting for the app's connections ({@code on}: the server's default, each commit waits
     * for its WAL flush; {@code off}: it does not).
     */
    static SpringSampleApp start(boolean withVenomQA, String synchronousCommit) {
        Db db = Db.create(Db.PG);
        OwnSchema.URL.set("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + db.name
                + "&options=-c%20synchronous_commit%3D" + synchronousCommit);
        try {
            TestContext test = new TestContextManager(withVenomQA ? WithVenomQA.class : WithoutVenomQA.class).getTestContext();
            return new SpringSampleApp(db, test);
        } catch (RuntimeException | Error e) {
            db.close();
            throw e;
        } finally {
            OwnSchema.URL.remove();
        }
    }

    /** {@code http://localhost:<port>}, as {@code VenomQASpringExtension} gives its {@code Client}. */
    String baseUrl() {
        return "http://localhost:" + context.getEnvironment().getRequiredProperty("local.server.port");
    }

    /** The context's state manager, as {@code VenomQASpringExtension} hands it to the runner it injects. */
    StateManager manager() {
        return VenomQASpringContexts.stateManager(context);
    }

    /** Closes the context (VenomQA disconnects, if there), then drops the schema. */
    @Override
    public void close() {
        try {
            test.markApplicationContextDirty(null);
        } finally {
            db.close();
        }
    }
}
