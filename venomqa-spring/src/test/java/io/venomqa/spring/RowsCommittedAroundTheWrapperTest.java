package io.venomqa.spring;

import io.venomqa.spring.fixtures.CommittedAroundFixtures;
import io.venomqa.spring.support.TestDatabase;
import io.venomqa.state.RollbackException;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * A row committed around VenomQA's wrapped DataSource survives the class's rollback, so the class that left
 * it fails after its tests, naming the table, instead of passing with only a warning when the context
 * closes; what the server wrote through the wrapper is rolled back as always. Runs fixture classes through
 * the JUnit Platform, as Surefire would, then closes their contexts.
 */
class RowsCommittedAroundTheWrapperTest {

    @Test
    void onPostgresTheClassFailsNamingTheTable() throws Exception {
        check(CommittedAroundFixtures.OnPostgres.class);
    }

    @Test
    void onH2TheClassFailsNamingTheTable() throws Exception {
        check(CommittedAroundFixtures.OnH2.class);
    }

    /** REPEATABLE READ: the committed rows are compared, read on a second connection (CHECKSUM TABLE: no row counts). */
    @Test
    void onMariaDbTheClassFailsNamingTheTable() throws Exception {
        check(CommittedAroundFixtures.OnMariaDb.class, "table products differs from what was committed at the checkpoint");
    }

    private static void check(Class<?> fixture) throws Exception {
        check(fixture, "table products (2 rows at the checkpoint, 3 now)");
    }

    private static void check(Class<?> fixture, String naming) throws Exception {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build(),
                listener);
        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getTestsSucceededCount()).as("the test method itself").isEqualTo(1);
        assertThat(summary.getFailures()).singleElement().satisfies(f -> {
            assertThat(f.getTestIdentifier().isContainer()).as("the class fails, after its tests").isTrue();
            assertThat(f.getException()).isInstanceOf(RollbackException.class)
                    .hasMessageContaining("The rollback after test class " + fixture.getName())
                    .hasMessageContaining("did not put the database back")
                    .hasMessageContaining("@VenomQASpringTest");
            assertThat(f.getException().getMessage()).containsIgnoringCase(naming)
                    .doesNotContainIgnoringCase("audit_log");
        });

        TestContext context = new TestContextManager(fixture).getTestContext();
        TestDatabase db = context.getApplicationContext().getBean(TestDatabase.class);
        context.markApplicationContextDirty(DirtiesContext.HierarchyMode.EXHAUSTIVE); // closes it; the drop records the rows
        assertThat(TestDatabase.STATE_AT_DROP.get(db.name())).contains("around-the-wrapper").doesNotContain("through-the-server");
    }
}
