package io.venomqa.state.journal;

import io.venomqa.testkit.ContractFixture;
import io.venomqa.testkit.StateManagerContract;

/**
 * The test kit with {@code checkpoint_strategy: journal} on MariaDB/MySQL, VenomQA's user holding
 * only the journal's privileges on its database, the data written by an application user with DML
 * on the table only.
 */
class MySqlJournalLeastPrivilegeContractTest extends StateManagerContract {

    @Override
    protected ContractFixture createFixture() {
        return new JournalContractFixture(new MyUsersDb(), "create table kv (k varchar(100) primary key, v text not null)",
                "insert into kv values (?, ?) on duplicate key update v = values(v)",
                "select k, v from kv order by k collate utf8mb4_bin", false);
    }
}
