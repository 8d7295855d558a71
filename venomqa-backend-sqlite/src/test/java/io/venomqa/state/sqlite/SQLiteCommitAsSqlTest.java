package io.venomqa.state.sqlite;

import io.venomqa.state.CheckpointsLostException;
import io.venomqa.testsupport.Stderr;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The savepoint strategy when the application sends {@code COMMIT} as SQL text on the driver's own
 * connection behind a {@code sharedDataSource()} connection ({@code unwrap}: the one way past the
 * shared connection, which refuses transaction control sent as text): SQLite ends the manager's
 * transaction and every checkpoint with it. Until 2026-12-03 the rollback failed with the driver's
 * bare "no such savepoint: venomqa_sp_1".
 */
class SQLiteCommitAsSqlTest {

    @Test
    @DisplayName("COMMIT sent as SQL through sharedDataSource: rollback throws CheckpointsLostException saying what happened and what to do")
    void commitAsSqlLosesCheckpointsLoudly(@TempDir Path dir) throws SQLException {
        String url = "sqlite:///" + dir.resolve("app.db");
        String jdbc = new SQLiteDialect().toJdbcUrl(url);
        try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement()) {
            st.execute("create table t (id integer primary key, v text)");
            st.execute("insert into t values (1, 'one')");
        }
        try (SQLiteStateManager m = new SQLiteStateManager(url)) {
            m.connect();
            m.checkpoint("start");
            m.checkpoint("later");
            try (Connection app = m.sharedDataSource().getConnection(); Statement st = app.createStatement()) {
                st.executeUpdate("insert into t values (2, 'two')");
                commitOnDriverConnection(app);
            }
            assertThatThrownBy(() -> m.rollback("start"))
                    .isInstanceOf(CheckpointsLostException.class)
                    .hasMessageContaining("'start'")
                    .hasMessageContaining("COMMIT, END or ROLLBACK sent as SQL text")
                    .hasMessageContaining("[start, later]")
                    .hasMessageNotContaining("no such savepoint");
            assertThat(m.activeCheckpoints()).isEmpty();

            // A new checkpoint begins a transaction again: rollbacks work from there.
            m.checkpoint("after");
            try (Connection app = m.sharedDataSource().getConnection(); Statement st = app.createStatement()) {
                st.executeUpdate("insert into t values (3, 'three')");
            }
            m.rollback("after");
            assertThat(ids(jdbc)).as("row 2 was committed by the application's COMMIT; row 3 rolled back")
                    .containsExactly(1, 2);
        }
    }

    /** What the shared connection would refuse, sent on the driver's connection it wraps. */
    private static void commitOnDriverConnection(Connection shared) throws SQLException {
        try (Statement st = shared.unwrap(org.sqlite.SQLiteConnection.class).createStatement()) {
            st.execute("commit");
        }
    }

    private static List<Integer> ids(String jdbc) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select id from t order by id")) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }

    @Test
    @DisplayName("COMMIT sent as SQL, then disconnect(): the warning says the run's writes were committed and are permanent")
    void commitAsSqlThenDisconnectWarns(@TempDir Path dir) throws SQLException {
        String url = "sqlite:///" + dir.resolve("app.db");
        String jdbc = new SQLiteDialect().toJdbcUrl(url);
        try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement()) {
            st.execute("create table t (id integer primary key, v text)");
        }
        SQLiteStateManager m = new SQLiteStateManager(url);
        m.connect();
        try (Connection app = m.sharedDataSource().getConnection(); Statement st = app.createStatement()) {
            st.executeUpdate("insert into t values (1, 'one')");
            commitOnDriverConnection(app);
        }
        assertThat(Stderr.during(m::disconnect)).contains("WARN")
                .contains("committed behind VenomQA's back").contains("COMMIT, END or ROLLBACK sent as SQL text")
                .contains("permanent");
        assertThat(ids(jdbc)).containsExactly(1);
    }
}
