package io.venomqa.state.journal;

import io.venomqa.state.RollbackException;
import io.venomqa.state.sqlite.SQLiteStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tables created in the journaled file during a run by the sqlite3 client (see
 * {@code PostgresJournalNewTablesTest}): until 2026-12-06 a rollback to a checkpoint taken before they existed,
 * and {@code disconnect()}, reported success with their rows still there.
 */
class SqliteJournalNewTablesTest {

    private SqliteDb db;

    @BeforeEach
    void setUp() throws SQLException {
        db = new SqliteDb();
        db.exec("create table t (id integer primary key, v text)", "insert into t values (1, 'a')");
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    @Test
    @DisplayName("tables created with rows after a checkpoint (CREATE TABLE, CREATE TABLE AS) fail the rollback to it and disconnect(), naming them; once dropped, the rollback is exact; one the undo leaves empty passes")
    void createdDuringTheRun() throws SQLException {
        SQLiteStateManager m = db.manager();
        m.connect();
        try {
            m.checkpoint("c1");
            db.cli("create table n (id integer primary key, v text); insert into n(v) values ('x'), ('y');"
                    + "insert into t values (2, 'b'); create table n2 as select * from t; create table e (id integer primary key);");
            assertThatThrownBy(() -> m.rollback("c1")).isInstanceOf(RollbackException.class)
                    .hasMessageContaining("['n' (2 rows), 'n2' (2 rows)] did not exist at this checkpoint and hold rows")
                    .hasMessageContaining("Nothing was undone");
            assertThat(db.rows("select count(*) as n from t")).containsExactly("n=2");

            db.cli("insert into e values (1); drop table n; drop table n2;");
            m.rollback("c1");
            assertThat(db.rows("select * from t")).containsExactly("id=1|v=a");
            assertThat(db.rows("select count(*) as n from e")).containsExactly("n=0");

            db.cli("create table n3 (id integer primary key); insert into n3 values (1); insert into t values (3, 'c');");
            assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                    .hasMessageContaining("Tables ['n3' (1 row)] were created during the run");
            assertThat(db.rows("select * from t")).containsExactly("id=1|v=a");
        } finally {
            if (m.isConnected()) {
                m.disconnect();
            }
        }
    }

    @Test
    @DisplayName("an AUTOINCREMENT table created during the run and left empty loses its sqlite_sequence row after a rollback or disconnect() to before it, as a new table has none: the next path gets the ids the first one got")
    void autoincrementOfANewTableStartsAgain() throws SQLException {
        SQLiteStateManager m = db.manager();
        m.connect();
        try {
            m.checkpoint("c1");
            String firstPath = "create table if not exists n (id integer primary key autoincrement, v text);"
                    + "insert into n(v) values ('x'); select max(id) from n;";
            assertThat(db.cli(firstPath + "delete from n;")).isEqualTo("1\n");
            m.rollback("c1");
            assertThat(db.rows("select count(*) as n from sqlite_sequence where name = 'n'")).containsExactly("n=0");
            assertThat(db.cli(firstPath)).as("the next path's first id").isEqualTo("1\n");

            m.checkpoint("c2");
            db.cli("insert into n(v) values ('y');");
            m.rollback("c2");
            assertThat(db.rows("select seq from sqlite_sequence where name = 'n'")).containsExactly("seq=1");

            db.cli("delete from n; insert into n(v) values ('z'); delete from n;");
        } finally {
            m.disconnect();
        }
        assertThat(db.rows("select count(*) as n from sqlite_sequence where name = 'n'")).containsExactly("n=0");
    }
}
