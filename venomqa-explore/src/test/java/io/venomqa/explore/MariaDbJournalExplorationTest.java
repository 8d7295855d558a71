package io.venomqa.explore;

/** {@link JournalExplorationTests} on MariaDb. */
class MariaDbJournalExplorationTest extends JournalExplorationTests {
    @Override
    TestDb newDb() {
        return TestDb.mariadb();
    }
}
