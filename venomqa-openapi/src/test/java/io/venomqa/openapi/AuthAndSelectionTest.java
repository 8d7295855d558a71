package io.venomqa.openapi;

import io.venomqa.config.ConfigException;
import io.venomqa.config.VenomQAConfig;
import io.venomqa.explore.ExplorationConsole;
import io.venomqa.explore.ExplorationResult;
import io.venomqa.explore.Move;
import io.venomqa.explore.Severity;
import io.venomqa.http.Client;
import io.venomqa.state.memory.InMemoryStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Authentication (bearer, API key, basic, a login move), selection of operations, and the openapi section of venomqa.yaml. */
class AuthAndSelectionTest {

    private InMemoryStateManager manager;
    private TestApi api;

    @AfterEach
    void tearDown() {
        if (api != null) {
            api.close();
        }
        if (manager != null) {
            manager.disconnect();
        }
    }

    private ExplorationResult run(OpenApiExploration oa, String token) throws Exception {
        manager = new InMemoryStateManager();
        manager.connect();
        api = new TestApi(manager.store(), Set.of(), token);
        return oa.explorationBuilder(new Client(api.baseUrl()), manager).maxDepth(3).maxSteps(300).build().run();
    }

    private static OpenApiExploration customers() {
        return OpenApiExploration.from(OpenApiDocument.read(ChecksTest.doc("customers.yaml")));
    }

    @Test
    @DisplayName("a bearer token and an API key in the query or a cookie authenticate every call; without them the 401s are findings")
    void staticAuth() throws Exception {
        assertThat(run(customers().auth(Auth.bearer("s3cret")), "s3cret").violations()).isEmpty();
        tearDown();
        assertThat(run(customers().auth(Auth.apiKeyInQuery("key", "s3cret")), "s3cret").violations()).isEmpty();
        tearDown();
        ExplorationResult cookie = run(customers().auth(Auth.apiKeyInCookie("key", "s3cret")), "s3cret");
        assertThat(cookie.violations()).as(ExplorationConsole.summary(cookie)).isEmpty();
        assertThat(cookie.transitions()).isNotEmpty();
        tearDown();
        ExplorationResult none = run(customers(), "s3cret");
        assertThat(none.violationsOf(Check.DECLARED_STATUS.invariantName())).isNotEmpty()
                .allSatisfy(v -> assertThat(v.message()).contains("answered 401"));
        assertThat(none.violations().get(0).path().get(0).exchanges().get(0).toString()).doesNotContain("s3cret");
    }

    @Test
    @DisplayName("API key and basic headers; toString never shows the secret")
    void authHeaders() {
        assertThat(Auth.apiKey("X-API-Key", "k1").headers()).isEqualTo(Map.of("X-API-Key", "k1"));
        assertThat(Auth.basic("qa", "pw").headers()).isEqualTo(Map.of("Authorization", "Basic cWE6cHc="));
        assertThat(Auth.bearer("tok").toString()).isEqualTo("Auth[bearer, header Authorization=***]");
        assertThat(Auth.apiKeyInCookie("key", "k1").cookies()).isEqualTo(Map.of("key", "k1"));
        assertThat(Auth.apiKeyInCookie("key", "k1").headers()).isEmpty();
        assertThat(Auth.apiKeyInCookie("key", "k1").toString()).isEqualTo("Auth[api_key, cookie key=***]");
        assertThatThrownBy(() -> Auth.bearer(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a named login move runs first; every other move waits for its token and sends it")
    void loginMove() throws Exception {
        OpenApiExploration oa = OpenApiExploration.from(OpenApiDocument.read(ChecksTest.doc("customers-login.yaml")))
                .login("login", Map.of("user", "qa", "password", "secret"));
        Map<String, Move> moves = DocumentTest.byName(oa.moves());
        assertThat(moves.get("login").requiredKeys()).isEmpty();
        assertThat(moves.get("createCustomer").requiredKeys()).containsExactly("oa:token");
        ExplorationResult r = run(oa, "tok-123");
        assertThat(r.violations()).as(ExplorationConsole.summary(r)).isEmpty();
        assertThat(r.transitions()).filteredOn(t -> t.from().equals(r.states().get(0).id()))
                .extracting(t -> t.move()).containsOnly("login");
        assertThat(r.transitions()).filteredOn(t -> t.move().equals("createOrder")).isNotEmpty()
                .allSatisfy(t -> assertThat(t.status()).isEqualTo(201));
    }

    @Test
    @DisplayName("include, exclude and never_run by operationId, tag and path glob; never_run wins over include")
    void selection() {
        assertThat(names(customers().include("tag:orders"))).containsExactly("createOrder", "getOrder");
        assertThat(names(customers().exclude("tag:admin", "/orders/**"))).containsExactly("listCustomers", "createCustomer",
                "getCustomer", "renameCustomer", "createOrder");
        assertThat(names(customers().include("/customers/*").neverRun("deleteCustomer")))
                .containsExactly("getCustomer", "renameCustomer");
        assertThat(names(customers().include("GET /customers/**", "create*"))).containsExactly("listCustomers", "createCustomer",
                "getCustomer", "createOrder");
        OpenApiExploration never = customers().neverRun("DELETE /customers/{id}");
        assertThat(never.skipped()).containsValue("never run");
        assertThatThrownBy(() -> customers().exclude("deleteCustomr"))
                .hasMessageStartingWith("The selector 'deleteCustomr' names no operation of ");
    }

    private static java.util.List<String> names(OpenApiExploration oa) {
        return oa.moves().stream().map(Move::name).toList();
    }

    @Test
    @DisplayName("the openapi section of venomqa.yaml sets auth, login, selection, check levels and SQL invariants; typos are errors with a suggestion")
    void yamlSection() {
        VenomQAConfig config = VenomQAConfig.loader().environment(Map.of("API_TOKEN", "t0k")).parse("""
                base_url: http://localhost:8080
                openapi:
                  document: customers.yaml
                  auth: {bearer: "${API_TOKEN}"}
                  exclude: [tag:admin]
                  never_run: [createOrder]
                  checks: {response_schema: warning, not_found_consistency: off}
                  invariants:
                    - {name: no negative stock, sql: "select count(*) = 0 from items where stock < 0", severity: critical}
                """);
        OpenApiExploration oa = customers().configure(config);
        assertThat(names(oa)).doesNotContain("deleteCustomer", "createOrder");
        assertThat(oa.level(Check.RESPONSE_SCHEMA)).isEqualTo(CheckLevel.WARNING);
        assertThat(oa.invariants()).extracting(i -> i.name()).doesNotContain(Check.NOT_FOUND_CONSISTENCY.invariantName())
                .contains("no negative stock");
        assertThat(oa.invariants()).filteredOn(i -> i.name().equals("no negative stock")).singleElement()
                .satisfies(i -> assertThat(i.severity()).isEqualTo(Severity.CRITICAL));

        assertThatThrownBy(() -> customers().configure(Map.of("chekcs", Map.of()), "venomqa.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("venomqa.yaml: unknown key 'openapi.chekcs', did you mean 'checks'?");
        assertThatThrownBy(() -> customers().configure(Map.of("checks", Map.of("read_bak", "off")), "venomqa.yaml"))
                .hasMessage("venomqa.yaml: openapi.checks: unknown check 'read_bak', did you mean 'read_back'?");
        assertThatThrownBy(() -> customers().configure(Map.of("checks", Map.of("read_back", "maybe")), "venomqa.yaml"))
                .hasMessage("venomqa.yaml: openapi.checks.read_back: 'maybe' is not a level; write error, warning or off.");
        assertThatThrownBy(() -> customers().configure(Map.of("auth", Map.of("token", "x")), "venomqa.yaml"))
                .hasMessage("venomqa.yaml: openapi.auth: unknown authentication 'token'.");
        assertThat(customers().configure(Map.of("auth", Map.of("api_key", Map.of("cookie", "key", "value", "k2"))), "venomqa.yaml")
                .auth()).isEqualTo(Auth.apiKeyInCookie("key", "k2"));
        assertThatThrownBy(() -> customers().configure(Map.of("auth", Map.of("api_key", Map.of("header", "X-Key", "cookie", "key",
                "value", "k2"))), "venomqa.yaml"))
                .hasMessage("venomqa.yaml: openapi.auth.api_key names header and cookie: give one of header, query, cookie "
                        + "(where the API reads the key).");
    }
}
