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
 * holds an earlier run's files; a directory without any JSON journey report is an error too, unless
 * it holds the {@linkplain #writeShardSummary shard summary} of a shard that ran no journey
 * ({@code venomqa run --shard i/n} writes one into its report directory, so an empty shard's
 * directory exists and merges). Shard summaries are read, not copied: the merged directory holds
 * the files one run over every journey writes. Files already in {@code out} are replaced only by
 * files of the same name.
 */
public final class ReportMerge {

    /** The {@code format} of a shard summary. */
    public static final String SHARD_SUMMARY_FORMAT = "venomqa-shard-summary/1";

    private ReportMerge() {
    }

    /**
     * Writes the summary of shard {@code index}/{@code count} into its report directory {@code dir}
     * (created when missing): {@code venomqa-shard-<i>-of-<n>.json} with the shard and the names of
     * the journeys it ran, possibly none. It is what lets {@link #merge} take the directory of a shard
     * that got no journey.
     *
     * @return the file written
     */
    public static Path writeShardSummary(Path dir, int index, int count, List<String> journeys) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode root = ResultJson.MAPPER.createObjectNode();
        root.put("format", SHARD_SUMMARY_FORMAT);
        root.put("shard", index + "/" + count);
        root.put("journeyCount", journeys.size());
        journeys.forEach(root.putArray("journeys")::add);
        Files.createDirectories(dir);
        Path file = dir.resolve("venomqa-shard-" + index + "-of-" + count + ".json");
        ResultJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        return file;
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
            JsonNode emptyShard = null;
            for (Path f : own) {
                String name = f.getFileName().toString();
                Path other = fileOwner.putIfAbsent(name, dir);
                if (other != null) {
                    throw new IllegalArgumentException("File " + name + " is in both " + other + " and " + dir + ": the"
                            + " shards overlap, or a directory holds files of an earlier run. Give each shard a clean"
                            + " report directory.");
                }
                JsonNode summary = json(f, SHARD_SUMMARY_FORMAT);
                if (summary != null) {
                    if (summary.path("journeys").isEmpty()) {
                        emptyShard = summary;
                    }
                    continue; // read, not copied
                }
                JsonNode report = json(f, ResultJson.FORMAT);
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
            if (journeys == 0 && emptyShard == null) {
                throw new IllegalArgumentException("Report directory " + dir + " holds no journey report (*.json of format "
                        + ResultJson.FORMAT + ") and no summary of a shard that ran none. Name the directories the shards"
                        + " wrote with --report-dir.");
            }
        }
        Files.createDirectories(out);
        for (Path f : files) {
            Files.copy(f, out.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
        }
        return new Summary(java.util.Collections.unmodifiableMap(passed), files.size());
    }

    /** The parsed JSON of {@code f} when it is of {@code format} (a journey report, a shard summary), else null. */
    private static JsonNode json(Path f, String format) {
        if (!f.getFileName().toString().endsWith(".json")) {
            return null;
        }
        try {
            JsonNode node = ResultJson.MAPPER.readTree(f.toFile());
            return node != null && format.equals(node.path("format").asText()) ? node : null;
        } catch (IOException e) {
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                return null; // not JSON of ours: copied as any other file
            }
            throw new UncheckedIOException(e);
        }
    }
}
