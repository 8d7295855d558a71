package io.venomqa.cli;

import com.sun.net.httpserver.HttpServer;
import io.venomqa.cli.support.Cli;
import io.venomqa.cli.support.Cli.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * venomqa run with journeys from the test class path (a registered JourneyProvider, or --class),
 * against an in-test API, with the in-memory backend as state manager.
 */
class RunTest {

    HttpServer api;
    Path config;
    final Set<String> users = ConcurrentHashMap.newKeySet();

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String route = x.getRequestMethod() + " " + x.getRequestURI().getPath();
            int status = switch (route) {
                case "POST /users" -> users.add(body) ? 201 : 409;
                case "POST /login", "GET /ping" -> 200;
                default -> 500;
            };
            byte[] reply = (status == 500 ? "{\"error\":\"boom\"}" : "{}").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status, reply.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(reply);
            }
        });
        api.start();
        config = dir.resolve("venomqa.yaml");
        Files.writeString(config, "base_url: http://127.0.0.1:" + api.getAddress().getPort() + "\n"
                + "db_url: memory://cli-run\n"
                + "report_dir: " + dir.resolve("reports") + "\n");
    }

    @AfterEach
    void stop() {
        api.stop(0);
    }

    @Test
    void runsEveryRegisteredJourneyPrintsTheTreeWritesReportsAndFailsWhenOneFails() {
        Result r = Cli.run("run", "-c", config.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out())
                .contains("▶ journey signup")
                .contains("✓ create_user")
                .contains("▸ path login", "▸ path duplicate")
                .contains("✓ signup PASSED")
                .contains("▶ journey broken")
                .contains("✗ explode")
                .contains("✗ broken FAILED")
                .contains("2 journeys: 1 passed, 1 failed")
                .contains("  ✗ broken: 1 failure");
        assertThat(dir.resolve("reports/signup.json")).exists();
        assertThat(dir.resolve("reports/TEST-venomqa-broken.xml")).exists();
        assertThat(dir.resolve("reports/broken.html")).exists();
    }

    @Test
    void tagsSelectJourneys() {
        Result r = Cli.run("run", "-c", config.toString(), "--tag", "smoke");

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("▶ journey signup").doesNotContain("journey broken")
                .contains("1 journey: 1 passed, 0 failed");
    }

    @Test
    void anUnknownTagIsAConfigurationErrorListingTheTags() {
        Result r = Cli.run("run", "-c", config.toString(), "--tag", "weekly");

        assertThat(r.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("No journey has the tag [weekly]. Tags found: nightly, smoke.");
    }

    @Test
    void namedClassesReplaceTheRegisteredProviders() {
        Result r = Cli.run("run", "-c", config.toString(), "--class", "io.venomqa.cli.support.StaticJourneys");

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("▶ journey health", "▶ journey ping", "2 journeys: 2 passed, 0 failed")
                .doesNotContain("journey signup");
    }

    @Test
    void failFastStopsAfterTheFirstFailingJourney() {
        Result r = Cli.run("run", "-c", config.toString(), "--class", "io.venomqa.cli.support.ShopJourneys",
                "--class", "io.venomqa.cli.support.StaticJourneys", "--fail-fast");

        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("2 journeys: 1 passed, 1 failed, 2 not run (fail-fast)").doesNotContain("journey ping");
    }

    @Test
    void listShowsWhatWouldRunWithoutRunning() {
        Result r = Cli.run("run", "--list");

        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("signup  [smoke]\nbroken  [nightly]\n");
    }

    @Test
    void anUnknownClassIsAConfigurationError() {
        Result r = Cli.run("run", "-c", config.toString(), "--class", "com.example.Nope");

        assertThat(r.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("Class com.example.Nope not found. Add the jar or directory holding it with --class-path.");
    }

    @Test
    void withoutBaseUrlItSaysWhatToSet() throws IOException {
        Files.writeString(config, "db_url: memory://cli-run\n");

        Result r = Cli.run("run", "-c", config.toString());

        assertThat(r.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("No base_url configured");
    }
}
