package io.venomqa.state.journal;

import io.venomqa.testkit.CheckpointTreeContract;
import io.venomqa.testkit.ContractFixture;

/**
 * The tree contract (restore any held checkpoint: undo to the common ancestor, redo down) with
 * {@code checkpoint_strategy: journal} on SQLite; the data is written by a connection per call, as an
 * application in another process would.
 */
class SqliteJournalTreeContractTest extends CheckpointTreeContract {

    @Override
    protected ContractFixture createFixture() {
        return new JournalContractFixture(new SqliteDb(), "create table kv (k text primary key, v text not null)",
                "insert into kv values (?, ?) on conflict (k) do update set v = excluded.v",
                "select k, v from kv order by k", true).withIdentity("create table ids (id integer primary key autoincrement, note text)",
                "insert into ids (note) values ('x')");
    }
}
