package io.venomqa.state.journal;

import io.venomqa.testkit.ContractFixture;
import io.venomqa.testkit.StateManagerContract;

/** The test kit with {@code checkpoint_strategy: journal} on SQLite; the data is written by a separate auto-commit connection. */
class SqliteJournalContractTest extends StateManagerContract {

    @Override
    protected ContractFixture createFixture() {
        // A connection per call: SQLite allows one writer, and an idle open connection holds no lock anyway.
        return new JournalContractFixture(new SqliteDb(), "create table kv (k text primary key, v text not null)",
                "insert into kv values (?, ?) on conflict (k) do update set v = excluded.v",
                "select k, v from kv order by k", true);
    }
}
