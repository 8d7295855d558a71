package io.venomqa.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.venomqa.http.Client;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.journey.Step;
import io.venomqa.runner.JourneyListener;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.state.StateConfig;
import io.venomqa.state.memory.InMemoryStateManager;
import io.venomqa.state.memory.InMemoryStore;
import io.venomqa.state.spi.ChangeTracking;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Journey-level database checks on the memory backend: {@code expectDb} against the main line's net
 * changes (the paths of a branch, and what the branch's rollback undid, do not count), failures in
 * every report, and never a pass when changes are not tracked.
 */
class JourneyDbChecksTest {

    private InMemoryStore store;
    private InMemoryStateManager tracked;
    private final Client client = new Client("http://127.0.0.1:9");

    @TempDir
    java.nio.file.Path dir;

    @BeforeEach
    void start() {
        store = new InMemoryStore();
        tracked = manager(true);
    }

    private InMemoryStateManager manager(boolean trackChanges) {
        return new InMemoryStateManager(StateConfig.builder().backend("memory").option("track_changes", trackChanges).build(), store);
    }

    private Journey.Builder checkout() {
        return Journey.builder("checkout")
                .step("create", (c, ctx) -> store.put("order:1", "NEW"))
                .step("pay", (c, ctx) -> store.put("order:1", "PAID"))
                .checkpoint("paid")
                .branch("paid",
                        Path.of("cancel", Step.of("cancel", (c, ctx) -> store.remove("order:1"))),
                        Path.of("refund", Step.of("refund", (c, ctx) -> store.put("refund:1", "DONE"))))
                .step("ship", (c, ctx) -> store.put("shipment:1", "SENT"));
    }

    @Test
    void expectDbSeesTheMainLinesNetChangesNotThePaths() {
        Journey j = checkout()
                .expectDb(db -> db.inserted("store", 2).updated("store", 0).deleted("store", 0))
                .build();
        JourneyResult r = JourneyRunner.builder(client).stateManager(tracked).build().run(j);
        assertThat(r.passed()).as(r.summary()).isTrue();
        assertThat(r.message()).isNull();
    }

    @Test
    @org.junit.jupiter.api.DisplayName("a table name no tracked table has fails the check with the nearest name, on a step and on the journey (until 2026-12-06 unchanged(\"stroe\") always held)")
    void unknownTableNameFails() {
        Journey j = Journey.builder("typo")
                .step(Step.builder("create").action((c, ctx) -> store.put("order:1", "NEW"))
                        .expectDb(db -> db.unchanged("stroe")).build())
                .build();
        JourneyResult r = JourneyRunner.builder(client).stateManager(tracked).build().run(j);
        assertThat(r.passed()).isFalse();
        io.venomqa.runner.StepResult create = r.step("create");
        assertThat(create.status()).isEqualTo(io.venomqa.runner.Status.FAILED);
        assertThat(create.message()).contains("table 'stroe' is not one whose changes are tracked (did you mean 'store'?)")
                .contains("tracked: store");

        Journey qualified = Journey.builder("qualified").step("create", (c, ctx) -> store.put("order:3", "NEW"))
                .expectDb(db -> db.inserted("shop.store", 1)).build();
        r = JourneyRunner.builder(client).stateManager(tracked).build().run(qualified);
        assertThat(r.passed()).isFalse();
        assertThat(r.message()).contains("table 'shop.store' is not one whose changes are tracked (did you mean 'store'? "
                + "Tables are named without their schema)");

        // The same names, spelled right or in another case, still judge the rows.
        Journey right = Journey.builder("right")
                .step(Step.builder("create").action((c, ctx) -> store.put("order:2", "NEW"))
                        .expectDb(db -> db.inserted("STORE", 1)).build())
                .build();
        JourneyResult ok = JourneyRunner.builder(client).stateManager(tracked).build().run(right);
        assertThat(ok.passed()).as(ok.summary()).isTrue();
    }

    @Test
    @org.junit.jupiter.api.DisplayName("a failed check on a step that failed as expected comes first, and messages join without '.;'")
    void failedCheckMessagesReadWell() {
        Journey j = Journey.builder("messages")
                .step(Step.builder("declined").action((c, ctx) -> {
                    store.put("order:9", "NEW");
                    throw new IllegalStateException("declined");
                }).expectFailure().expectDb(db -> db.nothingWritten()).build())
                .build();
        JourneyResult r = JourneyRunner.builder(client).stateManager(tracked).build().run(j);
        assertThat(r.step("declined").message()).startsWith("Database expectation failed: any table expected unchanged")
                .contains("; the call: Failed as expected: IllegalStateException: declined").doesNotContain(".;");
    }

    @Test
    void stepsOfTheMainLineThatABranchRolledBackDoNotCount() {
        Journey j = Journey.builder("undone")
                .checkpoint("start")
                .step("write", (c, ctx) -> store.put("draft:1", "x"))
                .branch("start", Path.of("other", Step.of("other", (c, ctx) -> store.put("other:1", "y"))))
                .expectDb(db -> db.nothingWritten())
                .build();
        JourneyResult r = JourneyRunner.builder(client).stateManager(tracked).build().run(j);
        assertThat(r.passed()).as(r.summary()).isTrue();

        Journey counted = Journey.builder("counted")
                .checkpoint("start")
                .step("write", (c, ctx) -> store.put("draft:1", "x"))
                .branch("start", Path.of("other", Step.of("other", (c, ctx) -> store.put("other:1", "y"))))
                .step("again", (c, ctx) -> store.put("draft:2", "z"))
                .expectDb(db -> db.nothingWritten())
                .build();
        JourneyResult failed = JourneyRunner.builder(client).stateManager(tracked).build().run(counted);
        assertThat(failed.failed()).isTrue();
        assertThat(failed.message()).isEqualTo("Journey database expectation failed: any table expected unchanged, "
                + "but 1 row was written. Written: +1 store");
    }

    @Test
    void aFailedJourneyCheckFailsTheJourneyInEveryReport() throws Exception {
        Journey j = checkout().expectDb(db -> db.inserted("store", 5)).build();
        List<java.nio.file.Path> written = new ArrayList<>();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        JourneyResult r = JourneyRunner.builder(client).stateManager(tracked).reportDir(dir)
                .listener(new ConsoleReporter(new PrintStream(console, true, StandardCharsets.UTF_8), false))
                .listener(new JourneyListener() {
                    @Override
                    public void reportsWritten(JourneyResult result, List<java.nio.file.Path> files) {
                        written.addAll(files);
                    }
                }).build().run(j);

        String expected = "Journey database expectation failed: 5 rows inserted in store expected, 2 actual. "
                + "Written: +2 store";
        assertThat(r.failed()).isTrue();
        assertThat(r.message()).isEqualTo(expected);
        assertThat(r.step("ship").passed()).isTrue();
        assertThat(console.toString(StandardCharsets.UTF_8)).contains(expected);
        assertThat(written).hasSize(3);
        JsonNode json = new ObjectMapper().readTree(written.get(0).toFile());
        assertThat(json.toString()).contains(expected);
        assertThat(Files.readString(written.get(1))).contains(expected);
        assertThat(Files.readString(written.get(2))).contains(expected);
    }

    @Test
    void withoutTrackedChangesTheJourneyCheckFailsSayingWhy() {
        Journey j = checkout().expectDb(db -> db.nothingWritten()).build();
        JourneyResult off = JourneyRunner.builder(client).stateManager(manager(false)).build().run(j);
        assertThat(off.failed()).isTrue();
        assertThat(off.message()).isEqualTo("Journey database expectations cannot be checked: changes not tracked: "
                + ChangeTracking.OFF_REASON);

        JourneyResult none = JourneyRunner.builder(client).build().run(j);
        assertThat(none.failed()).isTrue();
        assertThat(none.message()).isEqualTo("Journey database expectations cannot be checked: changes not tracked: "
                + "no state manager");

        // A main line of a checkpoint and a branch only has no step window: still not a pass.
        Journey branchOnly = Journey.builder("branch-only").checkpoint("a")
                .branch("a", Path.of("p", Step.of("p", (c, ctx) -> "x")))
                .expectDb(db -> db.nothingWritten()).build();
        assertThat(JourneyRunner.builder(client).stateManager(manager(false)).build().run(branchOnly).message())
                .startsWith("Journey database expectations cannot be checked: changes not tracked");
    }

    @Test
    void sqlChecksNeedASqlStateManagerAndChecksDoNotJudgeAHalfRunJourney() {
        Journey sql = checkout().checkSql("select 1", ctx -> List.of(), "1").build();
        JourneyResult r = JourneyRunner.builder(client).stateManager(tracked).build().run(sql);
        assertThat(r.failed()).isTrue();
        assertThat(r.message()).startsWith("Journey SQL checks cannot run: the ").endsWith(" state manager cannot run SQL.");

        Journey broken = Journey.builder("broken")
                .step("fail", (c, ctx) -> {
                    throw new IllegalStateException("boom");
                })
                .step("never", (c, ctx) -> "x")
                .expectDb(db -> db.nothingWritten())
                .build();
        JourneyResult half = JourneyRunner.builder(client).stateManager(tracked).build().run(broken);
        assertThat(half.failed()).isTrue();
        assertThat(half.message()).isEqualTo("Journey database checks not run: the main line did not run to its end.");
    }
}
