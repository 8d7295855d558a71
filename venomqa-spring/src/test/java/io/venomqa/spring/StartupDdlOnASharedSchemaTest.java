package io.venomqa.spring;

import io.venomqa.spring.fixtures.SharedSchemaFixtures;
import io.venomqa.spring.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestContextManager;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * A second cached context whose Hibernate would drop and create the tables of a PostgreSQL schema where the
 * first context's VenomQA transaction is open fails at start-up, saying what to do. Until 2026-12-06 its DDL
 * waited for that transaction's locks, which are released only when the first context closes at the end of
 * the run: the build hung.
 */
class StartupDdlOnASharedSchemaTest {

    @Test
    void theSecondContextFailsInsteadOfWaitingForTheFirstOnesLocks() throws Exception {
        secondContextFails(SharedSchemaFixtures.CreateDrop.class,
                "would run Hibernate's schema generation (spring.jpa.hibernate.ddl-auto=create-drop)");
    }

    /** Until 2026-12-06 a {@code spring.sql.init} schema script's {@code DROP TABLE} still waited. */
    @Test
    void aSchemaScriptThatDropsATableFailsTheSecondContextToo() throws Exception {
        secondContextFails(SharedSchemaFixtures.SqlInitDrop.class,
                "would run spring.sql.init schema script class path resource [venomqa-spring-shared-schema-init.sql]: "
                        + "drop table if exists notifications on ");
    }

    private static void secondContextFails(Class<?> secondFixture, String expected) throws Exception {
        TestDatabase schema = TestDatabase.newPostgresSchema();
        System.setProperty(TestDatabase.SCHEMA_PROPERTY, schema.name());
        ExecutorService executor = Executors.newSingleThreadExecutor();
        Future<TestExecutionSummary> second = null;
        try {
            assertThat(run(SharedSchemaFixtures.Migrated.class).getTestsSucceededCount()).isEqualTo(1);
            second = executor.submit(() -> run(secondFixture));
            TestExecutionSummary summary;
            try {
                summary = second.get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("the second context waited for the first one's locks for 60 s", e);
            }
            assertThat(summary.getTestsSucceededCount()).isZero();
            assertThat(summary.getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                    .hasStackTraceContaining(expected)
                    .hasStackTraceContaining("where the cached application context of " + SharedSchemaFixtures.Migrated.class.getName())
                    .hasStackTraceContaining("a schema of its own"));
        } finally {
            // Closing the first context ends its transaction (a waiting second one then starts and is closed too);
            // then the schema can go.
            close(SharedSchemaFixtures.Migrated.class);
            if (second != null) {
                try {
                    second.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException ignored) {
                    // reported above
                }
            }
            close(secondFixture);
            executor.shutdownNow();
            System.clearProperty(TestDatabase.SCHEMA_PROPERTY);
            schema.destroy();
        }
    }

    private static void close(Class<?> fixture) {
        new TestContextManager(fixture).getTestContext().markApplicationContextDirty(DirtiesContext.HierarchyMode.EXHAUSTIVE);
    }

    private static TestExecutionSummary run(Class<?> fixture) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build(), listener);
        return listener.getSummary();
    }
}
