package io.venomqa.report;

import io.venomqa.runner.JourneyResult;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes every report of a result into a directory: {@code <journey>.json},
 * {@code TEST-venomqa-<journey>.xml} (the name CI systems pick up) and {@code <journey>.html}.
 * Files of an earlier run of the same journey are replaced.
 */
public final class Reports {

    private Reports() {
    }

    /** The built-in report writers: JSON, JUnit XML, HTML. */
    public static List<ReportWriter> builtIn() {
        return List.of(new JsonReporter(), new JUnitXmlReporter(), new HtmlReporter());
    }

    /**
     * Writes the JSON, JUnit XML and HTML reports of {@code result} into {@code dir}, creating it.
     *
     * @return the files written
     */
    public static List<java.nio.file.Path> writeAll(JourneyResult result, java.nio.file.Path dir) throws IOException {
        List<java.nio.file.Path> files = new ArrayList<>();
        for (ReportWriter w : builtIn()) {
            files.add(w.write(result, dir));
        }
        return files;
    }
}
