package io.venomqa.state.mysql;

import io.venomqa.state.RollbackException;
import io.venomqa.testsupport.Stderr;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What an application in the same JVM can send through {@code sharedDataSource()} on MySQL/MariaDB
 * without breaking the run's one transaction. Before the shared connection read the SQL text,
 * {@code SET autocommit=1}, {@code COMMIT}, {@code START TRANSACTION}, {@code LOCK TABLES} or a
 * {@code COMMIT} hidden in a {@code /*!…*}{@code /} comment or run as text ({@code PREPARE s FROM 'COMMIT'},
 * {@code EXECUTE IMMEDIATE 'COMMIT'}) made the run's writes permanent, and with
 * no checkpoint active nothing said so; a {@code SAVEPOINT venomqa_sp_1} of the application's
 * replaced the checkpoint's savepoint, so the rollback reported success with a row still there.
 * Statements that commit implicitly but are not refused (DDL) are still reported by disconnect().
 */
class MySQLSharedConnectionAuditTest {

    private static MySQLTestDatabase db;
    private MySQLStateManager manager;

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

    @BeforeEach
    void connect() {
        db.execute("DROP TABLE IF EXISTS items", "DROP TABLE IF EXISTS surprise",
                "CREATE TABLE items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL) ENGINE=InnoDB",
                "INSERT INTO items (name) VALUES ('committed')");
        manager = new MySQLStateManager(db.config().build());
        manager.connect();
    }

    @AfterEach
    void disconnect() {
        manager.disconnect();
    }

    private void app(String sql) throws SQLException {
        try (Connection c = manager.sharedDataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    @DisplayName("SET autocommit=1, COMMIT, BEGIN, START TRANSACTION, LOCK TABLES, XA, /*!…*/ COMMIT and a COMMIT run as prepared text are refused before they run; with no checkpoint active, disconnect() leaves the database as connect() found it")
    void transactionControlAsTextRefused() throws SQLException {
        app("INSERT INTO items (name) VALUES ('a')");
        for (String sql : List.of("SET autocommit=1", "set @@session.autocommit = 1", "COMMIT", "BEGIN",
                "START TRANSACTION", "LOCK TABLES items WRITE", "XA START 'x'", "/*!40000 COMMIT */",
                "INSERT INTO items (name) VALUES ('b'); COMMIT", "PREPARE s FROM 'COMMIT'", "EXECUTE IMMEDIATE 'COMMIT'")) {
            assertThatThrownBy(() -> app(sql)).as(sql).isInstanceOf(SQLException.class)
                    .hasMessageContaining("VenomQA refused");
        }
        app("INSERT INTO items (name) VALUES ('c')");
        assertThat(manager.countRows("items")).isEqualTo(3);
        assertThat(db.count("items")).as("nothing committed").isEqualTo(1);
        manager.disconnect();
        assertThat(db.query("SELECT name FROM items")).extracting(r -> r.get("name")).containsExactly("committed");
    }

    @Test
    @DisplayName("a savepoint named like a checkpoint's is refused, so rollback still goes back to the checkpoint; the application's own savepoints work")
    void reservedSavepointNames() throws SQLException {
        manager.checkpoint("start");
        try (Connection c = manager.sharedDataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO items (name) VALUES ('a')");
            assertThatThrownBy(() -> s.execute("SAVEPOINT venomqa_sp_1")).hasMessageContaining("venomqa_sp_1");
            assertThatThrownBy(() -> s.execute("SAVEPOINT `VENOMQA_SP_1`")).hasMessageContaining("VENOMQA_SP_1");
            c.setAutoCommit(false);
            s.executeUpdate("INSERT INTO items (name) VALUES ('b')");
            s.execute("SAVEPOINT mine");
            s.executeUpdate("INSERT INTO items (name) VALUES ('undone')");
            s.execute("ROLLBACK TO SAVEPOINT mine");
            c.commit();
            c.setAutoCommit(true);
        }
        assertThat(manager.countRows("items")).isEqualTo(3);
        manager.rollback("start");
        assertThat(manager.countRows("items")).isEqualTo(1);
    }

    @Test
    @DisplayName("a savepoint named like a checkpoint's, built at run time (EXECUTE IMMEDIATE @q, PREPARE s FROM @q), does not replace the checkpoint's")
    void reservedSavepointNamesInDynamicSql() throws SQLException {
        manager.checkpoint("c");
        app("INSERT INTO items (name) VALUES ('2')");
        // No reading of the text can see these; before, rollback("c") stopped at the application's savepoint.
        app("SET @q = CONCAT('SAVE', 'POINT venomqa_sp_1')");
        app("EXECUTE IMMEDIATE @q");
        app("INSERT INTO items (name) VALUES ('3')");
        app("PREPARE s FROM @q");
        app("EXECUTE s");
        app("INSERT INTO items (name) VALUES ('4')");
        manager.rollback("c");
        assertThat(manager.countRows("items")).isEqualTo(1);
        // A release by the same name finds nothing of VenomQA's either: the next rollback still works.
        app("INSERT INTO items (name) VALUES ('5')");
        app("SET @r = CONCAT('RELEASE ', 'SAVEPOINT venomqa_sp_1')");
        assertThatThrownBy(() -> app("EXECUTE IMMEDIATE @r")).hasMessageContaining("venomqa_sp_1");
        manager.rollback("c");
        assertThat(manager.countRows("items")).isEqualTo(1);
    }

    /** The session settings the next path's statements run under, read through the shared connection. */
    private String settings() throws SQLException {
        return read("SELECT CONCAT_WS(' | ', @@foreign_key_checks, @@unique_checks, @@sql_mode, @@time_zone, "
                + "@@check_constraint_checks, @@tx_isolation, @@auto_increment_increment)");
    }

    private String read(String query) throws SQLException {
        try (Connection c = manager.sharedDataSource().getConnection(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    @DisplayName("user variables the application sets through the shared connection (SET @x, SELECT @x := …, SELECT … INTO @x) go back with a rollback: set since the checkpoint, they read NULL again; set before it, they keep its value, exactly (DOUBLE, DECIMAL, bytes, text)")
    void userVariablesGoBackWithRollback() throws SQLException {
        org.junit.jupiter.api.Assumptions.assumeTrue(read("SELECT VERSION()").contains("MariaDB"),
                "MySQL keeps user variables in performance_schema, which is not read");
        String vars = "SELECT CONCAT_WS(' | ', COALESCE(@skip_audit, 'unset'), COALESCE(@n, 'unset'), "
                + "COALESCE(@d, 'unset'), COALESCE(HEX(@b), 'unset'), COALESCE(@dec, 'unset'), COALESCE(@s, 'unset'))";
        app("SET @d = 0.1e0 + 0.2e0, @b = x'00ff', @dec = 1.50, @s = 'før'");
        String atC = read(vars);
        assertThat(atC).isEqualTo("unset | unset | 0.30000000000000004 | 00FF | 1.50 | før");
        manager.checkpoint("c");
        // Before, these outlived the rollback: the next path's triggers saw @skip_audit = 1.
        app("SET @skip_audit = 1");
        app("SELECT @n := COUNT(*) FROM items");
        app("SELECT 7.25, x'01' INTO @dec, @b");
        app("SET @d = NULL, @s = 'other'");
        app("INSERT INTO items (name) VALUES ('2')");
        assertThat(read(vars)).isEqualTo("1 | 1 | unset | 01 | 7.25 | other");
        manager.rollback("c");
        assertThat(read(vars)).isEqualTo(atC);
        assertThat(read("SELECT @d = 0.1e0 + 0.2e0")).isEqualTo("1");
        assertThat(manager.countRows("items")).isEqualTo(1);
        manager.rollback("c");
        assertThat(read(vars)).isEqualTo(atC);

        // An assignment inside a SELECT, alone: the text holds no SET, and is still seen.
        manager.checkpoint("e");
        app("SELECT @only := 5");
        manager.rollback("e");
        assertThat(read("SELECT COALESCE(@only, 'unset')")).isEqualTo("unset");
    }

    @Test
    @DisplayName("session settings the application changes through the shared connection (SET, EXECUTE IMMEDIATE, a prepared SET) go back with a rollback to the checkpoint's")
    void sessionSettingsGoBackWithRollback() throws SQLException {
        String found = settings();
        manager.checkpoint("c");
        // Before, all of these outlived the rollback: the next path ran with foreign keys unchecked, non-strict.
        app("SET foreign_key_checks = 0");
        app("SET sql_mode = ''");
        app("SET time_zone = '+03:00', unique_checks = 0");
        app("SET @q = 'SET check_constraint_checks = 0'");
        app("EXECUTE IMMEDIATE @q");
        try (Connection c = manager.sharedDataSource().getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement("SET SESSION auto_increment_increment = ?")) {
            ps.setInt(1, 5);
            ps.execute();
        }
        app("INSERT INTO items (name) VALUES ('2')");
        assertThat(settings()).isNotEqualTo(found);
        manager.rollback("c");
        assertThat(settings()).isEqualTo(found);
        assertThat(manager.countRows("items")).isEqualTo(1);

        // A setting changed before a checkpoint belongs to it: the rollback keeps it.
        app("SET sql_mode = 'ANSI_QUOTES'");
        String atD = settings();
        manager.checkpoint("d");
        app("SET sql_mode = 'STRICT_ALL_TABLES', foreign_key_checks = 0");
        manager.rollback("d");
        assertThat(settings()).isEqualTo(atD);
        manager.rollback("c");
        assertThat(settings()).isEqualTo(found);

        // Every kind of value reads back in a form the SET takes (NULL, BIGINT UNSIGNED, decimals, names).
        String all = "SELECT CONCAT_WS(' | ', @@character_set_results, @@sql_select_limit, @@max_statement_time, "
                + "@@lc_time_names, @@tx_isolation, @@tx_read_only, @@group_concat_max_len, @@collation_connection)";
        String before = read(all);
        app("SET character_set_results = NULL, sql_select_limit = 10, max_statement_time = 5, lc_time_names = 'de_DE', "
                + "SESSION tx_isolation = 'READ-COMMITTED', group_concat_max_len = 7, NAMES latin1");
        app("SET SESSION tx_read_only = 1");
        manager.rollback("c");
        assertThat(read(all)).isEqualTo(before);
    }

    @Test
    @DisplayName("DDL through the shared connection with no checkpoint active: disconnect() warns that the run's earlier writes are permanent")
    void implicitCommitWithoutCheckpointIsReported() throws SQLException {
        app("INSERT INTO items (name) VALUES ('a')");
        app("CREATE TABLE surprise (id INT) ENGINE=InnoDB");
        // disconnect() warns why, and fails: the row the commit kept differs from what connect() found
        String log = Stderr.during(() -> assertThatThrownBy(manager::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("table items differs"));
        assertThat(log).contains("WARN").contains("permanent").contains("sharedDataSource()");
        assertThat(db.count("items")).as("the implicit commit kept 'a'").isEqualTo(2);
    }

    @Test
    @DisplayName("without an implicit commit, disconnect() after a reset warns nothing and leaves what the reset committed")
    void noWarningWithoutImplicitCommit() throws SQLException {
        manager.reset();
        app("INSERT INTO items (name) VALUES ('a')");
        manager.checkpoint("one");
        app("INSERT INTO items (name) VALUES ('b')");
        manager.rollback("one");
        String log = Stderr.during(manager::disconnect);
        assertThat(log).doesNotContain("WARN");
        assertThat(db.count("items")).isZero();
    }

    @Test
    @DisplayName("USE through the shared connection is refused before it runs: until 2026-12-06 it outlived rollbacks, and the next path wrote into the other database, whose counters no checkpoint holds")
    void useOfAnotherDatabaseRefused() throws SQLException {
        manager.checkpoint("c");
        app("INSERT INTO items (name) VALUES ('x')");
        String database = read("SELECT DATABASE()");
        assertThatThrownBy(() -> app("USE mysql")).isInstanceOf(SQLException.class)
                .hasMessageContaining("another database").hasMessageContaining("other_db.table");
        assertThat(read("SELECT DATABASE()")).isEqualTo(database);
        manager.rollback("c");
        app("INSERT INTO items (name) VALUES ('y')");
        assertThat(read("SELECT GROUP_CONCAT(name ORDER BY id) FROM items")).isEqualTo("committed,y");
    }
}
