package io.venomqa.explore;

/** {@link JournalContentsDigestTests} on PostgreSQL (a database of its own: the journal's shared schema is the test's). */
class PostgresJournalContentsDigestTest extends JournalContentsDigestTests {
    @Override
    TestDb newDb() {
        return TestDb.postgresOwnDatabase();
    }
}
