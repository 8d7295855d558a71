package io.venomqa.explore;

import io.venomqa.http.Client;
import io.venomqa.state.SqlReader;
import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.mysql.MySQLStateManager;
import io.venomqa.state.postgres.PostgreSQLStateManager;
import io.venomqa.state.sqlite.SQLiteStateManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQL invariants checked before any other are read together with the state's projection (one
 * guarded read per move instead of one per invariant, benchmark row 11), and that changes nothing
 * an exploration finds: the same states, transitions and violations as when each invariant reads on
 * its own, an invariant whose SQL fails still reported with its own error, and an invariant that
 * follows one of the user's own checks (which may call the API) still reading the state as it is then.
 * Reads on their own are counted at the manager's {@link SqlReader}, the path every
 * {@code db().query} took before.
 */
class SqlInvariantBatchingTest {

    private static final String ORDERS_COUNTED = "select count(*) >= 0 from orders";
    private static final String BROKEN = "select no_such_column from orders";

    /** Reads made through the manager's {@link SqlReader}, by query. */
    private final Map<String, AtomicInteger> readsAlone = new ConcurrentHashMap<>();

    private int alone(String query) {
        AtomicInteger n = readsAlone.get(query);
        return n == null ? 0 : n.get();
    }

    private JdbcStateManager counting(String backend, StateConfig config) {
        Function<Optional<SqlReader>, Optional<SqlReader>> count = reader -> reader.map(r -> (sql, params) -> {
            readsAlone.computeIfAbsent(sql, k -> new AtomicInteger()).incrementAndGet();
            return r.query(sql, params);
        });
        return switch (backend) {
            case "sqlite" -> new SQLiteStateManager(config) {
                @Override
                public Optional<SqlReader> sqlReader() {
                    return count.apply(super.sqlReader());
                }
            };
            case "postgresql" -> new PostgreSQLStateManager(config) {
                @Override
                public Optional<SqlReader> sqlReader() {
                    return count.apply(super.sqlReader());
                }
            };
            default -> new MySQLStateManager(config) {
                @Override
                public Optional<SqlReader> sqlReader() {
                    return count.apply(super.sqlReader());
                }
            };
        };
    }

    private static TestDb db(String backend) {
        return switch (backend) {
            case "sqlite" -> TestDb.sqlite();
            case "postgresql" -> TestDb.postgres();
            default -> TestDb.mariadb();
        };
    }

    /** A breadth-first run of the shop (shrinking off, so that only the exploration's own checks read). */
    private static ExplorationResult explore(JdbcStateManager m, Client client, StateProjection projection,
            List<Invariant> invariants) {
        return Exploration.builder().name("shop").client(client).stateManager(m).moves(ShopMoves.moves())
                .invariants(invariants).projection(projection).strategy(Strategy.breadthFirst()).maxDepth(5).shrink(false)
                .build().run();
    }

    /** What a run found, without timings: each transition with the invariants it violated. */
    private static List<String> graph(ExplorationResult r) {
        return r.transitions().stream().map(t -> t.from() + " -" + t.move() + "-> " + t.to() + " " + t.status() + " "
                + t.outcome() + " " + t.violations()).toList();
    }

    /** What a test does with the shop: its counting manager (connected) and a client of the shop, which writes through it. */
    @FunctionalInterface
    private interface ShopWork {
        void run(JdbcStateManager m, Client client) throws Exception;
    }

    /** Runs {@code work} on the shop in a database of its own for {@code backend}, then disconnects and drops it. */
    private void onShop(String backend, ShopWork work) throws Exception {
        try (TestDb db = db(backend)) {
            db.exec(ShopApi.DDL);
            JdbcStateManager m = counting(backend, db.config().build());
            m.connect();
            try (ShopApi api = new ShopApi(ShopApi.sql(m.sharedDataSource()))) {
                work.run(m, new Client(api.baseUrl()));
            } finally {
                m.disconnect();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql", "mariadb"})
    void sqlInvariantsReadWithTheProjectionFindWhatTheyFindAlone(String backend) throws Exception {
        onShop(backend, (m, client) -> {
            Invariant refunds = ShopMoves.sqlInvariant();
            Invariant counted = Invariant.sql("orders counted", ORDERS_COUNTED);
            Invariant first = Invariant.of("a check of the user's own", o -> true);

            // Together: both SQL invariants come first, so neither reads on its own.
            ExplorationResult together = explore(m, client, StateProjection.tableContents(), List.of(refunds, counted));
            assertThat(together.violationsOf(ShopMoves.REFUNDS_WITHIN_TOTAL)).as(together.summary()).hasSize(1);
            assertThat(together.steps()).isGreaterThan(5);
            assertThat(alone(refunds.sqlQuery()) + alone(ORDERS_COUNTED)).as("reads on their own").isZero();

            // Alone: behind one of the user's own checks, each SQL invariant reads on its own, every step.
            ExplorationResult apart = explore(m, client, StateProjection.tableContents(), List.of(first, refunds, counted));
            assertThat(alone(refunds.sqlQuery())).isEqualTo(apart.steps());
            assertThat(alone(ORDERS_COUNTED)).isEqualTo(apart.steps());
            assertThat(graph(together)).isEqualTo(graph(apart));
            assertThat(together.violations()).extracting(Violation::invariant, Violation::message, Violation::lastMove)
                    .isEqualTo(apart.violations().stream().map(v -> org.assertj.core.groups.Tuple.tuple(v.invariant(),
                            v.message(), v.lastMove())).toList());

            // Another projection: the expected queries are read together when the first is asked.
            readsAlone.clear();
            ExplorationResult keys = explore(m, client, StateProjection.rowCounts(), List.of(refunds, counted));
            assertThat(keys.violationsOf(ShopMoves.REFUNDS_WITHIN_TOTAL)).as(keys.summary()).hasSize(1);
            assertThat(alone(refunds.sqlQuery()) + alone(ORDERS_COUNTED)).as("reads on their own").isZero();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void anInvariantWhoseSqlFailsIsReportedWithItsOwnErrorAndTheOthersStillHold(String backend) throws Exception {
        onShop(backend, (m, client) -> {
            Invariant broken = Invariant.sql("broken", BROKEN);
            Invariant refunds = ShopMoves.sqlInvariant();
            ExplorationResult r = explore(m, client, StateProjection.tableContents(), List.of(broken, refunds));
            List<Violation> brokenFound = r.violationsOf("broken");
            assertThat(brokenFound.stream().mapToInt(Violation::count).sum()).as(r.summary()).isEqualTo(r.steps());
            assertThat(brokenFound).allSatisfy(v ->
                    assertThat(v.message()).contains("invariant threw").containsIgnoringCase("no_such_column"));
            // The refund rule is still checked, and fails only where the planted bug is.
            assertThat(r.violationsOf(ShopMoves.REFUNDS_WITHIN_TOTAL)).as(r.summary()).hasSize(1);
            assertThat(r.violationsOf(ShopMoves.REFUNDS_WITHIN_TOTAL).get(0).message()).contains("SQL check returned");
            // After the first read together failed, each reads on its own: the failure is its own query's. The one
            // more read is the start state's check that each query runs, which found this one broken and says so.
            assertThat(alone(BROKEN)).isEqualTo(r.steps() + 1);
            assertThat(r.warnings()).anySatisfy(w -> assertThat(w.toString())
                    .contains("the query of invariant 'broken' fails in the start state")
                    .containsIgnoringCase("no_such_column")
                    .contains("its violations say nothing about the API — fix the query: " + BROKEN));
            assertThat(r.warnings()).noneSatisfy(w -> assertThat(w.toString()).contains(ShopMoves.REFUNDS_WITHIN_TOTAL));
        });
    }
}
