package io.venomqa.state.journal;

import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.ContentsDigestContract;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * {@link ContentsDigestContract} with {@code checkpoint_strategy: journal} on a {@link JournalDb} of the
 * test's own: the application writes on the database's own connections, as one in another process would.
 */
abstract class JournalDigestContractTests extends ContentsDigestContract {

    private final JournalDb db = newDb();

    /** A database of the test's own, empty (called once per test). */
    abstract JournalDb newDb();

    @Override
    protected StateConfig.Builder config() {
        return db.config();
    }

    @Override
    protected Connection openApplicationConnection() throws SQLException {
        return db.connect();
    }

    @Override
    protected void dropDatabase() throws Exception {
        db.close();
    }
}
