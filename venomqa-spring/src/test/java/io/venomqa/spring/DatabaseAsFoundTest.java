package io.venomqa.spring;

import io.venomqa.http.Client;
import io.venomqa.spring.sample.SampleApp;
import io.venomqa.spring.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestContextManager;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a context closes, VenomQA's manager disconnects before the test database is dropped, and the
 * database is as the context found it after its migrations: same rows, same sequence values, even for
 * writes made outside any checkpoint (the test drives the context itself, without the JUnit extension;
 * it may be the context {@code ConcurrencyOnPostgresTest} cached, which it then closes).
 */
class DatabaseAsFoundTest {

    @SpringBootTest(classes = SampleApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    @ContextConfiguration(initializers = TestDatabase.Postgres.class)
    @VenomQASpringTest(isolation = false, options = "shared_connection_wait=5s")
    static class Fixture {
    }

    @Test
    void closingTheContextLeavesTheDatabaseAsTheMigrationsLeftIt() throws Exception {
        TestContextManager tcm = new TestContextManager(Fixture.class);
        ApplicationContext context = tcm.getTestContext().getApplicationContext();
        TestDatabase db = context.getBean(TestDatabase.class);
        String afterMigrations = db.committedState();
        assertThat(afterMigrations).contains("[1,apple,10]", "[2,pear,5]");

        Client client = new Client("http://localhost:" + context.getEnvironment().getProperty("local.server.port"));
        assertThat(client.post("/products", Map.of("name", "plum", "stock", 3)).statusCode()).isEqualTo(201);
        assertThat(client.post("/orders", Map.of("productId", 3, "quantity", 1)).statusCode()).isEqualTo(201);
        assertThat(client.get("/stats").json(Map.class)).containsEntry("products", 3).containsEntry("orders", 1);

        tcm.getTestContext().markApplicationContextDirty(DirtiesContext.HierarchyMode.EXHAUSTIVE);
        assertThat(TestDatabase.STATE_AT_DROP.get(db.name())).as("committed state when the context closed")
                .isEqualTo(afterMigrations);
    }
}
