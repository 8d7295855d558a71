package io.venomqa.explore;

import io.venomqa.report.ReportWriter;

import java.nio.file.Path;
import java.util.List;

/**
 * Writes every report of an exploration into a directory: {@code explore-<name>.json}
 * ({@link ExplorationJson}), {@code TEST-venomqa-explore-<name>.xml} ({@link ExplorationJUnitXml}, the
 * name CI systems pick up) and {@code explore-<name>.html} ({@link ExplorationHtml}). Files of an
 * earlier run of the same exploration are replaced; journey reports in the same directory are not
 * touched (their names never start with {@code explore-}).
 */
public final class ExplorationReports {

    private ExplorationReports() {
    }

    /**
     * Writes the JSON, JUnit XML and HTML reports of {@code result} into {@code dir}, creating it.
     *
     * @return the files written, in that order
     * @throws java.io.UncheckedIOException when a file cannot be written
     */
    public static List<Path> writeAll(ExplorationResult result, Path dir) {
        Path json = ExplorationJson.write(result, dir.resolve(baseName(result) + ".json"));
        return List.of(json, ExplorationJUnitXml.write(result, dir), ExplorationHtml.write(result, dir));
    }

    /** {@code explore-<name>}, the name made safe for a file as journey reports do it. */
    static String baseName(ExplorationResult result) {
        return "explore-" + ReportWriter.slug(result.name());
    }
}
