package io.venomqa.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.venomqa.explore.ExplorationConsole;
import io.venomqa.explore.ExplorationResult;
import io.venomqa.explore.Move;
import io.venomqa.explore.Strategy;
import io.venomqa.explore.Warning;
import io.venomqa.http.Client;
import io.venomqa.state.memory.InMemoryStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request bodies as a document declares them: a JSON body goes out with its declared media type (an
 * API that consumes only {@code application/merge-patch+json} refuses {@code application/json} with 415),
 * and an operation whose required body VenomQA cannot generate is named in the run's warnings, not left
 * out in silence.
 */
class MediaTypesTest {

    private static final ObjectMapper MAPPER = Answers.MAPPER;

    private HttpServer server;
    private InMemoryStateManager manager;
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private final List<String> uploads = new CopyOnWriteArrayList<>();

    /** The notes API: strict about the media type of each body, as Spring's {@code consumes} is. */
    @BeforeEach
    void start() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Map<Integer, String> notes = new ConcurrentHashMap<>();
        AtomicInteger ids = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            byte[] in = ex.getRequestBody().readAllBytes();
            contentTypes.add(method + " " + path + " " + type);
            if (method.equals("POST") && path.equals("/notes")) {
                if (!"application/json".equals(type)) {
                    Answers.answer(ex, 415, null);
                    return;
                }
                int id = ids.incrementAndGet();
                notes.put(id, MAPPER.readTree(in).path("text").asText());
                Answers.answer(ex, 201, Map.of("id", id, "text", notes.get(id)));
                return;
            }
            String[] parts = path.split("/");
            Integer id = parts.length >= 3 ? Integer.valueOf(parts[2]) : null;
            if (id == null || !notes.containsKey(id)) {
                Answers.answer(ex, 404, null);
            } else if (method.equals("PUT") && path.endsWith("/attachment")) {
                // A multipart body as Spring's MultipartResolver needs it: boundary in the type, each part named.
                String text = new String(in, StandardCharsets.UTF_8);
                String boundary = type == null || !type.startsWith("multipart/form-data; boundary=") ? null
                        : type.substring("multipart/form-data; boundary=".length());
                boolean ok = boundary != null && text.startsWith("--" + boundary + "\r\n")
                        && text.endsWith("--" + boundary + "--\r\n")
                        && text.contains("Content-Disposition: form-data; name=\"caption\"\r\n\r\nholiday\r\n")
                        && text.contains("Content-Disposition: form-data; name=\"file\"; filename=\"file.bin\"\r\n"
                                + "Content-Type: image/png\r\n\r\n");
                uploads.add(text);
                Answers.answer(ex, ok ? 204 : 400, null);
            } else if (method.equals("GET")) {
                Answers.answer(ex, 200, Map.of("id", id, "text", notes.get(id)));
            } else if (method.equals("PATCH")) {
                if (!"application/merge-patch+json".equals(type)) {
                    Answers.answer(ex, 415, null);
                    return;
                }
                JsonNode patch = MAPPER.readTree(in);
                notes.put(id, patch.path("text").asText(notes.get(id)));
                Answers.answer(ex, 200, Map.of("id", id, "text", notes.get(id)));
            } else {
                Answers.answer(ex, 405, null);
            }
        });
        server.start();
        manager = new InMemoryStateManager();
        manager.connect();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        manager.disconnect();
    }

    private ExplorationResult explore(OpenApiExploration oa) {
        return oa.explorationBuilder(new Client("http://127.0.0.1:" + server.getAddress().getPort()), manager)
                .strategy(Strategy.breadthFirst()).maxDepth(3).maxSteps(60).build().run();
    }

    @Test
    @DisplayName("a body goes out with the JSON media type its operation declares (merge-patch+json), an upload as multipart parts with its file, and the strict API accepts every call")
    void declaredJsonMediaTypeIsSent() {
        ExplorationResult r = explore(OpenApiExploration.from(OpenApiDocument.read(Path.of("src/test/resources/openapi/media-types.yaml")))
                .exclude("importCsv"));
        assertThat(contentTypes).anyMatch(t -> t.startsWith("PATCH /notes/") && t.endsWith(" application/merge-patch+json"))
                .noneMatch(t -> t.startsWith("PATCH /notes/") && !t.endsWith(" application/merge-patch+json"))
                .anyMatch(t -> t.equals("POST /notes application/json"));
        assertThat(r.violations()).as(ExplorationConsole.summary(r)).isEmpty();
        assertThat(r.transitions()).anyMatch(t -> t.move().equals("patchNote") && t.status() == 200)
                .anyMatch(t -> t.move().equals("attachFile") && t.status() == 204);
        assertThat(uploads).isNotEmpty();
        assertThat(r.warnings()).as("nothing left out but what was excluded").isEmpty();
    }

    @Test
    @DisplayName("an operation whose required body is neither JSON, a form nor multipart has no move and is named in the run's warnings and its console summary; one excluded on purpose is not")
    void uncallableOperationsAreNamedInTheResult() {
        OpenApiExploration excluded = OpenApiExploration.from(OpenApiDocument.read(Path.of("src/test/resources/openapi/media-types.yaml")))
                .exclude("tag:admin");
        assertThat(excluded.moves()).extracting(Move::name).containsExactly("createNote", "getNote", "patchNote", "attachFile");
        assertThat(excluded.skipped().values()).containsExactly("excluded");
        assertThat(explore(excluded).warnings()).isEmpty();

        OpenApiExploration all = OpenApiExploration.from(OpenApiDocument.read(Path.of("src/test/resources/openapi/media-types.yaml")));
        assertThat(all.skipped().values()).containsExactly(
                "request body of type text/csv (only JSON, form and multipart bodies are generated: replace its move to send it)");
        ExplorationResult r = explore(all);
        assertThat(r.warnings()).extracting(Warning::message).containsExactly("1 operation of the document not explored: "
                + "importCsv (POST /imports): its required request body is text/csv, and only JSON, form and multipart "
                + "bodies are generated");
        assertThat(ExplorationConsole.summary(r)).contains("not explored: importCsv").contains("replace(operationId, move)");
    }

    @Test
    @DisplayName("a move that accepts every status says so as a range, not as 500 numbers")
    void movesDescribeTheirStatusesAsRanges() {
        Move create = OpenApiExploration.from(OpenApiDocument.read(Path.of("src/test/resources/openapi/media-types.yaml")))
                .moves().get(0);
        assertThat(create.expectedDescription()).isEqualTo("100-599");
        assertThat(create.toString()).endsWith("expects 100-599]");
        Move custom = Move.builder("m").action((c, x) -> null).expectStatus(200, 201, 202, 409).build();
        assertThat(custom.expectedDescription()).isEqualTo("200-202, 409");
    }
}
