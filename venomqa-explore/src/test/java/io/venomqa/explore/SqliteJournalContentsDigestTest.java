package io.venomqa.explore;

import java.sql.Connection;
import java.sql.Statement;

/** {@link JournalContentsDigestTests} on SQLite, where the journal computes the digest from its entries' images. */
class SqliteJournalContentsDigestTest extends JournalContentsDigestTests {
    @Override
    TestDb newDb() {
        return TestDb.sqlite();
    }

    @Override
    String[] schema() {
        return new String[] {"create table parent (id integer primary key, name text)",
                "create table child (id integer primary key, parent_id integer references parent(id) on delete cascade, "
                        + "doc text, ratio real, bin blob, note text)",
                "create table bag (v text, n integer)"};
    }

    @Override
    String deleteOneBagRow() {
        return "delete from bag where rowid = (select min(rowid) from bag)";
    }

    @Override
    String updateOneBagRow(int n) {
        return "update bag set n = " + n + " where rowid = (select max(rowid) from bag)";
    }

    @Override
    String insertIgnoring(String table, String values) {
        return "insert or ignore into " + table + " values (" + values + ")";
    }

    /** With foreign keys enforced, as an application that declares cascades runs SQLite. */
    @Override
    Connection appConnection() throws Exception {
        Connection c = db.connect();
        try (Statement st = c.createStatement()) {
            st.execute("pragma foreign_keys = on");
        }
        return c;
    }

    @Override
    String repeat(char c, int n) {
        return "replace(hex(zeroblob(" + n + ")), '00', '" + c + "')";
    }
}
