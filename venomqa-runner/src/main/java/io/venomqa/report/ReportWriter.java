package io.venomqa.report;

import io.venomqa.runner.JourneyResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Turns a {@link JourneyResult} into one report file. The three built-in formats are
 * {@link JsonReporter}, {@link JUnitXmlReporter} and {@link HtmlReporter}; {@link Reports#writeAll}
 * writes them all.
 */
public interface ReportWriter {

    /** The file name for {@code result} in a report directory, such as {@code checkout.json}. */
    String fileName(JourneyResult result);

    /** The report's whole text. */
    String render(JourneyResult result);

    /** Writes the report into {@code dir} (created when missing) and returns the file. */
    default java.nio.file.Path write(JourneyResult result, java.nio.file.Path dir) throws IOException {
        Files.createDirectories(dir);
        java.nio.file.Path file = dir.resolve(fileName(result));
        Files.writeString(file, render(result), StandardCharsets.UTF_8);
        return file;
    }

    /** A journey name as a safe file name part: letters, digits, {@code - _ .}, others as {@code _}. */
    static String slug(String journeyName) {
        String s = journeyName.strip().replaceAll("[^\\p{Alnum}._-]+", "_");
        s = s.replaceAll("^[._]+", "");
        if (s.isEmpty()) {
            s = "journey";
        }
        return s.length() > 100 ? s.substring(0, 100) : s;
    }
}
