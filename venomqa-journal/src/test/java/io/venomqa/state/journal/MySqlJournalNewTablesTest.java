package io.venomqa.state.journal;

import io.venomqa.state.RollbackException;
import io.venomqa.state.mysql.MySQLStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tables created in the journaled database during a run, by the application's own connection (see
 * {@code PostgresJournalNewTablesTest}): until 2026-12-06 a rollback to a checkpoint taken before they existed,
 * and {@code disconnect()}, reported success with their rows still there.
 */
class MySqlJournalNewTablesTest {

    private MyDb db;

    @BeforeEach
    void setUp() throws SQLException {
        db = new MyDb();
        db.exec("create table t (id int primary key, v varchar(10))", "insert into t values (1, 'a')");
    }

    @AfterEach
    void tearDown() throws SQLException {
        db.close();
    }

    @Test
    @DisplayName("tables created with rows after a checkpoint (CREATE TABLE, CREATE TABLE … SELECT) fail the rollback to it and disconnect(), naming them; once dropped, the rollback is exact; one the undo leaves empty passes")
    void createdDuringTheRun() throws SQLException {
        MySQLStateManager m = db.trackedManager();
        m.connect();
        List<String> before = db.dump();
        m.checkpoint("c1");
        db.exec("create table n (id int auto_increment primary key, v varchar(10))", "insert into n(v) values ('x'), ('y')",
                "insert into t values (2, 'b')", "create table n2 as select * from t", "create table e (id int primary key)");
        assertThatThrownBy(() -> m.rollback("c1")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("['n' (2 rows), 'n2' (2 rows)] did not exist at this checkpoint and hold rows")
                .hasMessageContaining("Nothing was undone");
        assertThat(db.rows("select count(*) as n from t")).containsExactly("n=2");

        db.exec("insert into e values (1)", "drop table n2");
        assertThatThrownBy(() -> m.rollback("c1")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("['n' (2 rows)] did not exist");
        db.exec("drop table n");
        m.rollback("c1");
        assertThat(db.rows("select count(*) as n from e")).containsExactly("n=0");
        db.exec("drop table e");
        assertThat(db.dump()).isEqualTo(before);

        db.exec("create table n3 (id int primary key)", "insert into n3 values (1)", "insert into t values (3, 'c')");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("Tables ['n3' (1 row)] were created during the run");
        db.exec("drop table n3");
        assertThat(db.dump()).isEqualTo(before);
    }

    private String autoIncrement(String table) throws SQLException {
        return db.rows("select auto_increment as a from information_schema.tables where table_schema = database() "
                + "and table_name = '" + table + "'").get(0);
    }

    @Test
    @DisplayName("a table created during the run and left empty starts again at AUTO_INCREMENT 1 after a rollback or disconnect() to before it: the next path gets the ids the first one got; a checkpoint taken after it keeps its counter")
    void autoIncrementOfANewTableStartsAgain() throws SQLException {
        MySQLStateManager m = db.trackedManager();
        m.connect();
        m.checkpoint("c1");
        String firstPath = "create table if not exists n (id int auto_increment primary key, v varchar(10)); "
                + "insert into n(v) values ('x'); select last_insert_id();";
        assertThat(db.cli(firstPath + " delete from n;")).isEqualTo("1\n");
        m.rollback("c1");
        assertThat(autoIncrement("n")).isEqualTo("a=1");
        assertThat(db.cli(firstPath)).as("the next path's first id").isEqualTo("1\n");

        m.checkpoint("c2");
        db.cli("insert into n(v) values ('y');");
        m.rollback("c2");
        assertThat(autoIncrement("n")).isEqualTo("a=2");

        db.cli("delete from n; insert into n(v) values ('z'); delete from n;");
        m.disconnect();
        assertThat(autoIncrement("n")).isEqualTo("a=1");
        db.exec("drop table n");
    }

    @Test
    @DisplayName("a table created during the run with an AUTO_INCREMENT option of its own, picked up before anything was written to it, starts again at that value, not at 1; one created in another path and written before its pick-up starts at 1")
    void autoIncrementOptionOfANewTableIsKept() throws SQLException {
        MySQLStateManager m = db.trackedManager();
        m.connect();
        m.checkpoint("c1");
        db.cli("create table mig (id int auto_increment primary key, v varchar(10)) auto_increment = 1000;");
        m.checkpoint("migrated"); // the pick-up: nothing written to mig yet
        String path = "insert into mig(v) values ('x'); select last_insert_id(); delete from mig;";
        assertThat(db.cli(path)).isEqualTo("1000\n");
        m.rollback("c1");
        assertThat(autoIncrement("mig")).isEqualTo("a=1000");
        assertThat(db.cli("create table if not exists mig (id int auto_increment primary key, v varchar(10)) "
                + "auto_increment = 1000; " + path)).as("the next path's first id").isEqualTo("1000\n");
        m.disconnect();
        assertThat(autoIncrement("mig")).isEqualTo("a=1000");
        db.exec("drop table mig");
    }
}
