package io.venomqa.spring;

import io.venomqa.http.Client;
import io.venomqa.spring.internal.SwitchingDataSource;
import io.venomqa.spring.sample.SampleApp;
import io.venomqa.spring.support.TestDatabase;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

import java.util.Map;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default savepoint strategy on MariaDB: the application's DataSource is wrapped, what the server writes
 * is never committed and is undone after each test, so each repetition starts from the two seeded products.
 * InnoDB hands out AUTO_INCREMENT values outside transactions, so ids are not asserted here (the journal
 * strategy restores them: {@link JournalOnMariaDbTest}).
 */
@SpringBootTest(classes = SampleApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.MariaDb.class)
@VenomQASpringTest(options = "shared_connection_wait=5s")
class SavepointOnMariaDbTest {

    @Autowired
    TestDatabase database;

    @Autowired
    DataSource dataSource;

    @RepeatedTest(2)
    void writesAreNeverCommittedAndAreUndoneAfterEachTest(Client client) {
        assertThat(dataSource).isInstanceOf(SwitchingDataSource.class);
        assertThat(client.get("/stats").json(Map.class)).containsEntry("products", 2).containsEntry("orders", 0)
                .containsEntry("audit", 0).containsEntry("stock", 15);
        long plum = client.post("/products", Map.of("name", "plum", "stock", 3)).json().get("id").asLong();
        assertThat(client.post("/orders", Map.of("productId", plum, "quantity", 1)).statusCode()).isEqualTo(201);
        assertThat(client.get("/stats").json(Map.class)).containsEntry("products", 3).containsEntry("orders", 1)
                .containsEntry("audit", 1).containsEntry("stock", 17);
        assertThat(database.committedState()).as("what another connection sees")
                .contains("products: [1,apple,10] [2,pear,5]\n", "orders:\n", "audit_log:\n");
    }

    @Test
    void aRefusedOrderLeavesNoTrace(Client client) {
        assertThat(client.post("/orders", Map.of("productId", 2, "quantity", 6)).statusCode()).isEqualTo(409);
        assertThat(client.get("/stats").json(Map.class)).containsEntry("orders", 0).containsEntry("audit", 0)
                .containsEntry("stock", 15);
    }
}
