package io.venomqa.state.postgres;

import io.venomqa.state.jdbc.JdbcContractFixture;
import io.venomqa.testkit.ContractFixture;
import io.venomqa.testkit.StateManagerContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.sql.SQLException;

/** The published contract on the real PostgreSQL server, in a schema of this class's own. */
class PostgreSQLContractTest extends StateManagerContract {

    private static PostgresTestDatabase db;

    @BeforeAll
    static void createSchema() {
        db = new PostgresTestDatabase();
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    @Override
    protected ContractFixture createFixture() {
        return new JdbcContractFixture(new PostgreSQLStateManager(db.config().build()), db::connect, "text");
    }
}
