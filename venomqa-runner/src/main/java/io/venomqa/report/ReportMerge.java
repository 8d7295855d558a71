package io.venomqa.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.venomqa.report.internal.ResultJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Puts the report directories of several shards ({@code venomqa run --shard i/n}, one directory
 * per machine) together into one, as a single run over all the journeys would have written it.
 *
 * <p>Reports are written per journey ({@code <journey>.json}, {@code <journey>.html},
 * {@code TEST-venomqa-<journey>.xml}, see {@link Reports}), so the merged directory holds each
 * shard's files unchanged: byte for byte what each shard wrote. Guarantees of {@link #merge}:
 * every regular file directly in each directory is copied; a file name found in two directories,
 * or a journey (the {@code journey} field of a {@code venomqa-journey-result} JSON report) found in
 * two, is an error before anything is copied, because it means the shards overlap or a directory
 * holds an earlier run's files; a directory without any JSON journey report is an error too (a
 * shard that ran nothing writes no directory: leave it out). Files already in {@code out} are
 * replaced only by files of the same name.
 */
public final class ReportMerge {

    private ReportMerge() {
    }

    /**
     * What was merged.
     *
     * @param journeys     the journeys, by name, in name order, with whether each passed
     * @param filesCopied  how many files were copied
     */
    public record Summary(Map<String, Boolean> journeys, int filesCopied) {

        /** The journeys that did not pass, in name order. */
        public List<String> failed() {
            return journeys.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
        }
    }

    /**
     * Merges the report directories {@code dirs} into {@code out} (created when missing).
     *
     * @throws IllegalArgumentException when the directories overlap or one holds no journey report,
     *                                  naming the file or journey and both directories
     * @throws IOException              when a file cannot be read or written
     */
    public static Summary merge(List<Path> dirs, Path out) throws IOException {
        Map<String, Path> fileOwner = new LinkedHashMap<>();
        Map<String, Path> journeyOwner = new TreeMap<>();
        Map<String, Boolean> passed = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("Report directory " + dir + " does not exist (or is not a directory).");
            }
            List<Path> own;
            try (Stream<Path> s = Files.list(dir)) {
                own = s.filter(Files::isRegularFile).sorted().toList();
            }
            int journeys = 0;
            for (Path f : own) {
                String name = f.getFileName().toString();
                Path other = fileOwner.putIfAbsent(name, dir);
                if (other != null) {
                    throw new IllegalArgumentException("File " + name + " is in both " + other + " and " + dir + ": the"
                            + " shards overlap, or a directory holds files of an earlier run. Give each shard a clean"
                            + " report directory.");
                }
                JsonNode report = journeyReport(f);
                if (report != null) {
                    String journey = report.path("journey").asText();
                    Path twice = journeyOwner.putIfAbsent(journey, dir);
                    if (twice != null) {
                        throw new IllegalArgumentException("Journey '" + journey + "' was reported by both " + twice
                                + " and " + dir + ": the shards overlap. Run every shard with the same n (--shard i/n).");
                    }
                    passed.put(journey, report.path("passed").asBoolean(false));
                    journeys++;
                }
                files.add(f);
            }
            if (journeys == 0) {
                throw new IllegalArgumentException("Report directory " + dir + " holds no journey report (*.json of format "
                        + ResultJson.FORMAT + "). Name the directories the shards wrote with --report-dir.");
            }
        }
        Files.createDirectories(out);
        for (Path f : files) {
            Files.copy(f, out.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
        }
        return new Summary(java.util.Collections.unmodifiableMap(passed), files.size());
    }

    /** The parsed JSON of {@code f} when it is a journey report, else null. */
    private static JsonNode journeyReport(Path f) {
        if (!f.getFileName().toString().endsWith(".json")) {
            return null;
        }
        try {
            JsonNode node = ResultJson.MAPPER.readTree(f.toFile());
            return node != null && ResultJson.FORMAT.equals(node.path("format").asText()) ? node : null;
        } catch (IOException e) {
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                return null; // not JSON of ours: copied as any other file
            }
            throw new UncheckedIOException(e);
        }
    }
}
