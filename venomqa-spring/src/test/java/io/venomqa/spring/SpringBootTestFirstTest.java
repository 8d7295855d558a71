package io.venomqa.spring;

import io.venomqa.spring.sample.SampleApp;
import io.venomqa.spring.support.TestDatabase;
import io.venomqa.state.StateManager;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.jdbc.Sql;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PerTestRollbackChecks} with {@code @SpringBootTest} written first, as the README shows; a
 * {@code @Nested} class has a checkpoint inside this class's.
 */
@SpringBootTest(classes = SampleApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.H2.class)
@VenomQASpringTest(options = "shared_connection_wait=5s")
class SpringBootTestFirstTest extends PerTestRollbackChecks {

    @Nested
    class Inner {
        @Test
        @Sql("/venomqa-spring-melon.sql")
        void insideTheOuterClassesCheckpoint(StateManager manager) {
            assertThat(manager.activeCheckpoints()).as("the outer class's, this class's and this test's").hasSize(3);
            assertThat(count(" where name = 'melon'")).isEqualTo(1);
            assertThat(count(" where name = 'kiwi'")).as("Spring runs the inherited class script for the nested class too")
                    .isEqualTo(2);
        }
    }
}
