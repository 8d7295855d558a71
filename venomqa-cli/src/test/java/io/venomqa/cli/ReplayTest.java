package io.venomqa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.venomqa.cli.support.Cli;
import io.venomqa.state.memory.InMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code venomqa replay}: an exploration of a purpose-built API (JDK HTTP server over a named
 * in-memory store that {@code db_url: memory://NAME} rolls back) finds a schema mismatch behind a
 * login; replaying the violation from the report exits 1 while the bug is there and 0 once the same
 * API runs with the bug fixed, and the store is as found after every run. The API numbers items from
 * a counter the rollback does not reset, so the replay only works when it takes the ids the API hands
 * out this time; every call needs the token of a login whose password the report masks, so it only
 * works when the replay logs in again with the password of {@code venomqa.yaml}.
 */
class ReplayTest {

    private static final String PASSWORD = "s3cret-pw";
    private static final String DOC = """
            openapi: 3.0.3
            info: {title: items, version: '1'}
            security: [{bearer: []}]
            paths:
              /login:
                post:
                  operationId: login
                  security: []
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema: {type: object, required: [user, password], properties: {user: {type: string}, password: {type: string}}}
                  responses:
                    '200':
                      description: logged in
                      content:
                        application/json:
                          schema: {type: object, required: [token], properties: {token: {type: string}}}
                    '401': {description: wrong password}
              /items:
                post:
                  operationId: createItem
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema: {type: object, required: [name], properties: {name: {type: string}}}
                  responses:
                    '201':
                      description: created
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Item'}
                    '401': {description: not logged in}
              /items/{id}:
                get:
                  operationId: getItem
                  parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
                  responses:
                    '200':
                      description: the item
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Item'}
                    '401': {description: not logged in}
                    '404': {description: none}
            components:
              securitySchemes:
                bearer: {type: http, scheme: bearer}
              schemas:
                Item:
                  type: object
                  required: [id, name, price]
                  properties: {id: {type: integer}, name: {type: string}, price: {type: integer}}
            """;

    @TempDir
    Path dir;
    private HttpServer server;
    private volatile boolean fixed;
    /** GET /items/{id} counts the visit in the store (a read that writes). */
    private volatile boolean getWrites;
    private final AtomicInteger ids = new AtomicInteger(100);
    private final String store = "replay-" + UUID.randomUUID();

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.stop(0);
        }
        InMemoryStore.dropNamed(store);
    }

    /** Login with the password, then items; while not {@link #fixed}, GET answers the price as a string. */
    private String startApi() throws IOException {
        InMemoryStore data = InMemoryStore.named(store);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                String path = ex.getRequestURI().getPath();
                ex.getRequestBody().readAllBytes();
                String body;
                int status;
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                if (ex.getRequestMethod().equals("POST") && path.equals("/login")) {
                    status = 200;
                    body = "{\"token\":\"tok-" + UUID.randomUUID() + "\"}";
                } else if (auth == null || !auth.startsWith("Bearer tok-")) {
                    status = 401;
                    body = "{\"message\":\"log in\"}";
                } else if (ex.getRequestMethod().equals("POST") && path.equals("/items")) {
                    int id = ids.incrementAndGet(); // not rolled back: a replay gets other ids
                    data.put("item:" + id, "x");
                    status = 201;
                    body = "{\"id\":" + id + ",\"name\":\"x\",\"price\":12}";
                } else if (ex.getRequestMethod().equals("GET") && path.startsWith("/items/")) {
                    String id = path.substring(7);
                    boolean exists = data.get("item:" + id) != null;
                    if (exists && getWrites) {
                        Object seen = data.get("seen:" + id);
                        data.put("seen:" + id, seen == null ? 1 : (Integer) seen + 1);
                    }
                    status = exists ? 200 : 404;
                    body = !exists ? "{\"message\":\"no\"}" : "{\"id\":" + id + ",\"name\":\"x\",\"price\":" + (fixed ? "12" : "\"12\"") + "}";
                } else {
                    status = 404;
                    body = "{}";
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    @DisplayName("explore finds the schema mismatch; replay exits 1 while it is there, 0 once fixed; the store is as found")
    void replayStillThereThenFixed() throws Exception {
        String url = startApi();
        Files.writeString(dir.resolve("openapi.yaml"), DOC);
        Path cfg = Files.writeString(dir.resolve("venomqa.yaml"), "base_url: " + url + "\ndb_url: memory://" + store
                + "\nopenapi:\n  document: openapi.yaml\n  login: {operation: login, body: {user: qa, password: " + PASSWORD + "}}\n");
        Path reports = dir.resolve("reports");

        Cli.Result explored = Cli.run("explore", "-c", cfg.toString(), "--max-depth", "3", "--report-dir", reports.toString());
        assertThat(explored.code()).as(explored.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(InMemoryStore.named(store).size()).isZero();
        Path report;
        try (Stream<Path> files = Files.list(reports)) {
            report = files.filter(p -> p.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
        }
        String text = Files.readString(report);
        assertThat(text).doesNotContain(PASSWORD).contains("\"openapi.document\"").contains("\"expectedStatuses\"");
        JsonNode violations = new ObjectMapper().readTree(text).path("violations");
        int n = 0;
        for (int i = 0; i < violations.size(); i++) {
            if (violations.get(i).path("invariant").asText().equals("response matches schema")) {
                n = i + 1;
            }
        }
        assertThat(n).as(text).isPositive();

        Cli.Result still = Cli.run("replay", report.toString(), "--violation", String.valueOf(n), "-c", cfg.toString());
        assertThat(still.code()).as(still.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(still.out()).contains("1. login").contains("POST " + url + "/login → 200")
                .contains("✗ response matches schema").contains("STILL THERE");
        assertThat(still.out() + still.err()).doesNotContain(PASSWORD).doesNotContain("→ 401");
        assertThat(InMemoryStore.named(store).size()).isZero();

        fixed = true;
        Cli.Result ok = Cli.run("replay", report.toString(), "--violation", String.valueOf(n), "-c", cfg.toString());
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("FIXED").containsPattern("GET " + url + "/items/1\\d\\d → 200").doesNotContain("→ 401");
        assertThat(InMemoryStore.named(store).size()).isZero();
    }

    @Test
    @DisplayName("an API that cannot be reached any more: replay cannot tell (exit 4) and names the move and the refusal, never FIXED")
    void apiDownCannotTell() throws Exception {
        String url = startApi();
        Files.writeString(dir.resolve("openapi.yaml"), DOC);
        Path cfg = Files.writeString(dir.resolve("venomqa.yaml"), "base_url: " + url + "\ndb_url: memory://" + store
                + "\nopenapi:\n  document: openapi.yaml\n  login: {operation: login, body: {user: qa, password: " + PASSWORD + "}}\n");
        Path reports = dir.resolve("reports");
        Cli.Result explored = Cli.run("explore", "-c", cfg.toString(), "--max-depth", "3", "--report-dir", reports.toString());
        assertThat(explored.code()).as(explored.toString()).isEqualTo(ExitCodes.FAILED);
        Path report;
        try (Stream<Path> files = Files.list(reports)) {
            report = files.filter(p -> p.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
        }
        server.stop(0); // nothing listens at url any more: every call of the path is refused

        Cli.Result down = Cli.run("replay", report.toString(), "--violation", "1", "-c", cfg.toString());
        assertThat(down.code()).as(down.toString()).isEqualTo(ExitCodes.DATABASE);
        assertThat(down.out()).contains("CANNOT TELL: move 1 'login' did not reach the API: POST " + url + "/login → connection refused")
                .contains("Check that the API is running at " + url)
                .doesNotContain("FIXED").doesNotContain("STILL THERE");
        assertThat(InMemoryStore.named(store).size()).isZero();
    }

    @Test
    @DisplayName("a GET that writes: found with track_changes; replay without tracking cannot tell (exit 3), with it 1, then 0 once fixed")
    void safeMethodWritesReplay() throws Exception {
        String url = startApi();
        fixed = true;
        getWrites = true;
        Files.writeString(dir.resolve("openapi.yaml"), DOC);
        String base = "base_url: " + url + "\ndb_url: memory://" + store
                + "\nopenapi:\n  document: openapi.yaml\n  login: {operation: login, body: {user: qa, password: " + PASSWORD + "}}\n";
        Path tracked = Files.writeString(dir.resolve("venomqa.yaml"), base + "track_changes: true\n");
        Path untracked = Files.writeString(dir.resolve("untracked.yaml"), base);
        Path reports = dir.resolve("reports");

        Cli.Result explored = Cli.run("explore", "-c", tracked.toString(), "--max-depth", "3", "--report-dir", reports.toString());
        assertThat(explored.code()).as(explored.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(explored.out()).contains("safe method writes nothing").doesNotContain("not run: safe method writes nothing");
        Path report;
        try (Stream<Path> files = Files.list(reports)) {
            report = files.filter(p -> p.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
        }
        JsonNode violations = new ObjectMapper().readTree(Files.readString(report)).path("violations");
        assertThat(violations).hasSize(1);
        assertThat(violations.get(0).path("invariant").asText()).isEqualTo("safe method writes nothing");
        assertThat(violations.get(0).path("message").asText())
                .matches("GET /items/1\\d\\d answered 200 and (inserted 1 row into|updated 1 row of) store: a GET must not change the database");

        Cli.Result blind = Cli.run("replay", report.toString(), "--violation", "1", "-c", untracked.toString());
        assertThat(blind.code()).as(blind.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(blind.out()).contains("CANNOT TELL: 'safe method writes nothing' could not run: database changes not tracked")
                .doesNotContain("FIXED");

        Cli.Result still = Cli.run("replay", report.toString(), "--violation", "1", "-c", tracked.toString());
        assertThat(still.code()).as(still.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(still.out()).contains("✗ safe method writes nothing").contains("STILL THERE");

        getWrites = false;
        Cli.Result ok = Cli.run("replay", report.toString(), "--violation", "1", "-c", tracked.toString());
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("FIXED");
        assertThat(InMemoryStore.named(store).size()).isZero();
    }

    @Test
    @DisplayName("a violation number the report does not have, or a file that is not a report, is exit 3 saying what to give")
    void badArguments() throws Exception {
        Path cfg = Files.writeString(dir.resolve("venomqa.yaml"), "base_url: http://127.0.0.1:9\ndb_url: memory://" + store + "\n");
        Path report = Files.writeString(dir.resolve("r.json"), "{\"name\":\"x\",\"states\":[],\"violations\":[]}");
        Cli.Result none = Cli.run("replay", report.toString(), "--violation", "2", "-c", cfg.toString());
        assertThat(none.code()).as(none.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(none.err()).contains("The report has 0 violations").contains("nothing to replay");

        Path other = Files.writeString(dir.resolve("o.json"), "{\"journey\":\"x\"}");
        Cli.Result notReport = Cli.run("replay", other.toString(), "-c", cfg.toString());
        assertThat(notReport.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(notReport.err()).contains("not an exploration report");

        Cli.Result missing = Cli.run("replay", dir.resolve("nope.json").toString(), "-c", cfg.toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(missing.err()).contains("No report at");

        // An exploration that started from a journey cannot be replayed from the database as it is.
        Path fromJourney = Files.writeString(dir.resolve("j.json"), "{\"name\":\"x\",\"attributes\":{\"start.journey\":\"checkout\","
                + "\"start.checkpoint\":\"cart_ready\"},\"violations\":[{\"invariant\":\"i\",\"path\":[]}]}");
        Cli.Result journey = Cli.run("replay", fromJourney.toString(), "-c", cfg.toString());
        assertThat(journey.code()).as(journey.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(journey.err()).contains("started from journey 'checkout' at checkpoint 'cart_ready'")
                .contains("ViolationExport.startFrom");
    }
}
