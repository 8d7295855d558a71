package io.venomqa.state.postgres;

import io.venomqa.state.RollbackException;
import io.venomqa.state.CheckpointsLostException;
import io.venomqa.testsupport.Stderr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The savepoint strategy on PostgreSQL when the application sends {@code COMMIT} as SQL text on the
 * driver's connection behind a {@code sharedDataSource()} connection ({@code unwrap}: the shared
 * connection itself refuses transaction control sent as text, {@code PostgreSQLSharedConnectionAuditTest}):
 * the run's transaction is committed behind the manager's back, so the writes before it are permanent. A
 * rollback must say so (not the driver's "savepoint does not exist"), and {@code disconnect()} must warn
 * that the database is not as {@code connect()} found it; until 2026-12-03 it said nothing.
 */
class PostgreSQLTextualCommitTest {

    private PostgresTestDatabase db;
    private PostgreSQLStateManager manager;

    @BeforeEach
    void setUp() throws SQLException {
        db = new PostgresTestDatabase();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("create table items (id int primary key, name text)");
            st.execute("insert into items values (1, 'seed')");
        }
        manager = new PostgreSQLStateManager(db.config().build());
    }

    @AfterEach
    void tearDown() throws SQLException {
        try {
            manager.disconnect();
        } finally {
            db.close();
        }
    }

    private List<String> rows() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select id || ':' || name from items order by id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private void appWritesAndCommitsAsText() throws SQLException {
        try (Connection c = manager.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("insert into items values (2, 'committed as text')");
            try (Statement driver = c.unwrap(org.postgresql.jdbc.PgConnection.class).createStatement()) {
                driver.execute("commit");
            }
            st.execute("insert into items values (3, 'after the commit')");
        }
    }

    @Test
    @DisplayName("a COMMIT sent as SQL on the driver's connection behind sharedDataSource(): the rollback says the checkpoints are lost and why, disconnect() warns that the database is not as it found it")
    void textualCommitIsReported() throws SQLException {
        manager.connect();
        manager.checkpoint("start");
        appWritesAndCommitsAsText();
        assertThatThrownBy(() -> manager.rollback("start")).isInstanceOf(CheckpointsLostException.class)
                .hasMessageContaining("committed behind VenomQA's back").hasMessageContaining("COMMIT");
        // and disconnect() fails: the row the commit kept is still there (table items, 1 row at connect, 2 now)
        String log = Stderr.during(() -> assertThatThrownBy(manager::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("table items (1 row at connect, 2 now)"));
        assertThat(log).contains("WARN").contains("permanent");
        assertThat(rows()).as("what the commit kept stays, what came after is rolled back")
                .containsExactly("1:seed", "2:committed as text");
    }

    @Test
    @DisplayName("without a textual COMMIT nothing is reported and disconnect() restores exactly")
    void noCommitNoWarning() throws SQLException {
        List<String> before = rows();
        manager.connect();
        manager.checkpoint("start");
        try (Connection c = manager.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("insert into items values (2, 'x')");
        }
        manager.rollback("start");
        assertThat(rows()).isEqualTo(before);
        try (Connection c = manager.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("insert into items values (3, 'y')");
        }
        String log = Stderr.during(manager::disconnect);
        assertThat(log).doesNotContain("WARN");
        assertThat(rows()).isEqualTo(before);
    }
}
