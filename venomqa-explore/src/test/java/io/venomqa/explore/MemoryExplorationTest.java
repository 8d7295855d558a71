package io.venomqa.explore;

import io.venomqa.http.Client;
import io.venomqa.journey.Journey;
import io.venomqa.state.memory.InMemoryStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The explorer on the in-memory backend, against {@link ShopApi} in the same JVM. */
class MemoryExplorationTest {

    private InMemoryStateManager manager;
    private ShopApi api;
    private Client client;

    @BeforeEach
    void setUp() throws Exception {
        manager = new InMemoryStateManager();
        manager.connect();
        manager.store().put("unrelated", "kept");
        api = new ShopApi(ShopApi.memory(manager.store()));
        client = new Client(api.baseUrl());
    }

    @AfterEach
    void tearDown() {
        api.close();
        manager.disconnect();
    }

    private Exploration.Builder shop(Strategy strategy) {
        return Exploration.builder().name("shop").client(client).stateManager(manager).moves(ShopMoves.moves())
                .invariant(ShopMoves.apiInvariant()).strategy(strategy).maxDepth(6);
    }

    @Test
    @DisplayName("every strategy finds the planted bug and shrinks it to the known minimum of 5 moves; the store is as found")
    void everyStrategyFindsTheBug() {
        Map<String, Object> before = manager.store().asMap();
        for (Strategy s : List.of(Strategy.breadthFirst(), Strategy.depthFirst(), Strategy.random(42), Strategy.coverageGuided())) {
            ExplorationResult r = shop(s).build().run();
            assertThat(r.violationsOf(ShopMoves.REFUNDS_WITHIN_TOTAL)).as(s + "\n" + ExplorationConsole.summary(r)).hasSize(1);
            Violation v = r.violationsOf(ShopMoves.REFUNDS_WITHIN_TOTAL).get(0);
            assertThat(v.shrunk()).as(s.toString()).isTrue();
            assertThat(v.reproduced()).isTrue();
            assertThat(v.shrunkLength()).as(s + ": " + v.moves()).isEqualTo(ShopMoves.MINIMAL_LENGTH);
            assertThat(v.moves()).as(s.toString()).startsWith("create")
                    .filteredOn("pay"::equals).hasSize(2);
            assertThat(v.moves()).filteredOn("refund"::equals).hasSize(2);
            assertThat(v.path()).allSatisfy(p -> assertThat(p.exchanges()).hasSize(1));
            assertThat(v.path().get(v.path().size() - 1).exchanges().get(0).url()).endsWith("/orders/1/refund");
            assertThat(v.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(r.restoreMode()).isEqualTo(manager.checkpointTree().isPresent() ? RestoreMode.TREE : RestoreMode.REPLAY);
            assertThat(r.stopReason()).isEqualTo(StopReason.EXHAUSTED);
            assertThat(r.passed()).isFalse();
            assertThat(manager.store().asMap()).as("store after " + s).isEqualTo(before);
            assertThat(manager.activeCheckpoints()).isEmpty();
        }
    }

    @Test
    @DisplayName("depth-first finds a longer path first and shrinking cuts it to the minimum, re-checking from the start")
    void shrinkingCutsALongerPath() {
        ExplorationResult r = shop(Strategy.depthFirst()).build().run();
        Violation v = r.violationsOf(ShopMoves.REFUNDS_WITHIN_TOTAL).get(0);
        assertThat(v.originalLength()).isGreaterThan(ShopMoves.MINIMAL_LENGTH);
        assertThat(v.shrunkLength()).isEqualTo(ShopMoves.MINIMAL_LENGTH);
        assertThat(r.shrinkRuns()).isPositive();

        ExplorationResult unshrunk = shop(Strategy.depthFirst()).shrink(false).build().run();
        Violation u = unshrunk.violationsOf(ShopMoves.REFUNDS_WITHIN_TOTAL).get(0);
        assertThat(u.shrunk()).isFalse();
        assertThat(u.shrunkLength()).isEqualTo(u.originalLength()).isEqualTo(v.originalLength());
        assertThat(unshrunk.shrinkRuns()).isZero();
    }

    @Test
    @DisplayName("the same seed gives the same graph; another seed visits in another order")
    void sameSeedSameGraph() {
        ExplorationResult a = shop(Strategy.random(7)).build().run();
        ExplorationResult b = shop(Strategy.random(7)).build().run();
        ExplorationResult c = shop(Strategy.random(8)).build().run();
        assertThat(graph(a)).isEqualTo(graph(b));
        assertThat(a.states()).isEqualTo(b.states());
        assertThat(a.seed()).isEqualTo(7L);
        assertThat(edges(c)).isNotEqualTo(edges(a));
        assertThat(c.states().size()).isEqualTo(a.states().size());
    }

    @Test
    @DisplayName("with the checkpoint tree (TREE, nothing replayed) every strategy gives the graph and violations of REPLAY mode")
    void treeAndReplayGiveTheSameResult() {
        StateProjection store = StateProjection.custom("store", o -> manager.store().asMap());
        for (Strategy s : List.of(Strategy.breadthFirst(), Strategy.depthFirst(), Strategy.random(42), Strategy.coverageGuided())) {
            ExplorationResult tree = shop(s).projection(store).build().run();
            ExplorationResult replay = shop(s).projection(store).stateManager(new StackOnly(manager)).build().run();

            assertThat(tree.restoreMode()).isEqualTo(RestoreMode.TREE);
            assertThat(tree.replayedMoves()).isZero();
            assertThat(replay.restoreMode()).isEqualTo(RestoreMode.REPLAY);
            assertThat(graph(tree)).as(s.toString()).isEqualTo(graph(replay));
            assertThat(tree.states()).as(s.toString()).isEqualTo(replay.states());
            assertThat(tree.violations()).extracting(Violation::invariant, Violation::moves, Violation::count)
                    .isEqualTo(replay.violations().stream().map(v -> tuple(v.invariant(), v.moves(), v.count())).toList());
            if (s.kind() == Strategy.Kind.BREADTH_FIRST) {
                assertThat(replay.replayedMoves()).as("breadth-first jumps across the tree").isPositive();
            }
        }
    }

    static List<String> graph(ExplorationResult r) {
        List<String> out = new ArrayList<>(edges(r));
        r.states().forEach(s -> out.add(s.id() + " " + s.fingerprint() + " " + s.path()));
        r.violations().forEach(v -> out.add(v.invariant() + " " + v.moves() + " " + v.count()));
        return out;
    }

    static List<String> edges(ExplorationResult r) {
        return r.transitions().stream().map(t -> t.step() + ":" + t.from() + "-" + t.move() + "->" + t.to() + " " + t.status()).toList();
    }

    @Test
    @DisplayName("limits are honoured exactly and the stop reason names the one that ended the run")
    void limits() {
        ExplorationResult steps = shop(Strategy.breadthFirst()).maxSteps(3).build().run();
        assertThat(steps.stopReason()).isEqualTo(StopReason.MAX_STEPS);
        assertThat(steps.steps()).isEqualTo(3);
        assertThat(steps.transitions()).hasSize(3);

        ExplorationResult states = shop(Strategy.breadthFirst()).maxStates(3).build().run();
        assertThat(states.stopReason()).isEqualTo(StopReason.MAX_STATES);
        assertThat(states.states()).hasSize(3);

        ExplorationResult depth = shop(Strategy.breadthFirst()).maxDepth(2).build().run();
        assertThat(depth.stopReason()).isEqualTo(StopReason.EXHAUSTED);
        assertThat(depth.states()).allSatisfy(s -> assertThat(s.depth()).isLessThanOrEqualTo(2));
        assertThat(depth.states()).filteredOn(s -> s.depth() == 2).allSatisfy(s -> assertThat(s.expanded()).isFalse());

        Move count = Move.builder("count").action((client, ctx) -> {
            Thread.sleep(20);
            ctx.set("n", (Integer) ctx.get("n", 0) + 1);
            return null;
        }).build();
        ExplorationResult budget = Exploration.builder().client(client).stateManager(manager).move(count)
                .projection(StateProjection.contextKeys("n")).maxDepth(1_000).budget(Duration.ofMillis(300)).build().run();
        assertThat(budget.stopReason()).as(budget.summary()).isEqualTo(StopReason.BUDGET);
        assertThat(budget.steps()).isPositive().isLessThan(1_000);
    }

    @Test
    @DisplayName("moves that never ran are reported with why: precondition never true, cap of 0, a limit")
    void neverRun() {
        Move ship = Move.builder("ship").action((client, ctx) -> client.post("/orders/1/ship")).requires("shipment_id").build();
        Move audit = Move.builder("audit").action((client, ctx) -> client.get("/orders/1")).maxRuns(0).build();
        ExplorationResult r = shop(Strategy.breadthFirst()).moves(ship, audit).maxDepth(3).build().run();
        assertThat(r.neverRun()).extracting(NeverRun::move).containsExactly("ship", "audit");
        assertThat(r.neverRun().get(0).reason()).isEqualTo(NeverRunReason.PRECONDITION_NEVER_TRUE);
        assertThat(r.neverRun().get(0).detail()).startsWith("requires shipment_id: false in ")
                .doesNotContain("did you mean"); // no key seen in the run is close to it

        Move typo = Move.builder("ship").action((client, ctx) -> client.post("/orders/1/ship")).requires("oder_id").build();
        assertThat(shop(Strategy.breadthFirst()).moves(typo).maxDepth(3).build().run().neverRun())
                .singleElement().satisfies(n -> assertThat(n.detail()).startsWith("requires oder_id: false in ")
                        .contains(" states (no state's context had 'oder_id'; did you mean 'order_id'?)"));
        assertThat(r.neverRun().get(1).reason()).isEqualTo(NeverRunReason.CAP_REACHED);
        assertThat(r.coverage().moveRuns()).containsEntry("ship", 0).containsEntry("audit", 0);

        ExplorationResult stopped = shop(Strategy.breadthFirst()).maxSteps(1).build().run();
        assertThat(stopped.neverRun()).extracting(NeverRun::move).containsExactly("pay", "refund", "cancel");
        assertThat(stopped.neverRun()).allSatisfy(n -> {
            assertThat(n.reason()).isEqualTo(NeverRunReason.LIMIT_REACHED);
            assertThat(n.detail()).contains("S1").contains("MAX_STEPS");
        });
    }

    @Test
    @DisplayName("an action that throws, hangs, gets garbage or a 500, and an invariant that throws: violations, never an abort")
    void misbehaviour() {
        Move throwing = Move.builder("throws").action((client, ctx) -> {
            throw new IllegalStateException("kaput");
        }).build();
        Move hanging = Move.builder("hangs").action((client, ctx) -> client.get("/slow")).timeout(Duration.ofMillis(200)).build();
        Move garbage = Move.builder("garbage").action((client, ctx) -> client.get("/garbage").json()).build();
        Move boom = Move.builder("boom").action((client, ctx) -> client.get("/boom")).build();
        Invariant npe = Invariant.of("broken check", Severity.LOW, o -> o.context().get("missing").equals("x"));
        ExplorationResult r = Exploration.builder().client(client).stateManager(manager)
                .moves(throwing, hanging, garbage, boom).invariant(npe).maxDepth(1).build().run();

        assertThat(r.stopReason()).isEqualTo(StopReason.EXHAUSTED);
        assertThat(r.steps()).as(ExplorationConsole.summary(r)).isEqualTo(4);
        assertThat(r.transitions()).extracting(Transition::outcome)
                .containsExactly(Outcome.ERROR, Outcome.TIMEOUT, Outcome.ERROR, Outcome.UNEXPECTED_STATUS);
        List<Violation> completes = r.violationsOf(Invariant.MOVE_COMPLETES);
        assertThat(completes).extracting(Violation::lastMove).containsExactly("throws", "hangs", "garbage");
        assertThat(completes.get(0).message()).contains("IllegalStateException: kaput");
        assertThat(completes.get(1).message()).contains("timeout of 200ms");
        assertThat(completes.get(2).message()).contains("is not JSON");
        assertThat(completes).allSatisfy(v -> {
            assertThat(v.shrunkLength()).isEqualTo(1);
            assertThat(v.reproduced()).isTrue();
        });
        Violation status = r.violationsOf(Invariant.EXPECTED_STATUS).get(0);
        assertThat(status.message()).contains("HTTP 500").contains("expected below 500");
        assertThat(status.path().get(0).status()).isEqualTo(500);
        Violation broken = r.violationsOf("broken check").get(0);
        assertThat(broken.message()).startsWith("invariant threw java.lang.NullPointerException");
        assertThat(broken.count()).isEqualTo(1);
        assertThat(r.violationsOf("broken check")).hasSize(4);
        assertThat(r.invariants()).extracting(InvariantSummary::name)
                .containsExactly(Invariant.MOVE_COMPLETES, Invariant.EXPECTED_STATUS, "broken check");
        assertThat(r.invariants().get(2).checks()).isEqualTo(4);
    }

    @Test
    @DisplayName("an invariant that only warns is reported as warned with its first problem in every report, never as held, and fails nothing")
    void warnedInvariant() throws Exception {
        Move create = Move.builder("create").action((client, ctx) -> client.post("/orders", java.util.Map.of())).expectStatus(201, 409).build();
        Move read = Move.builder("read").action((client, ctx) -> client.get("/orders/1")).expectStatus(200, 404).build();
        Invariant warns = Invariant.of("order readable", Severity.MEDIUM, o -> {
            if (o.lastResponse().map(x -> x.statusCode() == 404).orElse(false)) {
                throw new Invariant.Warned("GET /orders/1 answered 404");
            }
            return true;
        });
        ExplorationResult r = Exploration.builder().client(client).stateManager(manager).moves(create, read)
                .invariant(warns).maxDepth(2).build().run();

        assertThat(r.violations()).as(ExplorationConsole.summary(r)).isEmpty();
        assertThat(r.passed()).isTrue();
        InvariantSummary s = r.invariants().stream().filter(i -> i.name().equals("order readable")).findFirst().orElseThrow();
        assertThat(s.held()).isFalse();
        assertThat(s.didWarn()).isTrue();
        assertThat(s.didNotRun()).isFalse();
        assertThat(s.warned()).isEqualTo(1); // only 'read' from the start state answers 404
        assertThat(s.warning()).isEqualTo("GET /orders/1 answered 404");
        assertThat(s.warnedDetail()).isEqualTo("after 1 of " + s.checks() + " checks: GET /orders/1 answered 404");
        assertThat(ExplorationConsole.summary(r)).contains("  warned: order readable — after 1 of ");
        String html = ExplorationHtml.render(r);
        assertThat(html).contains("<tr class=\"warned\"><td>⚠ order readable").contains("No invariant failed; 1 invariant warned")
                .doesNotContain("Every invariant held");
        assertThat(ExplorationJUnitXml.render(r)).contains("<system-out>warned after 1 of ").doesNotContain("<failure");
        com.fasterxml.jackson.databind.JsonNode json = ExplorationJson.toTree(r);
        assertThat(json.path("passed").asBoolean()).isTrue();
        assertThat(json.path("invariants").findValues("warning")).extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                .contains("GET /orders/1 answered 404");
    }

    @Test
    @DisplayName("a SQL invariant on the memory backend fails saying there is no SQL, and preconditions see db().available() false")
    void sqlOnMemory() {
        ExplorationResult r = shop(Strategy.breadthFirst()).invariant(ShopMoves.sqlInvariant().severity(Severity.LOW))
                .maxDepth(1).build().run();
        assertThat(r.violations()).extracting(Violation::message)
                .anySatisfy(m -> assertThat(m).contains("invariant threw java.lang.UnsupportedOperationException: No SQL on the memory backend"));
    }

    @Test
    @DisplayName("exploring from a journey's checkpoint: the journey runs first, the minimal path starts after it")
    void startFromJourney() {
        Journey setup = Journey.builder("order")
                .step("create", (client, ctx) -> {
                    var resp = client.post("/orders");
                    ctx.set("order_id", resp.json().get("id").asInt());
                    return resp;
                })
                .checkpoint("order_created")
                .step("pay", (client, ctx) -> client.post("/orders/1/pay"))
                .build();
        ExplorationResult r = shop(Strategy.breadthFirst()).startFrom(setup, "order_created").build().run();
        Violation v = r.violationsOf(ShopMoves.REFUNDS_WITHIN_TOTAL).get(0);
        assertThat(v.moves()).hasSize(4).doesNotContain("create");
        assertThat(r.neverRun()).extracting(NeverRun::move).containsExactly("create");
        assertThat(r.attributes()).containsEntry(Exploration.START_JOURNEY_ATTRIBUTE, setup.name())
                .containsEntry(Exploration.START_CHECKPOINT_ATTRIBUTE, "order_created");
        assertThat(manager.store().asMap()).containsOnlyKeys("unrelated");

        ExplorationResult fromJourneySteps = Exploration.builder().client(client).stateManager(manager).movesFrom(setup)
                .maxDepth(2).build().run();
        assertThat(fromJourneySteps.coverage().moveRuns()).containsOnlyKeys("create", "pay");

        assertThatThrownBy(() -> shop(Strategy.breadthFirst()).startFrom(setup, "nope").build().run())
                .isInstanceOf(ExplorationException.class).hasMessageContaining("no checkpoint 'nope'")
                .hasMessageContaining("order_created");
        assertThat(manager.store().asMap()).containsOnlyKeys("unrelated");
    }

    @Test
    @DisplayName("an invariant checked before the first move, and a projection that sees one state, are reported")
    void beforeAndWarnings() {
        Invariant noOrders = Invariant.of("the unrelated key is absent", o -> !manager.store().containsKey("unrelated")).alsoBefore();
        ExplorationResult r = shop(Strategy.breadthFirst()).invariant(noOrders).projection(StateProjection.contextKeys("x"))
                .maxDepth(2).build().run();
        Violation before = r.violations().stream().filter(v -> v.lastMove().equals("(start)")).findFirst().orElseThrow();
        assertThat(before.path()).isEmpty();
        assertThat(r.states()).hasSize(1);
        assertThat(r.warnings()).extracting(Warning::message).anySatisfy(m -> assertThat(m).startsWith("only one state seen"));
    }

    @Test
    @DisplayName("the JSON result and the console summary carry the graph, the violation and its minimal path")
    void jsonAndConsole() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ExplorationResult r = shop(Strategy.breadthFirst())
                .listener(new ExplorationConsole(new java.io.PrintStream(out, true, "UTF-8"), Duration.ZERO)).build().run();
        var json = ExplorationJson.toTree(r);
        assertThat(json.get("passed").asBoolean()).isFalse();
        assertThat(json.get("states")).hasSize(r.states().size());
        assertThat(json.get("transitions")).hasSize(r.transitions().size());
        assertThat(json.at("/violations/0/shrunkLength").asInt()).isEqualTo(ShopMoves.MINIMAL_LENGTH);
        assertThat(json.at("/violations/0/path/0/exchanges/0/method").asText()).isEqualTo("POST");
        assertThat(json.at("/coverage/moveRuns/pay").asInt()).isPositive();
        assertThat(json.get("duration").isNumber()).isTrue();
        String console = out.toString("UTF-8");
        assertThat(console).contains("Exploring 'shop' (bfs").contains(" steps/s, ")
                .contains("VIOLATION CRITICAL " + ShopMoves.REFUNDS_WITHIN_TOTAL).contains("path: 5 moves").contains("FAILED");
    }

    @Test
    @DisplayName("Strategy.parse knows the CLI names and lists them for a wrong one")
    void parse() {
        assertThat(Strategy.parse("BFS")).isEqualTo(Strategy.breadthFirst());
        assertThat(Strategy.parse("random", 5L)).isEqualTo(Strategy.random(5));
        assertThatThrownBy(() -> Strategy.parse("astar")).hasMessage(
                "Unknown exploration strategy 'astar'. Valid strategies: bfs, dfs, random, coverage.");
    }

    @Test
    @DisplayName("a set in the store is one state whatever order it was filled in: a restore makes it a LinkedHashSet in insertion order")
    @SuppressWarnings("unchecked")
    void aSetInTheStoreIsOneStateWhateverOrderItWasFilledIn() throws Exception {
        manager.store().put("tags", new java.util.HashSet<String>());
        StateProjection p = StateProjection.memoryStore();
        Observation o = TableContentsProjectionTest.observing(manager);
        manager.checkpoint("no tags");
        ((java.util.Set<String>) manager.store().get("tags")).addAll(List.of("x", "y")); // the application's HashSet
        String filled = io.venomqa.explore.internal.Canonical.text(p.capture(o));
        manager.rollback("no tags"); // the store now holds a copy of the empty set, which keeps insertion order
        java.util.Set<String> tags = (java.util.Set<String>) manager.store().get("tags");
        tags.add("y");
        tags.add("x");
        assertThat(io.venomqa.explore.internal.Canonical.text(p.capture(o))).as("the same tags, added the other way round")
                .isEqualTo(filled);
    }
}
