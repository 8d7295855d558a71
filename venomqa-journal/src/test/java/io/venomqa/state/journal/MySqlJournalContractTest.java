package io.venomqa.state.journal;

import io.venomqa.testkit.ContractFixture;
import io.venomqa.testkit.StateManagerContract;

/** The test kit with {@code checkpoint_strategy: journal} on MariaDB/MySQL; the data is written by a separate auto-commit connection. */
class MySqlJournalContractTest extends StateManagerContract {

    @Override
    protected ContractFixture createFixture() {
        return new JournalContractFixture(new MyDb(), "create table kv (k varchar(100) primary key, v text not null)",
                "insert into kv values (?, ?) on duplicate key update v = values(v)",
                "select k, v from kv order by k collate utf8mb4_bin", false);
    }
}
