package io.venomqa.spring;

import io.venomqa.spring.fixtures.PropertyFixtures;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * {@code -Dvenomqa.<option>} applies under {@code @VenomQASpringTest} as under {@code @VenomQATest}: over
 * the annotation's options, checked against the backend the DataSource selects; {@code -Dvenomqa.db_url}
 * does not move the database away from the application's DataSource. Until 2026-12-06 the properties were
 * ignored without a word. The properties are set only while the fixture runs (its context has a property
 * of its own, so no other class's context is made meanwhile).
 */
class SystemPropertiesUnderSpringTest {

    @Test
    void anOptionPropertyWinsOverTheAnnotation() {
        TestExecutionSummary summary = runWith(Map.of("venomqa.track_changes", "true",
                "venomqa.db_url", "jdbc:postgresql://203.0.113.1:5432/elsewhere"));
        summary.printFailuresTo(new java.io.PrintWriter(System.out, true), 20);
        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        assertThat(summary.getTotalFailureCount()).isZero();
    }

    @Test
    void aMisspelledOptionPropertyFailsTheContextNamingIt() {
        TestExecutionSummary summary = runWith(Map.of("venomqa.track_changez", "true"));
        assertThat(summary.getTestsSucceededCount()).isZero();
        assertThat(summary.getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                .hasStackTraceContaining("VenomQA's settings for the application context of " + PropertyFixtures.TracksChanges.class.getName())
                .hasStackTraceContaining("-Dvenomqa.track_changez")
                .hasStackTraceContaining("track_changes"));
    }

    private static TestExecutionSummary runWith(Map<String, String> properties) {
        properties.forEach(System::setProperty);
        try {
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(PropertyFixtures.TracksChanges.class)).build(), listener);
            return listener.getSummary();
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }
    }
}
