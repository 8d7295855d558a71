package io.venomqa.explore;

/** {@link SqlExplorationTests} on Sqlite with the savepoint strategy and the shared DataSource. */
class SqliteExplorationTest extends SqlExplorationTests {
    @Override
    TestDb newDb() {
        return TestDb.sqlite();
    }
}
