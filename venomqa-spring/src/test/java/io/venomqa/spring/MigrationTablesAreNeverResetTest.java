package io.venomqa.spring;

import io.venomqa.http.Client;
import io.venomqa.spring.internal.ManagedDatabase;
import io.venomqa.spring.sample.SampleApp;
import io.venomqa.spring.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestContextManager;
import org.springframework.test.context.TestPropertySource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code StateManager.reset()} on the Spring app's database empties the application's tables and keeps
 * Flyway's {@code flyway_schema_history} as the migrations wrote it. reset() commits and ends every
 * checkpoint, so the test drives a context of its own (isolation off) and closes it afterwards. {@code isolation}
 * is not part of Spring's context key: the property source keeps this context apart from the cached H2 one
 * of {@link ShopOnH2Test} and the other classes, whose rows it would otherwise wipe.
 */
class MigrationTablesAreNeverResetTest {

    @SpringBootTest(classes = SampleApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    @ContextConfiguration(initializers = TestDatabase.H2.class)
    @VenomQASpringTest(isolation = false, options = "shared_connection_wait=5s")
    @TestPropertySource(properties = "venomqa.test.context=reset")
    static class Fixture {
    }

    @Test
    void resetEmptiesTheApplicationsTablesAndKeepsFlywaysHistory() throws Exception {
        TestContextManager tcm = new TestContextManager(Fixture.class);
        ApplicationContext context = tcm.getTestContext().getApplicationContext();
        try {
            TestDatabase db = context.getBean(TestDatabase.class);
            String history = history(db);
            assertThat(history).as("Flyway's history after the migrations").contains("1 schema true", "2 seed true");
            Client client = new Client("http://localhost:" + context.getEnvironment().getProperty("local.server.port"));
            assertThat(client.post("/products", Map.of("name", "plum", "stock", 3)).statusCode()).isEqualTo(201);

            context.getBean(ManagedDatabase.BEAN_NAME, ManagedDatabase.class).manager().reset();

            assertThat(db.committedState()).as("the application's tables after reset()")
                    .contains("products:\n", "orders:\n", "audit_log:\n").doesNotContain("apple", "plum");
            assertThat(history(db)).as("Flyway's history after reset()").isEqualTo(history);
            assertThat(client.get("/stats").json(Map.class)).containsEntry("products", 0);
        } finally {
            tcm.getTestContext().markApplicationContextDirty(DirtiesContext.HierarchyMode.EXHAUSTIVE);
        }
    }

    private static String history(TestDatabase db) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "select \"version\", \"description\", \"success\" from \"flyway_schema_history\" order by \"installed_rank\"")) {
            while (rs.next()) {
                out.append(rs.getString(1)).append(' ').append(rs.getString(2)).append(' ').append(rs.getBoolean(3)).append('\n');
            }
        }
        return out.toString();
    }
}
