package io.venomqa.spring;

import io.venomqa.http.Client;
import io.venomqa.http.Response;
import io.venomqa.junit.JourneyTests;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.spring.sample.SampleApp;
import io.venomqa.spring.support.TestDatabase;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app on PostgreSQL with the DataSource wrapped: requests on several server threads at once
 * take turns on VenomQA's one transaction (no half-done order is ever seen, none is lost), a request
 * that waits for another thread's database work fails after {@code shared_connection_wait} with the
 * holder's name instead of hanging, and journeys' branches start from the same rows and sequence values.
 */
@SpringBootTest(classes = SampleApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.Postgres.class)
@VenomQASpringTest(options = "shared_connection_wait=5s")
class ConcurrencyOnPostgresTest {

    @Autowired
    TestDatabase database;

    @Test
    void concurrentOrdersAreSerialisedAndNeverSeenHalfDone(Client client) throws Exception {
        int writers = 6;
        int ordersEach = 5;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        try {
            List<Future<Integer>> writes = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                writes.add(pool.submit(() -> {
                    int created = 0;
                    for (int i = 0; i < ordersEach; i++) {
                        Response r = client.post("/orders", Map.of("productId", 1, "quantity", 1));
                        created += r.statusCode() == 201 ? 1 : 0;
                    }
                    return created;
                }));
            }
            List<Future<List<String>>> reads = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                reads.add(pool.submit(() -> {
                    List<String> broken = new ArrayList<>();
                    while (!writes.stream().allMatch(Future::isDone)) {
                        Map<?, ?> s = client.get("/stats").json(Map.class);
                        long stock = ((Number) s.get("stock")).longValue();
                        long ordered = ((Number) s.get("ordered")).longValue();
                        long orders = ((Number) s.get("orders")).longValue();
                        long audit = ((Number) s.get("audit")).longValue();
                        if (stock + ordered != 15 || orders != audit) {
                            broken.add(s.toString());
                        }
                    }
                    return broken;
                }));
            }
            int created = 0;
            for (Future<Integer> f : writes) {
                created += f.get(60, TimeUnit.SECONDS);
            }
            // 10 apples: exactly 10 orders succeed, the other 20 are refused and leave no trace.
            assertThat(created).isEqualTo(10);
            for (Future<List<String>> f : reads) {
                assertThat(f.get(60, TimeUnit.SECONDS)).as("states seen with an order half done").isEmpty();
            }
            assertThat(client.get("/stats").json(Map.class)).containsEntry("orders", 10).containsEntry("audit", 10)
                    .containsEntry("stock", 5);
        } finally {
            pool.shutdownNow();
        }
        assertThat(database.committedState()).as("nothing reaches the database for good")
                .contains("orders:\n").contains("audit_log:\n");
    }

    @Test
    void aRequestWaitingForAnotherThreadsDatabaseWorkFailsNamingTheHolder(Client client) {
        Response r = client.post("/deadlock");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String holder = r.json().get("holder").asText();
        assertThat(r.json().get("error").asText())
                .contains("Timed out after 5s waiting for the shared VenomQA connection")
                .contains("held by thread '" + holder + "'");
    }

    @TestFactory
    DynamicContainer branchesStartFromTheSameRowsAndSequenceValues(JourneyRunner runner) {
        return JourneyTests.of(runner, ShopJourneys.orders());
    }
}
