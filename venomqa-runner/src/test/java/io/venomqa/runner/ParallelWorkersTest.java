package io.venomqa.runner;

import com.sun.net.httpserver.HttpServer;
import io.venomqa.http.Client;
import io.venomqa.journey.Branch;
import io.venomqa.journey.Checkpoint;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.journey.Step;
import io.venomqa.report.JsonReporter;
import io.venomqa.state.StateConfig;
import io.venomqa.state.memory.InMemoryStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Journeys on parallel workers (APIs in this JVM, in-memory state managers): which worker runs which
 * path, that each replays the main line, that the results and the listeners' events are those of a
 * serial run, and that fail-fast runs on the first worker alone.
 */
class ParallelWorkersTest {

    /** A tiny API answering every GET with its path; {@code /fail} with 500. Remembers what it was asked. */
    static final class Api implements AutoCloseable {
        final HttpServer server;
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        Api() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", x -> {
                String path = x.getRequestURI().getPath();
                calls.add(path);
                byte[] body = ("{\"path\":\"" + path + "\"}").getBytes(StandardCharsets.UTF_8);
                x.getResponseHeaders().add("Content-Type", "application/json");
                x.sendResponseHeaders(path.equals("/fail") ? 500 : 200, body.length);
                try (OutputStream out = x.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private final List<Api> apis = new ArrayList<>();

    @AfterEach
    void stop() {
        apis.forEach(Api::close);
    }

    private Api api() throws IOException {
        Api a = new Api();
        apis.add(a);
        return a;
    }

    private static Path get(String name, String... more) {
        Path.Builder p = Path.builder(name).step(name, (c, ctx) -> c.get("/" + name));
        for (String m : more) {
            p.step(m, (c, ctx) -> c.get("/" + m));
        }
        return p.build();
    }

    static Journey journey() {
        return Journey.builder("spread")
                .step("start", (c, ctx) -> {
                    ctx.set("seen", "start");
                    return c.get("/start");
                })
                .checkpoint("a")
                .branch("a",
                        Path.builder("p1").step("p1", (c, ctx) -> c.get("/p1")).checkpoint("n")
                                .branch("n", get("q1"), get("q2")).build(),
                        get("p2", "p2b"),
                        Path.builder("p3").step("fails", (c, ctx) -> c.get("/fail")).step("after", (c, ctx) -> c.get("/after")).build())
                .step("middle", (c, ctx) -> c.get("/middle"))
                .checkpoint("b")
                .branch("b", get("p4"), get("p5"))
                .build();
    }

    /** Every event the runner tells, as text without times or ports. */
    static final class Log implements JourneyListener {
        final List<String> events = new ArrayList<>();

        @Override public void journeyStarted(Journey j) { events.add("journey " + j.name()); }
        @Override public void stepStarted(Step s, int d) { events.add(d + " step " + s.name()); }
        @Override public void stepFinished(StepResult r, int d) { events.add(d + " stepped " + r.name() + " " + r.status() + " " + clean(r.message())); }
        @Override public void checkpointFinished(Checkpoint c, CheckpointResult r, int d) { events.add(d + " checkpoint " + c.name() + " " + r.status()); }
        @Override public void branchStarted(Branch b, int d) { events.add(d + " branch " + b.checkpointName()); }
        @Override public void rolledBack(String cp, boolean db, int d) { events.add(d + " rolled back " + cp + " " + db); }
        @Override public void pathStarted(Path p, int d) { events.add(d + " path " + p.name()); }
        @Override public void pathFinished(PathResult r, int d) { events.add(d + " pathed " + r.name() + " " + r.status()); }
        @Override public void branchFinished(BranchResult r, int d) { events.add(d + " branched " + r.name() + " " + r.status() + " " + r.paths().size()); }
        @Override public void journeyFinished(JourneyResult r) { events.add("finished " + r.status() + " " + r.summary().replaceAll("\\d+ ms", "")); }
    }

    static String clean(String s) {
        return s == null ? "" : s.replaceAll("127\\.0\\.0\\.1:\\d+", "api");
    }

    private static String json(JourneyResult r) {
        return clean(new JsonReporter().render(r)).replaceAll("\"(durationMs|startedAt|date)\" : (\"[^\"]*\"|[^,\\n]*)", "");
    }

    private static StateConfig memory() {
        return StateConfig.builder().backend("memory").url("memory://vqpar_" + UUID.randomUUID().toString().substring(0, 8)).build();
    }

    private Workers workers(int n) throws IOException {
        List<WorkerEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            endpoints.add(new WorkerEndpoint(api().url(), memory()));
        }
        return Workers.external(endpoints);
    }

    @Test
    void pathsSpreadOverWorkersEachReplayingTheMainLineAndTheResultIsTheSerialOne() throws IOException {
        Api single = api();
        Log serialLog = new Log();
        JourneyResult serial = JourneyRunner.builder(new Client(single.url())).stateManager(new InMemoryStateManager())
                .listener(serialLog).build().run(journey());

        Log log = new Log();
        JourneyResult parallel;
        try (Workers w = workers(3)) {
            parallel = JourneyRunner.builder(new Client("http://unused.invalid")).workers(w).listener(log).build().run(journey());
        }

        assertThat(log.events).isEqualTo(serialLog.events);
        assertThat(json(parallel)).isEqualTo(json(serial));
        assertThat(parallel.failed()).isTrue();
        assertThat(parallel.path("p3").failed()).isTrue();
        // Top-level path k runs on worker k mod 3; every worker replays the main line (a branch included).
        assertThat(apis.get(1).calls).containsExactly("/start", "/p1", "/q1", "/q2", "/middle", "/p4");
        assertThat(apis.get(2).calls).containsExactly("/start", "/p2", "/p2b", "/middle", "/p5");
        assertThat(apis.get(3).calls).containsExactly("/start", "/fail", "/middle");
    }

    @Test
    void moreWorkersThanPathsUseOnlyAsManyAsThereArePaths() throws IOException {
        Journey two = Journey.builder("two").step("s", (c, ctx) -> c.get("/s")).checkpoint("c").branch("c", get("x"), get("y")).build();
        try (Workers w = workers(4)) {
            JourneyResult r = JourneyRunner.builder(new Client("http://unused.invalid")).workers(w).build().run(two);
            assertThat(r.passed()).isTrue();
        }
        assertThat(apis.get(0).calls).containsExactly("/s", "/x");
        assertThat(apis.get(1).calls).containsExactly("/s", "/y");
        assertThat(apis.get(2).calls).isEmpty();
        assertThat(apis.get(3).calls).isEmpty();
    }

    @Test
    void failFastRunsOnTheFirstWorkerAloneAndStopsAsASerialRunDoes() throws IOException {
        Api single = api();
        JourneyResult serial = JourneyRunner.builder(new Client(single.url())).stateManager(new InMemoryStateManager())
                .failFast(true).build().run(journey());
        JourneyResult parallel;
        try (Workers w = workers(2)) {
            parallel = JourneyRunner.builder(new Client("http://unused.invalid")).workers(w).failFast(true).build().run(journey());
        }
        assertThat(json(parallel)).isEqualTo(json(serial));
        assertThat(apis.get(2).calls).isEmpty();
    }

    @Test
    void eachJourneyStartsFromTheWorkerDatabaseAsItWasAndTheCallerContextGetsTheMainLine() throws IOException {
        try (Workers w = workers(2)) {
            JourneyRunner runner = JourneyRunner.builder(new Client("http://unused.invalid")).workers(w).build();
            io.venomqa.context.ExecutionContext ctx = new io.venomqa.context.ExecutionContext();
            assertThat(runner.run(journey(), ctx).path("p2").passed()).isTrue();
            assertThat(ctx.get("seen")).isEqualTo("start");
            // The isolation checkpoint was rolled back and released: a second run takes it again.
            assertThat(runner.run(journey()).warnings()).isEmpty();
        }
    }
}
