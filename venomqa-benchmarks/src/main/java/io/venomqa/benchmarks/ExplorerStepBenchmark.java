package io.venomqa.benchmarks;

import io.venomqa.context.ExecutionContext;
import io.venomqa.examples.CheckoutJourney;
import io.venomqa.examples.ShopExploration;
import io.venomqa.examples.shop.ShopApp;
import io.venomqa.examples.shop.ShopProcess;
import io.venomqa.explore.Exploration;
import io.venomqa.explore.ExplorationResult;
import io.venomqa.explore.Move;
import io.venomqa.explore.RestoreMode;
import io.venomqa.explore.StopReason;
import io.venomqa.explore.Transition;
import io.venomqa.http.Client;
import io.venomqa.http.Response;
import io.venomqa.journey.Checkpoint;
import io.venomqa.journey.JourneyNode;
import io.venomqa.journey.Step;
import io.venomqa.state.jdbc.JdbcStateManager;
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

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Row 10: one exploration step of the example shop ({@link ShopExploration}: breadth-first from the
 * checkout journey's {@code cart_ready}, shrinking off) with the shop as a separate process on
 * PostgreSQL and the {@code journal} strategy — restore, move, projection (table contents),
 * checkpoint and both SQL invariants per step — against the same HTTP calls made by hand in a loop:
 * the start journey's calls, then every move the exploration made, in its order, through the same
 * kind of {@link Client}, on a shop of its own without journal triggers. Both sides are divided by
 * the exploration's {@value #STEPS} steps.
 *
 * <p>The baseline's calls do not answer exactly as during the exploration (nothing is put back
 * between them: a second order finds an empty cart and gets 409); its tables are emptied after each
 * call, outside the timing. The start journey (5 calls) is part of both sides.
 *
 * <p>{@code archiveRows}: a table of that many rows beside the shop's, which no call touches (an
 * application's history or audit table): what an exploration step pays for data it does not change.
 * From 500 rows in all the table-contents projection reads the journal's digest of what changed
 * since the start instead of the tables (below, it reads them), so a step should cost about the same
 * at 0 and at 100 000 rows; reading or fingerprinting the large table after every move would not.
 */
@Compares(row = 11, what = "exploration step, example shop in another process, PostgreSQL journal",
        baseline = "the same HTTP calls made by hand in a loop", maxRatio = 1.5)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ExplorerStepBenchmark {

    /** Steps of one exploration: the limit it stops at (checked at setup). */
    static final int STEPS = 60;

    /** Rows of the untouched {@code archive} table. */
    @Param({"0", "100000"})
    public int archiveRows;

    private Db db;
    private ShopProcess shop;
    private JdbcStateManager manager;
    private List<Move> startSteps;
    private List<Move> recorded;

    @Setup(Level.Trial)
    public void setUp() throws SQLException, IOException {
        db = Db.create(Db.PG);
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            ShopApp.createSchema(c);
            st.execute("create table archive (id bigint primary key, note text not null)");
            st.execute("insert into archive select g, 'archived entry ' || g from generate_series(1, " + archiveRows + ") g");
        }
        shop = ShopProcess.start("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + db.name, "postgres");
        startSteps = new ArrayList<>();
        for (JourneyNode n : CheckoutJourney.build().nodes()) {
            if (n instanceof Checkpoint c && c.name().equals(ShopExploration.START)) {
                break;
            }
            if (n instanceof Step s) {
                startSteps.add(Move.of(s));
            }
        }
    }

    private Exploration exploration() {
        return ShopExploration.builder().client(client()).stateManager(manager).shrink(false).maxSteps(STEPS).maxDepth(8)
                .build();
    }

    private Client client() {
        return Client.builder(shop.baseUrl()).timeout(Duration.ofSeconds(10)).build();
    }

    /**
     * The explorer's side connects its journal on its first call (a warm-up call in JMH and in the
     * paired mode): the baseline's shop must run without the journal's triggers, and the two sides
     * are told apart only by which method runs.
     */
    private void connectJournal() {
        manager = db.manager(db.config().option("checkpoint_strategy", "journal").build());
        manager.connect();
        ExplorationResult r = exploration().run();
        if (r.stopReason() != StopReason.MAX_STEPS || r.steps() != STEPS || r.restoreMode() != RestoreMode.TREE
                || r.replayedMoves() != 0) {
            throw new IllegalStateException("The benchmark expects " + STEPS + " steps in TREE mode: " + r.summary()
                    + ", restore " + r.restoreMode());
        }
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public ExplorationResult venomqa() {
        if (manager == null) {
            connectJournal();
        }
        return exploration().run();
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public int baseline() throws Exception {
        if (recorded == null) {
            recorded = recordMoves();
        }
        Client client = client();
        ExecutionContext ctx = new ExecutionContext();
        int statuses = 0;
        for (Move m : startSteps) {
            statuses += ((Response) m.execute(client, ctx)).statusCode();
        }
        for (Move m : recorded) {
            statuses += ((Response) m.execute(client, ctx)).statusCode();
        }
        return statuses;
    }

    /** The moves of one exploration, in the order it made them (run on a scratch copy of the schema). */
    private List<Move> recordMoves() throws SQLException, IOException {
        Db scratch = Db.create(Db.PG);
        try (Connection c = scratch.open()) {
            ShopApp.createSchema(c);
        }
        try (ShopProcess other = ShopProcess.start("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + scratch.name,
                "postgres");
             JdbcStateManager m = scratch.manager(scratch.config().option("checkpoint_strategy", "journal").build())) {
            ExplorationResult r = ShopExploration.builder().client(Client.builder(other.baseUrl()).build()).stateManager(m)
                    .shrink(false).maxSteps(STEPS).maxDepth(8).build().run();
            Map<String, Move> byName = ShopExploration.MOVES.stream().collect(Collectors.toMap(Move::name, Function.identity()));
            return r.transitions().stream().map(Transition::move).map(byName::get).toList();
        } finally {
            scratch.close();
        }
    }

    @TearDown(Level.Invocation)
    public void emptyBaselineTables() throws SQLException {
        if (manager == null && recorded != null) {
            try (Connection c = db.open(); Statement st = c.createStatement()) {
                st.execute("truncate payments, order_items, orders, cart_items, sessions, users restart identity");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (manager != null) {
                manager.disconnect();
            }
        } finally {
            if (shop != null) {
                shop.close();
            }
            db.close();
        }
    }
}
