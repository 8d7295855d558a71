package io.venomqa.state.journal;

import io.venomqa.state.StateConnectionException;
import io.venomqa.state.sqlite.SQLiteStateManager;
import io.venomqa.testsupport.Stderr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The journal on SQLite against writers in other processes (the sqlite3 CLI, a killed child JVM). */
class SqliteJournalTest {

    private SqliteDb db;
    private final List<SQLiteStateManager> managers = new ArrayList<>();

    @BeforeEach
    void setUp() throws SQLException {
        db = new SqliteDb();
        db.exec("create table parent (id integer primary key autoincrement, name text not null, "
                        + "doubled int generated always as (id * 2) stored)",
                "create table child (id integer primary key, parent_id int references parent(id) on delete cascade "
                        + "on update cascade, r real, b blob, t text, i int)",
                "create table nopk (a int, b text)",
                "create table pair (x int, y text, v text, primary key (x, y)) without rowid",
                "insert into parent(name) values ('a'), ('b'), ('c')",
                "insert into child values (1, 1, 0.1 + 0.2, x'00ff27', 'it''s\n\"multi\" é 🚀', 9007199254740993),"
                        + " (2, 2, null, null, null, null), (3, 3, 1e-300, x'', '', -0)",
                "insert into nopk values (1, 'x'), (1, 'x'), (2, null)",
                "insert into pair values (1, 'a', 'one'), (1, 'b', 'two')");
    }

    @AfterEach
    void tearDown() throws IOException {
        for (SQLiteStateManager m : managers) {
            m.disconnect();
        }
        db.close();
    }

    private SQLiteStateManager manager() {
        SQLiteStateManager m = db.manager();
        managers.add(m);
        return m;
    }

    private List<String> snapshot() throws SQLException {
        return db.rows("select * from parent order by id",
                "select id, parent_id, quote(r) as r, quote(b) as b, quote(t) as t, typeof(i) || quote(i) as i "
                        + "from child order by id",
                "select rowid as rid, a, b from nopk order by rowid",
                "select * from pair order by x, y",
                "select name, seq from sqlite_sequence order by name");
    }

    private static final String APP_WRITES = """
            insert into parent(name) values ('d');
            insert into child(parent_id, r, b) values (4, 2.5, x'dead');
            update child set r = 1.0/3, b = x'01', t = 'new' where id = 1;
            update parent set id = 20 where id = 2;
            update pair set y = 'c', v = 'moved' where x = 1 and y = 'a';
            delete from parent where id = 1;
            delete from nopk where rowid = (select min(rowid) from nopk where a = 1);
            insert into nopk values (1, 'x'), (3, 'y');
            update nopk set b = 'z' where a = 2;
            delete from pair;
            """;

    @Test
    @DisplayName("a view whose table is gone (SQLite keeps it; reading it fails) is left alone: the journal connects, rolls back and disconnects exactly (until 2026-12-07 connect() failed with 'no such table')")
    void invalidViewIsLeftAlone() throws SQLException {
        db.exec("create table gone (id integer primary key)", "create view broken as select id from gone", "drop table gone");
        SQLiteStateManager m = manager();
        m.connect();
        List<String> before = snapshot();
        m.checkpoint("start");
        db.cli(APP_WRITES);
        m.rollback("start");
        assertThat(snapshot()).isEqualTo(before);
        db.cli(APP_WRITES);
        m.disconnect();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @DisplayName("sqlite3 CLI writes (keys changed, cascades, duplicates, AUTOINCREMENT) are undone exactly, and the next id is the same")
    void cliWritesUndone() throws SQLException {
        SQLiteStateManager m = manager();
        m.connect();
        List<String> before = snapshot();
        m.checkpoint("start");
        db.cli(APP_WRITES);
        String firstId = db.cli("insert into parent(name) values ('next'); select last_insert_rowid();").trim();
        assertThat(snapshot()).isNotEqualTo(before);

        m.rollback("start");
        assertThat(snapshot()).isEqualTo(before);

        db.cli(APP_WRITES);
        String secondId = db.cli("insert into parent(name) values ('next'); select last_insert_rowid();").trim();
        assertThat(secondId).isEqualTo(firstId);
        m.rollback("start");
        assertThat(snapshot()).isEqualTo(before);
        m.disconnect();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @DisplayName("a column added and dropped again mid-run (the shapes match again): the rollback undoes every change")
    void columnAddedAndDroppedAgain() throws SQLException {
        SQLiteStateManager m = manager();
        m.connect();
        List<String> before = snapshot();
        m.checkpoint("start");
        db.cli("update child set t = 'x' where id = 1; alter table child add column extra int default 0; "
                + "update child set extra = 1; alter table child drop column extra; delete from child where id = 2; "
                + "insert into child (id, parent_id) values (9, 3);");
        m.rollback("start");
        assertThat(snapshot()).isEqualTo(before);
        db.cli("update child set t = 'y';");
        m.disconnect();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @DisplayName("nested checkpoints five deep: rollback to the middle, release, rollback to the outermost")
    void fiveDeep() throws SQLException {
        SQLiteStateManager m = manager();
        m.connect();
        List<List<String>> states = new ArrayList<>();
        for (int level = 0; level < 5; level++) {
            states.add(snapshot());
            m.checkpoint("level " + level);
            db.cli("insert into parent(name) values ('level " + level + "');"
                    + "update child set r = " + level + " where id = 2;"
                    + "delete from pair where x = 1 and y = 'b';"
                    + "insert into pair values (" + (level + 10) + ", 'z', 'l');"
                    + (level == 3 ? "delete from nopk;" : "update nopk set a = a + 1;"));
        }
        m.rollback("level 2");
        assertThat(snapshot()).isEqualTo(states.get(2));
        db.cli("insert into parent(name) values ('after middle');");
        m.release("level 1");
        assertThat(m.activeCheckpoints()).containsExactly("level 0");
        m.rollback("level 0");
        assertThat(snapshot()).isEqualTo(states.get(0));
    }

    @Test
    @DisplayName("tables and columns named with quotes, spaces, mixed case and reserved words")
    void awkwardIdentifiers() throws SQLException {
        db.exec("create table \"Order \"\"Items\"\" 2\" (\"select\" int primary key, \"Mixed Case\" text, \"a'b\" text)",
                "create table \"group\" (\"from\" text, \"where\" int)",
                "insert into \"Order \"\"Items\"\" 2\" values (1, 'x', 'y')",
                "insert into \"group\" values ('u', 1)");
        SQLiteStateManager m = manager();
        m.connect();
        String q1 = "select * from \"Order \"\"Items\"\" 2\" order by 1";
        String q2 = "select rowid, * from \"group\" order by 1";
        List<String> before = new ArrayList<>(db.rows(q1));
        before.addAll(db.rows(q2));
        m.checkpoint("awkward");
        db.cli("insert into \"Order \"\"Items\"\" 2\" values (2, 'new', null);"
                + "update \"Order \"\"Items\"\" 2\" set \"select\" = 10, \"a'b\" = 'q' where \"select\" = 1;"
                + "insert into \"group\" values ('v', 2); delete from \"group\" where \"from\" = 'u';");
        m.rollback("awkward");
        List<String> after = new ArrayList<>(db.rows(q1));
        after.addAll(db.rows(q2));
        assertThat(after).isEqualTo(before);
    }

    private List<String> catalog() throws SQLException {
        return db.rows("select type, name, tbl_name from sqlite_master order by type, name");
    }

    @Test
    @DisplayName("after disconnect() sqlite_master shows no VenomQA trigger or table")
    void catalogClean() throws SQLException {
        List<String> before = catalog();
        SQLiteStateManager m = manager();
        m.connect();
        assertThat(catalog()).anyMatch(s -> s.contains("venomqa_journal_"));
        m.checkpoint("x");
        db.cli("insert into parent(name) values ('x');");
        m.disconnect();
        assertThat(catalog()).isEqualTo(before).noneMatch(s -> s.contains("venomqa"));
    }

    @Test
    @DisplayName("a second manager journaling the same file at the same time is refused")
    void secondManagerRefused() throws SQLException {
        SQLiteStateManager first = manager();
        first.connect();
        SQLiteStateManager second = manager();
        assertThatThrownBy(second::connect)
                .isInstanceOf(StateConnectionException.class)
                .hasMessageContaining("Another VenomQA manager is journaling");
        first.checkpoint("still works");
        db.cli("insert into parent(name) values ('x');");
        first.rollback("still works");
        assertThat(db.rows("select name from parent order by id")).containsExactly("name=a", "name=b", "name=c");
    }

    @Test
    @DisplayName("a table created during the run is picked up at the next checkpoint; disconnect() names it while it holds rows from before (SqliteJournalNewTablesTest)")
    void newTablePickedUp() throws SQLException {
        SQLiteStateManager m = manager();
        m.connect();
        db.cli("create table late (id integer primary key, v text); insert into late values (1, 'before');");
        m.checkpoint("after migration");
        db.cli("insert into late values (2, 'journaled'); update late set v = 'changed' where id = 1;");
        m.rollback("after migration");
        assertThat(db.rows("select * from late order by id")).containsExactly("id=1|v=before");
        assertThatThrownBy(m::disconnect).isInstanceOf(io.venomqa.state.RollbackException.class)
                .hasMessageContaining("Tables ['late' (1 row)] were created during the run");
    }

    @Test
    @DisplayName("refreshSchema() installs the journal on a table created during the run: its later changes are undone by disconnect()")
    void refreshSchemaPicksUpNewTable() throws SQLException {
        SQLiteStateManager m = manager();
        m.connect();
        db.cli("create table late (id integer primary key, v text);");
        m.refreshSchema();
        db.cli("insert into late values (1, 'journaled');");
        m.disconnect();
        assertThat(db.rows("select * from late order by id")).isEmpty();
    }

    /** A journal run in a child JVM that lets the application write {@code appWrites}, checkpoints, and is killed. */
    private void killRunAfter(String... appWrites) throws Exception {
        List<String> args = new ArrayList<>(List.of("sqlite", db.url(), "-", db.jdbcUrl(), "-"));
        args.addAll(List.of(appWrites));
        ChildJvm.runAndKill(args.toArray(String[]::new));
    }

    @Test
    @DisplayName("a run killed with kill -9 is recovered by the next connect(): rows and AUTOINCREMENT as before that run")
    void crashRecovery() throws Exception {
        List<String> before = snapshot();
        killRunAfter("pragma foreign_keys = on",
                "insert into parent(name) values ('from the dead run')",
                "update child set t = 'dead' where id = 1",
                "delete from parent where id = 3",
                "delete from nopk");
        assertThat(snapshot()).isNotEqualTo(before);
        SQLiteStateManager m = manager();
        m.connect();
        assertThat(snapshot()).isEqualTo(before);
        m.disconnect();
        assertThat(snapshot()).isEqualTo(before);
        assertThat(catalog()).noneMatch(s -> s.contains("venomqa"));
    }

    @Test
    @DisplayName("a table of 120 columns (more than json_object takes at once) is undone exactly: values of every storage class")
    void wideTable() throws SQLException {
        StringBuilder cols = new StringBuilder("id integer primary key");
        StringBuilder values = new StringBuilder("1");
        for (int i = 0; i < 119; i++) {
            cols.append(", c").append(i);
            values.append(switch (i % 4) {
                case 0 -> ", " + i;
                case 1 -> ", 0.1 + " + i;
                case 2 -> ", x'0" + (i % 10) + "'";
                default -> ", 'v''" + i + "'";
            });
        }
        db.exec("create table wide (" + cols + ")", "insert into wide values (" + values + ")",
                "insert into wide (id, c0) values (2, null)");
        String q = "select id, quote(c1), quote(c2), quote(c3), quote(c117), quote(c118) from wide order by id";
        List<String> before = db.rows(q);
        SQLiteStateManager m = manager();
        m.connect();
        m.checkpoint("wide");
        db.cli("update wide set c1 = 'text now', c2 = 7, c118 = null where id = 1; delete from wide where id = 2;"
                + "insert into wide (id, c117) values (3, x'ff');");
        assertThat(db.rows(q)).isNotEqualTo(before);
        m.rollback("wide");
        assertThat(db.rows(q)).isEqualTo(before);
    }

    @Test
    @DisplayName("rows whose nullable primary key is NULL (SQLite allows it in rowid tables) are rolled back (found by "
            + "SqliteJournalFuzzTest, seeds 8014, 8055, 8080: until 2026-12-06 two such rows failed every undo with '1 row(s) "
            + "expected, 2 found')")
    void nullPrimaryKeysRolledBack() throws SQLException {
        db.exec("create table nk (tk text primary key, v text default 'd')", "insert into nk default values",
                "create table nk2 (a int, b text, v text default 'd', primary key (a, b))",
                "insert into nk2 (a) values (1), (1)", "insert into nk2 values (1, 'x', 'd')");
        String q = "select rowid as rid, tk, v from nk order by rowid";
        String q2 = "select rowid as rid, a, b, v from nk2 order by rowid";
        List<String> before = db.rows(q, q2);
        SQLiteStateManager m = manager();
        m.connect();
        m.checkpoint("start");
        db.cli("insert into nk default values; update nk set v = 'e' where rowid = 1; insert into nk default values; "
                + "update nk2 set v = 'e' where rowid = 2; delete from nk2 where rowid = 1; insert into nk2 (a) values (1);");
        m.rollback("start");
        assertThat(db.rows(q, q2)).isEqualTo(before);
        db.cli("delete from nk; update nk2 set v = 'f' where b is null; insert into nk2 (a, v) values (1, 'g');");
        m.disconnect();
        assertThat(db.rows(q, q2)).isEqualTo(before);
    }

    @Test
    @DisplayName("the recovery of a dead run that also created a view, an index and a trigger puts the rows back and fails naming them")
    void recoveryNamesTheDeadRunsObjects() throws Exception {
        List<String> before = snapshot();
        killRunAfter("insert into parent(name) values ('from the dead run')", "update child set t = 'dead' where id = 1");
        // After the run's last checkpoint, as DDL the dead run's application (or a migration) made before it died.
        db.cli("create view extra as select 1 as x; create index parent_name on parent (name); "
                + "create trigger stamp after insert on parent begin select 1; end;");

        assertThatThrownBy(() -> manager().connect())
                .isInstanceOf(StateConnectionException.class)
                .hasMessageContaining("did not disconnect")
                .hasMessageContaining("view 'extra'")
                .hasMessageContaining("index 'parent_name' on 'parent'")
                .hasMessageContaining("trigger 'stamp' on 'parent'")
                // On SQLite an application trigger is part of the table's shape (the journal's must fire first): the
                // table is left as disconnect() leaves it, its rows named; the other tables are put back.
                .hasMessageContaining("the rows of tables [parent] were left as it left them")
                .hasMessageContaining("were undone (1)");
        assertThat(db.rows("select name from parent order by id")).contains("name=from the dead run");
        assertThat(db.rows("select t from child where id = 1")).isNotEqualTo(List.of("t=dead"));
        // sqlite_sequence is back at 3 already: SQLite gives the next id past the largest rowid whatever it says.
        db.cli("drop trigger stamp; delete from parent where name = 'from the dead run';");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(catalog()).noneMatch(s -> s.contains("venomqa"));

        db.cli("drop view extra; drop index parent_name;");
        SQLiteStateManager m = manager();
        m.connect();
        m.disconnect();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @DisplayName("the recovery of a dead run that created an empty table succeeds and warns of it, as disconnect() does (until 2026-12-07 it did not)")
    void recoveryWarnsOfTheDeadRunsEmptyTable() throws Exception {
        List<String> before = snapshot();
        killRunAfter("insert into parent(name) values ('from the dead run')");
        db.cli("create table empty_late (id integer primary key);");

        SQLiteStateManager m = manager();
        String said = Stderr.during(m::connect);
        assertThat(said).contains("Recovered").contains("Tables [empty_late] were created during the dead run")
                .contains("stay, empty");
        assertThat(snapshot()).isEqualTo(before);
        m.disconnect();
        db.cli("drop table empty_late;");
    }

    @Test
    @DisplayName("a dead run's record of an earlier version (no definitions column) is recovered as before; one whose definitions this version cannot read is refused with nothing changed")
    void recoveryOfEarlierAndUnreadableRecords() throws Exception {
        List<String> before = snapshot();
        killRunAfter("insert into parent(name) values ('from the dead run')");
        db.cli("alter table venomqa_run drop column definitions;");
        SQLiteStateManager m = manager();
        m.connect();
        assertThat(snapshot()).isEqualTo(before);
        m.disconnect();

        killRunAfter("insert into parent(name) values ('from the dead run')");
        db.cli("update venomqa_run set definitions = 'venomqa-definitions 99';");
        List<String> left = snapshot();
        assertThatThrownBy(() -> manager().connect())
                .isInstanceOf(StateConnectionException.class)
                .hasMessageContaining("its record cannot be read")
                .hasMessageContaining("Nothing was changed")
                .hasMessageContaining("journal_recovery: discard");
        assertThat(snapshot()).isEqualTo(left);
        db.cli("update venomqa_run set definitions = null;");
        SQLiteStateManager again = manager();
        again.connect();
        assertThat(snapshot()).isEqualTo(before);
    }
}
