package io.venomqa.runner;

import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Client;
import io.venomqa.http.Response;
import io.venomqa.journey.Action;
import io.venomqa.journey.Checkpoint;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.journey.Step;
import io.venomqa.state.memory.InMemoryStateManager;
import io.venomqa.state.memory.InMemoryStore;
import io.venomqa.testing.RecordingListener;
import io.venomqa.testing.ShopApi;
import io.venomqa.testsupport.Stderr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class JourneyRunnerTest {

    private InMemoryStore store;
    private ShopApi api;
    private Client client;
    private InMemoryStateManager stateManager;

    @BeforeEach
    void start() throws IOException {
        store = new InMemoryStore();
        api = new ShopApi(store);
        client = new Client(api.baseUrl());
        stateManager = new InMemoryStateManager(io.venomqa.state.StateConfig.builder().backend("memory").build(), store);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    static final Action LOGIN = (client, ctx) -> {
        Response r = client.post("/login", Map.of("email", "qa@example.com", "password", ShopApi.PASSWORD));
        client.setAuthToken(r.json().get("token").asText());
        return r;
    };

    static Action createOrder(String item) {
        return (client, ctx) -> {
            Response r = client.post("/orders", Map.of("item", item));
            ctx.set("order_id", r.json().get("id").asInt());
            return r;
        };
    }

    static Action countOrders(List<Integer> seen) {
        return (client, ctx) -> {
            Response r = client.get("/orders");
            seen.add(r.json().get("count").asInt());
            return r;
        };
    }

    @Test
    @org.junit.jupiter.api.DisplayName("the journey's summary is logged at INFO, but not beside the console tree, which ends with it")
    void summaryLoggedOnceNotBesideTheConsole() {
        Journey j = Journey.builder("summary_once").step("login", LOGIN).build();
        String plain = Stderr.during(() -> JourneyRunner.builder(client).build().run(j));
        assertThat(plain).contains("INFO io.venomqa.runner.JourneyRunner - summary_once: PASSED");

        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream tree = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(tree, true, java.nio.charset.StandardCharsets.UTF_8));
        String besideConsole;
        try {
            besideConsole = Stderr.during(() -> JourneyRunner.builder(client).console().build().run(j));
        } finally {
            System.setOut(out);
        }
        assertThat(tree.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("summary_once PASSED");
        assertThat(besideConsole).doesNotContain("io.venomqa.runner.JourneyRunner - summary_once");
    }

    @Test
    void stepResultsAreStoredInTheContextUnderTheStepName() {
        ExecutionContext ctx = new ExecutionContext();
        Journey j = Journey.builder("orders")
                .step("login", LOGIN)
                .step("create_order", createOrder("book"))
                .step("read_back", (client, c) -> {
                    int id = StepResult.of(c, "create_order").response().json().get("id").asInt();
                    return "order " + id + " after login with status " + StepResult.of(c, "login").response().statusCode();
                })
                .build();

        JourneyResult result = new JourneyRunner(client, stateManager).run(j, ctx);

        assertThat(result.passed()).as(result.summary()).isTrue();
        StepResult created = (StepResult) ctx.getStepResult("create_order");
        assertThat(created.response().statusCode()).isEqualTo(201);
        assertThat(created.duration()).isPositive();
        assertThat(created.exchanges()).singleElement().satisfies(x -> assertThat(x.method()).isEqualTo("POST"));
        assertThat(ctx.getStepResult("read_back", StepResult.class).value()).isEqualTo("order 1 after login with status 200");
        assertThat(result.step("read_back").valueSummary()).isEqualTo("order 1 after login with status 200");
    }

    @Test
    void everyPathStartsFromTheCheckpointsDatabaseAndContextAndTheJourneyContinuesFromIt() {
        List<Integer> seenInPaths = new CopyOnWriteArrayList<>();
        List<Integer> seenAfter = new CopyOnWriteArrayList<>();
        List<String> contextSeenInPaths = new CopyOnWriteArrayList<>();
        Action markPath = (client, ctx) -> {
            contextSeenInPaths.add(String.valueOf(ctx.get("chosen", "(absent)")) + "/" + ctx.hasStepResult("extra_order"));
            return null;
        };
        Journey j = Journey.builder("isolation")
                .step("login", LOGIN)
                .step("first_order", createOrder("book"))
                .checkpoint("one_order")
                .branch("one_order",
                        Path.builder("a").step("look_a", markPath)
                                .step("choose_a", (c, ctx) -> ctx.set("chosen", "a"))
                                .step("extra_order", createOrder("pen"))
                                .step("count_a", countOrders(seenInPaths)).build(),
                        Path.builder("b").step("look_b", markPath)
                                .step("choose_b", (c, ctx) -> ctx.set("chosen", "b"))
                                .step("extra_order", createOrder("cup"))
                                .step("count_b", countOrders(seenInPaths)).build(),
                        Path.builder("c").step("look_c", markPath).step("count_c", countOrders(seenInPaths)).build())
                .step("after", (client, ctx) -> {
                    contextSeenInPaths.add("after:" + ctx.get("chosen", "(absent)") + "/" + ctx.hasStepResult("extra_order"));
                    return countOrders(seenAfter).execute(client, ctx);
                })
                .build();
        RecordingListener events = new RecordingListener();

        JourneyResult result = JourneyRunner.builder(client).stateManager(stateManager).listener(events).build().run(j);

        assertThat(result.passed()).as(result.summary()).isTrue();
        assertThat(seenInPaths).containsExactly(2, 2, 1);       // each path saw only its own order
        assertThat(seenAfter).containsExactly(1);               // the journey went on from the checkpoint
        assertThat(contextSeenInPaths).containsExactly("(absent)/false", "(absent)/false", "(absent)/false", "after:(absent)/false");
        assertThat(events.events).containsSubsequence("checkpoint one_order PASSED", "branch one_order @0",
                "rollback one_order db", "path a", "path-end a PASSED",
                "rollback one_order db", "path b", "path-end b PASSED",
                "rollback one_order db", "path c", "path-end c PASSED",
                "rollback one_order db", "branch-end one_order PASSED", "step after PASSED @0", "journey-end PASSED");
        assertThat(result.databaseIsolated()).isTrue();
        assertThat(result.warnings()).isEmpty();
        assertThat(stateManager.isConnected()).isFalse(); // the runner connected it, so it disconnected it
    }

    @Test
    void nestedBranchesThreeDeepIsolateEveryLevelAndKeepStateManagerNamesUniqueAndReleased() {
        List<String> seen = new CopyOnWriteArrayList<>();
        List<List<String>> stacks = new CopyOnWriteArrayList<>();
        String longName = "a-journey-with-a-rather-long-name-that-makes-qualified-names-overflow";
        Action record = (client, ctx) -> {
            seen.add(ctx.get("trail") + "=" + client.get("/orders").json().get("count").asInt());
            stacks.add(stateManager.activeCheckpoints());
            return null;
        };
        // Every level reuses the checkpoint name "cp"; each path adds an order and a trail entry.
        java.util.function.BiFunction<String, Path[], Path> level = (name, inner) -> {
            Path.Builder b = Path.builder(name)
                    .step("order_" + name, createOrder(name))
                    .step("trail_" + name, (c, ctx) -> ctx.set("trail", ctx.get("trail", "") + "/" + name))
                    .step("record_" + name, record);
            if (inner.length > 0) {
                b.checkpoint("cp").branch("cp", inner);
            }
            return b.build();
        };
        Path l3a = level.apply("x", new Path[0]);
        Path l3b = level.apply("y", new Path[0]);
        Path l2a = level.apply("m", new Path[]{l3a, l3b});
        Path l2b = level.apply("n", new Path[]{level.apply("z", new Path[0])});
        Path l1a = level.apply("p", new Path[]{l2a, l2b});
        Path l1b = level.apply("q", new Path[0]);
        Journey j = Journey.builder(longName)
                .step("login", LOGIN)
                .checkpoint("cp")
                .branch("cp", l1a, l1b)
                .step("final", record)
                .build();

        JourneyResult result = new JourneyRunner(client, stateManager).run(j);

        assertThat(result.passed()).as(result.summary()).isTrue();
        assertThat(seen).containsExactly(
                "/p=1", "/p/m=2", "/p/m/x=3", "/p/m/y=3", "/p/n=2", "/p/n/z=3", "/q=1", "null=0");
        assertThat(result.paths()).extracting(JourneyResult.LocatedPath::location)
                .containsExactly("p", "p > m", "p > m > x", "p > m > y", "p > n", "p > n > z", "q");
        List<String> deepest = stacks.get(2);
        // Whole qualified names, longer than PostgreSQL's 63-character identifiers: names never reach SQL.
        assertThat(deepest).hasSize(3).doesNotHaveDuplicates()
                .allSatisfy(name -> assertThat(name).startsWith(longName + "/"));
        assertThat(deepest.get(2)).isEqualTo(longName + "/p/m/cp").hasSizeGreaterThan(63);
        assertThat(stacks.get(stacks.size() - 1)).hasSize(1);  // only the main line's checkpoint is left by then
        assertThat(stacks).allSatisfy(s -> assertThat(s).hasSizeLessThanOrEqualTo(3));
    }

    @Test
    void stateManagerStackDoesNotGrowAcrossManyPathsAndIsEmptyAfterTheRun() {
        stateManager.connect();
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        Action size = (c, ctx) -> {
            sizes.add(stateManager.activeCheckpoints().size());
            return null;
        };
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            paths.add(Path.of("p" + i, Checkpoint.of("inner"), Step.of("s" + i, size)));
        }
        Journey j = Journey.builder("many").checkpoint("root").branch("root", paths).step("end", size).build();

        JourneyResult result = new JourneyRunner(client, stateManager).run(j);

        assertThat(result.passed()).isTrue();
        assertThat(sizes).hasSize(21).containsOnly(2, 2, 1).endsWith(1);
        assertThat(stateManager.activeCheckpoints()).isEmpty();
        assertThat(stateManager.isConnected()).isTrue(); // connected by the caller, left connected
        stateManager.disconnect();
    }

    @Test
    void failingPathDoesNotStopItsSiblingsAndTheFailureCarriesRequestResponseAndBody() {
        Journey j = Journey.builder("payments")
                .step("login", LOGIN)
                .step("order", createOrder("book"))
                .checkpoint("ordered")
                .branch("ordered",
                        Path.of("declined_unexpectedly",
                                Step.of("pay", (c, ctx) -> c.post("/pay", Map.of("order_id", ctx.get("order_id"), "method", "declined"))),
                                Step.of("never_runs", (c, ctx) -> "nope")),
                        Path.of("card", Step.of("pay", (c, ctx) -> c.post("/pay", Map.of("order_id", ctx.get("order_id"), "method", "card")))))
                .step("after", (c, ctx) -> "went on")
                .build();

        JourneyResult result = new JourneyRunner(client, stateManager).run(j);

        assertThat(result.failed()).isTrue();
        PathResult declined = result.path("declined_unexpectedly");
        assertThat(declined.status()).isEqualTo(Status.FAILED);
        StepResult pay = (StepResult) declined.nodes().get(0);
        assertThat(pay.message()).startsWith("HTTP 402 from POST http://127.0.0.1:").endsWith("/pay");
        assertThat(pay.lastExchange().status()).isEqualTo(402);
        assertThat(pay.lastExchange().responseBody()).contains("card declined");
        assertThat(pay.lastExchange().requestBody()).contains("\"method\":\"declined\"");
        assertThat(pay.lastExchange().requestHeaders()).containsEntry("Authorization", "Bearer ***");
        assertThat(declined.nodes().get(1).status()).isEqualTo(Status.SKIPPED);
        assertThat(result.path("card").status()).isEqualTo(Status.PASSED);
        assertThat(result.step("after").status()).isEqualTo(Status.PASSED);
        assertThat(result.failures()).singleElement().satisfies(f -> {
            assertThat(f.location()).isEqualTo("declined_unexpectedly");
            assertThat(f.step().name()).isEqualTo("pay");
        });
    }

    @Test
    void exceptionFailsTheStepWithItsStackTraceAndSkipsTheRestOfTheScope() {
        Journey j = Journey.builder("boom")
                .step("explode", (c, ctx) -> {
                    throw new IllegalStateException("inventory is " + ShopApi.TOKEN);
                })
                .step("next", (c, ctx) -> "x")
                .build();
        Client c = Client.builder(api.baseUrl()).authToken(ShopApi.TOKEN).build();

        JourneyResult result = new JourneyRunner(c).run(j);

        StepResult explode = result.step("explode");
        assertThat(explode.failed()).isTrue();
        assertThat(explode.message()).isEqualTo("IllegalStateException: inventory is ***");
        assertThat(explode.errorType()).isEqualTo("java.lang.IllegalStateException");
        assertThat(explode.stackTrace()).contains("at io.venomqa.runner.JourneyRunnerTest").doesNotContain(ShopApi.TOKEN);
        assertThat(result.step("next").status()).isEqualTo(Status.SKIPPED);
        assertThat(result.step("next").message()).isEqualTo("Not run: an earlier node of this journey failed.");
    }

    @Test
    void expectFailurePassesOnAnErrorAndFailsOnASuccess() {
        Journey j = Journey.builder("expectations")
                .step("login", LOGIN)
                .checkpoint("in")
                .branch("in",
                        Path.of("declined", Step.builder("pay_declined")
                                .action((c, ctx) -> c.post("/pay", Map.of("method", "declined"))).expectFailure().build()),
                        Path.of("throws", Step.builder("throwing")
                                .action((c, ctx) -> {
                                    throw new IllegalArgumentException("nope");
                                }).expectFailure().build()),
                        Path.of("succeeds", Step.builder("pay_card")
                                .action((c, ctx) -> c.post("/pay", Map.of("method", "card"))).expectFailure().build()))
                .build();

        JourneyResult result = new JourneyRunner(client, stateManager).run(j);

        assertThat(result.step("pay_declined").status()).isEqualTo(Status.PASSED);
        assertThat(result.step("pay_declined").message()).startsWith("Failed as expected: HTTP 402 from POST");
        assertThat(result.step("throwing").status()).isEqualTo(Status.PASSED);
        assertThat(result.step("throwing").message()).isEqualTo("Failed as expected: IllegalArgumentException: nope");
        assertThat(result.step("pay_card").status()).isEqualTo(Status.FAILED);
        assertThat(result.step("pay_card").message()).startsWith("Expected a failure, but the step succeeded (HTTP 200 from POST");
        assertThat(result.failed()).isTrue();
        assertThat(result.pathCount(Status.PASSED)).isEqualTo(2);
    }

    @Test
    void stepTimeoutInterruptsTheActionAndFailsTheStep() {
        Journey j = Journey.builder("slow")
                .step("slow", (c, ctx) -> c.get("/slow", Map.of("ms", 20_000)), s -> s.timeout(Duration.ofMillis(300)))
                .build();
        long t0 = System.nanoTime();

        JourneyResult result = new JourneyRunner(client).run(j);

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        StepResult slow = result.step("slow");
        assertThat(slow.failed()).isTrue();
        assertThat(slow.message()).isEqualTo("Step 'slow' did not finish within its timeout of 300 ms and was interrupted.");
    }

    @Test
    void timeoutIsAFailureEvenForAStepThatExpectsFailure() {
        Journey j = Journey.builder("slow")
                .step("slow", (c, ctx) -> c.get("/slow", Map.of("ms", 20_000)), s -> s.timeout(Duration.ofMillis(200)).expectFailure())
                .build();
        assertThat(new JourneyRunner(client).run(j).step("slow").failed()).isTrue();
    }

    @Test
    void runnerDefaultStepTimeoutAppliesToStepsWithoutTheirOwn() {
        Journey j = Journey.builder("slow").step("slow", (c, ctx) -> {
            Thread.sleep(20_000);
            return null;
        }).build();
        JourneyResult result = JourneyRunner.builder(client).defaultStepTimeout(Duration.ofMillis(200)).build().run(j);
        assertThat(result.step("slow").message()).contains("timeout of 200 ms");
    }

    @Test
    void journeyTimeoutFailsTheRunningStepAndSkipsTheRest() {
        Journey j = Journey.builder("limited")
                .timeout(Duration.ofMillis(400))
                .step("quick", (c, ctx) -> "ok")
                .checkpoint("cp")
                .branch("cp",
                        Path.of("sleeper", Step.of("sleep", (c, ctx) -> c.get("/slow", Map.of("ms", 20_000)))),
                        Path.of("never", Step.of("never", (c, ctx) -> "x")))
                .step("after", (c, ctx) -> "x")
                .build();

        JourneyResult result = new JourneyRunner(client, stateManager).run(j);

        assertThat(result.failed()).isTrue();
        assertThat(result.message()).isEqualTo("Journey 'limited' exceeded its timeout of 400 ms during step 'sleep'.");
        assertThat(result.step("quick").passed()).isTrue();
        assertThat(result.step("sleep").failed()).isTrue();
        assertThat(result.path("never").status()).isEqualTo(Status.SKIPPED);
        assertThat(result.step("after").status()).isEqualTo(Status.SKIPPED);
        assertThat(result.step("after").message()).isEqualTo("Not run: the journey's timeout of 400 ms passed.");
    }

    @Test
    void retriesWithBackoffUntilTheStepPasses() {
        RecordingListener events = new RecordingListener();
        Journey j = Journey.builder("flaky")
                .step("flaky", (c, ctx) -> c.get("/flaky", Map.of("key", "k1", "failures", 2)),
                        s -> s.retries(3, Duration.ofMillis(20)).backoffMultiplier(3))
                .build();

        JourneyResult result = JourneyRunner.builder(client).listener(events).build().run(j);

        StepResult flaky = result.step("flaky");
        assertThat(flaky.passed()).isTrue();
        assertThat(flaky.attempts()).isEqualTo(3);
        assertThat(flaky.response().json().get("call").asInt()).isEqualTo(3);
        assertThat(events.events).containsSubsequence("retry flaky #1 in 20", "retry flaky #2 in 60", "step flaky PASSED @0");
        assertThat(flaky.exchanges()).singleElement().satisfies(x -> assertThat(x.status()).isEqualTo(200));
    }

    @Test
    void retriesRunOutAndTheLastFailureIsReported() {
        Journey j = Journey.builder("flaky")
                .step("flaky", (c, ctx) -> c.get("/flaky", Map.of("key", "k2", "failures", 10)), s -> s.retries(2, Duration.ZERO))
                .build();
        StepResult flaky = new JourneyRunner(client).run(j).step("flaky");
        assertThat(flaky.failed()).isTrue();
        assertThat(flaky.attempts()).isEqualTo(3);
        assertThat(flaky.lastExchange().responseBody()).contains("\"call\":3");
    }

    @Test
    void stepArgumentsReachTheAction() {
        List<String> methods = new CopyOnWriteArrayList<>();
        io.venomqa.journey.ArgsAction pay = (c, ctx, args) -> {
            methods.add(args.getString("method") + ":" + args.get("amount", Integer.class));
            return c.post("/pay", Map.of("method", args.getString("method")));
        };
        Journey j = Journey.builder("args")
                .step("pay_card", pay, s -> s.arg("method", "card").arg("amount", 10).description("Pays by card"))
                .step("pay_paypal", pay, s -> s.args(Map.of("method", "paypal", "amount", 20)))
                .build();

        JourneyResult result = new JourneyRunner(client).run(j);

        assertThat(result.passed()).isTrue();
        assertThat(methods).containsExactly("card:10", "paypal:20");
        assertThat(result.step("pay_card").description()).isEqualTo("Pays by card");
    }

    @Test
    void failFastStopsAtTheFirstFailureAndSkipsEverythingAfter() {
        Journey j = Journey.builder("ff")
                .checkpoint("start")
                .branch("start",
                        Path.of("bad", Step.of("fails", (c, ctx) -> c.get("/status", Map.of("code", 500)))),
                        Path.of("good", Step.of("fine", (c, ctx) -> "ok")))
                .step("after", (c, ctx) -> "ok")
                .build();

        JourneyResult fast = JourneyRunner.builder(client).failFast(true).build().run(j);
        JourneyResult slow = JourneyRunner.builder(client).failFast(false).build().run(j);

        assertThat(fast.path("good").status()).isEqualTo(Status.SKIPPED);
        assertThat(fast.step("fine").message()).isEqualTo("Not run: fail-fast after step 'fails' failed.");
        assertThat(fast.step("after").status()).isEqualTo(Status.SKIPPED);
        assertThat(slow.path("good").status()).isEqualTo(Status.PASSED);
        assertThat(slow.step("after").status()).isEqualTo(Status.PASSED);
        assertThat(List.of(fast.status(), slow.status())).containsOnly(Status.FAILED);
    }

    @Test
    void withoutAStateManagerTheContextIsIsolatedTheDatabaseIsNotAndTheRunnerWarnsOnce() {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        List<Object> contextSeen = new CopyOnWriteArrayList<>();
        Journey j = Journey.builder("no-db")
                .step("login", LOGIN)
                .checkpoint("start")
                .branch("start",
                        Path.of("a", Step.of("look_a", (c, ctx) -> contextSeen.add(ctx.get("mark", "none"))),
                                Step.of("mark", (c, ctx) -> ctx.set("mark", "a")),
                                Step.of("order_a", createOrder("a")), Step.of("count_a", countOrders(seen))),
                        Path.of("b", Step.of("look_b", (c, ctx) -> contextSeen.add(ctx.get("mark", "none"))),
                                Step.of("order_b", createOrder("b")), Step.of("count_b", countOrders(seen))))
                .build();
        RecordingListener events = new RecordingListener();
        JourneyRunner runner = JourneyRunner.builder(client).listener(events).build();

        JourneyResult first = runner.run(j);
        JourneyResult second = runner.run(j);

        assertThat(first.passed()).as(first.summary()).isTrue();
        assertThat(contextSeen).containsOnly("none");
        assertThat(seen).containsExactly(1, 2, 3, 4);   // the database is not rolled back
        assertThat(events.events.stream().filter(e -> e.startsWith("warning")))
                .singleElement().asString().contains("DATABASE IS NOT ROLLED BACK");
        assertThat(first.warnings()).singleElement().asString().startsWith("Running without a state manager");
        assertThat(second.warnings()).isEmpty();
        assertThat(events.events).contains("rollback start ctx");
        assertThat(first.databaseIsolated()).isFalse();
        assertThat(((CheckpointResult) first.nodes().get(1)).databaseSaved()).isFalse();
    }

    @Test
    void connectionRefusedFailsTheStepNamingTheUrl() throws IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Client dead = new Client("http://127.0.0.1:" + port);
        JourneyResult result = new JourneyRunner(dead).run(Journey.builder("down").step("ping", (c, ctx) -> c.get("/health")).build());
        StepResult ping = result.step("ping");
        assertThat(ping.failed()).isTrue();
        assertThat(ping.message()).startsWith("GET http://127.0.0.1:" + port + "/health failed: connection refused")
                .contains("Is the API running at http://127.0.0.1:" + port);
        assertThat(ping.lastExchange().error()).isEqualTo("connection refused");
        assertThat(ping.lastExchange().hasResponse()).isFalse();
    }

    @Test
    void failingListenerDoesNotChangeTheResult() {
        JourneyListener broken = new JourneyListener() {
            @Override
            public void stepFinished(StepResult result, int depth) {
                throw new IllegalStateException("listener bug");
            }
        };
        JourneyResult result = JourneyRunner.builder(client).listener(broken).build()
                .run(Journey.builder("j").step("a", (c, ctx) -> "ok").build());
        assertThat(result.passed()).isTrue();
    }

    @Test
    void checkpointThatTheStateManagerRefusesFailsTheScope() {
        // The manager goes away under the runner (a lost connection): the checkpoint cannot be saved.
        InMemoryStateManager sm = new InMemoryStateManager();
        sm.connect();
        Journey j = Journey.builder("refused")
                .step("pull_the_plug", (c, ctx) -> {
                    sm.disconnect();
                    return null;
                })
                .checkpoint("cp")
                .branch("cp", Path.of("p", Step.of("s", (c, ctx) -> "x")))
                .build();
        JourneyResult result = new JourneyRunner(client, sm).run(j);
        CheckpointResult cp = (CheckpointResult) result.nodes().get(1);
        assertThat(cp.status()).isEqualTo(Status.FAILED);
        assertThat(cp.message()).startsWith("Could not save the state: StateNotConnectedException");
        assertThat(result.path("p").status()).isEqualTo(Status.SKIPPED);
    }

    @Test
    void aDisconnectThatCannotRestoreTheDatabaseFailsTheJourney() {
        // Issue 20 item 1: a journal whose undo failed throws from disconnect(); the run must fail.
        InMemoryStateManager real = new InMemoryStateManager();
        io.venomqa.state.StateManager failing = new io.venomqa.state.StateManager() {
            @Override public void connect() { real.connect(); }
            @Override public void disconnect() {
                real.disconnect();
                throw new io.venomqa.state.RollbackException("disconnect() could not leave the database as connect() found it");
            }
            @Override public boolean isConnected() { return real.isConnected(); }
            @Override public void checkpoint(String name) { real.checkpoint(name); }
            @Override public void rollback(String name) { real.rollback(name); }
            @Override public void release(String name) { real.release(name); }
            @Override public void reset() { real.reset(); }
            @Override public java.util.List<String> activeCheckpoints() { return real.activeCheckpoints(); }
        };
        JourneyResult result = new JourneyRunner(client, failing).run(Journey.builder("j").step("a", (c, ctx) -> "ok").build());
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.message()).contains("could not put the database back", "could not leave the database as connect() found it");
    }
}
