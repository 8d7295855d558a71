package io.venomqa.explore;

import io.venomqa.explore.internal.TableContents;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link JournalExplorationTests} on PostgreSQL, with a seeded random walk besides breadth-first. */
class PostgresJournalExplorationTest extends JournalExplorationTests {
    @Override
    TestDb newDb() {
        return TestDb.postgresOwnDatabase();
    }

    @Override
    List<Strategy> strategies() {
        return List.of(Strategy.breadthFirst(), Strategy.random(3));
    }

    @Test
    @DisplayName("the default projection reads the journal's digest and finds the graph that reading the tables finds")
    void digestFindsTheGraphOfATableRead() {
        StateProjection tables = StateProjection.custom("tables read", o -> TableContents.readingTables().capture(o));
        for (Strategy s : strategies()) {
            ExplorationResult byDigest = shop(s).build().run();
            ExplorationResult byTables = shop(s).projection(tables).build().run();
            assertThat(byDigest.states()).hasSizeGreaterThan(5)
                    .allSatisfy(st -> assertThat(st.summary()).startsWith("{changed since the start="));
            assertThat(byTables.states()).allSatisfy(st -> assertThat(st.summary()).contains("orders="));
            assertThat(MemoryExplorationTest.edges(byDigest)).as(s.toString()).isEqualTo(MemoryExplorationTest.edges(byTables));
            assertThat(byDigest.states().stream().map(StateNode::path).toList())
                    .isEqualTo(byTables.states().stream().map(StateNode::path).toList());
            assertThat(byDigest.violations().stream().map(v -> v.invariant() + " " + v.moves()).toList())
                    .isEqualTo(byTables.violations().stream().map(v -> v.invariant() + " " + v.moves()).toList());
        }
    }

    @Test
    @DisplayName("the journal restores states by its checkpoint tree (TREE, nothing replayed), with the graph and violations of REPLAY mode")
    void treeAndReplayGiveTheSameResult() {
        // Projection and invariant read committed rows (on the shop's pool) and the API, so the manager without its tree
        // (which is no JdbcStateManager) sees exactly what the manager with it sees.
        StateProjection committed = StateProjection.custom("committed rows", o -> List.of(
                TestDb.rows(app::getConnection, "select id, status, total from orders order by id"),
                TestDb.rows(app::getConnection, "select id, order_id, amount from payments order by id"),
                TestDb.rows(app::getConnection, "select id, order_id, amount from refunds order by id")));
        Exploration.Builder shop = Exploration.builder().name("shop").client(client).moves(ShopMoves.moves())
                .invariant(ShopMoves.apiInvariant()).projection(committed).strategy(Strategy.breadthFirst()).maxDepth(5);

        ExplorationResult tree = shop.stateManager(manager).build().run();
        ExplorationResult replay = shop.stateManager(new StackOnly(manager)).build().run();

        assertThat(tree.restoreMode()).isEqualTo(RestoreMode.TREE);
        assertThat(tree.replayedMoves()).isZero();
        assertThat(replay.restoreMode()).isEqualTo(RestoreMode.REPLAY);
        assertThat(replay.replayedMoves()).isPositive();
        assertThat(MemoryExplorationTest.graph(tree)).isEqualTo(MemoryExplorationTest.graph(replay));
        assertThat(tree.states()).isEqualTo(replay.states());
        assertThat(tree.violationsOf(ShopMoves.REFUNDS_WITHIN_TOTAL)).singleElement()
                .satisfies(v -> assertThat(v.shrunkLength()).isEqualTo(ShopMoves.MINIMAL_LENGTH));
        assertThat(tree.warnings()).isEqualTo(replay.warnings()).isEmpty();
    }
}
