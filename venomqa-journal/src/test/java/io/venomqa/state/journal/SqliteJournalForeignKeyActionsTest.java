package io.venomqa.state.journal;

import io.venomqa.state.CheckpointTree;
import io.venomqa.state.StateConnectionException;
import io.venomqa.state.sqlite.SQLiteStateManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SQLite with {@code foreign_keys: true} on the manager's connection: the undo runs with foreign keys
 * off (their actions would change rows the journal did not record, and the children's own entries),
 * and the connection enforces them again afterwards.
 */
class SqliteJournalForeignKeyActionsTest {

    private static final String[] TABLES = {"select * from account order by 1", "select * from orders order by 1",
            "select * from lines order by 1", "select * from referrals order by 1"};

    private static final String FOREIGN_KEYS_ON = "pragma foreign_keys = on; ";

    @Test
    @DisplayName("a natural key changed with ON UPDATE CASCADE two levels deep and ON UPDATE SET NULL by an application that enforces foreign keys, the children edited after it: rollbacks, tree restores and disconnect() exact (until now every such rollback failed)")
    void updateCascades() throws Exception {
        try (SqliteDb db = new SqliteDb()) {
            db.exec("create table account (login text primary key, name text)",
                    "create table orders (id int primary key, login text references account on update cascade, qty int, "
                            + "unique (id, login))",
                    "create table lines (id int primary key, order_id int, login text, note text, "
                            + "foreign key (order_id, login) references orders (id, login) on update cascade)",
                    "create table referrals (id int primary key, login text references account on update set null)",
                    "insert into account values ('ann', 'Ann'), ('bob', 'Bob')",
                    "insert into orders values (1, 'ann', 1), (2, 'ann', 2), (3, 'bob', 3)",
                    "insert into lines values (10, 1, 'ann', 'x'), (20, 2, 'ann', 'y')",
                    "insert into referrals values (100, 'ann'), (101, 'bob')");
            SQLiteStateManager m = new SQLiteStateManager(db.config().option("foreign_keys", true).build());
            m.connect();
            try {
                List<String> before = rows(db);
                m.checkpoint("start");
                db.cli(FOREIGN_KEYS_ON + "update account set login = 'anne' where login = 'ann';");
                db.cli(FOREIGN_KEYS_ON + "update orders set qty = qty + 10 where login = 'anne'; "
                        + "update lines set note = 'z' where id = 10;");
                assertThat(rows(db)).contains("id=10|order_id=1|login=anne|note=z", "id=100|login=null");
                m.checkpoint("renamed");
                List<String> renamed = rows(db);
                db.cli(FOREIGN_KEYS_ON + "update account set login = 'annie' where login = 'anne'; delete from lines where id = 20;");
                m.rollback("renamed");
                assertThat(rows(db)).isEqualTo(renamed);
                CheckpointTree tree = m.checkpointTree().orElseThrow();
                tree.restore("start");
                assertThat(rows(db)).isEqualTo(before);
                tree.restore("renamed");
                assertThat(rows(db)).isEqualTo(renamed);
                tree.restore("start");
                assertThat(rows(db)).isEqualTo(before);
                db.cli(FOREIGN_KEYS_ON + "update account set login = 'robert' where login = 'bob';");
                m.disconnect();
                assertThat(rows(db)).isEqualTo(before);
            } finally {
                m.disconnect();
            }
        }
    }

    @Test
    @DisplayName("foreign_keys: true on the manager's connection, an application that does not enforce them and rows referencing a parent that does not exist: undoing a parent's key change or insert touches no row the journal did not record (until now ON UPDATE CASCADE rewrote an orphan and the rollback said OK; the insert's undo failed with a row count)")
    void applicationNotEnforcingWithOrphans() throws Exception {
        try (SqliteDb db = new SqliteDb()) {
            db.exec("pragma foreign_keys = off", "create table p (id integer primary key, name text)",
                    "create table c (id integer primary key, pid int references p (id) on delete cascade on update cascade, "
                            + "note text)",
                    "create table n (id integer primary key, pid int references p (id) on delete set null, note text)",
                    "insert into p values (1, 'one')",
                    "insert into c values (1, 6, 'orphan ref 6'), (2, 1, 'child of 1'), (3, 5, 'orphan ref 5')",
                    "insert into n values (1, 5, 'orphan ref 5')");
            String[] tables = {"select * from p order by 1", "select * from c order by 1", "select * from n order by 1"};
            SQLiteStateManager m = new SQLiteStateManager(db.config().option("foreign_keys", true).build());
            m.connect();
            try {
                List<String> before = db.rows(tables[0], tables[1], tables[2]);
                m.checkpoint("start");
                db.cli("pragma foreign_keys = off; update p set id = 6 where id = 1;");
                m.rollback("start");
                assertThat(db.rows(tables[0], tables[1], tables[2])).isEqualTo(before);
                db.cli("pragma foreign_keys = off; insert into p values (5, 'five');");
                m.rollback("start");
                assertThat(db.rows(tables[0], tables[1], tables[2])).isEqualTo(before);
                db.cli("pragma foreign_keys = off; update p set id = 6 where id = 1; insert into p values (5, 'five');");
                m.disconnect();
                assertThat(db.rows(tables[0], tables[1], tables[2])).isEqualTo(before);
            } finally {
                m.disconnect();
            }
        }
    }

    @Test
    @DisplayName("foreign_keys: true stays on for the manager's connection after an undo that ran without them (reset and SQL checks still enforce them)")
    void foreignKeysBackOnAfterUndo() throws Exception {
        try (SqliteDb db = new SqliteDb()) {
            db.exec("create table p (id integer primary key)", "insert into p values (1)");
            SQLiteStateManager m = new SQLiteStateManager(db.config().option("foreign_keys", true).build());
            m.connect();
            try {
                m.checkpoint("start");
                db.cli("insert into p values (2);");
                m.rollback("start");
                assertThat(m.queryRows("pragma foreign_keys")).extracting(r -> r.get("foreign_keys")).containsExactly(1);
                db.cli("insert into p values (3);");
                m.disconnect();
                m.connect();
                assertThat(m.queryRows("pragma foreign_keys")).extracting(r -> r.get("foreign_keys")).containsExactly(1);
            } finally {
                m.disconnect();
            }
        }
    }

    @Test
    @DisplayName("a foreign key with an action (ON UPDATE CASCADE, ON DELETE SET NULL/CASCADE) from a table in exclude_tables into a tracked table is refused at connect(), whatever foreign_keys says, naming each key, both tables and what to do (until now connect() passed and a rollback put the parent back, leaving the excluded rows the action deleted or changed); NO ACTION/RESTRICT keys, a key between two tracked tables, both tables excluded or the other direction connect, the tracked rows coming back")
    void actionsIntoExcludedTablesAreRefused() throws Exception {
        try (SqliteDb db = new SqliteDb()) {
            db.exec("create table par (code text primary key, v int)", "insert into par values ('a', 1), ('b', 2)",
                    "create table exch (id int primary key, code text references PAR on update cascade on delete set null)",
                    "create table \"ex log\" (id int primary key, code text, v int, "
                            + "foreign key (code, v) references par (code, v) on delete cascade on update cascade)",
                    "create unique index par_code_v on par (code, v)",
                    "insert into exch values (1, 'a'), (2, 'b')", "insert into \"ex log\" values (1, 'a', 1)",
                    "create table t (id int primary key)");
            for (boolean foreignKeys : new boolean[] {false, true}) {
                SQLiteStateManager m = new SQLiteStateManager(db.config().excludeTables(List.of("EXCH", "ex log"))
                        .option("foreign_keys", foreignKeys).build());
                try {
                    assertThatThrownBy(m::connect).isInstanceOf(StateConnectionException.class)
                            .hasMessageContaining("foreign key actions from tracked tables change rows of tables the journal "
                                    + "does not track: \"ex log\" (foreign key (\"code\", \"v\"): ON DELETE CASCADE ON UPDATE "
                                    + "CASCADE) references \"par\", and is not tracked (exclude_tables, or a migration table); "
                                    + "\"exch\" (foreign key (\"code\"): ON DELETE SET NULL ON UPDATE CASCADE) references \"par\"")
                            .hasMessageContaining("Track the referencing tables too").hasMessageContaining("NO ACTION or RESTRICT")
                            .hasMessageContaining("exclude the referenced tables as well")
                            .hasMessageContaining("Nothing was installed");
                } finally {
                    m.disconnect();
                }
                assertThat(db.rows("select name from sqlite_master where name like 'venomqa%'")).as("nothing installed")
                        .isEmpty();
            }

            // Both tables tracked: the action's changes are journaled and undone with the parent's.
            String[] tables = {"select * from par order by 1", "select * from exch order by 1",
                    "select * from \"ex log\" order by 1", "select * from t order by 1"};
            List<String> before = db.rows(tables[0], tables[1], tables[2], tables[3]);
            String run = "insert into t values (1); update par set code = 'aa' where code = 'a'; delete from par where code = 'b';";
            for (List<String> excluded : List.of(List.<String>of(), List.of("exch", "ex log", "par"), List.of("par"))) {
                SQLiteStateManager m = new SQLiteStateManager(db.config().excludeTables(excluded).build());
                m.connect();
                try {
                    m.checkpoint("start");
                    db.cli(FOREIGN_KEYS_ON + run);
                    m.rollback("start");
                    assertThat(db.rows(tables[3])).as("tracked t, excluded %s", excluded).isEmpty();
                    if (excluded.isEmpty()) {
                        assertThat(db.rows(tables[0], tables[1], tables[2], tables[3])).isEqualTo(before);
                    } else if (excluded.equals(List.of("par"))) {
                        // The other direction: SQLite's actions fire the tracked children's triggers.
                        assertThat(db.rows(tables[1], tables[2])).isEqualTo(before.subList(2, 5));
                    }
                } finally {
                    m.disconnect();
                }
                db.exec("delete from par", "delete from exch", "delete from \"ex log\"",
                        "insert into par values ('a', 1), ('b', 2)", "insert into exch values (1, 'a'), (2, 'b')",
                        "insert into \"ex log\" values (1, 'a', 1)");
            }

            // The keys made NO ACTION and RESTRICT (SQLite changes a key by building the table again): connects.
            db.exec("pragma foreign_keys = off", "drop table exch", "drop table \"ex log\"",
                    "create table exch (id int primary key, code text references par on update no action on delete restrict)",
                    "create table \"ex log\" (id int primary key, code text references par)",
                    "insert into exch values (1, 'a'), (2, 'b')", "insert into \"ex log\" values (1, 'a')");
            SQLiteStateManager m = new SQLiteStateManager(db.config().excludeTables(List.of("exch", "ex log"))
                    .option("foreign_keys", true).build());
            m.connect();
            try {
                List<String> kept = db.rows(tables[0], tables[1], tables[2], tables[3]);
                m.checkpoint("start");
                db.cli(FOREIGN_KEYS_ON + "insert into t values (1); update par set v = 9; insert into par values ('c', 3);");
                m.rollback("start");
                assertThat(db.rows(tables[0], tables[1], tables[2], tables[3])).isEqualTo(kept);
            } finally {
                m.disconnect();
            }
        }
    }

    private static List<String> rows(SqliteDb db) throws Exception {
        return db.rows(TABLES[0], TABLES[1], TABLES[2], TABLES[3]);
    }
}
