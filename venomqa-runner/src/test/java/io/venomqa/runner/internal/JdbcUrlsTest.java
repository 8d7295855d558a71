package io.venomqa.runner.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** ${jdbc_url} of a worker command, from each URL form VenomQA reads. */
class JdbcUrlsTest {

    @Test
    void serverUrlsBecomeJdbcUrlsWithUserAndPasswordAsParameters() {
        assertThat(JdbcUrls.of("postgresql://qa:s%40cret@db.local/shop_test_vqw_ab12cd34_1"))
                .contains("jdbc:postgresql://db.local:5432/shop_test_vqw_ab12cd34_1?user=qa&password=s%40cret");
        assertThat(JdbcUrls.of("postgres://qa@127.0.0.1:5433/t?sslmode=disable"))
                .contains("jdbc:postgresql://127.0.0.1:5433/t?sslmode=disable&user=qa");
        assertThat(JdbcUrls.of("mysql://root@127.0.0.1/t")).contains("jdbc:mysql://127.0.0.1:3306/t?user=root");
        assertThat(JdbcUrls.of("mariadb://root@h:3307/t")).contains("jdbc:mariadb://h:3307/t?user=root");
    }

    @Test
    void jdbcAndFileUrlsStayAsTheyAreAndMemoryHasNone() {
        assertThat(JdbcUrls.of("jdbc:postgresql://h/t?user=x")).contains("jdbc:postgresql://h/t?user=x");
        assertThat(JdbcUrls.of("sqlite:/tmp/shop_vqw_ab12cd34_1.db")).contains("jdbc:sqlite:/tmp/shop_vqw_ab12cd34_1.db");
        assertThat(JdbcUrls.of("memory://shop")).isEmpty();
    }
}
