package io.venomqa.explore;

/**
 * {@link JournalContentsDigestTests} on MariaDB, where the journal computes the digest from its
 * entries' images: binary values are kept in the journal's side table by row triggers and inline by
 * the rows a cascade journals, and must hash alike.
 */
class MariaDbJournalContentsDigestTest extends JournalContentsDigestTests {
    @Override
    TestDb newDb() {
        return TestDb.mariadb();
    }

    @Override
    String[] schema() {
        return new String[] {"create table parent (id int primary key, name varchar(20)) engine=InnoDB",
                "create table child (id int primary key, parent_id int, doc json, ratio double, bin longblob, note text, "
                        + "foreign key (parent_id) references parent(id) on delete cascade) engine=InnoDB",
                "create table bag (v varchar(10), n int) engine=InnoDB"};
    }

    @Override
    String deleteOneBagRow() {
        return "delete from bag limit 1";
    }

    @Override
    String updateOneBagRow(int n) {
        return "update bag set n = " + n + " limit 1";
    }

    @Override
    String insertIgnoring(String table, String values) {
        return "insert ignore into " + table + " values (" + values + ")";
    }
}
