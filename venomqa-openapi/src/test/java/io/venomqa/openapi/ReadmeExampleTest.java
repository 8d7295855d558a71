package io.venomqa.openapi;

import io.venomqa.explore.ExplorationResult;
import io.venomqa.explore.Invariant;
import io.venomqa.http.Client;
import io.venomqa.state.memory.InMemoryStateManager;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's OpenAPI example, compiled and run against the purpose-built API. */
class ReadmeExampleTest {

    @Test
    void readmeExample() throws Exception {
        InMemoryStateManager manager = new InMemoryStateManager();
        manager.connect();
        try (TestApi api = new TestApi(manager.store(), Set.of(TestApi.Bug.SCHEMA_MISMATCH), null)) {
            String location = ChecksTest.doc("customers.yaml").toString();
            String apiKey = "k-123";
            String baseUrl = api.baseUrl();

            ExplorationResult result = OpenApiExploration.from(OpenApiDocument.read(location))
                    .auth(Auth.apiKey("X-API-Key", apiKey))
                    .exclude("tag:orders")
                    .neverRun("deleteCustomer")
                    .check(Check.NOT_FOUND_CONSISTENCY, CheckLevel.WARNING)
                    .invariant(Invariant.of("at most 10 customers", o -> o.client().get("/customers").json().size() <= 10))
                    .explorationBuilder(new Client(baseUrl), manager)
                    .maxSteps(300)
                    .build()
                    .run();

            assertThat(result.violationsOf("response matches schema")).isNotEmpty();
            assertThat(result.violations()).allSatisfy(v -> assertThat(v.invariant()).isEqualTo("response matches schema"));
            assertThat(result.transitions()).noneMatch(t -> t.move().equals("deleteCustomer") || t.move().equals("createOrder"));
        } finally {
            manager.disconnect();
        }
    }
}
