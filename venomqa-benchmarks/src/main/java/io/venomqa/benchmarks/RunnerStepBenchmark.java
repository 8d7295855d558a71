package io.venomqa.benchmarks;

import io.venomqa.http.Client;
import io.venomqa.journey.Journey;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.concurrent.TimeUnit;

/**
 * Row 7: one runner step that calls an in-process HTTP endpoint through VenomQA's {@link Client},
 * measured as a journey of {@value #STEPS} such steps divided by {@value #STEPS} (so the per-journey
 * work, result and context are included, shared among its steps), against the same {@code GET} sent
 * with a bare JDK {@link HttpClient} (HTTP/1.1, like the {@code Client}) and its body read as a string.
 */
@Compares(row = 7, what = "runner step calling an in-process HTTP endpoint",
        baseline = "the same GET through a bare JDK HttpClient", maxRatio = 1.10)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RunnerStepBenchmark {

    static final int STEPS = 100;

    private PingServer server;
    private JourneyRunner runner;
    private Journey journey;
    private HttpClient http;
    private HttpRequest request;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        server = new PingServer(200);
        runner = JourneyRunner.builder(Client.builder(server.baseUrl()).build()).build();
        Journey.Builder b = Journey.builder("ping");
        for (int i = 0; i < STEPS; i++) {
            b.step("ping_" + i, (client, ctx) -> client.get("/ping"));
        }
        journey = b.build();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/ping")).GET().build();
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public JourneyResult venomqa() {
        return HttpCalls.runPassing(runner, journey);
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public int baseline() throws IOException, InterruptedException {
        return HttpCalls.send(http, request, STEPS, 200);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        server.close();
    }
}
