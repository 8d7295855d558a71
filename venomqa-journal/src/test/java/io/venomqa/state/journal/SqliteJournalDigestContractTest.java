package io.venomqa.state.journal;

import java.util.List;

/**
 * The contents digest's contract with {@code checkpoint_strategy: journal} on SQLite (computed by the
 * journal from its entries; SQLite gives undone entries' ids again, which the walk's writes right after
 * a return exercise). The application's connection enforces foreign keys, so the cascade happens.
 */
class SqliteJournalDigestContractTest extends JournalDigestContractTests {

    @Override
    JournalDb newDb() {
        return new SqliteDb();
    }

    @Override
    protected List<String> createTables() {
        return List.of("create table parent (id integer primary key, name text)",
                "create table child (id integer primary key, parent_id integer references parent(id) on delete cascade, "
                        + "doc text, ratio real, bin blob, note text)",
                "create table bag (v text, n integer)");
    }

    @Override
    protected String deleteOneBagRow() {
        return "delete from bag where rowid = (select min(rowid) from bag)";
    }

    @Override
    protected String updateOneBagRow(int n) {
        return "update bag set n = " + n + " where rowid = (select max(rowid) from bag)";
    }

    @Override
    protected String insertIgnoring(String table, String values) {
        return "insert or ignore into " + table + " values (" + values + ")";
    }

    @Override
    protected String repeat(char c, int n) {
        return "replace(hex(zeroblob(" + n + ")), '00', '" + c + "')";
    }

    @Override
    protected String truncateBag() {
        return null; // SQLite has no TRUNCATE; DELETE without WHERE is an ordinary journaled delete
    }
}
