package io.venomqa.explore;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SqlExplorationTests} with the journal strategy: the shop writes through connections of its
 * own, committed, as an application in another process would, and the explorer returns to states
 * through the journal's checkpoint tree. Breadth-first by default: the strategy that jumps most
 * across the tree (every strategy runs with the savepoint strategy).
 */
abstract class JournalExplorationTests extends SqlExplorationTests {

    @Override
    List<Strategy> strategies() {
        return List.of(Strategy.breadthFirst());
    }

    @Override
    String checkpointStrategy() {
        return "journal";
    }

    @Override
    DataSource appDataSource() {
        return db.ownDataSource();
    }

    @Test
    @DisplayName("the explorer returns to states through the journal's checkpoint tree, replaying no move")
    void restoresThroughTheTree() {
        ExplorationResult r = shop(Strategy.breadthFirst()).build().run();
        assertThat(r.restoreMode()).isEqualTo(RestoreMode.TREE);
        assertThat(r.replayedMoves()).isZero();
        assertThat(r.violationsOf(ShopMoves.REFUNDS_WITHIN_TOTAL)).hasSize(1);
    }
}
