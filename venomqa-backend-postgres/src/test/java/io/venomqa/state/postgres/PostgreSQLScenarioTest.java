package io.venomqa.state.postgres;

import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.SqlBackendScenarioTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.SQLException;

/** The shared SQL scenarios on the real PostgreSQL server, in a schema of this class's own. */
class PostgreSQLScenarioTest extends SqlBackendScenarioTest {

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
    protected StateConfig.Builder baseConfig() {
        return db.config();
    }

    @Override
    protected Connection openAdminConnection() throws SQLException {
        return db.connect();
    }

    @Override
    protected String identityColumn() {
        return "id serial primary key";
    }
}
