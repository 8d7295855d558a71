package io.venomqa.spring;

import io.venomqa.spring.sample.SampleApp;
import io.venomqa.spring.support.TestDatabase;
import org.junit.jupiter.api.RepeatedTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ContextConfiguration;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boot 4's {@code TestRestTemplate} (package {@code org.springframework.boot.resttestclient}, registered by
 * {@code @AutoConfigureTestRestTemplate}, which gives this class a context of its own): what it writes is
 * undone after each test, so each repetition gets id 3 again. The Boot 3 form is in venomqa-spring's src/test/boot3.
 */
@SpringBootTest(classes = SampleApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureTestRestTemplate
@ContextConfiguration(initializers = TestDatabase.H2.class)
@VenomQASpringTest(options = "shared_connection_wait=5s")
class TestRestTemplateOnH2Test {

    @Autowired
    TestRestTemplate rest;

    @RepeatedTest(2)
    void writesAreUndoneAfterTheTest() {
        ResponseEntity<Map> created = rest.postForEntity("/products", Map.of("name", "fig", "stock", 1), Map.class);
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        assertThat(((Number) created.getBody().get("id")).longValue()).isEqualTo(3);
        assertThat(rest.getForObject("/stats", Map.class)).containsEntry("products", 3).containsEntry("orders", 0);
    }
}
