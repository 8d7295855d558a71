package io.venomqa.reliability;

import io.venomqa.state.RollbackException;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Lock contention with {@code checkpoint_strategy: journal}: the application (another session) holds
 * a row lock when the rollback starts. The rollback waits up to option {@code lock_timeout}, then
 * fails naming the blocking session, and leaves the data exactly as it was (the undo is one
 * transaction). Once the application lets go, the same rollback succeeds.
 *
 * <p>The savepoint strategy cannot meet this: the application writes through the manager's own
 * connection, and {@code ROLLBACK TO SAVEPOINT} takes no locks.
 */
class LockContentionTest {

    private TestDb db;

    @AfterEach
    void drop() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mysql"})
    @DisplayName("rollback waits lock_timeout for a row the application holds, names the blocking session, undoes nothing; retried later it succeeds")
    void rollbackBlockedByApplicationLock(String backend) throws Exception {
        db = backend.equals("postgresql") ? TestDb.postgres() : TestDb.mysql();
        db.exec("create table items (id int primary key, name varchar(20))", "insert into items values (1, 'original')");
        try (StateManager m = StateManagers.create(db.config().option("checkpoint_strategy", "journal")
                .option("lock_timeout", "1s").build())) {
            m.connect();
            m.checkpoint("before");
            db.exec("insert into items values (2, 'added')", "update items set name = 'changed' where id = 1");

            try (Connection app = db.connect(); Statement st = app.createStatement()) {
                long appSession = db.sessionId(app);
                app.setAutoCommit(false);
                st.executeQuery("select * from items where id = 1 for update").close();

                long t0 = System.nanoTime();
                assertThatThrownBy(() -> m.rollback("before"))
                        .isInstanceOf(RollbackException.class)
                        .hasMessageContaining("lock_timeout (1000 ms)")
                        .hasMessageContaining((backend.equals("postgresql") ? "pid " : "connection ") + appSession)
                        .hasMessageContaining("Nothing was undone");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the configured timeout, not the server's")
                        .isLessThan(Duration.ofSeconds(20));
                assertThat(db.rows("select id, name from items order by id")).as("not half-done")
                        .containsExactly("id=1|name=changed", "id=2|name=added");
                assertThat(m.activeCheckpoints()).containsExactly("before");
                app.rollback();
            }

            m.rollback("before");
            assertThat(db.rows("select id, name from items order by id")).containsExactly("id=1|name=original");
        }
    }
}
