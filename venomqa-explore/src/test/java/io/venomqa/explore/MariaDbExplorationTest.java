package io.venomqa.explore;

/** {@link SqlExplorationTests} on MariaDb with the savepoint strategy and the shared DataSource. */
class MariaDbExplorationTest extends SqlExplorationTests {
    @Override
    TestDb newDb() {
        return TestDb.mariadb();
    }
}
