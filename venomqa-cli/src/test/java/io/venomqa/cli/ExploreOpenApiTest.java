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
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code venomqa explore --openapi}: exit 0 on a correct API, 1 when a check fails, 3 for an unusable
 * document (with its line), 4 when the API cannot be reached. The API runs in this JVM on a named
 * in-memory store that {@code db_url: memory://NAME} rolls back.
 */
class ExploreOpenApiTest {

    private static final String DOC = """
            openapi: 3.0.3
            info: {title: notes, version: '1'}
            paths:
              /notes:
                post:
                  operationId: createNote
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema: {type: object, required: [text], properties: {text: {type: string}}}
                  responses:
                    '201':
                      description: created
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Note'}
              /notes/{id}:
                get:
                  operationId: getNote
                  parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
                  responses:
                    '200':
                      description: the note
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Note'}
                    '404': {description: none}
            components:
              schemas:
                Note:
                  type: object
                  required: [id, text]
                  properties: {id: {type: integer}, text: {type: string}}
            """;

    @TempDir
    Path dir;
    private HttpServer server;
    private final String store = "explore-openapi-" + UUID.randomUUID();

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.stop(0);
        }
        InMemoryStore.dropNamed(store);
    }

    /** POST /notes stores a note; GET /notes/{id} answers it, or 500 for every note when {@code broken}. */
    private String startApi(boolean broken) throws IOException {
        InMemoryStore data = InMemoryStore.named(store);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                String path = ex.getRequestURI().getPath();
                ex.getRequestBody().readAllBytes();
                String body;
                int status;
                if (ex.getRequestMethod().equals("POST") && path.equals("/notes")) {
                    int id = data.size() + 1;
                    data.put("note:" + id, "n");
                    status = 201;
                    body = "{\"id\":" + id + ",\"text\":\"n\"}";
                } else if (ex.getRequestMethod().equals("GET") && path.startsWith("/notes/")) {
                    boolean exists = data.get("note:" + path.substring(7)) != null;
                    status = broken && exists ? 500 : exists ? 200 : 404;
                    body = status == 200 ? "{\"id\":" + path.substring(7) + ",\"text\":\"n\"}" : "{\"message\":\"no\"}";
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

    private Path config(String baseUrl) throws IOException {
        Files.writeString(dir.resolve("openapi.yaml"), DOC);
        return Files.writeString(dir.resolve("venomqa.yaml"), "base_url: " + baseUrl + "\ndb_url: memory://" + store
                + "\nopenapi:\n  document: openapi.yaml\n");
    }

    @Test
    @DisplayName("a correct API: exit 0, reports written; the store is as found; --invalid-bodies finds that it takes a note without text")
    void correctApi() throws Exception {
        Path cfg = config(startApi(false));
        Cli.Result r = Cli.run("explore", "-c", cfg.toString(), "--max-depth", "3", "--report-dir", dir.resolve("reports").toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("explore 'notes'").contains("0 violations");
        assertThat(dir.resolve("reports")).isNotEmptyDirectory();
        assertThat(InMemoryStore.named(store).size()).isZero();

        // The same API takes a note without its required text: found once invalid bodies are sent.
        Cli.Result invalid = Cli.run("explore", "-c", cfg.toString(), "--max-depth", "2", "--invalid-bodies");
        assertThat(invalid.code()).as(invalid.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(invalid.out()).contains("invalid body refused")
                .contains("POST /notes answered 201 to a body that breaks its schema (required property 'text' left out)");
        assertThat(InMemoryStore.named(store).size()).isZero();
    }

    @Test
    @DisplayName("checks that did not run (no track_changes, no --invalid-bodies) are 'not run' with the reason in every report, never passing")
    void checksThatDidNotRunAreNotRunInEveryReport() throws Exception {
        Path cfg = config(startApi(false));
        Path reports = dir.resolve("reports");
        Cli.Result r = Cli.run("explore", "-c", cfg.toString(), "--max-depth", "3", "--report-dir", reports.toString());
        assertThat(r.code()).as(r.toString()).isZero();

        JsonNode invariants = new ObjectMapper().readTree(Files.readString(reports.resolve("explore-notes.json"))).path("invariants");
        Map<String, JsonNode> byName = new HashMap<>();
        invariants.forEach(i -> byName.put(i.path("name").asText(), i));
        JsonNode safe = byName.get("safe method writes nothing");
        assertThat(safe.path("notRun").asInt()).as(safe.toString()).isPositive(); // the GETs; the POSTs are not its to judge
        assertThat(safe.path("notRunReason").asText()).startsWith("database changes not tracked: ").contains("track_changes: true");
        JsonNode invalid = byName.get("invalid body refused");
        assertThat(invalid.path("notRun").asInt()).as(invalid.toString()).isEqualTo(invalid.path("checks").asInt()).isPositive();
        assertThat(invalid.path("notRunReason").asText()).contains("invalid bodies are off").contains("--invalid-bodies");
        assertThat(byName.get("no server error").path("notRun").asInt()).isZero();

        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(reports.resolve("TEST-venomqa-explore-notes.xml").toFile());
        Map<String, Element> cases = new HashMap<>();
        NodeList nodes = xml.getElementsByTagName("testcase");
        for (int i = 0; i < nodes.getLength(); i++) {
            cases.put(((Element) nodes.item(i)).getAttribute("name"), (Element) nodes.item(i));
        }
        for (String name : new String[] {"safe method writes nothing", "invalid body refused"}) {
            Element c = cases.get(name);
            assertThat(c.getElementsByTagName("failure").getLength()).as(name).isZero();
            assertThat(c.getElementsByTagName("skipped").getLength()).as(name + " must be <skipped>, not a pass").isEqualTo(1);
            assertThat(((Element) c.getElementsByTagName("skipped").item(0)).getAttribute("message")).as(name)
                    .startsWith("not run: could not judge ");
        }
        assertThat(cases.get("no server error").getElementsByTagName("skipped").getLength()).isZero();
        // The notes API has no DELETE and no operation under /notes/{id}/…: those two checks have no move to judge.
        assertThat(byName.get("deleted resource stays gone").path("notRunReason").asText())
                .isEqualTo("no operation explored is a DELETE of a resource the document has a GET for");
        assertThat(byName.get("not-found consistency").path("notRunReason").asText()).startsWith("no operation explored besides a GET of it acts on");
        assertThat(cases.get("deleted resource stays gone").getElementsByTagName("skipped").getLength()).isEqualTo(1);
        assertThat(((Element) xml.getElementsByTagName("testsuite").item(0)).getAttribute("skipped")).isEqualTo("4");

        assertThat(Files.readString(reports.resolve("explore-notes.html")))
                .containsPattern("○ safe method writes nothing.*not run: could not judge \\d+ of \\d+ checks: database changes not tracked")
                .contains("not run: could not judge " + invalid.path("notRun").asInt() + " of " + invalid.path("checks").asInt()
                        + " checks: invalid bodies are off");
        assertThat(r.out()).contains("not run: safe method writes nothing — could not judge ")
                .contains("not run: invalid body refused — could not judge ");
        assertThat(InMemoryStore.named(store).size()).isZero();
    }

    @Test
    @DisplayName("an 'invalid body refused' violation replayed: STILL THERE while the API takes the invalid body, without --invalid-bodies or openapi.invalid_bodies on the replay")
    void invalidBodyViolationReplayed() throws Exception {
        Path cfg = config(startApi(false));
        Path reports = dir.resolve("reports");
        Cli.Result found = Cli.run("explore", "-c", cfg.toString(), "--max-depth", "2", "--invalid-bodies",
                "--report-dir", reports.toString());
        assertThat(found.code()).as(found.toString()).isEqualTo(ExitCodes.FAILED);
        Path report = reports.resolve("explore-notes.json");
        JsonNode violations = new ObjectMapper().readTree(Files.readString(report)).path("violations");
        int n = 0;
        for (int i = 0; i < violations.size(); i++) {
            if (violations.get(i).path("invariant").asText().equals("invalid body refused")) {
                n = i + 1;
            }
        }
        assertThat(n).as(violations.toString()).isPositive();
        Cli.Result replay = Cli.run("replay", report.toString(), "--violation", String.valueOf(n), "-c", cfg.toString());
        assertThat(replay.out()).as(replay.toString()).contains("STILL THERE").doesNotContain("FIXED");
        assertThat(replay.code()).as(replay.toString()).isEqualTo(ExitCodes.FAILED);
    }

    @Test
    @DisplayName("workers configured: --openapi explores serially on base_url and says so")
    void workersConfiguredRunSeriallyAndSaySo() throws Exception {
        String url = startApi(false);
        config(url);
        Path cfg = Files.writeString(dir.resolve("venomqa.yaml"), Files.readString(dir.resolve("venomqa.yaml"))
                + "workers: 2\nworker_apis:\n  - {base_url: " + url + ", db_url: \"memory://" + store + "-w1\"}\n"
                + "  - {base_url: " + url + ", db_url: \"memory://" + store + "-w2\"}\n");
        Cli.Result r = Cli.run("explore", "-c", cfg.toString(), "--max-depth", "2");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("runs serially on base_url and db_url: the 2 workers of")
                .contains("not to --openapi ones");
        assertThat(r.out()).contains("explore 'notes'");
    }

    @Test
    @DisplayName("a 500 is a violation: exit 1, with the call; --include/--exclude select operations, --base-url overrides")
    void serverError() throws Exception {
        String url = startApi(true);
        Path cfg = config("http://127.0.0.1:9");
        Cli.Result r = Cli.run("explore", "-c", cfg.toString(), "--openapi", dir.resolve("openapi.yaml").toString(),
                "--base-url", url, "--strategy", "dfs", "--max-steps", "50");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("no server error").contains("GET /notes/1 answered 500");

        Cli.Result only = Cli.run("explore", "-c", cfg.toString(), "--base-url", url, "--exclude", "getNote");
        assertThat(only.code()).as(only.toString()).isZero();
    }

    @Test
    @DisplayName("an unusable document is exit 3 with its line; an API that cannot be reached is exit 4")
    void unusableDocumentAndUnreachableApi() throws Exception {
        Path cfg = config("http://127.0.0.1:9");
        Files.writeString(dir.resolve("broken.yaml"), "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n");
        Cli.Result broken = Cli.run("explore", "-c", cfg.toString(), "--openapi", dir.resolve("broken.yaml").toString());
        assertThat(broken.code()).as(broken.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(broken.err()).contains("broken.yaml:3: has no operation under 'paths'");

        Cli.Result down = Cli.run("explore", "-c", cfg.toString());
        assertThat(down.code()).as(down.toString()).isEqualTo(ExitCodes.DATABASE);
        assertThat(down.err()).contains("the API at http://127.0.0.1:9 cannot be reached");

        Cli.Result both = Cli.run("explore", "-c", cfg.toString(), "--openapi", "x.yaml", "--class", "x.Y");
        assertThat(both.code()).as("options that do not go together: a bad command line").isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("Give either --class or --openapi, not both.");
    }
}
