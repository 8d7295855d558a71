package io.venomqa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.venomqa.cli.support.Cli;
import io.venomqa.cli.support.Cli.Result;
import io.venomqa.cli.support.ManyJourneys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code venomqa run --shard i/n} over three machines' worth of shards, and {@code venomqa merge-reports}:
 * every journey runs in exactly one shard, and the merged directory holds the same reports as one run
 * over every journey (same files; same JSON apart from times).
 */
class ShardAndMergeTest {

    HttpServer api;
    Path config;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/", x -> {
            int status = x.getRequestURI().getPath().equals("/ping") ? 200 : 500; // the refund path fails
            byte[] reply = "{}".getBytes();
            x.sendResponseHeaders(status, reply.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(reply);
            }
        });
        api.start();
        config = dir.resolve("venomqa.yaml");
        Files.writeString(config, "base_url: http://127.0.0.1:" + api.getAddress().getPort() + "\n"
                + "db_url: memory://cli-shards\n");
    }

    @AfterEach
    void stop() {
        api.stop(0);
    }

    private Result run(String reports, String... more) {
        List<String> args = new ArrayList<>(List.of("run", "-c", config.toString(), "--class", ManyJourneys.class.getName(),
                "--report-dir", dir.resolve(reports).toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void shardsRunEveryJourneyOnceAndTheirMergedReportsEqualOneRunsReports() throws IOException {
        run("all");
        List<String> seen = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Result r = run("shard" + i, "--shard", i + "/3");
            assertThat(r.err()).as(r.toString()).contains("shard " + i + "/3: ");
            assertThat(dir.resolve("shard" + i)).as("every shard leaves its report directory, an empty one too").isDirectory();
            seen.addAll(journeys(dir.resolve("shard" + i)).keySet());
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(journeys(dir.resolve("all")).keySet()).hasSize(8);

        List<String> args = new ArrayList<>(List.of("merge-reports", "--out", dir.resolve("merged").toString()));
        for (int i = 1; i <= 3; i++) {
            args.add(dir.resolve("shard" + i).toString());
        }
        Result merged = Cli.run(args.toArray(String[]::new));
        assertThat(merged.code()).as(merged.toString()).isEqualTo(ExitCodes.OK);
        assertThat(merged.out()).contains("8 journeys, 0 passed, 8 failed");
        assertThat(files(dir.resolve("merged"))).isEqualTo(files(dir.resolve("all")));
        assertThat(journeys(dir.resolve("merged"))).isEqualTo(journeys(dir.resolve("all")));
    }

    @Test
    void overlappingShardsAndBadShardsAreRefused() {
        run("a", "--shard", "1/1");
        run("b", "--shard", "1/1");
        Result r = Cli.run("merge-reports", "--out", dir.resolve("m").toString(), dir.resolve("a").toString(),
                dir.resolve("b").toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("is in both").contains("clean report directory");
        assertThat(dir.resolve("m")).doesNotExist();

        Result bad = run("c", "--shard", "4/3");
        assertThat(bad.code()).as("a command-line value: usage error").isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("--shard: Shard 4/3 does not exist");
        assertThat(Cli.run("run", "-c", config.toString(), "--class", ManyJourneys.class.getName(), "--list",
                "--shard", "2/2").out().lines().count() + Cli.run("run", "-c", config.toString(), "--class",
                ManyJourneys.class.getName(), "--list", "--shard", "1/2").out().lines().count()).isEqualTo(8);
    }

    @Test
    void anEmptyShardLeavesAReportDirectoryThatMergeReportsTakes() throws IOException {
        run("all");
        // Nine shards for eight journeys: at least one is empty.
        List<String> names = Cli.run("run", "-c", config.toString(), "--class", ManyJourneys.class.getName(), "--list")
                .out().lines().map(l -> l.split(" ")[0]).toList();
        assertThat(names).hasSize(8);
        int empty = 1;
        while (empty <= 9) {
            int k = empty;
            if (names.stream().noneMatch(n -> io.venomqa.runner.Shard.of(n, 9) == k)) {
                break;
            }
            empty++;
        }

        Result r = run("empty", "--shard", empty + "/9");

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.err()).contains("shard " + empty + "/9: 0 of 8 journeys");
        assertThat(files(dir.resolve("empty"))).containsExactly("venomqa-shard-" + empty + "-of-9.json");
        assertThat(new ObjectMapper().readTree(dir.resolve("empty/venomqa-shard-" + empty + "-of-9.json").toFile())
                .path("journeyCount").asInt(-1)).isZero();

        Result merged = Cli.run("merge-reports", "--out", dir.resolve("merged").toString(), dir.resolve("all").toString(),
                dir.resolve("empty").toString());
        assertThat(merged.code()).as(merged.toString()).isEqualTo(ExitCodes.OK);
        assertThat(merged.out()).contains("8 journeys, 0 passed, 8 failed");
        assertThat(files(dir.resolve("merged"))).as("the shard summary is read, not copied").isEqualTo(files(dir.resolve("all")));

        Files.createDirectories(dir.resolve("nothing"));
        Result plainEmpty = Cli.run("merge-reports", "--out", dir.resolve("m2").toString(), dir.resolve("all").toString(),
                dir.resolve("nothing").toString());
        assertThat(plainEmpty.code()).as("a directory without reports or shard summary").isEqualTo(ExitCodes.CONFIG);
        assertThat(plainEmpty.err()).contains("holds no journey report");
    }

    /** Each journey report's JSON without its times, by journey name. */
    private static Map<String, JsonNode> journeys(Path reports) throws IOException {
        Map<String, JsonNode> out = new TreeMap<>();
        ObjectMapper mapper = new ObjectMapper();
        for (String f : files(reports)) {
            if (f.endsWith(".json") && !f.startsWith("venomqa-shard-")) { // not a shard summary
                JsonNode n = mapper.readTree(reports.resolve(f).toFile());
                withoutTimes(n);
                out.put(n.path("journey").asText(), n);
            }
        }
        return out;
    }

    private static void withoutTimes(JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove(List.of("startedAt", "durationMs", "responseHeaders"));
        }
        for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
            withoutTimes(it.next());
        }
    }

    private static List<String> files(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
