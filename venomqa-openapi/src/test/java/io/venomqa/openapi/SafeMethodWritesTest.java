package io.venomqa.openapi;

import io.venomqa.explore.ExplorationConsole;
import io.venomqa.explore.ExplorationJson;
import io.venomqa.explore.ExplorationResult;
import io.venomqa.explore.InvariantSummary;
import io.venomqa.explore.Strategy;
import io.venomqa.explore.Violation;
import io.venomqa.http.Client;
import io.venomqa.state.ChangeTracker;
import io.venomqa.state.StateConfig;
import io.venomqa.state.memory.InMemoryStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Check#SAFE_METHOD_WRITES} on the purpose-built API of {@code customers.yaml} (memory backend,
 * whose change tracker reports each key of the store as a row of table {@code store}): a GET that
 * writes is found, a correct API never is, and without change tracking the check says it did not run.
 */
class SafeMethodWritesTest {

    private InMemoryStateManager manager;
    private TestApi api;

    private ExplorationResult explore(boolean trackChanges, Set<TestApi.Bug> bugs, OpenApiExploration oa) throws Exception {
        manager = new InMemoryStateManager(StateConfig.builder().backend("memory")
                .option(ChangeTracker.OPTION_TRACK_CHANGES, trackChanges).build());
        manager.connect();
        api = new TestApi(manager.store(), bugs, null);
        return oa.explorationBuilder(new Client(api.baseUrl()), manager)
                .strategy(Strategy.breadthFirst()).maxDepth(3).maxSteps(400).build().run();
    }

    private static OpenApiExploration customers() {
        return OpenApiExploration.from(OpenApiDocument.read(ChecksTest.doc("customers.yaml")));
    }

    @AfterEach
    void tearDown() {
        if (api != null) {
            api.close();
        }
        if (manager != null) {
            manager.disconnect();
        }
    }

    @Test
    @DisplayName("a GET that writes a row is a violation naming method, path, table and count, and no other check fires")
    void getThatWritesIsFound() throws Exception {
        OpenApiExploration oa = customers();
        ExplorationResult r = explore(true, EnumSet.of(TestApi.Bug.GET_WRITES), oa);
        String summary = ExplorationConsole.summary(r);
        assertThat(r.violations()).as(summary).hasSize(1);
        Violation v = r.violations().get(0);
        assertThat(v.invariant()).isEqualTo(Check.SAFE_METHOD_WRITES.invariantName());
        assertThat(v.lastMove()).isEqualTo("getCustomer");
        assertThat(v.severity()).isEqualTo(Check.SAFE_METHOD_WRITES.defaultSeverity());
        // The read-back check's own GET after the create already counted one visit: the move updates that row.
        assertThat(v.message()).matches("GET /customers/\\d+ answered 200 and (inserted 1 row into|updated 1 row of) store: "
                + "a GET must not change the database");
        assertThat(v.reproduced()).isTrue();
        assertThat(oa.notRun()).isEmpty();
    }

    @Test
    @DisplayName("made a warning, the write is a finding and the run passes")
    void asWarning() throws Exception {
        OpenApiExploration oa = customers().check(Check.SAFE_METHOD_WRITES, CheckLevel.WARNING);
        ExplorationResult r = explore(true, EnumSet.of(TestApi.Bug.GET_WRITES), oa);
        assertThat(r.violations()).as(ExplorationConsole.summary(r)).isEmpty();
        assertThat(oa.warnings()).isNotEmpty().allSatisfy(f -> {
            assertThat(f.check()).isEqualTo(Check.SAFE_METHOD_WRITES);
            assertThat(f.operation()).isEqualTo("getCustomer");
            assertThat(f.message()).contains("row").contains("store");
        });
    }

    @Test
    @DisplayName("a correct API, with changes tracked, never fires it, though its POST, PATCH and DELETE write")
    void correctApiNeverFires() throws Exception {
        OpenApiExploration oa = customers();
        ExplorationResult r = explore(true, Set.of(), oa);
        assertThat(r.violations()).as(ExplorationConsole.summary(r)).isEmpty();
        assertThat(r.invariants()).filteredOn(s -> s.name().equals(Check.SAFE_METHOD_WRITES.invariantName()))
                .singleElement().satisfies(s -> assertThat(s.checks()).isGreaterThan(0));
        assertThat(r.transitions()).extracting(t -> t.move()).contains("getCustomer", "createCustomer", "deleteCustomer");
        assertThat(oa.notRun()).isEmpty();
        assertThat(oa.warnings()).isEmpty();
    }

    @Test
    @DisplayName("without change tracking the check says once that it could not run, and does not pass the GET that writes")
    void trackingOffSaysItCouldNotRun() throws Exception {
        OpenApiExploration oa = customers();
        ExplorationResult r = explore(false, EnumSet.of(TestApi.Bug.GET_WRITES), oa);
        assertThat(r.violations()).as(ExplorationConsole.summary(r)).isEmpty();
        assertThat(oa.notRun()).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo(Check.SAFE_METHOD_WRITES);
            assertThat(f.message()).startsWith("could not run: database changes not tracked: ")
                    .contains("track_changes: true");
            assertThat(f.count()).isGreaterThan(1);
        });
        assertThat(oa.warnings()).isEmpty();
        // The result, and so every report, says the same: not run on those moves, never held.
        InvariantSummary s = InvalidBodiesTest.summaryOf(r, Check.SAFE_METHOD_WRITES);
        assertThat(s.didNotRun()).as(s.toString()).isTrue();
        assertThat(s.held()).isFalse();
        assertThat(s.notRun()).isEqualTo(oa.notRun().get(0).count());
        assertThat("could not run: " + s.notRunReason()).isEqualTo(oa.notRun().get(0).message());
        assertThat(ExplorationJson.toTree(r).path("invariants").findValues("notRunReason")).extracting(n -> n.asText())
                .contains(s.notRunReason());
    }
}
