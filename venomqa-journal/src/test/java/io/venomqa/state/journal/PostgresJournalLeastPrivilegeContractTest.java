package io.venomqa.state.journal;

import io.venomqa.testkit.ContractFixture;
import io.venomqa.testkit.StateManagerContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The test kit with {@code checkpoint_strategy: journal} on PostgreSQL, VenomQA as a non-superuser
 * role (member of the tables' owner role, {@code CREATE} on the database) and the data written by
 * the application's role, which has DML on the table and no right on anything of VenomQA's.
 */
class PostgresJournalLeastPrivilegeContractTest extends StateManagerContract {

    /** The database and roles, as new for each test (see {@link OwnPgDatabase}): making them took most of a test's time. */
    @RegisterExtension
    static final OwnPgDatabase DATABASE = PgRolesDb.classDatabase();

    @Override
    protected ContractFixture createFixture() {
        return new JournalContractFixture(new PgRolesDb(DATABASE), "create table kv (k text primary key, v text not null)",
                "insert into kv values (?, ?) on conflict (k) do update set v = excluded.v",
                "select k, v from kv order by k", false);
    }
}
