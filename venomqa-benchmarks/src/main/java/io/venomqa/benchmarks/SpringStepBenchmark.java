package io.venomqa.benchmarks;

import io.venomqa.http.Client;
import io.venomqa.http.Response;
import io.venomqa.journey.Journey;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.state.StateManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Row 14: one journey step against the Spring Boot sample app ({@link SpringSampleApp}) with
 * {@code @VenomQASpringTest}'s savepoint strategy, against the same HTTP call to the same app without
 * VenomQA. Each call is {@code POST /orders} for one unit of a product with plenty of stock: a
 * {@code @Transactional} service reads and updates the product and inserts the order through JPA, and
 * writes the audit entry in a {@code REQUIRES_NEW} transaction — with VenomQA, all of it on the manager's
 * one connection, the commits and the inner transaction mapped to savepoints.
 *
 * <ul>
 *   <li>VenomQA ({@code venomqaCalls=runner}): a journey of {@value #STEPS} such steps run by a {@link JourneyRunner} built as
 *       {@code VenomQASpringExtension} builds the one it injects (a {@link Client} on
 *       {@code http://localhost:<port>} and the context's state manager), divided by {@value #STEPS};
 *       each step checks the status. With {@code venomqaCalls=bare} the wrapped app gets the baseline's
 *       requests instead (the wrapping alone).</li>
 *   <li>Baseline: the same app started from the same {@code @SpringBootTest} class minus
 *       {@code @VenomQASpringTest} (its own Hikari pool, real commits), the same {@code POST} sent
 *       {@value #STEPS} times with a bare JDK {@link HttpClient} (HTTP/1.1, like the {@code Client}), the
 *       status checked and the body read as a string.</li>
 * </ul>
 *
 * <p>Outside the timing, per iteration: the VenomQA side takes a checkpoint before and rolls back to it
 * after (what the extension does around each test), the baseline deletes the orders and audit rows it
 * wrote, so neither side's tables grow through the run. Each side runs its own app on its own PostgreSQL
 * schema; only the side a fork measures is started (both, in paired mode's one JVM). The baseline's
 * requests commit twice (the order, the audit entry); with {@code synchronousCommit=on} each commit waits
 * for PostgreSQL's WAL flush, which VenomQA's side, committing nothing, is spared: {@code off} shows the
 * wrapping's cost without that saving.
 */
@Compares(row = 14, what = "journey step against the Spring Boot sample app, DataSource wrapped (savepoint)",
        baseline = "the same POST through a bare JDK HttpClient to the same app without VenomQA", maxRatio = 1.15)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SpringStepBenchmark {

    static final int STEPS = 20;

    /**
     * PostgreSQL's {@code synchronous_commit} for the app's connections, both sides. {@code on} (the default) is
     * what users run; with {@code off} the baseline's two commits per request no longer wait for the WAL flush,
     * which VenomQA's side never does (it commits nothing), so the ratio shows the wrapping's own cost.
     */
    @Param({"on", "off"})
    public String synchronousCommit;

    /**
     * How VenomQA's side sends its requests: {@code runner}, a journey run by the {@link JourneyRunner} (what
     * users write); {@code bare}, the baseline's bare {@link HttpClient} loop, so that only the DataSource
     * wrapping differs between the sides and the runner's share of the cost can be told apart.
     */
    @Param({"runner", "bare"})
    public String venomqaCalls;

    private static final String CHECKPOINT = "bench-iteration";

    private SpringSampleApp app;
    private StateManager manager;
    private JourneyRunner runner;
    private Journey journey;
    private HttpClient http;
    private HttpRequest request;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws IOException, InterruptedException {
        boolean venomqa = params.getBenchmark().endsWith(".venomqa");
        app = SpringSampleApp.start(venomqa, synchronousCommit);
        Client client = new Client(app.baseUrl());
        // A product nobody runs out of (the seed's have 10 and 5), made through the app on both sides.
        Response created = client.post("/products", Map.of("name", "bench", "stock", 1_000_000_000));
        if (created.statusCode() != 201) {
            throw new IllegalStateException("POST /products answered " + created.statusCode() + ": " + created.body());
        }
        long product = created.json().get("id").asLong();
        Map<String, Object> order = Map.of("productId", product, "quantity", 1);
        if (venomqa) {
            manager = app.manager();
        }
        if (venomqa && venomqaCalls.equals("runner")) {
            runner = JourneyRunner.builder(client).stateManager(manager).build();
            Journey.Builder b = Journey.builder("orders");
            for (int i = 0; i < STEPS; i++) {
                b.step("order_" + i, (c, ctx) -> {
                    Response r = c.post("/orders", order);
                    if (r.statusCode() != 201) {
                        throw new IllegalStateException("POST /orders answered " + r.statusCode() + ": " + r.body());
                    }
                    return r;
                });
            }
            journey = b.build();
        }
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        request = HttpRequest.newBuilder(URI.create(app.baseUrl() + "/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"productId\":" + product + ",\"quantity\":1}")).build();
    }

    @Setup(Level.Iteration)
    public void mark() {
        if (manager != null) {
            manager.checkpoint(CHECKPOINT);
        }
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public Object venomqa() throws IOException, InterruptedException {
        return journey != null ? HttpCalls.runPassing(runner, journey) : HttpCalls.send(http, request, STEPS, 201);
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public int baseline() throws IOException, InterruptedException {
        return HttpCalls.send(http, request, STEPS, 201);
    }

    @TearDown(Level.Iteration)
    public void undo() throws SQLException {
        if (manager != null) {
            manager.rollback(CHECKPOINT);
            manager.release(CHECKPOINT);
        } else if (app != null) {
            app.db.exec("delete from audit_log", "delete from orders");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (app != null) {
            app.close();
        }
    }
}
