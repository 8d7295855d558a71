package io.venomqa.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.venomqa.config.ConfigException;
import io.venomqa.explore.ExplorationConsole;
import io.venomqa.explore.ExplorationJUnitXml;
import io.venomqa.explore.ExplorationResult;
import io.venomqa.explore.InvariantSummary;
import io.venomqa.explore.Move;
import io.venomqa.explore.Strategy;
import io.venomqa.explore.Violation;
import io.venomqa.http.Client;
import io.venomqa.openapi.internal.InvalidBodies;
import io.venomqa.openapi.internal.Spec;
import io.venomqa.state.memory.InMemoryStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The invalid-bodies switch: which bodies it breaks and how, that a correct API refusing them passes,
 * that an API accepting one is a violation of {@link Check#INVALID_BODY_REFUSED} (and of no other
 * check), and the switch in {@code venomqa.yaml}.
 */
class InvalidBodiesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private InMemoryStateManager manager;
    private TestApi api;

    private static OpenApiExploration customers(String document) {
        return OpenApiExploration.from(OpenApiDocument.read(ChecksTest.doc(document)));
    }

    private ExplorationResult explore(OpenApiExploration oa, Set<TestApi.Bug> bugs) throws Exception {
        manager = new InMemoryStateManager();
        manager.connect();
        api = new TestApi(manager.store(), bugs, null);
        return oa.explorationBuilder(new Client(api.baseUrl()), manager)
                .strategy(Strategy.breadthFirst()).maxDepth(3).maxSteps(600).build().run();
    }

    static InvariantSummary summaryOf(ExplorationResult r, Check check) {
        return r.invariants().stream().filter(i -> i.name().equals(check.invariantName())).findFirst().orElseThrow();
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
    @DisplayName("off by default; switched on, each operation with a body gets one move per rule it can break")
    void movesPerRule() {
        assertThat(customers("customers.yaml").moves()).extracting(Move::name).noneMatch(n -> n.contains(":invalid-"));
        assertThat(customers("customers.yaml").invalidBodies(true).moves()).extracting(Move::name)
                .filteredOn(n -> n.contains(":invalid-"))
                .containsExactly(
                        "createCustomer:invalid-missing-name", "createCustomer:invalid-type-name", "createCustomer:invalid-range-name",
                        "renameCustomer:invalid-missing-name", "renameCustomer:invalid-type-name", "renameCustomer:invalid-range-name",
                        "createOrder:invalid-missing-amount", "createOrder:invalid-type-amount", "createOrder:invalid-range-amount",
                        "createOrder:invalid-extra-property");
    }

    @ParameterizedTest
    @ValueSource(strings = {"customers.yaml", "customers-31.yaml"})
    @DisplayName("an API that refuses every invalid body passes; every invalid move ran")
    void correctApiRefusesThem(String document) throws Exception {
        ExplorationResult r = explore(customers(document).invalidBodies(true), Set.of());
        assertThat(r.violations()).as(ExplorationConsole.summary(r)).isEmpty();
        assertThat(r.neverRun()).as("never run").isEmpty();
        assertThat(r.transitions()).extracting(t -> t.move()).contains("createOrder:invalid-extra-property",
                "renameCustomer:invalid-range-name", "createCustomer:invalid-missing-name");
        assertThat(summaryOf(r, Check.INVALID_BODY_REFUSED).held()).as("switched on, the check judged every move").isTrue();
        assertThat(manager.store().asMap()).isEmpty();
    }

    @Test
    @DisplayName("an API that takes a name shorter than its minLength: a violation of this check only, naming the rule broken")
    void acceptedInvalidBodyIsAViolation() throws Exception {
        ExplorationResult r = explore(customers("customers.yaml").invalidBodies(true), EnumSet.of(TestApi.Bug.SHORT_NAME_ACCEPTED));
        String summary = ExplorationConsole.summary(r);
        assertThat(r.violations()).as(summary).isNotEmpty()
                .allSatisfy(v -> assertThat(v.invariant()).isEqualTo(Check.INVALID_BODY_REFUSED.invariantName()));
        Violation v = r.violations().get(0);
        assertThat(v.lastMove()).isEqualTo("createCustomer:invalid-range-name");
        assertThat(v.severity()).isEqualTo(Check.INVALID_BODY_REFUSED.defaultSeverity());
        assertThat(v.message()).isEqualTo("POST /customers answered 201 to a body that breaks its schema ('name' = \"x\", "
                + "shorter than its minLength 2): the API must refuse it with a 4xx — body: {\"id\":1,\"name\":\"x\",\"email\":\"none@example.com\"}");
        assertThat(v.reproduced()).isTrue();
        tearDown();

        // The check judges only the moves the switch adds: without them it has nothing to judge, which is
        // neither a violation nor a pass: every report shows it as not run, with the switch to turn on.
        ExplorationResult off = explore(customers("customers.yaml"), EnumSet.of(TestApi.Bug.SHORT_NAME_ACCEPTED));
        assertThat(off.violations()).as(ExplorationConsole.summary(off)).isEmpty();
        InvariantSummary notRun = summaryOf(off, Check.INVALID_BODY_REFUSED);
        assertThat(notRun.didNotRun()).as(notRun.toString()).isTrue();
        assertThat(notRun.notRun()).isEqualTo(notRun.checks()).isPositive();
        assertThat(notRun.notRunReason()).contains("invalid bodies are off").contains("--invalid-bodies", "openapi.invalid_bodies: true");
        assertThat(ExplorationConsole.summary(off)).contains("not run: invalid body refused — could not judge " + notRun.checks()
                + " of " + notRun.checks() + " checks: invalid bodies are off");
        assertThat(ExplorationJUnitXml.render(off)).contains("<skipped message=\"not run: could not judge " + notRun.checks()
                + " of " + notRun.checks() + " checks: invalid bodies are off");
    }

    @Test
    @DisplayName("openapi.invalid_bodies in venomqa.yaml switches it on; anything but true or false is refused")
    void configuration() {
        assertThat(customers("customers.yaml").configure(Map.of("invalid_bodies", true), "venomqa.yaml").moves())
                .extracting(Move::name).contains("createOrder:invalid-range-amount");
        assertThatThrownBy(() -> customers("customers.yaml").configure(Map.of("invalid_bodies", "yes"), "venomqa.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("venomqa.yaml: openapi.invalid_bodies must be true or false, not 'yes'.");
        assertThatThrownBy(() -> customers("customers.yaml").configure(Map.of("invalid_body", true), "venomqa.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("did you mean 'invalid_bodies'?");
    }

    // ---- the rules, on schemas of their own ----------------------------------------------------

    private static Map<String, Object> broken(String schemaJson, Map<String, Object> valid) throws Exception {
        JsonNode schema = MAPPER.readTree(schemaJson);
        Spec spec = Spec.of(MAPPER.createObjectNode(), true);
        Map<String, Object> out = new LinkedHashMap<>();
        for (InvalidBodies.InvalidBody b : InvalidBodies.of(spec, schema)) {
            Optional<Object> body = b.apply().apply(Optional.of(valid));
            out.put(b.name() + " | " + b.description(), body.orElse("(not applicable)"));
        }
        return out;
    }

    @Test
    @DisplayName("bounds: 3.1 numeric exclusive bounds, 3.0 boolean ones, maximums, number enums; the valid body is not changed")
    void bounds() throws Exception {
        Map<String, Object> valid = new LinkedHashMap<>(Map.of("n", 5));
        assertThat(broken("{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\",\"exclusiveMinimum\":0}}}", valid))
                .containsEntry("range-n | 'n' = 0, not above its exclusive minimum 0", Map.of("n", 0L));
        assertThat(broken("{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\",\"minimum\":0.5,\"exclusiveMinimum\":true}}}", valid))
                .containsEntry("range-n | 'n' = 0, not above its exclusive minimum 0.5", Map.of("n", 0L));
        assertThat(broken("{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"number\",\"maximum\":2.5}}}", valid))
                .containsEntry("range-n | 'n' = 3.5, above its maximum 2.5", Map.of("n", 3.5));
        assertThat(broken("{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\",\"enum\":[1,2,7]}}}", valid))
                .containsEntry("range-n | 'n' = 8, not one of its enum values", Map.of("n", 8L));
        assertThat(valid).isEqualTo(Map.of("n", 5));
    }

    @Test
    @DisplayName("types: text gets an object, numbers get text, a nullable type is still broken; formats are not padded; allOf is merged")
    void typesFormatsAndAllOf() throws Exception {
        Map<String, Object> valid = Map.of("email", "a@example.com", "age", 3);
        Map<String, Object> out = broken("""
                {"allOf": [{"type":"object","required":["email"],"properties":{"email":{"type":["string","null"],"format":"email","minLength":3}}},
                           {"type":"object","properties":{"age":{"type":"integer"}}}]}""", valid);
        assertThat(out.keySet()).containsExactly(
                "missing-email | required property 'email' left out",
                "type-email | 'email' sent as an object where the schema says string or null");
        assertThat(out.get("type-email | 'email' sent as an object where the schema says string or null"))
                .isEqualTo(Map.of("email", Map.of("venomqa", "not text"), "age", 3));
        assertThat(broken("{\"type\":\"object\",\"properties\":{\"age\":{\"type\":\"integer\"}}}", Map.of("age", 3)))
                .containsEntry("type-age | 'age' sent as text that is not a number where the schema says integer",
                        Map.of("age", "venomqa-not-a-number"));
    }

    @Test
    @DisplayName("a body schema that is not an object is sent as another type; a body that is not a map is not broken by property rules")
    void nonObjectBodies() throws Exception {
        JsonNode array = MAPPER.readTree("{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}");
        List<InvalidBodies.InvalidBody> rules = InvalidBodies.of(Spec.of(MAPPER.createObjectNode(), true), array);
        assertThat(rules).extracting(InvalidBodies.InvalidBody::name).containsExactly("type-body");
        assertThat(rules.get(0).apply().apply(Optional.of(List.of(1)))).contains("venomqa-not-a-number");
        assertThat(broken("{\"type\":\"object\",\"required\":[\"a\"],\"properties\":{\"a\":{\"type\":\"string\"}}}", Map.of()))
                .containsEntry("missing-a | required property 'a' left out", Map.of());
        List<InvalidBodies.InvalidBody> objectRules = InvalidBodies.of(Spec.of(MAPPER.createObjectNode(), true),
                MAPPER.readTree("{\"type\":\"object\",\"required\":[\"a\"],\"properties\":{\"a\":{\"type\":\"string\"}}}"));
        assertThat(objectRules.get(0).apply().apply(Optional.of("not a map"))).isEmpty();
    }
}
