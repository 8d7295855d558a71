package io.venomqa.state.h2;

import io.venomqa.state.jdbc.JdbcContractFixture;
import io.venomqa.testkit.ContractFixture;
import io.venomqa.testkit.StateManagerContract;

import java.sql.DriverManager;
import java.util.UUID;

/** The published contract on an in-memory H2 database of this class's own. */
class H2ContractTest extends StateManagerContract {

    private static final String URL = "jdbc:h2:mem:contract_" + UUID.randomUUID().toString().replace("-", "")
            + ";DB_CLOSE_DELAY=-1";

    @Override
    protected ContractFixture createFixture() {
        return new JdbcContractFixture(new H2StateManager(URL), () -> DriverManager.getConnection(URL), "varchar(200)");
    }
}
