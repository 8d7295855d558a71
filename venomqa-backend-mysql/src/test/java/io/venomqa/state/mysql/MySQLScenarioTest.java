package io.venomqa.state.mysql;

import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.SqlBackendScenarioTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.SQLException;

/** The scenarios every SQL backend passes, on the MySQL/MariaDB test server, in a database of this class's own. */
class MySQLScenarioTest extends SqlBackendScenarioTest {

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
    protected StateConfig.Builder baseConfig() {
        return db.config();
    }

    @Override
    protected Connection openAdminConnection() throws SQLException {
        return db.openConnection();
    }

    @Override
    protected String identityColumn() {
        return "id int auto_increment primary key";
    }

    /** InnoDB hands out AUTO_INCREMENT values outside transactions; see MySQLStateManager's Javadoc. */
    @Override
    protected boolean restoresIdentityOnRollback() {
        return false;
    }

    /** REPEATABLE READ: inside the run's transaction a read sees its snapshot, so there is nothing to mark. */
    @Override
    protected boolean marksTablesDuringARun() {
        return false;
    }
}
