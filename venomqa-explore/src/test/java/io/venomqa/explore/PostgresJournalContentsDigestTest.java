package io.venomqa.explore;

/** {@link JournalContentsDigestTests} on PostgreSQL (a database of its own: the journal's shared schema is the test's). */
class PostgresJournalContentsDigestTest extends JournalContentsDigestTests {
    @Override
    TestDb newDb() {
        return TestDb.postgresOwnDatabase();
    }

    @Override
    String[] schema() {
        return new String[] {"create table parent (id int primary key, name text)",
                "create table child (id int primary key, parent_id int references parent(id) on delete cascade, "
                        + "doc jsonb, ratio float8, bin bytea, note text)",
                "create table bag (v text, n int)"};
    }

    @Override
    String deleteOneBagRow() {
        return "delete from bag where ctid = (select min(ctid) from bag)";
    }

    @Override
    String updateOneBagRow(int n) {
        return "update bag set n = " + n + " where ctid = (select max(ctid) from bag)";
    }

    @Override
    String insertIgnoring(String table, String values) {
        return "insert into " + table + " values (" + values + ") on conflict do nothing";
    }

    @Override
    String binary(String hex) {
        return "'\\x" + hex + "'::bytea";
    }

    @Override
    boolean truncateJournaled() {
        return true;
    }
}
