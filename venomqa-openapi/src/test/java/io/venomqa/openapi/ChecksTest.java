package io.venomqa.openapi;

import io.venomqa.explore.ExplorationConsole;
import io.venomqa.explore.ExplorationResult;
import io.venomqa.explore.Strategy;
import io.venomqa.explore.Violation;
import io.venomqa.http.Client;
import io.venomqa.state.memory.InMemoryStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every check on a purpose-built API (memory backend, the API in this JVM): silent on the correct
 * API, for OpenAPI 3.0 and 3.1; each planted bug fires its own check and no other.
 */
class ChecksTest {

    private InMemoryStateManager manager;
    private TestApi api;

    static Path doc(String name) {
        return Path.of("src/test/resources/openapi", name);
    }

    private ExplorationResult explore(String document, Set<TestApi.Bug> bugs, OpenApiExploration... configured) throws Exception {
        manager = new InMemoryStateManager();
        manager.connect();
        api = new TestApi(manager.store(), bugs, null);
        OpenApiExploration oa = configured.length > 0 ? configured[0] : OpenApiExploration.from(OpenApiDocument.read(doc(document)));
        return oa.explorationBuilder(new Client(api.baseUrl()), manager)
                .strategy(Strategy.breadthFirst()).maxDepth(3).maxSteps(400).build().run();
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

    @ParameterizedTest
    @ValueSource(strings = {"customers.yaml", "customers-31.yaml"})
    @DisplayName("a correct API passes every check; every operation runs, ids flow from creates to the operations that need them")
    void correctApiPasses(String document) throws Exception {
        ExplorationResult r = explore(document, Set.of());
        assertThat(r.violations()).as(ExplorationConsole.summary(r)).isEmpty();
        assertThat(r.neverRun()).as("never run").isEmpty();
        assertThat(r.states().size()).isGreaterThan(3);
        // createOrder needs a customer id: it never runs from the start state
        assertThat(r.transitions()).filteredOn(t -> t.move().equals("createOrder"))
                .allSatisfy(t -> assertThat(t.from()).isNotEqualTo(r.states().get(0).id()));
        assertThat(manager.store().asMap()).isEmpty();
    }

    static Stream<Arguments> bugs() {
        return Stream.of(
                Arguments.of(TestApi.Bug.SERVER_ERROR, Check.NO_SERVER_ERROR, "renameCustomer"),
                Arguments.of(TestApi.Bug.UNDECLARED_STATUS, Check.DECLARED_STATUS, "renameCustomer"),
                Arguments.of(TestApi.Bug.SCHEMA_MISMATCH, Check.RESPONSE_SCHEMA, "getCustomer"),
                Arguments.of(TestApi.Bug.NOT_READABLE, Check.READ_BACK, "createCustomer"),
                Arguments.of(TestApi.Bug.DELETE_KEEPS, Check.DELETED_STAYS_GONE, "deleteCustomer"),
                Arguments.of(TestApi.Bug.ORDERS_NOT_FOUND, Check.NOT_FOUND_CONSISTENCY, "createOrder"));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("bugs")
    @DisplayName("each planted bug is found by its check, and by no other")
    void eachBugFiresItsCheck(TestApi.Bug bug, Check check, String operation) throws Exception {
        ExplorationResult r = explore("customers.yaml", EnumSet.of(bug));
        String summary = ExplorationConsole.summary(r);
        assertThat(r.violationsOf(check.invariantName())).as(summary).isNotEmpty();
        assertThat(r.violations()).as(summary).allSatisfy(v -> assertThat(v.invariant()).isEqualTo(check.invariantName()));
        Violation v = r.violationsOf(check.invariantName()).get(0);
        assertThat(v.lastMove()).isEqualTo(operation);
        assertThat(v.reproduced()).isTrue();
        assertThat(v.severity()).isEqualTo(check.defaultSeverity());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bugs")
    @DisplayName("a check made a warning reports the bug as a finding and the run passes; a check turned off is silent")
    void warningAndOff(TestApi.Bug bug, Check check, String operation) throws Exception {
        OpenApiExploration warn = OpenApiExploration.from(OpenApiDocument.read(doc("customers.yaml"))).check(check, CheckLevel.WARNING);
        ExplorationResult r = explore("customers.yaml", EnumSet.of(bug), warn);
        assertThat(r.violations()).as(ExplorationConsole.summary(r)).isEmpty();
        assertThat(warn.warnings()).isNotEmpty().allSatisfy(f -> assertThat(f.check()).isEqualTo(check));
        assertThat(warn.warnings()).extracting(OpenApiFinding::operation).contains(operation);
        // Every report shows the check as warned with what it found, never as held (until 2026-12-06: held).
        io.venomqa.explore.InvariantSummary summary = r.invariants().stream()
                .filter(i -> i.name().equals(check.invariantName())).findFirst().orElseThrow();
        assertThat(summary.held()).isFalse();
        assertThat(summary.didWarn()).isTrue();
        assertThat(summary.warned()).isPositive();
        String first = warn.warnings().get(0).message();
        assertThat(summary.warning()).isEqualTo(first);
        assertThat(io.venomqa.explore.ExplorationConsole.summary(r)).contains("warned: " + check.invariantName() + " — after ");
        assertThat(io.venomqa.explore.ExplorationHtml.render(r)).contains("⚠ " + check.invariantName()).contains("No invariant failed; 1 invariant warned");
        assertThat(io.venomqa.explore.ExplorationJUnitXml.render(r)).contains("<system-out>warned after " + summary.warned() + " of ");
        assertThat(io.venomqa.explore.ExplorationJson.toTree(r).path("invariants").findValues("warned"))
                .anyMatch(n -> n.asInt() == summary.warned());
        tearDown();

        OpenApiExploration off = OpenApiExploration.from(OpenApiDocument.read(doc("customers.yaml"))).check(check, CheckLevel.OFF);
        assertThat(off.invariants()).extracting(i -> i.name()).doesNotContain(check.invariantName());
        ExplorationResult r2 = explore("customers.yaml", EnumSet.of(bug), off);
        assertThat(r2.violations()).as(ExplorationConsole.summary(r2)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    @DisplayName("a check no operation explored can give a move to is reported as not run with why, not as held")
    void checkWithoutAMoveIsNotRun() throws Exception {
        OpenApiExploration noDelete = OpenApiExploration.from(OpenApiDocument.read(doc("customers.yaml"))).exclude("deleteCustomer");
        ExplorationResult r = explore("customers.yaml", Set.of(), noDelete);
        assertThat(r.violations()).as(ExplorationConsole.summary(r)).isEmpty();
        io.venomqa.explore.InvariantSummary gone = r.invariants().stream()
                .filter(i -> i.name().equals(Check.DELETED_STAYS_GONE.invariantName())).findFirst().orElseThrow();
        assertThat(gone.held()).isFalse();
        assertThat(gone.didNotRun()).isTrue();
        assertThat(gone.notRun()).isEqualTo(gone.checks()).isPositive();
        assertThat(gone.notRunReason()).isEqualTo("no operation explored is a DELETE of a resource the document has a GET for");
        // the others still judge their moves
        assertThat(r.invariants()).filteredOn(i -> i.name().equals(Check.READ_BACK.invariantName()))
                .singleElement().satisfies(i -> assertThat(i.held()).isTrue());
    }

    @org.junit.jupiter.api.Test
    @DisplayName("the messages name the calls involved")
    void messagesNameTheCalls() throws Exception {
        ExplorationResult r = explore("customers.yaml", EnumSet.of(TestApi.Bug.ORDERS_NOT_FOUND));
        assertThat(r.violations().get(0).message()).matches("POST /customers/\\d+/orders answered 404, but GET /customers/\\d+ answers 200: the resource exists");
        tearDown();
        r = explore("customers.yaml", EnumSet.of(TestApi.Bug.SCHEMA_MISMATCH));
        assertThat(r.violations().get(0).message()).contains("GET /customers/1 answered 200 with a body that does not match the declared schema")
                .contains("/id: string found, integer expected");
        tearDown();
        r = explore("customers.yaml", EnumSet.of(TestApi.Bug.DELETE_KEEPS));
        assertThat(r.violations()).extracting(Violation::message)
                .anyMatch(m -> m.matches("DELETE /customers/1 answered 204, but GET /customers/1 then answered 200.*"));
        assertThat(Arrays.stream(Check.values()).map(Check::key).toList()).doesNotHaveDuplicates();
    }
}
