package io.venomqa.spring;

import io.venomqa.spring.sample.SampleApp;
import io.venomqa.spring.support.TestDatabase;
import org.junit.jupiter.api.RepeatedTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ContextConfiguration;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boot 3's {@code TestRestTemplate} (which {@code @SpringBootTest} provides by itself): what it writes is
 * undone after each test, so each repetition gets id 3 again. Same context as the other H2 classes.
 * Boot 4 moved the class; venomqa-spring-boot4-tests has this test in its Boot 4 form.
 */
@SpringBootTest(classes = SampleApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
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
