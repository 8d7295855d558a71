package io.venomqa.explore;

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
