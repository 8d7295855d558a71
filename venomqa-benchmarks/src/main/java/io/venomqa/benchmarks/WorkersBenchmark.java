package io.venomqa.benchmarks;

import io.venomqa.http.Client;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.runner.WorkerEndpoint;
import io.venomqa.runner.Workers;
import io.venomqa.state.StateConfig;
import io.venomqa.state.memory.InMemoryStateManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Row 16: a journey of {@value #PATHS} paths × {@value #STEPS} steps (after one main-line step and a
 * checkpoint) against an API whose every call waits {@value #WAIT_MS} ms, as a real API waits for its
 * database or network, on {@value #WORKERS} workers (APIs in this JVM, in-memory state managers),
 * against the same journey on one runner without workers. The target is the issue's: 4 workers at
 * least 3× faster than 1 on a 2-core machine; the calls wait rather than compute, so the cores are
 * not what limits it. Each worker replays the main line (one call here) before its paths.
 */
@Compares(row = 16, what = "journey of 8 paths × 5 steps, calls waiting 20 ms, on 4 workers",
        baseline = "the same journey on one runner without workers", maxRatio = 1 / 3.0)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class WorkersBenchmark {

    static final int PATHS = 8;
    static final int STEPS = 5;
    static final int WORKERS = 4;
    static final int WAIT_MS = 20;

    private final List<PingServer> apis = new ArrayList<>();
    private Workers workers;
    private JourneyRunner parallel;
    private JourneyRunner serial;
    private Journey journey;

    static Journey journey() {
        Path[] paths = new Path[PATHS];
        for (int p = 0; p < PATHS; p++) {
            Path.Builder b = Path.builder("path_" + p);
            for (int s = 0; s < STEPS; s++) {
                b.step("call_" + s, (client, ctx) -> client.get("/work"));
            }
            paths[p] = b.build();
        }
        return Journey.builder("wide").step("login", (client, ctx) -> client.post("/login", "{}"))
                .checkpoint("ready").branch("ready", paths).build();
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        journey = journey();
        List<WorkerEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            PingServer api = new PingServer(11, WAIT_MS, 4);
            apis.add(api);
            endpoints.add(new WorkerEndpoint(api.baseUrl(), StateConfig.builder().backend("memory")
                    .url("memory://vq_bench_w_" + UUID.randomUUID().toString().substring(0, 8)).build()));
        }
        workers = Workers.external(endpoints);
        parallel = JourneyRunner.builder(new Client("http://unused.invalid")).workers(workers).build();
        PingServer single = new PingServer(11, WAIT_MS, 4);
        apis.add(single);
        serial = JourneyRunner.builder(new Client(single.baseUrl())).stateManager(new InMemoryStateManager()).build();
    }

    @Benchmark
    public JourneyResult venomqa() {
        return passed(parallel.run(journey));
    }

    @Benchmark
    public JourneyResult baseline() {
        return passed(serial.run(journey));
    }

    private static JourneyResult passed(JourneyResult r) {
        if (!r.passed()) {
            throw new IllegalStateException("journey failed: " + r.failures());
        }
        return r;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        workers.close();
        apis.forEach(PingServer::close);
    }
}
