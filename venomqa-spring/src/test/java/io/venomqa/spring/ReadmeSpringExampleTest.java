package io.venomqa.spring;

import io.venomqa.http.Client;
import io.venomqa.spring.sample.SampleApp;
import io.venomqa.spring.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's Spring Boot example, compiled and run (on the H2 context the other H2 classes share). */
@SpringBootTest(classes = SampleApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.H2.class)
@VenomQASpringTest(options = "shared_connection_wait=5s")
class ReadmeSpringExampleTest {

    @Test
    void everyTestStartsFromTheSameRowsAndIds(Client client) {
        var created = client.post("/products", Map.of("name", "plum", "stock", 3));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.json().get("id").asLong()).isEqualTo(3);      // the same next id in every test
        assertThat(client.post("/orders", Map.of("productId", 3, "quantity", 1)).statusCode()).isEqualTo(201);
    }                                                                     // rolled back after the test
}
