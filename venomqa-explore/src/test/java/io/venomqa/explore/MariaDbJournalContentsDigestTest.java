package io.venomqa.explore;

/** {@link JournalContentsDigestTests} on MariaDB, where the journal computes the digest from its entries' images. */
class MariaDbJournalContentsDigestTest extends JournalContentsDigestTests {
    @Override
    TestDb newDb() {
        return TestDb.mariadb();
    }
}
