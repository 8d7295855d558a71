package io.venomqa.state.journal;

import io.venomqa.testkit.CheckpointTreeContract;
import io.venomqa.testkit.ContractFixture;

/**
 * The tree contract (restore any held checkpoint: undo to the common ancestor, redo down) with
 * {@code checkpoint_strategy: journal} on MariaDB/MySQL; the data is written by a separate auto-commit connection, as an
 * application in another process would.
 */
class MySqlJournalTreeContractTest extends CheckpointTreeContract {

    @Override
    protected ContractFixture createFixture() {
        return new JournalContractFixture(new MyDb(), "create table kv (k varchar(100) primary key, v text not null)",
                "insert into kv values (?, ?) on duplicate key update v = values(v)",
                "select k, v from kv order by k collate utf8mb4_bin", false).withIdentity("create table ids (id int auto_increment primary key, note text)",
                "insert into ids (note) values ('x')");
    }
}
