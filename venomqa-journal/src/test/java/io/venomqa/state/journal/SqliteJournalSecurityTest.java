package io.venomqa.state.journal;

import io.venomqa.state.RollbackException;
import io.venomqa.state.sqlite.SQLiteStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SQLite has no users: whoever can write the file can do anything, the journal included. What the
 * journal still guarantees: entries it did not write (another process writing into the file) are
 * reported and never spliced into SQL, and triggers dropped mid-run stop every later rollback.
 */
class SqliteJournalSecurityTest {

    private SqliteDb db;

    @BeforeEach
    void setUp() throws Exception {
        db = new SqliteDb();
        db.exec("create table users (id integer primary key autoincrement, name text not null)",
                "create table audit (id integer primary key, what text)",
                "insert into users(name) values ('ann'), ('bob')");
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    private List<String> snapshot() throws SQLException {
        return db.rows("select * from users order by id", "select * from audit order by id",
                "select name, seq from sqlite_sequence order by name");
    }

    @Test
    @DisplayName("entries written into the file by another process: SQL in row images, other tables, odd names, unknown operations — ignored, rollback exact")
    void forgedEntriesAreIgnored() throws SQLException {
        List<String> before = snapshot();
        SQLiteStateManager m = db.manager();
        m.connect();
        m.checkpoint("start");
        db.exec("insert into users(name) values ('carl')");
        String forged = "insert into venomqa_journal(table_name, op, old_row, new_row) values ";
        db.cli(forged + "('users', 'D', '{\"id\": \"9); drop table audit; --\", \"name\": \"''x''\"}', null);\n"
                + forged + "('users', 'D', '{\"id\": \"9\", \"name\": \"(select name from users)\"}', null);\n"
                + forged + "('users', 'D', '{\"id\": \"9\", \"name\": \"''x'' || ''y''\"}', null);\n"
                + forged + "('audit\"; drop table users; --', 'D', '{\"id\": \"1\"}', null);\n"
                + forged + "('nosuch', 'D', '{\"id\": \"1\"}', null);\n"
                + forged + "('users', 'Z', '{\"id\": \"8\", \"name\": \"''pwned''\"}', null);\n");
        m.rollback("start");
        assertThat(snapshot()).isEqualTo(before);
        m.disconnect();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @DisplayName("a trigger dropped by another process mid-run is detected at the next rollback; nothing is undone")
    void droppedTriggerIsDetected() throws SQLException {
        SQLiteStateManager m = db.manager();
        m.connect();
        m.checkpoint("start");
        String trigger = db.rows("select name as t from sqlite_master where type = 'trigger' and tbl_name = 'users' "
                + "and sql like '%after delete on%' collate nocase").get(0).substring(2);
        db.cli("drop trigger \"" + trigger + "\";\ndelete from users where id = 2;\n");
        List<String> tampered = snapshot();
        assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining(trigger + "' dropped");
        assertThat(snapshot()).isEqualTo(tampered);
        // disconnect() removes the journal, leaves the data as it is, and says it could not restore it.
        assertThatThrownBy(m::disconnect).hasMessageContaining("changed during the run");
    }
}
