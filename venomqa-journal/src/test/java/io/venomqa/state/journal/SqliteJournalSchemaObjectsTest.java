package io.venomqa.state.journal;

import io.venomqa.state.CheckpointTree;
import io.venomqa.state.StateConnectionException;
import io.venomqa.state.sqlite.SQLiteStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What real SQLite schemas hold besides plain tables: the application's own triggers (which SQLite
 * cannot keep from firing during the undo) and virtual tables (full-text indexes, which cannot have
 * triggers at all). Written by the sqlite3 CLI, another process.
 */
class SqliteJournalSchemaObjectsTest {

    private SqliteDb db;
    private SQLiteStateManager manager;

    @BeforeEach
    void setUp() {
        db = new SqliteDb();
    }

    @AfterEach
    void tearDown() throws IOException {
        try {
            if (manager != null) {
                manager.disconnect();
            }
        } finally {
            db.close();
        }
    }

    private static final String APP_TRIGGERS = "select name, tbl_name, sql from sqlite_master where type = 'trigger' "
            + "and name not like 'venomqa%' order by name";

    @Test
    @DisplayName("the application's triggers (an audit row, an updated_at count, a BEFORE check) do not fire during the undo, and are the same afterwards")
    void applicationTriggers() throws SQLException {
        db.exec("create table notes (id integer primary key, body text not null, edits int not null default 0)",
                "create table audit (n integer primary key, what text)",
                "create trigger app_insert after insert on notes begin insert into audit(what) values ('insert ' || new.id); end",
                "create trigger app_delete after delete on notes begin insert into audit(what) values ('delete ' || old.id); end",
                "create trigger app_edits after update of body on notes begin "
                        + "update notes set edits = edits + 1 where id = new.id; end",
                "create trigger app_check before insert on notes when new.body = '' begin "
                        + "select raise(abort, 'empty body'); end",
                "insert into notes(id, body) values (1, 'one'), (2, 'two')");
        List<String> triggers = db.rows(APP_TRIGGERS);
        manager = db.manager();
        manager.connect();
        CheckpointTree tree = manager.checkpointTree().orElseThrow();
        List<String> before = db.rows("select * from notes order by id", "select * from audit order by n");
        manager.checkpoint("start");
        db.cli("delete from notes where id = 1; update notes set body = 'changed' where id = 2; "
                + "insert into notes(id, body) values (3, 'three');");
        List<String> written = db.rows("select * from notes order by id", "select * from audit order by n");
        assertThat(written).contains("id=2|body=changed|edits=1", "n=4|what=insert 3");
        manager.checkpoint("written");

        tree.restore("start");
        assertThat(db.rows("select * from notes order by id", "select * from audit order by n")).isEqualTo(before);
        assertThat(db.rows(APP_TRIGGERS)).isEqualTo(triggers);
        tree.restore("written");
        assertThat(db.rows("select * from notes order by id", "select * from audit order by n")).isEqualTo(written);
        manager.rollback("start");
        assertThat(db.rows("select * from notes order by id", "select * from audit order by n")).isEqualTo(before);
        assertThat(db.rows(APP_TRIGGERS)).isEqualTo(triggers);

        // They still fire after ours, as before the undo (the order SQLite fires them in is their
        // order of creation, newest first): an update whose trigger updates the row again is still
        // journaled in the order it happened, and undone exactly.
        manager.checkpoint("again");
        db.cli("update notes set body = 'edited after the undo' where id = 2;");
        assertThat(db.rows("select * from notes where id = 2")).containsExactly("id=2|body=edited after the undo|edits=1");
        manager.rollback("again");
        assertThat(db.rows("select * from notes order by id", "select * from audit order by n")).isEqualTo(before);

        // They still work for the application, and are still undone.
        db.cli("insert into notes(id, body) values (4, 'four');");
        assertThat(db.rows("select what from audit order by n desc limit 1")).containsExactly("what=insert 4");
        assertThatThrownBy(() -> db.cli("insert into notes(id, body) values (5, '');")).as("the BEFORE check still refuses")
                .hasMessageContaining("empty body");
        manager.disconnect();
        manager = null;
        assertThat(db.rows("select * from notes order by id", "select * from audit order by n")).isEqualTo(before);
        assertThat(db.rows(APP_TRIGGERS)).isEqualTo(triggers);
    }

    @Test
    @DisplayName("an application trigger that updates its row again fires after the journal's, also after an undo recreated the triggers; one created during the run refuses checkpoints and rollbacks naming it (until 2026-12-06 evening the next checkpoint took it in as the run's reference), and dropped again lets the run go on")
    void triggerOrder() throws SQLException {
        db.exec("create table notes (id integer primary key, body text not null, edits int not null default 0)",
                "create trigger app_edits after update of body on notes begin update notes set edits = edits + 1 where id = new.id; end",
                "insert into notes(id, body) values (2, 'two')");
        manager = db.manager();
        manager.connect();
        List<String> before = db.rows("select * from notes");
        manager.checkpoint("a");
        db.cli("update notes set body = 'x' where id = 2;");
        manager.rollback("a");
        manager.checkpoint("b");
        db.cli("update notes set body = 'edited' where id = 2;");
        assertThat(db.rows("select op, o1, o2, n1, n2 from venomqa_journal order by id")).as("in the order it happened")
                .containsExactly("op=U|o1=two|o2=0|n1=edited|n2=0", "op=U|o1=edited|o2=0|n1=edited|n2=1");
        manager.rollback("b");
        assertThat(db.rows("select * from notes")).isEqualTo(before);

        db.cli("create trigger app_late after update of body on notes begin update notes set edits = edits + 10 where id = new.id; end;");
        assertThatThrownBy(() -> manager.rollback("b")).as("DDL since the checkpoint").hasMessageContaining("changed since this checkpoint");
        assertThatThrownBy(() -> manager.checkpoint("c")).hasMessageContaining("trigger 'app_late' on 'notes' created during the run");
        db.cli("drop trigger app_late;"); // as connect() found it: the run goes on
        db.cli("update notes set body = 'late' where id = 2;");
        manager.rollback("b");
        assertThat(db.rows("select * from notes")).isEqualTo(before);
        db.cli("create trigger app_late after update of body on notes begin update notes set edits = edits + 10 where id = new.id; end;");
        assertThatThrownBy(manager::disconnect).hasMessageContaining("trigger 'app_late' on 'notes' stays as the run left it");
        db.cli("drop trigger app_late;");
        assertThat(db.rows("select * from notes")).isEqualTo(before);
    }

    /** The schema's views, indexes and the application's triggers, with their text. */
    private List<String> objects() throws SQLException {
        return db.rows("select type, name, tbl_name, sql from sqlite_master where type in ('view', 'index', 'trigger') "
                + "and name not like 'venomqa%' and tbl_name not like 'venomqa%' order by type, name");
    }

    @Test
    @DisplayName("views, indexes and triggers created, redefined or dropped during the run (the sqlite3 CLI): checkpoints and rollbacks are refused naming them, nothing changed; put back as connect() found them, the run goes on; disconnect() puts the rows back and throws naming what stays; an excluded table's index is not watched (until 2026-12-06 evening views and indexes passed silently)")
    void objectsChangedDuringTheRunAreLoud() throws SQLException {
        db.exec("create table t (id integer primary key, a text, n int)", "create table skipped (id integer primary key)",
                "create index t_a on t (a)", "create view v as select id, a from t",
                "create trigger t_audit after delete on t begin insert into skipped (id) values (old.id + 100); end",
                "insert into t (a, n) values ('x', 1), ('y', 2)");
        List<String> asFound = db.rows("select * from t order by id");
        List<String> objectsAsFound = objects();
        manager = new SQLiteStateManager(db.config().excludeTables(List.of("skipped")).build());
        manager.connect();
        manager.checkpoint("cp");
        db.cli("insert into t (a, n) values ('z', 3); create index skipped_i on skipped (id); analyze; reindex t_a;");
        manager.checkpoint("written"); // rows, statistics, a rebuilt index and an excluded table's index: nothing to refuse
        db.cli("update t set a = 'w' where id = 1; create view new_v as select n from t; drop view v; "
                + "create view v as select id, a from t where n > 1; create index t_n on t (n); drop index t_a; "
                + "create trigger v_insert instead of insert on new_v begin insert into t (n) values (new.n); end;");
        List<String> written = db.rows("select * from t order by id");
        assertThatThrownBy(() -> manager.rollback("cp")).hasMessageContaining("view 'new_v'")
                .hasMessageContaining("index 't_n' on 't' created").hasMessageContaining("index 't_a' on 't' dropped")
                .hasMessageContaining("view 'v' redefined").hasMessageContaining("trigger 'v_insert'")
                .hasMessageContaining("nothing was changed").hasMessageContaining("the next call goes on")
                .hasMessageNotContaining("can be exact").hasMessageNotContaining("skipped_i");
        assertThat(db.rows("select * from t order by id")).isEqualTo(written);
        assertThatThrownBy(() -> manager.checkpoint("later")).hasMessageContaining("view 'new_v'");
        db.cli("drop view new_v; drop view v; create view v as select id, a from t; drop index t_n; create index t_a on t (a);");
        manager.rollback("written");
        manager.rollback("cp");
        assertThat(db.rows("select * from t order by id")).isEqualTo(asFound);
        String audit = "create trigger t_audit after delete on t begin insert into skipped (id) values (old.id + 100); end;";
        db.cli("drop trigger t_audit; " + audit.replace("100", "200"));
        assertThatThrownBy(() -> manager.checkpoint("later")).hasMessageContaining("trigger 't_audit' on 't' redefined during the run");
        db.cli("drop trigger t_audit; " + audit);
        manager.checkpoint("later");
        db.cli("delete from t where id = 2; create view new_v as select n from t; create index t_n on t (n);");
        assertThatThrownBy(manager::disconnect).hasMessageContaining("view 'new_v'")
                .hasMessageContaining("index 't_n' on 't' created during the run").hasMessageContaining("stay as the run left them");
        manager = null;
        assertThat(db.rows("select * from t order by id")).as("rows as connect() found them").isEqualTo(asFound);
        db.cli("drop view new_v; drop index t_n; drop index skipped_i;"); // as the message says, and the excluded table's
        assertThat(objects()).isEqualTo(objectsAsFound);
    }

    @Test
    @DisplayName("rows that break a CHECK constraint, written with ignore_check_constraints on: rollback, tree restore and disconnect() put them back exactly (until now the undo failed with \"CHECK constraint failed\" and the data stayed as the run left it)")
    void rowsBreakingCheckConstraints() throws SQLException {
        db.exec("create table ck (id integer primary key, v int, constraint pos check (v > 0))",
                "pragma ignore_check_constraints = 1",
                "insert into ck values (1, -5), (2, 3)");
        String rows = "select * from ck order by id";
        manager = db.manager();
        manager.connect();
        List<String> before = db.rows(rows);
        manager.checkpoint("start");
        String ignoring = "pragma ignore_check_constraints = 1; ";
        db.cli(ignoring + "update ck set v = 7 where id = 1; delete from ck where id = 1; update ck set v = -3 where id = 2; "
                + "insert into ck values (3, -1);");
        manager.checkpoint("written");
        List<String> written = db.rows(rows);
        CheckpointTree tree = manager.checkpointTree().orElseThrow();
        tree.restore("start");
        assertThat(db.rows(rows)).isEqualTo(before);
        tree.restore("written");
        assertThat(db.rows(rows)).isEqualTo(written);
        manager.rollback("start");
        assertThat(db.rows(rows)).isEqualTo(before);
        assertThat(manager.queryRows("pragma ignore_check_constraints"))
                .as("the manager's connection checks constraints again").extracting(r -> r.get("ignore_check_constraints"))
                .containsExactly(0);
        db.cli(ignoring + "update ck set v = 7 where id = 1; delete from ck where id = 2;");
        manager.disconnect();
        manager = null;
        assertThat(db.rows(rows)).isEqualTo(before);
    }

    @Test
    @DisplayName("a collation or SQL function the application registers itself, in a tracked table's column, index or generated column: connect() is refused naming the table, the collation or function and what to do, touching nothing (until now the run went on and every rollback and disconnect() failed, leaving its writes)")
    void applicationDefinedCollationsAndFunctions() throws SQLException {
        try (java.sql.Connection app = DriverManager.getConnection(db.jdbcUrl()); Statement st = app.createStatement()) {
            org.sqlite.Collation.create(app, "MYCASE", new org.sqlite.Collation() {
                @Override
                protected int xCompare(String a, String b) {
                    return a.compareToIgnoreCase(b);
                }
            });
            org.sqlite.Function.create(app, "myok", new org.sqlite.Function() {
                @Override
                protected void xFunc() throws SQLException {
                    result(1);
                }
            }, 1, org.sqlite.Function.FLAG_DETERMINISTIC);
            st.execute("create table plain (id integer primary key, v text)");
            st.execute("create table names (id integer primary key, v text collate mycase unique)");
            st.execute("create table scored (id integer primary key, v text, ok as (myok(v)))");
            st.execute("create table checked (id integer primary key, v text check (myok(v)))");
            st.execute("insert into names values (1, 'a'), (2, 'b')");
        }
        List<String> schema = db.rows("select name, sql from sqlite_master order by name");
        manager = db.manager();
        assertThatThrownBy(() -> manager.connect()).isInstanceOf(StateConnectionException.class)
                .hasMessageContaining("'names': collation sequence 'mycase'")
                .hasMessageContaining("'scored': function 'myok'")
                .hasMessageContaining("exclude_tables")
                .message().doesNotContain("'plain'").doesNotContain("'checked'");
        manager = null;
        assertThat(db.rows("select name, sql from sqlite_master order by name")).as("nothing installed").isEqualTo(schema);
        // A CHECK constraint is not evaluated by the undo (ignore_check_constraints): its function does not matter.
        manager = new SQLiteStateManager(db.config().excludeTables(List.of("names", "scored")).build());
        manager.connect();
        manager.checkpoint("start");
        db.cli("insert into plain values (1, 'x');");
        manager.rollback("start");
        assertThat(db.rows("select * from plain")).isEmpty();
    }

    @Test
    @DisplayName("PRAGMA user_version and application_id (the application's migration version) changed during the run: rollbacks, tree restores and disconnect() put them back with the rows (until now they stayed changed)")
    void userVersionAndApplicationId() throws SQLException {
        db.exec("create table items (id integer primary key, name text)", "insert into items values (1, 'one')",
                "pragma user_version = 3", "pragma application_id = 77");
        String header = "select * from pragma_user_version, pragma_application_id";
        manager = db.manager();
        manager.connect();
        manager.checkpoint("start");
        db.cli("pragma user_version = 4; insert into items values (2, 'two');");
        manager.checkpoint("migrated");
        db.cli("pragma user_version = 5; pragma application_id = 78;");
        manager.rollback("migrated");
        assertThat(db.rows(header)).containsExactly("user_version=4|application_id=77");
        CheckpointTree tree = manager.checkpointTree().orElseThrow();
        tree.restore("start");
        assertThat(db.rows(header)).containsExactly("user_version=3|application_id=77");
        assertThat(db.rows("select * from items")).containsExactly("id=1|name=one");
        tree.restore("migrated");
        assertThat(db.rows(header)).containsExactly("user_version=4|application_id=77");
        db.cli("pragma user_version = 9; pragma application_id = 79;");
        manager.disconnect();
        manager = null;
        assertThat(db.rows(header)).containsExactly("user_version=3|application_id=77");
        assertThat(db.rows("select * from items")).containsExactly("id=1|name=one");
    }

    @Test
    @DisplayName("a run killed with kill -9 after changing user_version and application_id: the next connect()'s recovery puts them back with the rows (until 2026-12-06 they stayed as the dead run left them)")
    void userVersionPutBackByRecovery() throws Exception {
        db.exec("create table items (id integer primary key, name text)", "insert into items values (1, 'one')",
                "pragma user_version = 3", "pragma application_id = 77");
        String header = "select * from pragma_user_version, pragma_application_id";
        ChildJvm.runAndKill("sqlite", db.url(), "-", db.jdbcUrl(), "-", "insert into items values (2, 'two')",
                "pragma user_version = 5", "pragma application_id = 78");
        assertThat(db.rows(header)).containsExactly("user_version=5|application_id=78");
        manager = db.manager();
        manager.connect();
        assertThat(db.rows(header)).containsExactly("user_version=3|application_id=77");
        assertThat(db.rows("select * from items")).containsExactly("id=1|name=one");
    }

    @Test
    @DisplayName("a VACUUM that renumbers the rowids of a table without a key: the rollback fails saying so instead of writing old values over another row")
    void vacuumRenumberedRowids() throws SQLException {
        db.exec("create table loose (a int, b text)",
                "insert into loose values (1, 'one'), (2, 'two'), (3, 'three'), (4, 'four')",
                "delete from loose where a = 2"); // rowids 1, 3, 4: a VACUUM will close the gap
        manager = db.manager();
        manager.connect();
        manager.checkpoint("start");
        db.cli("update loose set b = 'changed' where a = 3; vacuum;");
        List<String> written = db.rows("select rowid as rid, a, b from loose order by rowid");
        assertThat(written).as("renumbered: rowid 3 is now the row a = 4")
                .containsExactly("rid=1|a=1|b=one", "rid=2|a=3|b=changed", "rid=3|a=4|b=four");
        assertThatThrownBy(() -> manager.rollback("start")).hasMessageContaining("does not match table 'loose'")
                .hasMessageContaining("The undo was rolled back");
        assertThat(db.rows("select rowid as rid, a, b from loose order by rowid")).as("nothing written").isEqualTo(written);
        assertThatThrownBy(() -> manager.disconnect()).hasMessageContaining("loose");
        manager = null;
    }

    @Test
    @DisplayName("a full-text virtual table: connect() is refused naming it and what to do; excluded, it and its shadow tables get no trigger and the CLI writes it as before")
    void virtualTables() throws SQLException {
        db.exec("create table notes (id integer primary key, body text)",
                "create virtual table notes_fts using fts5(body, content='notes', content_rowid='id')",
                "create virtual table docs using fts5(title)",
                "insert into notes values (1, 'hello world')", "insert into docs values ('first doc')");
        SQLiteStateManager refused = db.manager();
        assertThatThrownBy(refused::connect).isInstanceOf(StateConnectionException.class)
                .hasMessageContaining("virtual table").hasMessageContaining("exclude_tables")
                .hasMessageContaining("checkpoint_strategy: savepoint");
        assertThat(db.rows("select name from sqlite_master where name like 'venomqa%'")).as("nothing left installed").isEmpty();

        manager = new SQLiteStateManager(db.config().excludeTables(List.of("notes_fts", "docs")).build());
        manager.connect();
        assertThat(db.rows("select distinct tbl_name from sqlite_master where type = 'trigger'"))
                .containsExactly("tbl_name=notes");
        List<String> notes = db.rows("select * from notes order by id");
        manager.checkpoint("start");
        db.cli("insert into notes values (2, 'second'); insert into docs values ('second doc'); "
                + "delete from docs where title = 'first doc';");
        assertThat(db.rows("select title from docs where docs match 'second'")).containsExactly("title=second doc");
        manager.rollback("start");
        assertThat(db.rows("select * from notes order by id")).isEqualTo(notes);
        assertThat(db.rows("select title from docs order by rowid")).as("excluded: left as written")
                .containsExactly("title=second doc");
    }
}
