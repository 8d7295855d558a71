package io.venomqa.state.journal;

import io.venomqa.testkit.CheckpointTreeContract;
import io.venomqa.testkit.ContractFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tree contract (restore any held checkpoint: undo to the common ancestor, redo down) with
 * {@code checkpoint_strategy: journal} on PostgreSQL with VenomQA as a non-superuser role (see {@link PgRolesDb}); the data is written by the application's role, as an
 * application in another process would.
 */
class PostgresJournalLeastPrivilegeTreeContractTest extends CheckpointTreeContract {

    /** The database and roles, as new for each test (see {@link OwnPgDatabase}): making them took most of a test's time. */
    @RegisterExtension
    static final OwnPgDatabase DATABASE = PgRolesDb.classDatabase();

    @Override
    protected ContractFixture createFixture() {
        return new JournalContractFixture(new PgRolesDb(DATABASE), "create table kv (k text primary key, v text not null)",
                "insert into kv values (?, ?) on conflict (k) do update set v = excluded.v",
                "select k, v from kv order by k", false).withIdentity("create table ids (id serial primary key, note text)",
                "insert into ids (note) values ('x')");
    }
}
