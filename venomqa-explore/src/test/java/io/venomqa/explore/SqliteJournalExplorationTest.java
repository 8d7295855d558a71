package io.venomqa.explore;

/** {@link JournalExplorationTests} on Sqlite. */
class SqliteJournalExplorationTest extends JournalExplorationTests {
    @Override
    TestDb newDb() {
        return TestDb.sqlite();
    }
}
