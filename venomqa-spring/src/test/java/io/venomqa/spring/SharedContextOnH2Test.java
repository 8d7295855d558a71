package io.venomqa.spring;

import io.venomqa.http.Client;
import io.venomqa.spring.sample.SampleApp;
import io.venomqa.spring.support.SharedContexts;
import io.venomqa.spring.support.TestDatabase;
import io.venomqa.state.StateManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ContextConfiguration;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Same configuration as {@link ShopOnH2Test}, so Spring gives it the same cached context and VenomQA
 * the same manager; it starts from the seeded rows whichever class ran first, and what its
 * {@code @BeforeAll} writes is undone after the class.
 */
@SpringBootTest(classes = SampleApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.H2.class)
@VenomQASpringTest(options = "shared_connection_wait=5s")
class SharedContextOnH2Test {

    @BeforeAll
    static void addAClassWideProduct(Client client) {
        assertThat(client.post("/products", Map.of("name", "class-wide", "stock", 1)).json().get("id").asLong()).isEqualTo(3);
    }

    @Test
    void sharesTheCachedContextAndItsManager(ApplicationContext context, StateManager manager) {
        SharedContexts.seen("h2-savepoint", context);
        assertThat(SharedContexts.contexts("h2-savepoint")).as("contexts of the H2 savepoint classes").hasSize(1);
        assertThat(manager.activeCheckpoints()).as("the class's and this test's checkpoints").hasSize(2);
    }

    @Test
    void seesTheClassWideRowAndTheNextId(Client client) {
        assertThat(client.get("/stats").json(Map.class)).containsEntry("products", 3).containsEntry("orders", 0);
        assertThat(client.post("/products", Map.of("name", "x", "stock", 1)).json().get("id").asLong()).isEqualTo(4);
    }
}
