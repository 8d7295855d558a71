package io.venomqa.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.venomqa.explore.Exploration;
import io.venomqa.explore.ExplorationResult;
import io.venomqa.explore.Move;
import io.venomqa.explore.StopReason;
import io.venomqa.explore.Strategy;
import io.venomqa.http.Client;
import io.venomqa.http.Response;
import io.venomqa.openapi.Check;
import io.venomqa.openapi.CheckLevel;
import io.venomqa.openapi.OpenApiDocument;
import io.venomqa.openapi.OpenApiExploration;
import io.venomqa.state.memory.InMemoryStateManager;
import io.venomqa.state.memory.InMemoryStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Row 15: one exploration step with the moves an OpenAPI document gives ({@link OpenApiExploration},
 * its checks off: the cost of the generated moves, which fill parameters and bodies from the schema
 * and learn ids from every response), against the same exploration with hand-written moves making the
 * same calls (ids kept by hand in the context). Same API (a notes API on the JDK's HTTP server in this
 * JVM, its data in the memory backend's store, so that the engine's cost is not hidden behind a
 * database's), same strategy and limits; both sides must make {@value #STEPS} steps (checked), and
 * are divided by them. Issue 16's target: within 1.2×.
 */
@Compares(row = 15, what = "exploration step with moves from an OpenAPI document (checks off)",
        baseline = "the same exploration with hand-written moves", maxRatio = 1.2)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class OpenApiExplorationBenchmark {

    static final int STEPS = 60;

    static final String DOCUMENT = """
            openapi: 3.0.3
            info: {title: notes, version: '1'}
            paths:
              /notes:
                get:
                  operationId: listNotes
                  responses:
                    '200':
                      description: all notes
                      content:
                        application/json:
                          schema: {type: array, items: {$ref: '#/components/schemas/Note'}}
                post:
                  operationId: createNote
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema:
                          type: object
                          required: [text, priority]
                          properties:
                            text: {type: string, minLength: 1, maxLength: 200}
                            priority: {type: integer, minimum: 1, maximum: 5}
                  responses:
                    '201':
                      description: created
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Note'}
              /notes/{id}:
                parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
                get:
                  operationId: getNote
                  responses:
                    '200':
                      description: the note
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Note'}
                    '404': {description: none}
                delete:
                  operationId: deleteNote
                  responses:
                    '204': {description: deleted}
                    '404': {description: none}
            components:
              schemas:
                Note:
                  type: object
                  required: [id, text, priority]
                  properties: {id: {type: integer}, text: {type: string}, priority: {type: integer}}
            """;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int[] ANY_STATUS = java.util.stream.IntStream.rangeClosed(100, 599).toArray();

    private InMemoryStateManager manager;
    private HttpServer server;
    private ExecutorService executor;
    private List<Move> documentMoves;
    private List<Move> handWritten;

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        manager = new InMemoryStateManager();
        manager.connect();
        InMemoryStore store = manager.store();
        executor = Executors.newFixedThreadPool(2);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.createContext("/", ex -> {
            try (ex) {
                synchronized (store) {
                    handle(ex, store);
                }
            }
        });
        server.setExecutor(executor);
        server.start();
        OpenApiExploration oa = OpenApiExploration.from(OpenApiDocument.parse(DOCUMENT, "notes.yaml"));
        for (Check c : Check.values()) {
            oa.check(c, CheckLevel.OFF);
        }
        documentMoves = oa.moves();
        handWritten = handWrittenMoves();
        for (List<Move> moves : List.of(documentMoves, handWritten)) {
            ExplorationResult r = exploration(moves).run();
            if (r.stopReason() != StopReason.MAX_STEPS || r.steps() != STEPS || !r.violations().isEmpty()) {
                throw new IllegalStateException("The benchmark expects " + STEPS + " steps without violations: " + r.summary());
            }
        }
    }

    /** The calls the document's moves make, written by hand: the id a create answers is kept for the others. */
    private static List<Move> handWrittenMoves() {
        List<Move> out = new ArrayList<>();
        out.add(Move.builder("listNotes").action((client, ctx) -> client.get("/notes")).expectStatus(ANY_STATUS).build());
        out.add(Move.builder("createNote").action((client, ctx) -> {
            Response r = client.post("/notes", Map.of("text", "venomqa", "priority", 1));
            if (r.statusCode() == 201) {
                ctx.set("noteId", r.json().get("id").asInt());
            }
            return r;
        }).expectStatus(ANY_STATUS).build());
        out.add(Move.builder("getNote").requires("noteId")
                .action((client, ctx) -> client.get("/notes/" + ctx.get("noteId"))).expectStatus(ANY_STATUS).build());
        out.add(Move.builder("deleteNote").requires("noteId")
                .action((client, ctx) -> client.delete("/notes/" + ctx.get("noteId"))).expectStatus(ANY_STATUS).build());
        return out;
    }

    private Exploration exploration(List<Move> moves) {
        return Exploration.builder().name("notes").client(new Client("http://127.0.0.1:" + server.getAddress().getPort()))
                .stateManager(manager).moves(moves).strategy(Strategy.breadthFirst()).maxSteps(STEPS).maxDepth(6)
                .shrink(false).build();
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public ExplorationResult venomqa() {
        return exploration(documentMoves).run();
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public ExplorationResult baseline() {
        return exploration(handWritten).run();
    }

    private static void handle(HttpExchange ex, InMemoryStore store) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        byte[] in = ex.getRequestBody().readAllBytes();
        if (path.equals("/notes") && method.equals("POST")) {
            JsonNode b = MAPPER.readTree(in);
            Object n = store.get("seq");
            int id = n == null ? 1 : (Integer) n + 1;
            store.put("seq", id);
            Map<String, Object> note = Map.of("id", id, "text", b.path("text").asText(), "priority", b.path("priority").asInt());
            store.put("note:" + id, note);
            send(ex, 201, note);
        } else if (path.equals("/notes") && method.equals("GET")) {
            List<Object> all = new ArrayList<>();
            new TreeMap<>(store.asMap()).forEach((k, v) -> {
                if (k.startsWith("note:")) {
                    all.add(v);
                }
            });
            send(ex, 200, all);
        } else if (path.startsWith("/notes/")) {
            String key = "note:" + path.substring("/notes/".length());
            Object note = store.get(key);
            if (note == null) {
                send(ex, 404, Map.of("message", "no note"));
            } else if (method.equals("DELETE")) {
                store.remove(key);
                send(ex, 204, null);
            } else {
                send(ex, 200, note);
            }
        } else {
            send(ex, 404, Map.of("message", "no route"));
        }
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        server.stop(0);
        executor.shutdownNow();
        manager.disconnect();
    }
}
