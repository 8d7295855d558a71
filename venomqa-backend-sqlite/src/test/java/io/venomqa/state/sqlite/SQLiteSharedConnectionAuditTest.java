package io.venomqa.state.sqlite;

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
 * What an application in the same JVM can send through {@code sharedDataSource()} on SQLite without
 * breaking the run's one transaction. Before the shared connection read the SQL text, a
 * {@code COMMIT} or {@code END} sent as text committed the run and left SQLite in auto-commit
 * mode, so every later write was committed at once and disconnect() left them all behind; a
 * {@code SAVEPOINT venomqa_sp_1} of the application's made the manager's rollback stop at it and
 * report success with a row still there.
 */
class SQLiteSharedConnectionAuditTest {

    @TempDir
    Path dir;

    private String file() throws SQLException {
        String file = dir.resolve("audit.db").toString();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("create table items (id integer primary key autoincrement, name text not null)");
            st.execute("insert into items (name) values ('committed')");
        }
        return file;
    }

    private static List<String> committedNames(String file) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select name from items order by id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static void app(SQLiteStateManager m, String sql) throws SQLException {
        try (Connection c = m.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Test
    @DisplayName("COMMIT, END, ROLLBACK and BEGIN as text are refused before they run; disconnect() leaves the file as connect() found it")
    void transactionControlAsTextRefused() throws SQLException {
        String file = file();
        try (SQLiteStateManager m = new SQLiteStateManager("sqlite:///" + file)) {
            m.connect();
            app(m, "insert into items (name) values ('a')");
            for (String sql : List.of("COMMIT", "end transaction", "rollback", "begin immediate", "insert into items (name) values ('b'); commit")) {
                assertThatThrownBy(() -> app(m, sql)).as(sql).isInstanceOf(SQLException.class)
                        .hasMessageContaining("VenomQA refused");
            }
            app(m, "insert into items (name) values ('c')");
            assertThat(m.countRows("items")).isEqualTo(3);
            m.disconnect();
        }
        assertThat(committedNames(file)).containsExactly("committed");
    }

    @Test
    @DisplayName("a savepoint named like a checkpoint's is refused, so rollback still goes back to the checkpoint; [quoted] names and literals are read as such")
    void reservedSavepointNames() throws SQLException {
        String file = file();
        try (SQLiteStateManager m = new SQLiteStateManager("sqlite:///" + file)) {
            m.connect();
            m.checkpoint("start");
            app(m, "insert into items (name) values ('a')");
            assertThatThrownBy(() -> app(m, "savepoint venomqa_sp_1")).hasMessageContaining("venomqa_sp_1");
            assertThatThrownBy(() -> app(m, "release [venomqa_sp_1]")).hasMessageContaining("venomqa_sp_1");
            app(m, "insert into items (name) values ('commit; end')");
            app(m, "savepoint mine");
            app(m, "insert into items (name) values ('undone')");
            app(m, "rollback to mine");
            assertThat(m.countRows("items")).isEqualTo(3);
            m.rollback("start");
            assertThat(m.countRows("items")).isEqualTo(1);
        }
        assertThat(committedNames(file)).containsExactly("committed");
    }

    @Test
    @DisplayName("a checkpoint's savepoint named as a string literal ('venomqa_sp_1'), which SQLite reads as a name, is refused too")
    void reservedSavepointNamesAsStringLiterals() throws SQLException {
        String file = file();
        try (SQLiteStateManager m = new SQLiteStateManager("sqlite:///" + file)) {
            m.connect();
            m.checkpoint("c");
            app(m, "insert into items (name) values ('2')");
            // Before, this savepoint got through: rollback("c") stopped at it and said OK with row '2' still there.
            assertThatThrownBy(() -> app(m, "savepoint 'venomqa_sp_1'")).hasMessageContaining("venomqa_sp_1");
            app(m, "insert into items (name) values ('3')");
            assertThatThrownBy(() -> app(m, "rollback to 'venomqa_sp_1'")).hasMessageContaining("venomqa_sp_1");
            // Before, the release got through and the next rollback claimed the run's writes were committed.
            assertThatThrownBy(() -> app(m, "release 'venomqa_sp_1'")).hasMessageContaining("venomqa_sp_1");
            m.rollback("c");
            assertThat(m.countRows("items")).isEqualTo(1);
        }
        assertThat(committedNames(file)).containsExactly("committed");
    }

    private static String pragmas(SQLiteStateManager m) throws SQLException {
        try (Connection c = m.sharedDataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select * from pragma_ignore_check_constraints, pragma_recursive_triggers, "
                     + "pragma_query_only, pragma_defer_foreign_keys")) {
            rs.next();
            return rs.getInt(1) + " " + rs.getInt(2) + " " + rs.getInt(3) + " " + rs.getInt(4);
        }
    }

    @Test
    @DisplayName("pragmas the application sets through the shared connection (ignore_check_constraints, recursive_triggers, …) go back with a rollback to the checkpoint's")
    void pragmasGoBackWithRollback() throws SQLException {
        String file = file();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("create table checked (v int check (v > 0))");
        }
        try (SQLiteStateManager m = new SQLiteStateManager("sqlite:///" + file)) {
            m.connect();
            String found = pragmas(m);
            m.checkpoint("c");
            // Before, these outlived the rollback: the next path could write rows the CHECK refuses.
            app(m, "pragma ignore_check_constraints = 1");
            app(m, "PRAGMA recursive_triggers = on");
            app(m, "pragma defer_foreign_keys = 1");
            app(m, "insert into checked values (-1)");
            assertThat(pragmas(m)).isNotEqualTo(found);
            m.rollback("c");
            assertThat(pragmas(m)).isEqualTo(found);
            assertThatThrownBy(() -> app(m, "insert into checked values (-1)")).hasMessageContaining("CHECK");

            app(m, "pragma recursive_triggers = 1");
            String atD = pragmas(m);
            m.checkpoint("d");
            app(m, "pragma recursive_triggers = 0");
            app(m, "pragma ignore_check_constraints = 1");
            m.rollback("d");
            assertThat(pragmas(m)).as("set before the checkpoint: kept").isEqualTo(atD);
            m.rollback("c");
            assertThat(pragmas(m)).isEqualTo(found);
        }
        assertThat(committedNames(file)).containsExactly("committed");
    }
}
