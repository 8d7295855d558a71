package io.venomqa.explore;

/** {@link SqlExplorationTests} on Postgres with the savepoint strategy and the shared DataSource. */
class PostgresExplorationTest extends SqlExplorationTests {
    @Override
    TestDb newDb() {
        return TestDb.postgres();
    }
}
