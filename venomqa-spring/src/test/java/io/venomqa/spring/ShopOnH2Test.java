package io.venomqa.spring;

import com.fasterxml.jackson.core.type.TypeReference;
import io.venomqa.http.Client;
import io.venomqa.http.Response;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.journey.Step;
import io.venomqa.junit.JourneyTests;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.spring.sample.SampleApp;
import io.venomqa.spring.support.SharedContexts;
import io.venomqa.spring.support.TestDatabase;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.client.RestClient;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app on H2 (savepoint strategy, DataSource wrapped): every test starts from the two seeded
 * products and gets id 3 for the next one, whichever client (VenomQA's, {@code RestClient},
 * {@code WebTestClient}) wrote the rows before; journeys' branches
 * start from the same rows and ids. {@link SharedContextOnH2Test} runs in the same cached context.
 */
@SpringBootTest(classes = SampleApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.H2.class)
@VenomQASpringTest(options = "shared_connection_wait=5s")
class ShopOnH2Test {

    @LocalServerPort
    int port;

    @Autowired
    void recordContext(ApplicationContext context) {
        SharedContexts.seen("h2-savepoint", context);
    }

    @Test
    void theContextsStateManagerIsTheInjectedOne(io.venomqa.state.StateManager injected, ApplicationContext context) {
        assertThat(VenomQASpringContexts.stateManager(context)).isSameAs(injected);
        try (org.springframework.context.support.GenericApplicationContext plain =
                     new org.springframework.context.support.GenericApplicationContext()) {
            plain.refresh();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> VenomQASpringContexts.stateManager(plain))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("annotate the test class @VenomQASpringTest");
        }
    }

    @Test
    void vqClientWritesAreUndoneAfterTheTest(Client client) {
        Response created = client.post("/products", Map.of("name", "plum", "stock", 3));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.json().get("id").asLong()).isEqualTo(3);
        assertThat(client.post("/orders", Map.of("productId", 3, "quantity", 2)).statusCode()).isEqualTo(201);
        assertThat(client.get("/stats").json(Map.class)).containsEntry("products", 3).containsEntry("orders", 1)
                .containsEntry("audit", 1).containsEntry("stock", 16);
    }

    /** {@code TestRestTemplate} changed package in Boot 4: its test is in src/test/boot3 and in venomqa-spring-boot4-tests. */
    @Test
    void webTestClientWritesAreUndoneAfterTheTest() {
        WebTestClient web = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
        web.post().uri("/products").bodyValue(Map.of("name", "date", "stock", 2)).exchange()
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.id").isEqualTo(3);
        web.get().uri("/stats").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.products").isEqualTo(3).jsonPath("$.orders").isEqualTo(0);
    }

    @Test
    void restClientWritesAreUndoneAfterTheTest() {
        RestClient http = RestClient.create("http://localhost:" + port);
        Map<?, ?> created = http.post().uri("/products").body(Map.of("name", "kiwi", "stock", 7)).retrieve().body(Map.class);
        assertThat(((Number) created.get("id")).longValue()).isEqualTo(3);
        assertThat(http.get().uri("/stats").retrieve().body(Map.class)).containsEntry("products", 3);
    }

    @Test
    void theAsyncWriterWritesInsideTheTestsTransaction(Client client) throws InterruptedException {
        Response r = client.post("/orders/shipped", Map.of("productId", 1, "quantity", 1));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        Map<String, Object> stats = Map.of();
        for (long deadline = System.nanoTime() + 20_000_000_000L; System.nanoTime() < deadline; Thread.sleep(50)) {
            stats = client.get("/stats").json(new TypeReference<Map<String, Object>>() { }); // the notice is written after the response, on another thread
            if (Integer.valueOf(1).equals(stats.get("notifications"))) {
                break;
            }
        }
        assertThat(stats).containsEntry("notifications", 1).containsEntry("orders", 1).containsEntry("stock", 14);
    }

    /**
     * Under the savepoint strategy the application's transactions are savepoints inside VenomQA's one
     * transaction: the REQUIRES_NEW audit entry of an order that fails is undone with it (docs/spring.md).
     */
    @Test
    void aRequiresNewCommitInsideAFailedTransactionIsUndoneWithIt(Client client) {
        Response r = client.post("/orders", Map.of("productId", 2, "quantity", 6));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        assertThat(client.get("/stats").json(Map.class)).containsEntry("orders", 0).containsEntry("audit", 0)
                .containsEntry("stock", 15);
    }

    @TestFactory
    DynamicContainer branchesStartFromTheSameRowsAndIds(JourneyRunner runner) {
        return JourneyTests.of(runner, ShopJourneys.orders());
    }
}
