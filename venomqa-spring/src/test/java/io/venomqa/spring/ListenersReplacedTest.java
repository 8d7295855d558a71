package io.venomqa.spring;

import io.venomqa.spring.fixtures.ListenerFixtures;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * A class whose {@code @TestExecutionListeners} drop Spring's defaults gets no checkpoints from
 * {@link VenomQATestExecutionListener}: its tests fail before they run, saying what to add, instead of
 * leaving their rows to the next tests.
 */
class ListenersReplacedTest {

    @Test
    void theTestFailsNamingMergeWithDefaults() {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(ListenerFixtures.DefaultsReplaced.class)).build(), listener);
        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getTestsSucceededCount()).isZero();
        assertThat(summary.getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                .hasMessageContaining("VenomQA took no checkpoint before " + ListenerFixtures.DefaultsReplaced.class.getName()
                        + ".runsWithoutACheckpoint()")
                .hasMessageContaining("MERGE_WITH_DEFAULTS"));
    }
}
