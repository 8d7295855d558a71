package io.venomqa.benchmarks;

import io.venomqa.context.ExecutionContext;
import io.venomqa.explore.Exploration;
import io.venomqa.explore.ExplorationResult;
import io.venomqa.explore.Move;
import io.venomqa.explore.StateProjection;
import io.venomqa.http.Client;
import io.venomqa.http.Response;
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
 * Row 17: a breadth-first exploration of {@value #STATES} states (three counters that moves raise
 * from 0 to 2, each move one call of an API that waits {@value #WAIT_MS} ms, as a real API waits for
 * its database or network; the counters are the projection) on {@value #WORKERS} workers (APIs in this
 * JVM, in-memory state managers), against the same exploration without workers. A worker reaches a
 * state another worker found by restoring its own checkpoint of it, taken after another path to it,
 * or else by replaying the state's path on its own API, which the serial run (restoring from its
 * checkpoint tree) does not pay; the target is the one of row 16 for journeys (3×).
 */
@Compares(row = 17, what = "breadth-first exploration of 27 states (54 moves), calls waiting 20 ms, on 4 workers",
        baseline = "the same exploration without workers", maxRatio = 1 / 3.0)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ExploreWorkersBenchmark {

    static final int WORKERS = 4;
    static final int WAIT_MS = 20;
    static final int STATES = 27;
    private static final List<String> COUNTERS = List.of("a", "b", "c");

    private final List<PingServer> apis = new ArrayList<>();
    private Workers workers;
    private Exploration parallel;
    private Exploration serial;

    /** One move per counter: one call, then the counter one higher, while it is below 2. */
    static Exploration.Builder exploration(Client client) {
        ExecutionContext start = new ExecutionContext();
        COUNTERS.forEach(k -> start.set(k, 0));
        Exploration.Builder b = Exploration.builder().name("counters").client(client).context(start)
                .projection(StateProjection.contextKeys(COUNTERS.toArray(String[]::new))).shrink(false);
        for (String k : COUNTERS) {
            b.move(Move.builder("raise_" + k)
                    .when(k + " below 2", (ctx, db) -> (Integer) ctx.get(k) < 2)
                    .action((c, ctx) -> {
                        Response r = c.get("/work");
                        ctx.set(k, (Integer) ctx.get(k) + 1);
                        return r;
                    }).build());
        }
        return b;
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        List<WorkerEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            PingServer api = new PingServer(11, WAIT_MS, 4);
            apis.add(api);
            endpoints.add(new WorkerEndpoint(api.baseUrl(), StateConfig.builder().backend("memory")
                    .url("memory://vq_bench_xw_" + UUID.randomUUID().toString().substring(0, 8)).build()));
        }
        workers = Workers.external(endpoints);
        parallel = exploration(new Client("http://unused.invalid")).workers(workers).build();
        PingServer single = new PingServer(11, WAIT_MS, 4);
        apis.add(single);
        serial = exploration(new Client(single.baseUrl())).stateManager(new InMemoryStateManager()).build();
    }

    @Benchmark
    public ExplorationResult venomqa() {
        return complete(parallel.run());
    }

    @Benchmark
    public ExplorationResult baseline() {
        return complete(serial.run());
    }

    private static ExplorationResult complete(ExplorationResult r) {
        if (r.states().size() != STATES || r.hasViolations()) {
            throw new IllegalStateException("expected " + STATES + " states and no violation: " + r.summary());
        }
        return r;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        workers.close();
        apis.forEach(PingServer::close);
    }
}
