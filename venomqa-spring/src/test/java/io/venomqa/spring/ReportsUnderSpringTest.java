package io.venomqa.spring;

import io.venomqa.spring.fixtures.ReportFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * An injected runner writes JSON, JUnit XML and HTML reports to {@code @VenomQASpringTest(reportDir)} or
 * {@code -Dvenomqa.report_dir} (which wins), as {@code @VenomQATest}'s does to {@code report_dir}; with
 * neither, the first runner says once where to set one. Until 2026-12-06 no reports were written under
 * Spring and nothing said so.
 */
class ReportsUnderSpringTest {

    @Test
    void theAttributeNamesTheReportDirectory() throws IOException {
        Path dir = Path.of(ReportFixtures.ATTRIBUTE_DIR);
        deleteAll(dir);
        assertThat(run(ReportFixtures.WithAttribute.class, null, new ArrayList<>())).isTrue();
        assertThat(extensions(dir)).contains("json", "xml", "html");
        deleteAll(dir);
    }

    @Test
    void theSystemPropertyNamesItAndWinsOverTheAttribute(@TempDir Path dir) throws IOException {
        deleteAll(Path.of(ReportFixtures.ATTRIBUTE_DIR));
        assertThat(run(ReportFixtures.WithAttribute.class, dir, new ArrayList<>())).isTrue();
        assertThat(extensions(dir)).contains("json", "xml", "html");
        assertThat(Path.of(ReportFixtures.ATTRIBUTE_DIR)).doesNotExist();
    }

    @Test
    void withNeitherTheRunSaysWhereToSetOne() {
        VenomQASpringExtension.NO_REPORTS_SAID.set(false);
        List<String> entries = new ArrayList<>();
        assertThat(run(ReportFixtures.WithoutAttribute.class, null, entries)).isTrue();
        assertThat(entries).containsExactly(VenomQASpringExtension.NO_REPORTS);
        assertThat(VenomQASpringExtension.NO_REPORTS).contains("@VenomQASpringTest(reportDir = ", "-Dvenomqa.report_dir=");
    }

    /** Runs {@code fixture} (with {@code -Dvenomqa.report_dir} when {@code reportDir} is given); whether it passed. */
    private static boolean run(Class<?> fixture, Path reportDir, List<String> entries) {
        if (reportDir != null) {
            System.setProperty("venomqa.report_dir", reportDir.toString());
        }
        try {
            SummaryGeneratingListener summary = new SummaryGeneratingListener();
            TestExecutionListener reports = new TestExecutionListener() {
                @Override
                public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
                    entry.getKeyValuePairs().forEach((k, v) -> {
                        if (k.equals("venomqa")) {
                            entries.add(v);
                        }
                    });
                }
            };
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build(),
                    summary, reports);
            summary.getSummary().printFailuresTo(new java.io.PrintWriter(System.out, true), 20);
            return summary.getSummary().getTestsSucceededCount() == 1 && summary.getSummary().getTotalFailureCount() == 0;
        } finally {
            System.clearProperty("venomqa.report_dir");
        }
    }

    private static List<String> extensions(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .map(n -> n.substring(n.lastIndexOf('.') + 1)).distinct().toList();
        }
    }

    private static void deleteAll(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
