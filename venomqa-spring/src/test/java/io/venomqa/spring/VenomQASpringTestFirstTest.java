package io.venomqa.spring;

import io.venomqa.spring.sample.SampleApp;
import io.venomqa.spring.support.TestDatabase;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/** {@link PerTestRollbackChecks} with {@code @VenomQASpringTest} written first. */
@VenomQASpringTest(options = "shared_connection_wait=5s")
@SpringBootTest(classes = SampleApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.H2.class)
class VenomQASpringTestFirstTest extends PerTestRollbackChecks {
}
