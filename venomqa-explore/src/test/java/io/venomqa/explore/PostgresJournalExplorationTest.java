package io.venomqa.explore;

import javax.sql.DataSource;
import java.util.List;

/**
 * {@link SqlExplorationTests} on PostgreSQL with the journal strategy: the shop writes through
 * connections of its own, committed, as an application in another process would.
 */
class PostgresJournalExplorationTest extends SqlExplorationTests {
    @Override
    TestDb newDb() {
        return TestDb.postgresOwnDatabase();
    }

    /** Breadth-first (the strategy that jumps most across the tree) and one seeded walk: the journal is slow. */
    @Override
    List<Strategy> strategies() {
        return List.of(Strategy.breadthFirst(), Strategy.random(3));
    }

    @Override
    String checkpointStrategy() {
        return "journal";
    }

    @Override
    DataSource appDataSource() {
        return db.ownDataSource();
    }
}
