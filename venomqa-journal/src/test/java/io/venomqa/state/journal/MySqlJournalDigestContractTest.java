package io.venomqa.state.journal;

import java.util.List;

/**
 * The contents digest's contract with {@code checkpoint_strategy: journal} on MariaDB/MySQL, computed
 * by the journal from its entries: binary values are kept in the journal's side table by row triggers
 * and inline in the images a cascade journals, and must hash alike; an InnoDB {@code TRUNCATE}, which no
 * trigger sees, voids the digest.
 */
class MySqlJournalDigestContractTest extends JournalDigestContractTests {

    @Override
    JournalDb newDb() {
        return new MyDb();
    }

    @Override
    protected List<String> createTables() {
        return List.of("create table parent (id int primary key, name varchar(20)) engine=InnoDB",
                "create table child (id int primary key, parent_id int, doc json, ratio double, bin longblob, note text, "
                        + "foreign key (parent_id) references parent(id) on delete cascade) engine=InnoDB",
                "create table bag (v varchar(10), n int) engine=InnoDB");
    }

    @Override
    protected String deleteOneBagRow() {
        return "delete from bag limit 1";
    }

    @Override
    protected String updateOneBagRow(int n) {
        return "update bag set n = " + n + " limit 1";
    }

    @Override
    protected String insertIgnoring(String table, String values) {
        return "insert ignore into " + table + " values (" + values + ")";
    }
}
