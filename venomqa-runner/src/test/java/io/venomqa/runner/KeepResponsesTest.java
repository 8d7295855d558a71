package io.venomqa.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.venomqa.config.ConfigException;
import io.venomqa.config.VenomQAConfig;
import io.venomqa.http.Client;
import io.venomqa.http.HttpExchange;
import io.venomqa.http.Response;
import io.venomqa.journey.Journey;
import io.venomqa.report.HtmlReporter;
import io.venomqa.report.JUnitXmlReporter;
import io.venomqa.report.JsonReporter;
import io.venomqa.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code keep_responses}: read from venomqa.yaml, and what {@code failures} keeps of passing and failing steps. */
class KeepResponsesTest {

    private static final String ITEM = "{\"id\":7,\"name\":\"a body worth keeping\"}";

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer()
                .route("POST", "/items", r -> new TestServer.Reply(201, ITEM))
                .route("GET", "/items/7", r -> TestServer.Reply.ok(ITEM))
                .route("GET", "/broken", r -> new TestServer.Reply(500, "{\"error\":\"the server broke\"}"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // ---- configuration ---------------------------------------------------------------------

    @Test
    void readFromYamlAndUnsetMeansAll() {
        VenomQAConfig failures = VenomQAConfig.loader().environment(Map.of())
                .parse("base_url: " + server.baseUrl() + "\nkeep_responses: failures\n");
        assertThat(failures.keepResponses()).contains(KeepResponses.FAILURES);
        assertThat(failures.runnerBuilder().build().keepResponses()).isEqualTo(KeepResponses.FAILURES);
        assertThat(failures.toString()).contains("keep_responses=failures");

        VenomQAConfig all = VenomQAConfig.loader().environment(Map.of()).parse("keep_responses: ALL\n");
        assertThat(all.keepResponses()).contains(KeepResponses.ALL);

        VenomQAConfig unset = VenomQAConfig.loader().environment(Map.of()).parse("base_url: " + server.baseUrl() + "\n");
        assertThat(unset.keepResponses()).isEmpty();
        assertThat(unset.runnerBuilder().build().keepResponses()).isEqualTo(KeepResponses.ALL);
        assertThat(JourneyRunner.builder(new Client(server.baseUrl())).build().keepResponses()).isEqualTo(KeepResponses.ALL);
    }

    @Test
    void aBadValueIsAnErrorListingTheAllowedOnes() {
        assertThatThrownBy(() -> VenomQAConfig.loader().environment(Map.of()).parse("keep_responses: everything\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("venomqa.yaml: keep_responses must be one of all, failures, got 'everything'.");
        assertThatThrownBy(() -> VenomQAConfig.loader().environment(Map.of()).parse("keep_responses: failure\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be one of all, failures, got 'failure'. Did you mean 'failures'?");
        assertThatThrownBy(() -> VenomQAConfig.loader().environment(Map.of()).parse("keep_responses: [all]\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("keep_responses must be a single value");
    }

    @Test
    void layersAndSystemProperties() {
        Properties p = new Properties();
        p.setProperty("venomqa.keep_responses", "failures");
        VenomQAConfig fromProps = VenomQAConfig.fromProperties(p);
        assertThat(fromProps.keepResponses()).contains(KeepResponses.FAILURES);
        VenomQAConfig file = VenomQAConfig.builder().keepResponses(KeepResponses.ALL).build();
        assertThat(file.overlay(fromProps).keepResponses()).contains(KeepResponses.FAILURES);
        assertThat(fromProps.overlay(VenomQAConfig.builder().build()).keepResponses()).contains(KeepResponses.FAILURES);

        p.setProperty("venomqa.keep_responses", "some");
        assertThatThrownBy(() -> VenomQAConfig.fromProperties(p)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("-Dvenomqa.keep_responses: keep_responses must be one of all, failures, got 'some'");
    }

    // ---- what is kept ----------------------------------------------------------------------

    private Journey journey(List<String> readLater) {
        return Journey.builder("keep")
                .step("create", (client, ctx) -> client.post("/items", Map.of("name", "x")))
                // The step right after may read the previous response...
                .step("read_previous", (client, ctx) -> client.get("/items/" + StepResult.of(ctx, "create").response().json().get("id").asInt()))
                // ... a later one may not, under failures; it says why.
                .step("read_older", (client, ctx) -> {
                    try {
                        readLater.add(StepResult.of(ctx, "create").response().body());
                    } catch (IllegalStateException e) {
                        readLater.add(e.getMessage());
                    }
                    return "done";
                })
                .step("broken", (client, ctx) -> client.get("/broken"))
                .build();
    }

    @Test
    void failuresKeepsOnlyTheFailingStepsBodies() {
        List<String> readLater = new ArrayList<>();
        List<StepResult> seenByListener = new ArrayList<>();
        JourneyRunner runner = JourneyRunner.builder(new Client(server.baseUrl())).keepResponses(KeepResponses.FAILURES)
                .listener(new JourneyListener() {
                    @Override
                    public void stepFinished(StepResult result, int depth) {
                        seenByListener.add(result);
                    }
                }).build();

        JourneyResult result = runner.run(journey(readLater));

        assertThat(result.failed()).isTrue();
        assertThat(result.step("read_previous").passed()).as("the next step reads the previous response").isTrue();
        assertThat(readLater).singleElement().asString().contains("was not kept: the step passed and keep_responses is 'failures'")
                .contains("ctx.set(...)");

        StepResult create = result.step("create");
        assertThat(create.passed()).isTrue();
        assertThat(create.bodiesKept()).isFalse();
        assertThat(create.value()).isNull();
        assertThat(create.valueSummary()).startsWith("HTTP 201 from POST");
        assertThat(create.duration()).isPositive();
        HttpExchange call = create.lastExchange();
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.status()).isEqualTo(201);
        assertThat(call.url()).endsWith("/items");
        assertThat(call.bodiesKept()).isFalse();
        assertThat(call.requestBody()).isEmpty();
        assertThat(call.responseBody()).isEmpty();
        assertThat(call.requestHeaders()).isEmpty();
        assertThat(call.responseHeaders()).isEmpty();
        assertThatThrownBy(create::response).isInstanceOf(IllegalStateException.class).hasMessageContaining("not kept");
        assertThat(result.steps()).filteredOn(StepResult::passed).allSatisfy(s -> {
            assertThat(s.bodiesKept()).isFalse();
            assertThat(s.value()).isNull();
            assertThat(s.exchanges()).allSatisfy(x -> assertThat(x.responseBody()).isEmpty());
        });

        StepResult broken = result.step("broken");
        assertThat(broken.failed()).isTrue();
        assertThat(broken.bodiesKept()).isTrue();
        assertThat(broken.response().body()).contains("the server broke");
        assertThat(broken.lastExchange().responseBody()).contains("the server broke");
        assertThat(broken.lastExchange().responseHeaders()).isNotEmpty();
        assertThat(result.allBodiesKept()).isFalse();

        assertThat(seenByListener).as("listeners get every step in full").allSatisfy(s -> assertThat(s.bodiesKept()).isTrue());
        assertThat(seenByListener.get(0).response().body()).isEqualTo(ITEM);
    }

    @Test
    void allIsTheDefaultAndKeepsEveryBody() {
        List<String> readLater = new ArrayList<>();
        JourneyResult result = JourneyRunner.builder(new Client(server.baseUrl())).build().run(journey(readLater));

        assertThat(readLater).containsExactly(ITEM);
        assertThat(result.allBodiesKept()).isTrue();
        StepResult create = result.step("create");
        assertThat(create.bodiesKept()).isTrue();
        assertThat(((Response) create.value()).body()).isEqualTo(ITEM);
        assertThat(create.lastExchange().responseBody()).isEqualTo(ITEM);
        assertThat(create.lastExchange().requestBody()).contains("\"name\"");
    }

    @Test
    void reportsSayWhatWasNotKeptInsteadOfShowingEmptyBodies() throws Exception {
        JourneyResult result = JourneyRunner.builder(new Client(server.baseUrl())).keepResponses(KeepResponses.FAILURES)
                .build().run(journey(new ArrayList<>()));

        JsonNode json = new ObjectMapper().readTree(new JsonReporter().render(result));
        assertThat(json.get("allBodiesKept").asBoolean()).isFalse();
        assertThat(json.get("bodiesNote").asText()).contains("bodies", "passing steps were not kept", "keep_responses: failures");
        JsonNode create = json.get("nodes").get(0);
        assertThat(create.get("bodiesKept").asBoolean()).isFalse();
        JsonNode call = create.get("exchanges").get(0);
        assertThat(call.get("bodiesKept").asBoolean()).isFalse();
        assertThat(call.get("responseBody").isNull()).as("null (not kept), not \"\" (empty)").isTrue();
        assertThat(call.get("requestBody").isNull()).isTrue();
        assertThat(call.get("status").asInt()).isEqualTo(201);
        JsonNode brokenCall = json.get("nodes").get(3).get("exchanges").get(0);
        assertThat(brokenCall.get("bodiesKept").asBoolean()).isTrue();
        assertThat(brokenCall.get("responseBody").asText()).contains("the server broke");

        String html = new HtmlReporter().render(result);
        assertThat(html).contains("passing steps were not kept (keep_responses: failures)")
                .contains("headers and bodies not kept: the step passed and keep_responses is &#39;failures&#39;")
                .contains("the server broke");
        assertThat(html.split("\\(no body\\)", -1)).as("only the failing GET's empty request body reads (no body)").hasSize(2);

        String xml = new JUnitXmlReporter().render(result);
        assertThat(xml).contains("name=\"bodies\"").contains("passing steps were not kept (keep_responses: failures)")
                .contains("the server broke");
    }
}
