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
    @DisplayName("entries written into the file by another process for tables the journal does not track (odd names, unknown tables): ignored, rollback exact")
    void forgedEntriesForUntrackedTablesAreIgnored() throws SQLException {
        List<String> before = snapshot();
        SQLiteStateManager m = db.manager();
        m.connect();
        m.checkpoint("start");
        db.exec("insert into users(name) values ('carl')");
        String forged = "insert into venomqa_journal(table_name, op, old_row, new_row) values ";
        db.cli(forged + "('audit\"; drop table users; --', 'D', '{\"id\": \"1\"}', null);\n"
                + forged + "('nosuch', 'D', '{\"id\": \"1); drop table audit; --\"}', null);\n");
        m.rollback("start");
        assertThat(snapshot()).isEqualTo(before);
        m.disconnect();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @DisplayName("entries written into the file by another process for a tracked table (SQL in row images, an unknown operation): never spliced into SQL, and the rollback fails naming them instead of reporting an exact rollback")
    void forgedEntriesForTrackedTablesFailTheRollback() throws SQLException {
        SQLiteStateManager m = db.manager();
        m.connect();
        m.checkpoint("start");
        db.exec("insert into users(name) values ('carl')");
        long last = Long.parseLong(db.rows("select max(id) as n from venomqa_journal").get(0).substring(2));
        String forged = "insert into venomqa_journal(table_name, op, old_row, new_row) values ";
        db.cli(forged + "('users', 'D', '{\"id\": \"9); drop table audit; --\", \"name\": \"''x''\"}', null);\n"
                + forged + "('users', 'D', '{\"id\": \"9\", \"name\": \"(select name from users)\"}', null);\n"
                + forged + "('users', 'D', '{\"id\": \"9\", \"name\": \"''x'' || ''y''\"}', null);\n"
                + forged + "('users', 'Z', '{\"id\": \"8\", \"name\": \"''pwned''\"}', null);\n");
        List<String> runLeftIt = snapshot();
        assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("Could not verify 4 journal entries")
                .hasMessageContaining("entry " + (last + 1) + " (table 'users', op 'D', id " + (last + 1)
                        + ", row image not written by a trigger)")
                .hasMessageContaining("entry " + (last + 4) + " (table 'users', op 'Z', id " + (last + 4)
                        + ", not an operation a trigger writes)")
                .hasMessageContaining("the rollback is not exact").hasMessageContaining("Nothing was undone");
        assertThat(snapshot()).as("nothing undone, nothing forged executed").isEqualTo(runLeftIt);
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("Could not verify 4 journal entries");
        assertThat(snapshot()).isEqualTo(runLeftIt);
    }

    @Test
    @DisplayName("disconnect() after DDL on another tracked table: a forged entry for a tracked table is not applied on that path either, and disconnect() says why the data was not restored")
    void forgedEntryAtDisconnectAfterSchemaChange() throws SQLException {
        SQLiteStateManager m = db.manager();
        m.connect();
        m.checkpoint("start");
        db.exec("insert into users(name) values ('carl')");
        db.cli("alter table audit add column extra text;\n"
                + "insert into venomqa_journal(table_name, op, old_row, new_row) values "
                + "('users', 'D', '{\"id\": \"9\", \"name\": \"(select name from users where id = 1)\"}', null);\n");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("disconnect() could not leave").hasMessageContaining("Could not verify 1 journal entry")
                .hasMessageContaining("(table 'users', op 'D'");
        assertThat(db.rows("select count(*) as n from users where id = 9")).as("the forged image was never spliced into SQL")
                .containsExactly("n=0");
        assertThat(db.rows("select name from users order by id")).containsExactly("name=ann", "name=bob", "name=carl");
    }

    @Test
    @DisplayName("recovery after kill -9 with a forged entry for a tracked table in the journal: connect() refuses saying why and what to do, nothing changed; journal_recovery: discard goes on")
    void recoveryRefusesAnUnverifiableEntry() throws Exception {
        ChildJvm.runAndKill("sqlite", db.url(), "-", db.jdbcUrl(), "-", "insert into users(name) values ('from the dead run')");
        db.cli("insert into venomqa_journal(table_name, op, old_row, new_row) values "
                + "('users', 'D', '{\"id\": \"9\", \"name\": \"(select name from users where id = 1)\"}', null);\n");
        List<String> deadRunLeftIt = snapshot();
        SQLiteStateManager m = db.manager();
        assertThatThrownBy(m::connect).isInstanceOf(io.venomqa.state.StateConnectionException.class)
                .hasMessageContaining("Could not verify 1 journal entry").hasMessageContaining("(table 'users', op 'D'")
                .hasMessageContaining("Nothing was changed").hasMessageContaining("journal_recovery: discard");
        assertThat(snapshot()).isEqualTo(deadRunLeftIt);
        SQLiteStateManager discard = new SQLiteStateManager(db.config().option("journal_recovery", "discard").build());
        discard.connect();
        discard.disconnect();
        assertThat(snapshot()).isEqualTo(deadRunLeftIt);
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
