package io.venomqa.explore;

/** {@link SqlExplorationTests} on H2 with the savepoint strategy and the shared DataSource. */
class H2ExplorationTest extends SqlExplorationTests {
    @Override
    TestDb newDb() {
        return TestDb.h2();
    }
}
