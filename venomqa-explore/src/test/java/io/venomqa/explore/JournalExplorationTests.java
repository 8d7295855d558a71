package io.venomqa.explore;

import io.venomqa.explore.internal.TableContents;
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

    @Test
    @DisplayName("the table-contents projection by the journal's digest finds the graph that reading the tables finds")
    void digestFindsTheGraphOfATableRead() {
        StateProjection tables = StateProjection.custom("tables read", o -> TableContents.readingTables().capture(o));
        for (Strategy s : strategies()) {
            // The shop's tables are small: the default projection would read them, so the digest is asked for.
            TableContents digest = TableContents.digestAlways();
            ExplorationResult byDigest = shop(s).projection(StateProjection.custom("by digest", digest::capture)).build().run();
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
}
