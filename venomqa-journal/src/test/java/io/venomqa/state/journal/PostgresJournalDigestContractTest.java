package io.venomqa.state.journal;

import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

/**
 * The contents digest's contract with {@code checkpoint_strategy: journal} on PostgreSQL (one query per
 * read; a database of its own, the class's as new for each test ({@link OwnPgDatabase}), so the journal's
 * shared schema is the test's alone).
 */
class PostgresJournalDigestContractTest extends JournalDigestContractTests {

    @RegisterExtension
    static final OwnPgDatabase DATABASE = new OwnPgDatabase();

    @Override
    JournalDb newDb() {
        return new PgDb(DATABASE);
    }

    @Override
    protected List<String> createTables() {
        return List.of("create table parent (id int primary key, name text)",
                "create table child (id int primary key, parent_id int references parent(id) on delete cascade, "
                        + "doc jsonb, ratio float8, bin bytea, note text)",
                "create table bag (v text, n int)");
    }

    @Override
    protected String deleteOneBagRow() {
        return "delete from bag where ctid = (select min(ctid) from bag)";
    }

    @Override
    protected String updateOneBagRow(int n) {
        return "update bag set n = " + n + " where ctid = (select max(ctid) from bag)";
    }

    @Override
    protected String insertIgnoring(String table, String values) {
        return "insert into " + table + " values (" + values + ") on conflict do nothing";
    }

    @Override
    protected String binary(String hex) {
        return "'\\x" + hex + "'::bytea";
    }

    /** PostgreSQL's statement triggers see a TRUNCATE; the journal records the rows it removed. */
    @Override
    protected boolean digestSeesTruncate() {
        return true;
    }
}
