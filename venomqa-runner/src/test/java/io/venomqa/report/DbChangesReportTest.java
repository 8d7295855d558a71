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
import io.venomqa.runner.ReadRequestWrites;
import io.venomqa.runner.StepResult;
import io.venomqa.state.StateConfig;
import io.venomqa.state.memory.InMemoryStateManager;
import io.venomqa.state.memory.InMemoryStore;
import io.venomqa.testing.ShopApi;
import org.junit.jupiter.api.AfterEach;
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

/** Database changes per step in the results and in every report, secrets masked; the read-request check. */
class DbChangesReportTest {

    private static final String SECRET = "sk-live-0123456789";

    private ShopApi api;
    private InMemoryStore store;
    private InMemoryStateManager stateManager;

    @TempDir
    java.nio.file.Path dir;

    @BeforeEach
    void start() throws Exception {
        store = new InMemoryStore();
        api = new ShopApi(store);
        stateManager = new InMemoryStateManager(StateConfig.builder().backend("memory").option("track_changes", true).build(), store);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Journey journey() {
        return Journey.builder("changes")
                .step("create", (c, ctx) -> {
                    store.put("order:1", "NEW");
                    store.put("api_token", SECRET);
                    return "created";
                })
                .step("pay", (c, ctx) -> store.put("order:1", "PAID"))
                .checkpoint("paid")
                .branch("paid", Path.of("cancel", Step.of("cancel", (c, ctx) -> store.remove("order:1"))))
                .step("nothing", (c, ctx) -> "x")
                .build();
    }

    @Test
    void everyStepCarriesWhatItWroteAndEveryReportShowsItMasked() throws Exception {
        List<java.nio.file.Path> written = new ArrayList<>();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        JourneyResult result = JourneyRunner.builder(new Client(api.baseUrl())).stateManager(stateManager).reportDir(dir)
                .listener(new ConsoleReporter(new PrintStream(console, true, StandardCharsets.UTF_8), false))
                .listener(new JourneyListener() {
                    @Override
                    public void reportsWritten(JourneyResult r, List<java.nio.file.Path> files) {
                        written.addAll(files);
                    }
                }).build().run(journey());

        assertThat(result.passed()).as(result.summary()).isTrue();
        StepResult create = result.step("create");
        assertThat(create.dbChanges().summary()).isEqualTo("+2 store");
        assertThat(create.dbChanges().table("store").orElseThrow().inserted())
                .anySatisfy(r -> assertThat(r.after()).containsEntry("key", "api_token").containsEntry("value", "***"));
        StepResult pay = result.step("pay");
        assertThat(pay.dbChanges().table("store").orElseThrow().updated()).singleElement().satisfies(r -> {
            assertThat(r.before()).containsEntry("value", "NEW");
            assertThat(r.after()).containsEntry("value", "PAID");
            assertThat(r.changed()).containsExactly("value");
        });
        assertThat(result.step("nothing").dbChanges().isEmpty()).isTrue();

        String out = console.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("db: +2 store").contains("db: ~1 store").contains("db: -1 store");
        for (java.nio.file.Path f : written) {
            assertThat(Files.readString(f)).as(f.toString()).doesNotContain(SECRET);
        }
        assertThat(out).doesNotContain(SECRET);

        JsonNode json = new ObjectMapper().readTree(written.get(0).toFile());
        JsonNode payJson = json.at("/nodes/1/dbChanges");
        assertThat(payJson.get("tracked").asBoolean()).isTrue();
        assertThat(payJson.get("summary").asText()).isEqualTo("~1 store");
        assertThat(payJson.at("/tables/0/updated/0/before/value").asText()).isEqualTo("NEW");
        assertThat(payJson.at("/tables/0/updated/0/after/value").asText()).isEqualTo("PAID");
        assertThat(json.at("/nodes/0/dbChanges/tables/0/inserted").toString()).contains("\"api_token\"").contains("***");

        assertThat(Files.readString(written.get(1))).contains("<system-out>").contains("db create: +2 store")
                .contains("db pay: ~1 store");
        String html = Files.readString(written.get(2));
        assertThat(html).contains("database: ~1 store").contains("<td class=\"changed\">PAID</td>");
    }

    @Test
    void longValuesAreCutInTheHtmlWithTheWholeValueOneClickAway() {
        String longValue = "y".repeat(500);
        Journey j = Journey.builder("long").step("put", (c, ctx) -> store.put("doc", longValue)).build();
        JourneyResult r = JourneyRunner.builder(new Client(api.baseUrl())).stateManager(stateManager).build().run(j);
        String html = new HtmlReporter().render(r);
        assertThat(html).contains("<details class=\"v\"><summary>" + "y".repeat(60) + "… (500 chars)</summary><pre>"
                + longValue + "</pre></details>");
    }

    @Test
    void aReadRequestThatWritesWarnsFailsOrIsAllowedPerTable() {
        Journey j = Journey.builder("reads").step("read", (c, ctx) -> {
            store.put("audit:1", "seen");
            return c.get("/payments");
        }).build();
        Client client = new Client(api.baseUrl());

        JourneyResult warned = JourneyRunner.builder(client).stateManager(stateManager).build().run(j);
        assertThat(warned.passed()).isTrue();
        assertThat(warned.warnings()).anySatisfy(w -> assertThat(w)
                .contains("Step 'read': GET /payments inserted 1 row into store"));

        JourneyResult failed = JourneyRunner.builder(client).stateManager(stateManager)
                .readRequestWrites(ReadRequestWrites.FAIL).build().run(j);
        assertThat(failed.failed()).isTrue();
        assertThat(failed.step("read").message()).contains("GET /payments inserted 1 row into store");

        JourneyResult allowed = JourneyRunner.builder(client).stateManager(stateManager)
                .readRequestWrites(ReadRequestWrites.FAIL, "STORE").build().run(j);
        assertThat(allowed.passed()).isTrue();
        assertThat(allowed.warnings()).noneSatisfy(w -> assertThat(w).contains("inserted"));
    }

    @Test
    void withoutTrackingTheReportSaysWhyOnce() {
        InMemoryStateManager off = new InMemoryStateManager(StateConfig.builder().backend("memory")
                .option("track_changes", false).build(), store);
        JourneyResult r = JourneyRunner.builder(new Client(api.baseUrl())).stateManager(off).build().run(journey());
        assertThat(r.step("pay").dbChanges().tracked()).isFalse();
        assertThat(r.step("pay").dbChanges().summary())
                .isEqualTo("changes not tracked: " + io.venomqa.state.spi.ChangeTracking.OFF_REASON);
        // nor what was written between the steps: unknown, not "nothing" (the JSON said tracked, with no rows)
        assertThat(r.step("pay").changesBefore().tracked()).isFalse();
        String html = new HtmlReporter().render(r);
        assertThat(html.split("not tracked", -1)).hasSize(2);
    }

    @Test
    void expectDbPassesOrFailsTheStepWithExpectedAndActualRows() {
        Journey j = Journey.builder("expect")
                .step(Step.builder("ok").action((c, ctx) -> store.put("order:1", "NEW"))
                        .expectDb(db -> db.inserted("store", 1).updated("store", 0)).build())
                .step(Step.builder("wrong").action((c, ctx) -> store.put("order:1", "PAID"))
                        .expectDb(db -> db.inserted("store", 1).unchanged("payments")).build())
                .build();
        JourneyResult r = JourneyRunner.builder(new Client(api.baseUrl())).stateManager(stateManager).build().run(j);
        assertThat(r.step("ok").passed()).isTrue();
        assertThat(r.step("wrong").failed()).isTrue();
        // 'payments' is no table of the memory backend (its one table is 'store'): a name no tracked table has fails.
        assertThat(r.step("wrong").message()).isEqualTo("Database expectation failed: 1 row inserted in store expected, "
                + "0 actual; table 'payments' is not one whose changes are tracked; tracked: store. Written: ~1 store");

        JourneyResult untracked = JourneyRunner.builder(new Client(api.baseUrl())).build().run(j);
        assertThat(untracked.step("ok").message())
                .isEqualTo("Database expectations cannot be checked: changes not tracked: no state manager");
    }

    @Test
    void writesBetweenStepsAreShownAsSuchNotAddedToTheNextStep() {
        Journey j = Journey.builder("background").step("first", (c, ctx) -> "a").step("second", (c, ctx) -> "b").build();
        JourneyResult r = JourneyRunner.builder(new Client(api.baseUrl())).stateManager(stateManager)
                .listener(new JourneyListener() {
                    @Override
                    public void stepFinished(StepResult result, int depth) {
                        if (result.name().equals("first")) {
                            store.put("job:1", "ran"); // an application's background job, between the steps
                        }
                    }
                }).build().run(j);
        assertThat(r.step("first").dbChanges().isEmpty()).isTrue();
        assertThat(r.step("second").changesBefore().summary()).isEqualTo("+1 store");
        assertThat(r.step("second").dbChanges().isEmpty()).isTrue();
    }
}
