package io.venomqa.spring;

import io.venomqa.spring.sample.SampleApp;
import io.venomqa.spring.support.TestDatabase;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * {@link PerTestRollbackChecks} on PostgreSQL with {@code @SpringBootTest} first: there, until 2026-12-06, the
 * {@code @Transactional} test failed with "Unable to rollback … savepoint "venomqa_app_3" does not exist".
 */
@SpringBootTest(classes = SampleApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.Postgres.class)
@VenomQASpringTest(options = "shared_connection_wait=5s")
class SpringBootTestFirstOnPostgresTest extends PerTestRollbackChecks {
}
