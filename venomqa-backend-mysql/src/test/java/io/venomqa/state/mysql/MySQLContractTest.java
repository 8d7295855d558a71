package io.venomqa.state.mysql;

import io.venomqa.testkit.ContractFixture;
import io.venomqa.testkit.StateManagerContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The test kit's contract, run against the MySQL/MariaDB test server with the savepoint strategy. */
class MySQLContractTest extends StateManagerContract {

    private static MySQLTestDatabase db;

    @BeforeAll
    static void createDatabase() {
        db = MySQLTestDatabase.create();
    }

    @AfterAll
    static void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Override
    protected ContractFixture createFixture() {
        return new MySQLContractFixture(db);
    }
}
