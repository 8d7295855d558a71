package io.venomqa.state.journal;

import io.venomqa.testkit.CheckpointTreeContract;
import io.venomqa.testkit.ContractFixture;

/**
 * The tree contract (restore any held checkpoint: undo to the common ancestor, redo down) with
 * {@code checkpoint_strategy: journal} on PostgreSQL; the data is written by a separate auto-commit connection, as an
 * application in another process would.
 */
class PostgresJournalTreeContractTest extends CheckpointTreeContract {

    @Override
    protected ContractFixture createFixture() {
        return new JournalContractFixture(new PgDb(), "create table kv (k text primary key, v text not null)",
                "insert into kv values (?, ?) on conflict (k) do update set v = excluded.v",
                "select k, v from kv order by k", false).withIdentity("create table ids (id serial primary key, note text)",
                "insert into ids (note) values ('x')");
    }
}
