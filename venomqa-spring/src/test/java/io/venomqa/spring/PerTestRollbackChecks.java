package io.venomqa.spring;

import io.venomqa.http.Client;
import io.venomqa.spring.sample.Product;
import io.venomqa.spring.sample.Repositories;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.jdbc.Sql;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Spring's own per-test work does inside VenomQA's checkpoints, whichever annotation comes first
 * ({@link SpringBootTestFirstTest}, {@link VenomQASpringTestFirstTest}, and the same on PostgreSQL):
 * {@code @Sql} rows and a {@code @Transactional} test's transaction are undone after each test, and the
 * class's {@code BEFORE_TEST_CLASS} script (a kiwi) after the class (the classes share one context: the
 * second would see two kiwis). Until 2026-12-06, with {@code @SpringBootTest} first, Spring ran the scripts
 * and began the transaction before the checkpoints: the melons piled up and a {@code @Transactional} test
 * failed (on PostgreSQL with "savepoint … does not exist").
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Sql(scripts = "/venomqa-spring-kiwi.sql", executionPhase = Sql.ExecutionPhase.BEFORE_TEST_CLASS)
abstract class PerTestRollbackChecks {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Repositories.Products products;

    int count(String where) {
        return jdbc.queryForObject("select count(*) from products" + where, Integer.class);
    }

    @Test
    @Order(1)
    @Sql("/venomqa-spring-melon.sql")
    void sqlRowsOfTheFirstTest(Client client) {
        assertThat(count(" where name = 'melon'")).isEqualTo(1);
        assertThat(count(" where name = 'kiwi'")).as("this class's kiwi, not another class's too").isEqualTo(1);
        assertThat(client.get("/stats").json().get("products").asInt()).isEqualTo(4);
    }

    @Test
    @Order(2)
    @Sql("/venomqa-spring-melon.sql")
    void sqlRowsOfTheSecondTest() {
        assertThat(count(" where name = 'melon'")).as("the first test's melon is gone").isEqualTo(1);
    }

    @Test
    @Order(3)
    @Transactional
    void transactionalTestWithRepositoriesOnly() {
        products.save(new Product("fig", 1));
        assertThat(products.count()).isEqualTo(4);
    }

    @Test
    @Order(4)
    void noRowOfTheTestsBeforeIsLeft() {
        assertThat(count("")).as("the two seeded products and the class's kiwi").isEqualTo(3);
    }
}
