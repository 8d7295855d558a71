package io.venomqa.state.sqlite;

import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.SequenceSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sqlite_sequence} put back by {@link SQLiteDialect#restoreSequences}: exactly the saved
 * values, and nothing written where nothing moved (a journal rollback of updates then commits a
 * transaction with nothing to flush).
 */
class SQLiteCountersTest {

    private final SQLiteDialect dialect = new SQLiteDialect();
    private Path file;
    private Connection c;
    private JdbcSession session;

    @BeforeEach
    void setUp() throws Exception {
        file = Files.createTempFile("venomqa-counters", ".db");
        c = DriverManager.getConnection("jdbc:sqlite:" + file);
        exec("create table a (id integer primary key autoincrement, v text)",
                "create table b (id integer primary key autoincrement, v text)",
                "create table plain (id integer primary key, v text)",
                "insert into a (v) values ('x'), ('y')", "insert into b (v) values ('z')");
        // Only the connection is used by the counters' capture and restore.
        session = (JdbcSession) Proxy.newProxyInstance(JdbcSession.class.getClassLoader(), new Class<?>[] {JdbcSession.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("connection")) {
                        return c;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        c.setAutoCommit(false);
    }

    @AfterEach
    void tearDown() throws Exception {
        c.close();
        Files.deleteIfExists(file);
    }

    private void exec(String... sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private long totalChanges() throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select total_changes()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Map<String, Long> sequences() throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select name, seq from sqlite_sequence")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    @Test
    @DisplayName("counters that did not move are not written; moved, new and removed ones are put back exactly")
    void onlyMovedCountersAreWritten() throws SQLException {
        SequenceSnapshot saved = dialect.captureSequences(session, List.of("a", "b", "plain", "later"));
        Map<String, Long> before = sequences();
        assertThat(before).containsExactly(Map.entry("a", 2L), Map.entry("b", 1L));

        exec("update a set v = 'changed'");
        long changes = totalChanges();
        dialect.restoreSequences(session, saved);
        assertThat(totalChanges()).as("rows written by a restore where no counter moved").isEqualTo(changes);

        exec("insert into a (v) values ('new')", "delete from sqlite_sequence where name = 'b'",
                "create table later (id integer primary key autoincrement)", "insert into later default values");
        assertThat(sequences()).containsExactly(Map.entry("a", 3L), Map.entry("later", 1L));
        changes = totalChanges();
        dialect.restoreSequences(session, saved);
        assertThat(sequences()).isEqualTo(before);
        // a: one delete and one insert; b: one insert; later (no row saved): one delete.
        assertThat(totalChanges() - changes).isEqualTo(4);
    }
}
