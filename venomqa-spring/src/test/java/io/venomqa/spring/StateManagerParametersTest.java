package io.venomqa.spring;

import io.venomqa.spring.fixtures.ParameterFixtures;
import io.venomqa.spring.sample.SampleApp;
import io.venomqa.spring.support.TestDatabase;
import io.venomqa.state.StateManager;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The context's state manager is injected as {@link StateManager} and as its own backend type, as with
 * {@code @VenomQATest}; a type it is not is an error naming the types it is. Until 2026-12-06 a
 * {@link JdbcStateManager} parameter failed with JUnit's "No ParameterResolver registered".
 */
@SpringBootTest(classes = SampleApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.H2.class)
@VenomQASpringTest(options = "shared_connection_wait=5s")
class StateManagerParametersTest {

    @Test
    void theBackendsTypeIsTheSameManager(JdbcStateManager jdbc, StateManager manager) {
        assertThat(jdbc).isSameAs(manager);
        assertThat(jdbc.activeCheckpoints()).as("the class's and this test's checkpoints").hasSize(2);
    }

    @Test
    void aTypeTheManagerIsNotIsAnErrorNamingItsTypes() {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(ParameterFixtures.AsksForAnotherManagerType.class)).build(), listener);
        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessageContaining("No OtherManager for")
                .hasMessageContaining("Declare the parameter as StateManager or as a type the manager is (")
                .hasMessageContaining("JdbcStateManager"));
    }
}
