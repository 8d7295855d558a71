package io.venomqa.spring;

import io.venomqa.http.Client;
import io.venomqa.junit.JourneyTests;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.spring.sample.SampleApp;
import io.venomqa.spring.support.TestDatabase;
import io.venomqa.state.StateManager;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

import java.util.Map;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code checkpoint_strategy: journal} on MariaDB: the application keeps its own pool (not wrapped) and
 * commits for real; the journal's triggers undo it after each test, and AUTO_INCREMENT counters come back
 * too, so every test and every branch gets the same next id (which the savepoint strategy cannot give on
 * InnoDB). The REQUIRES_NEW audit entry of a refused order stays, as in production.
 */
@SpringBootTest(classes = SampleApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.MariaDb.class)
@VenomQASpringTest(checkpointStrategy = "journal")
class JournalOnMariaDbTest {

    @Test
    void theApplicationKeepsItsOwnPoolAndItsCommitsAreUndoneAfterTheTest(Client client, StateManager manager,
                                                                         org.springframework.context.ApplicationContext context) {
        assertThat(((JdbcStateManager) manager).checkpointStrategy()).isEqualTo("journal");
        assertThat(context.getBean(DataSource.class).getClass().getName()).contains("Hikari");
        assertThat(client.post("/products", Map.of("name", "plum", "stock", 3)).json().get("id").asLong()).isEqualTo(3);
        TestDatabase db = context.getBean(TestDatabase.class);
        assertThat(db.committedState()).as("committed by the application").contains("[3,plum,3]");
    }

    @Test
    void aRequiresNewAuditOfARefusedOrderIsKept(Client client) {
        assertThat(client.post("/orders", Map.of("productId", 2, "quantity", 6)).statusCode()).isEqualTo(409);
        assertThat(client.get("/stats").json(Map.class)).containsEntry("orders", 0).containsEntry("audit", 1)
                .containsEntry("stock", 15);
    }

    @Test
    void theNextIdIsTheSameInEveryTest(Client client) {
        assertThat(client.post("/products", Map.of("name", "fig", "stock", 1)).json().get("id").asLong()).isEqualTo(3);
    }

    @TestFactory
    DynamicContainer branchesStartFromTheSameRowsAndIds(JourneyRunner runner) {
        return JourneyTests.of(runner, ShopJourneys.orders());
    }
}
