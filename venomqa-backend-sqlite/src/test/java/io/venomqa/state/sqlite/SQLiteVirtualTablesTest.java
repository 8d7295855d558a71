package io.venomqa.state.sqlite;

import io.venomqa.state.StateConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FTS5 and R*Tree virtual tables keep their data in shadow tables ({@code notes_data}, {@code geo_node}…).
 * A reset emptied those on their own and left the virtual tables unreadable while reporting success;
 * they are now left out, and the virtual table is emptied through itself.
 */
class SQLiteVirtualTablesTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("reset() empties FTS5 and R*Tree tables through themselves and leaves them usable")
    void resetKeepsVirtualTablesUsable() throws SQLException {
        Path file = dir.resolve("vt_test.db");
        String jdbc = "jdbc:sqlite:" + file;
        try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement()) {
            st.execute("create virtual table notes using fts5(body)");
            st.execute("insert into notes values ('alpha beta')");
            st.execute("create virtual table geo using rtree(id, minx, maxx)");
            st.execute("insert into geo values (1, 0, 1)");
            st.execute("create table t (id integer primary key)");
            st.execute("insert into t values (1)");
        }
        SQLiteStateManager m = new SQLiteStateManager(StateConfig.builder().backend("sqlite").url("sqlite:" + file).build());
        m.connect();
        assertThat(m.resetPlan().tableNames()).contains("notes", "geo", "t")
                .doesNotContain("notes_data", "notes_config", "notes_idx", "notes_content", "notes_docsize",
                        "geo_node", "geo_rowid", "geo_parent");
        m.reset();
        m.disconnect();

        try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement()) {
            assertThat(count(st, "select count(*) from notes")).isZero();
            assertThat(count(st, "select count(*) from geo")).isZero();
            assertThat(count(st, "select count(*) from t")).isZero();
            st.execute("insert into notes values ('gamma')");
            st.execute("insert into geo values (2, 0, 5)");
            assertThat(count(st, "select count(*) from notes where notes match 'gamma'")).isOne();
            assertThat(count(st, "select count(*) from geo where minx >= 0")).isOne();
            try (ResultSet rs = st.executeQuery("pragma integrity_check")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("ok");
            }
        }
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
