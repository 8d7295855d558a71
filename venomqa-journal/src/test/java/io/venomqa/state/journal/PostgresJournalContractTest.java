package io.venomqa.state.journal;

import io.venomqa.testkit.ContractFixture;
import io.venomqa.testkit.StateManagerContract;

/** The test kit with {@code checkpoint_strategy: journal} on PostgreSQL; the data is written by a separate auto-commit connection. */
class PostgresJournalContractTest extends StateManagerContract {

    @Override
    protected ContractFixture createFixture() {
        return new JournalContractFixture(new PgDb(), "create table kv (k text primary key, v text not null)",
                "insert into kv values (?, ?) on conflict (k) do update set v = excluded.v",
                "select k, v from kv order by k", false);
    }
}
