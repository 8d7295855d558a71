package io.venomqa.explore;

/** {@link JournalContentsDigestTests} on SQLite, where the journal computes the digest from its entries' images. */
class SqliteJournalContentsDigestTest extends JournalContentsDigestTests {
    @Override
    TestDb newDb() {
        return TestDb.sqlite();
    }
}
