package io.venomqa.state.sqlite;

import io.venomqa.state.StateConfig;
import io.venomqa.state.StateConnectionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The savepoint strategy and a connection that is not {@code sharedDataSource()}'s (an application
 * writing on its own connection to the same file). Until 2026-12-04 such a connection could commit
 * until the run's first write: a row it inserted after a checkpoint stayed after {@code rollback}
 * and after {@code disconnect()}, and both reported success. The run now takes SQLite's write lock
 * at {@code connect()}: the other connection's write fails with {@code SQLITE_BUSY}, as it already
 * did after the run's first write, and every rollback is exact. In both journal modes: in WAL mode
 * readers never block writers, so only the write lock keeps them out.
 */
class SQLiteOtherConnectionTest {

    @TempDir
    Path dir;

    private String file(String journalMode) throws SQLException {
        String file = dir.resolve("other-" + journalMode + ".db").toString();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("pragma journal_mode = " + journalMode);
            st.execute("create table items (id integer primary key, name text not null)");
            st.execute("insert into items (name) values ('committed')");
        }
        return file;
    }

    private static SQLiteStateManager manager(String file) {
        return new SQLiteStateManager(StateConfig.builder().backend("sqlite").url("sqlite:///" + file).build());
    }

    /** The application's own connection, with a short busy timeout so that a refused write fails soon. */
    private static Connection own(String file) throws SQLException {
        Properties p = new Properties();
        p.setProperty("busy_timeout", "50");
        return DriverManager.getConnection("jdbc:sqlite:" + file, p);
    }

    private static void ownInsert(String file, String name) throws SQLException {
        try (Connection c = own(file); Statement st = c.createStatement()) {
            st.executeUpdate("insert into items (name) values ('" + name + "')");
        }
    }

    private static List<String> names(String file) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = own(file); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select name from items order by id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "journal_mode={0}")
    @ValueSource(strings = {"delete", "wal"})
    @DisplayName("another connection's write during the run, before the manager wrote anything, is refused with SQLITE_BUSY: rollback and disconnect() leave the file as connect() found it")
    void otherConnectionCannotCommitDuringTheRun(String journalMode) throws SQLException {
        String file = file(journalMode);
        SQLiteStateManager m = manager(file);
        m.connect();
        assertThatThrownBy(() -> ownInsert(file, "before the first checkpoint")).isInstanceOf(SQLException.class)
                .hasMessageContaining("SQLITE_BUSY");
        m.checkpoint("start");
        assertThatThrownBy(() -> ownInsert(file, "after the checkpoint")).isInstanceOf(SQLException.class)
                .hasMessageContaining("SQLITE_BUSY");
        assertThat(names(file)).as("other connections still read the committed data").containsExactly("committed");
        m.rollback("start");
        assertThat(m.countRows("items")).isEqualTo(1);

        m.reset();
        assertThatThrownBy(() -> ownInsert(file, "after the reset")).as("the lock is taken again after the reset's commit")
                .isInstanceOf(SQLException.class).hasMessageContaining("SQLITE_BUSY");
        m.disconnect();
        assertThat(names(file)).isEmpty();

        ownInsert(file, "after disconnect");
        assertThat(names(file)).as("disconnect() lets other connections write again").containsExactly("after disconnect");
    }

    @ParameterizedTest(name = "journal_mode={0}")
    @ValueSource(strings = {"delete", "wal"})
    @DisplayName("connect() while another connection holds a write transaction fails saying why and what to do")
    void connectWhileAnotherConnectionWrites(String journalMode) throws SQLException {
        String file = file(journalMode);
        try (Connection writer = own(file); Statement st = writer.createStatement()) {
            writer.setAutoCommit(false);
            st.executeUpdate("insert into items (name) values ('open transaction')");
            SQLiteStateManager m = new SQLiteStateManager(StateConfig.builder().backend("sqlite").url("sqlite:///" + file)
                    .option("timeout", "50ms").build());
            assertThatThrownBy(m::connect).isInstanceOf(StateConnectionException.class)
                    .hasMessageContaining("another connection is writing to")
                    .hasMessageContaining("sharedDataSource()")
                    .hasMessageContaining("checkpoint_strategy: journal");
            assertThat(m.isConnected()).isFalse();
            writer.rollback();
        }
        try (SQLiteStateManager m = manager(file)) {
            m.connect();
            assertThat(m.countRows("items")).isEqualTo(1);
        }
    }
}
