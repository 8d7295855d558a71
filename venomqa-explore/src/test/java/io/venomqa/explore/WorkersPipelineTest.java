package io.venomqa.explore;

import com.sun.net.httpserver.HttpServer;
import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Client;
import io.venomqa.runner.WorkerEndpoint;
import io.venomqa.runner.Workers;
import io.venomqa.state.StateConfig;
import io.venomqa.state.memory.InMemoryStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Breadth-first on workers does not wait for a level to end before the next begins: a state's moves
 * go to the workers as soon as the outcome that found it is taken in the serial order, so one slow
 * move holds up no worker that has something else to do. The graph is still the serial run's.
 */
class WorkersPipelineTest {

    private final List<HttpServer> apis = new ArrayList<>();
    private final List<ExecutorService> threads = new ArrayList<>();
    /** Counted down by the deeper move; the slow move waits for it (null: the serial run, no waiting). */
    private volatile CountDownLatch deeperStarted;
    private final AtomicBoolean slowSawDeeper = new AtomicBoolean();

    @BeforeEach
    void apis() throws IOException {
        for (int i = 0; i < 3; i++) {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/", x -> {
                x.getRequestBody().readAllBytes();
                x.sendResponseHeaders(204, -1);
                x.close();
            });
            ExecutorService pool = Executors.newFixedThreadPool(4);
            threads.add(pool);
            s.setExecutor(pool);
            s.start();
            apis.add(s);
        }
    }

    @AfterEach
    void stop() {
        apis.forEach(s -> s.stop(0));
        threads.forEach(ExecutorService::shutdownNow);
    }

    private String url(int i) {
        return "http://127.0.0.1:" + apis.get(i).getAddress().getPort();
    }

    /**
     * From the start, "first" (quick) and "slow"; from the state "first" reaches, "deeper". "slow"
     * waits until "deeper" has begun: level by level, that would be never (it would give up after 20 s).
     */
    private Exploration.Builder exploration(Client client) {
        ExecutionContext start = new ExecutionContext();
        start.set("a", 0);
        start.set("b", 0);
        start.set("c", 0);
        Precondition atStart = (ctx, db) -> (Integer) ctx.get("a") == 0 && (Integer) ctx.get("b") == 0;
        return Exploration.builder().name("pipeline").client(client).context(start).shrink(false)
                .projection(StateProjection.contextKeys("a", "b", "c"))
                .move(Move.builder("first")
                        .when("at the start", atStart)
                        .action((c, ctx) -> {
                            ctx.set("a", 1);
                            return c.get("/first");
                        }).build())
                .move(Move.builder("slow")
                        .when("at the start", atStart)
                        .action((c, ctx) -> {
                            CountDownLatch latch = deeperStarted;
                            if (latch != null) {
                                try {
                                    slowSawDeeper.set(latch.await(20, TimeUnit.SECONDS));
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }
                            ctx.set("b", 1);
                            return c.get("/slow");
                        }).build())
                .move(Move.builder("deeper")
                        .when("after first", (ctx, db) -> (Integer) ctx.get("a") == 1 && (Integer) ctx.get("c") == 0)
                        .action((c, ctx) -> {
                            CountDownLatch latch = deeperStarted;
                            if (latch != null) {
                                latch.countDown();
                            }
                            ctx.set("c", 1);
                            return c.get("/deeper");
                        }).build());
    }

    @Test
    void aStateFoundEarlyIsExploredWhileASlowMoveOfItsLevelRuns() {
        List<WorkerEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            endpoints.add(new WorkerEndpoint(url(i), StateConfig.builder().backend("memory")
                    .url("memory://vq_xp_" + UUID.randomUUID().toString().substring(0, 8)).build()));
        }
        ExplorationResult parallel;
        deeperStarted = new CountDownLatch(1);
        try (Workers workers = Workers.external(endpoints)) {
            parallel = exploration(new Client("http://unused.invalid")).workers(workers).build().run();
        }
        assertThat(slowSawDeeper).as("'deeper' began while 'slow', of the level before, still ran").isTrue();

        deeperStarted = null;
        ExplorationResult serial = exploration(new Client(url(2))).stateManager(new InMemoryStateManager()).build().run();

        assertThat(parallel.stopReason()).isEqualTo(StopReason.EXHAUSTED).isEqualTo(serial.stopReason());
        assertThat(graph(parallel)).isEqualTo(graph(serial)).hasSize(3);
        assertThat(parallel.states()).extracting(StateNode::summary)
                .containsExactlyElementsOf(serial.states().stream().map(StateNode::summary).toList());
        assertThat(parallel.steps()).isEqualTo(serial.steps()).isEqualTo(3);
    }

    /**
     * The budget ends the run while workers are in the middle of moves: the moves under way finish
     * (their writes must not land in a database already put back), the run says BUDGET, and no worker
     * thread is left running.
     */
    @Test
    void theBudgetEndsTheRunAndTheWorkersStopAfterTheirMove() throws InterruptedException {
        List<WorkerEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            endpoints.add(new WorkerEndpoint(url(i), StateConfig.builder().backend("memory")
                    .url("memory://vq_xp_" + UUID.randomUUID().toString().substring(0, 8)).build()));
        }
        ExecutionContext start = new ExecutionContext();
        start.set("n", 0);
        start.set("m", 0);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicBoolean cutShort = new AtomicBoolean();
        Exploration.Builder b = Exploration.builder().name("budget").client(new Client("http://unused.invalid"))
                .context(start).shrink(false).projection(StateProjection.contextKeys("n", "m"))
                .budget(Duration.ofMillis(300));
        for (String k : List.of("n", "m")) {
            b.move(Move.builder("raise_" + k).action((c, ctx) -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(60);
                } catch (InterruptedException e) {
                    cutShort.set(true);
                    Thread.currentThread().interrupt();
                } finally {
                    running.decrementAndGet();
                }
                ctx.set(k, (Integer) ctx.get(k) + 1);
                return c.get("/raise");
            }).build());
        }
        ExplorationResult r;
        try (Workers workers = Workers.external(endpoints)) {
            r = b.workers(workers).build().run();
        }
        assertThat(r.stopReason()).isEqualTo(StopReason.BUDGET);
        assertThat(maxRunning).as("both workers made moves at once").hasValue(2);
        assertThat(running).as("no move still under way when the run returned").hasValue(0);
        assertThat(cutShort).as("the moves under way when the budget ran out were let finish").isFalse();
        Thread.sleep(100);
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(n -> n.startsWith("venomqa-explore-worker-"));
    }

    private static List<String> graph(ExplorationResult r) {
        return r.transitions().stream().map(t -> t.step() + ": " + t.from() + " -" + t.move() + "-> " + t.to()).toList();
    }
}
