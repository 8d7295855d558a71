package io.venomqa.state.journal;

import io.venomqa.state.CheckpointTree;
import io.venomqa.state.sqlite.SQLiteStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Values and row identities that a comparison through {@code quote()} cannot see: each table is dumped
 * with every value's storage class and its exact bytes (text as {@code hex()}, which {@code quote()}
 * cuts at the first NUL; a zero REAL with its sign), plus the {@code rowid} of rowid tables. The
 * application's writes come from the sqlite3 CLI, another process; the rollback, a tree restore and
 * {@code disconnect()} must each give the dump back exactly.
 */
class SqliteJournalAuditTest {

    private SqliteDb db;

    @BeforeEach
    void setUp() {
        db = new SqliteDb();
    }

    @AfterEach
    void tearDown() throws IOException {
        db.close();
    }

    /** Every row of {@code table} (rowid first where it has one), each value as storage class and exact value. */
    private List<String> dump(String table) throws SQLException {
        List<String> values = new ArrayList<>();
        List<String> names = new ArrayList<>();
        boolean rowid;
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("select wr from pragma_table_list where schema = 'main' and name = '"
                    + table + "'")) {
                rs.next();
                rowid = rs.getInt(1) == 0;
            }
            try (ResultSet rs = st.executeQuery("select name from pragma_table_xinfo('" + table + "')")) {
                while (rs.next()) {
                    values.add(exact("\"" + rs.getString(1) + "\""));
                    names.add(rs.getString(1).toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        if (rowid) {
            // the first of the rowid's names that no column hides
            String name = java.util.stream.Stream.of("rowid", "_rowid_", "oid").filter(n -> !names.contains(n))
                    .findFirst().orElseThrow();
            values.add(0, "'rowid=' || " + name);
        }
        return db.rows("select " + String.join(" || ' | ' || ", values) + " as row from \"" + table + "\" order by 1");
    }

    /** A value as its storage class and its exact content: text as hex bytes, a zero REAL with its sign. */
    private static String exact(String v) {
        return "typeof(" + v + ") || ':' || case typeof(" + v + ") when 'text' then hex(" + v + ") "
                + "when 'real' then case when " + v + " = 0 and atan2(" + v + ", -1) < 0 then '-0.0' else quote(" + v
                + ") end else quote(" + v + ") end";
    }

    private List<String> dumpAll(String... tables) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String t : tables) {
            out.add("table " + t);
            // sqlite_sequence by name: its rows' own rowids are SQLite's business
            out.addAll(t.equals("sqlite_sequence") ? db.rows("select name, typeof(seq) || ':' || seq as seq "
                    + "from sqlite_sequence order by name") : dump(t));
        }
        return out;
    }

    /**
     * Checkpoint, {@code writes} by the CLI, checkpoint, {@code more} by the CLI; rollback to the
     * second, tree restores between the two, and the same writes again before {@code disconnect()}:
     * every step compared with the dump it must give back.
     */
    private void exactEverywhere(String writes, String more, String... tables) throws SQLException {
        List<String> before = dumpAll(tables);
        SQLiteStateManager m = db.manager();
        m.connect();
        try {
            m.checkpoint("start");
            db.cli(writes);
            List<String> written = dumpAll(tables);
            assertThat(written).as("the writes changed something").isNotEqualTo(before);
            m.checkpoint("written");
            db.cli(more);
            assertThat(dumpAll(tables)).as("the further writes changed something").isNotEqualTo(written);
            m.rollback("written");
            assertThat(dumpAll(tables)).as("after the rollback to 'written'").isEqualTo(written);
            CheckpointTree tree = m.checkpointTree().orElseThrow();
            tree.restore("start");
            assertThat(dumpAll(tables)).as("after restoring 'start'").isEqualTo(before);
            tree.restore("written");
            assertThat(dumpAll(tables)).as("after restoring 'written' (the redo)").isEqualTo(written);
            m.rollback("start");
            assertThat(dumpAll(tables)).as("after the rollback to 'start'").isEqualTo(before);
            db.cli(writes);
            db.cli(more);
        } catch (RuntimeException | Error first) {
            try {
                m.disconnect();
            } catch (RuntimeException also) {
                first.addSuppressed(also); // the first failure is the one to read
            }
            throw first;
        }
        m.disconnect();
        assertThat(dumpAll(tables)).as("after disconnect()").isEqualTo(before);
    }

    @Test
    @DisplayName("text holding NUL bytes or bytes that are not UTF-8 comes back byte for byte (quote() stops at the first NUL, and the JDBC driver decodes invalid UTF-8 to U+FFFD)")
    void textBytesExact() throws SQLException {
        db.exec("create table t (id integer primary key, s text, u)",
                "insert into t values (1, cast(x'610062' as text), cast(x'00' as text)), "
                        + "(2, cast(x'61ff62' as text), cast(x'c3' as text)), "
                        + "(3, cast(x'80' as text), cast(x'011b7f0a09' as text)), "
                        + "(4, 'é' || cast(x'00' as text) || '🚀', cast(x'eda080' as text))");
        exactEverywhere("update t set s = 'x' where id in (1, 2); delete from t where id in (3, 4);",
                "update t set u = 'y'; delete from t where id = 1;", "t");
    }

    @Test
    @DisplayName("in a UTF-16 database, text that is not ASCII comes back byte for byte too (its bytes are UTF-16)")
    void textBytesExactInUtf16() throws SQLException {
        db.exec("pragma encoding = 'UTF-16le'",
                "create table t (id integer primary key, s text, u)",
                "insert into t values (1, 'é🚀', 'x' || char(0) || 'y'), (2, char(65533, 97), 'ü'), (3, 'ascii', 'ß')");
        assertThat(db.rows("pragma encoding")).containsExactly("encoding=UTF-16le");
        exactEverywhere("update t set s = 'x' where id in (1, 2); delete from t where id = 3;",
                "update t set u = 'y'; delete from t where id = 1;", "t");
    }

    @Test
    @DisplayName("rows holding values of several MB come back (the undo's literals went over SQLite's default statement limit of 1 000 000 characters)")
    void largeValuesExact() throws SQLException {
        db.exec("create table doc (id integer primary key, pdf blob, body text, title text)",
                "insert into doc values (1, randomblob(2000000), 'x' || hex(randomblob(700000)), 'a'), (2, zeroblob(600000), null, 'b')");
        exactEverywhere("update doc set title = 'c'; delete from doc where id = 2;",
                "update doc set pdf = randomblob(1500000) where id = 1; insert into doc values (3, randomblob(900000), null, 'd');",
                "doc");
    }

    @Test
    @DisplayName("a negative zero REAL in a column without a type comes back negative (quote() prints it as 0.0)")
    void negativeZero() throws SQLException {
        db.exec("create table z (id integer primary key, v, w blob)",
                "insert into z values (1, -0.0, -0.0), (2, 0.0, 1)");
        exactEverywhere("update z set v = 5 where id = 1; delete from z where id = 2;",
                "delete from z;", "z");
    }

    @Test
    @DisplayName("the rowid of a rowid table whose primary key is not its rowid comes back with the row (a deleted row re-inserted got a new rowid)")
    void rowidOfKeyedTable() throws SQLException {
        db.exec("create table k (code text primary key, v text)",
                "create table c (a int, b int, v text, primary key (a, b))",
                "insert into k values ('a', 'one'), ('b', 'two'), ('c', 'three')",
                "insert into c values (1, 1, 'x'), (1, 2, 'y')");
        exactEverywhere("delete from k where code = 'a'; update k set rowid = 100 where code = 'b'; "
                        + "replace into k values ('c', 'replaced: a new rowid'); "
                        + "delete from c where a = 1 and b = 1; insert into c values (2, 2, 'z');",
                "delete from k; delete from c;", "k", "c");
    }

    @Test
    @DisplayName("a column named rowid or _rowid_ (hiding that name of the rowid) keeps its own values, with and without a key")
    void columnsNamedLikeTheRowid() throws SQLException {
        db.exec("create table r1 (\"rowid\" text, v int)",
                "create table r2 (\"_rowid_\" text, v int)",
                "create table r3 (\"rowid\" text primary key, v int)",
                "create table r4 (\"Rowid\" text, \"oid\" int)",
                "insert into r1 values ('a', 1), ('b', 2), ('c', 3)",
                "insert into r2 values ('a', 1), ('b', 2), ('c', 3)",
                "insert into r3 values ('a', 1), ('b', 2), ('c', 3)",
                "insert into r4 values ('a', 1), ('b', 2), ('c', 3)");
        exactEverywhere("delete from r1 where v = 1; update r1 set \"rowid\" = 'z' where v = 2; "
                        + "delete from r2 where v = 1; update r2 set \"_rowid_\" = 'z' where v = 2; "
                        + "delete from r3 where v = 1; update r3 set v = 9 where \"rowid\" = 'b'; "
                        + "delete from r4 where \"oid\" = 1; update r4 set \"Rowid\" = 'z' where \"oid\" = 2;",
                "delete from r1; delete from r2; delete from r3; delete from r4;", "r1", "r2", "r3", "r4");
    }

    @Test
    @DisplayName("a rollback while the application holds an open transaction (a write, or a read in rollback-journal mode) fails saying what to do, undoes nothing, and works once that transaction ends")
    void openApplicationTransaction() throws Exception {
        db.exec("create table t (id integer primary key, v text)", "insert into t values (1, 'one')");
        List<String> before = dumpAll("t");
        SQLiteStateManager m = new SQLiteStateManager(db.config().option("lock_timeout", "300ms").build());
        m.connect();
        try {
            m.checkpoint("start");
            db.exec("update t set v = 'changed' where id = 1", "insert into t values (2, 'two')");
            List<String> written = dumpAll("t");
            for (String open : new String[] {"insert into t values (3, 'uncommitted')", "select count(*) from t"}) {
                try (Connection app = db.connect()) {
                    app.setAutoCommit(false);
                    try (Statement st = app.createStatement()) {
                        if (st.execute(open)) {
                            st.getResultSet().next(); // a read keeps its shared lock until the transaction ends
                        }
                    }
                    assertThatThrownBy(() -> m.rollback("start")).as(open)
                            .hasMessageContaining("lock_timeout (300 ms)").hasMessageContaining("Nothing was undone")
                            .hasMessageContaining("End that transaction in the application")
                            .hasMessageContaining("SQLite locks the whole file");
                    app.commit();
                }
                List<String> now = dumpAll("t");
                assertThat(now).as("nothing undone by the failed rollback (" + open + ")").containsAll(written);
            }
            m.rollback("start");
            assertThat(dumpAll("t")).isEqualTo(before);
        } finally {
            m.disconnect();
        }
        assertThat(dumpAll("t")).isEqualTo(before);
    }

    @Test
    @DisplayName("connect() while an application keeps a write transaction open: it waits lock_timeout and says so, with nothing installed")
    void connectWhileAnApplicationTransactionIsOpen() throws Exception {
        db.exec("create table t (id integer primary key, v text)", "insert into t values (1, 'one')");
        try (Connection app = db.connect(); Statement st = app.createStatement()) {
            app.setAutoCommit(false);
            st.executeUpdate("insert into t values (2, 'pending')");
            SQLiteStateManager m = new SQLiteStateManager(db.config().option("lock_timeout", "300ms").build());
            assertThatThrownBy(m::connect).hasMessageContaining("connect() waited lock_timeout (300 ms) to install the journal")
                    .hasMessageContaining("Nothing was installed");
            app.rollback();
        }
        SQLiteStateManager m = db.manager();
        m.connect();
        m.disconnect();
        assertThat(db.rows("select * from t")).containsExactly("id=1|v=one");
    }

    @Test
    @DisplayName("a rollback that meets an application's open write transaction waits for it (up to lock_timeout) and, once it commits, undoes that write too; rollback-journal and WAL mode")
    void rollbackWaitsForAnApplicationTransaction() throws Exception {
        for (String mode : new String[] {"delete", "wal"}) {
            db.exec("pragma journal_mode = " + mode, "drop table if exists t",
                    "create table t (id integer primary key, v text)", "insert into t values (1, 'one')");
            List<String> before = dumpAll("t");
            SQLiteStateManager m = new SQLiteStateManager(db.config().option("lock_timeout", "20s").build());
            m.connect();
            try {
                m.checkpoint("start");
                db.exec("update t set v = 'changed' where id = 1");
                java.util.concurrent.CountDownLatch open = new java.util.concurrent.CountDownLatch(1);
                Thread application = new Thread(() -> {
                    try (Connection app = db.connect()) {
                        app.setAutoCommit(false);
                        try (Statement st = app.createStatement()) {
                            st.executeUpdate("insert into t values (2, 'written while the rollback waits')");
                        }
                        open.countDown();
                        Thread.sleep(400);
                        app.commit();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                application.start();
                open.await();
                m.rollback("start");
                application.join();
                assertThat(dumpAll("t")).as(mode).isEqualTo(before);
            } finally {
                m.disconnect();
            }
            assertThat(dumpAll("t")).as(mode).isEqualTo(before);
        }
        db.exec("pragma journal_mode = delete");
    }

    @Test
    @DisplayName("integers at both ends of 64 bits, infinities, the largest and smallest REALs, integral REALs in INTEGER columns, NUMERIC and text affinity come back with their storage class")
    void numericLimits() throws SQLException {
        db.exec("create table nl (id integer primary key, a, i integer, r real, n numeric, tx text)",
                "insert into nl values (1, -9223372036854775808, 9223372036854775807, 1.7976931348623157e308, '1.0', 1), "
                        + "(2, 9e999, cast(1152921504606846976 as real), 4.9e-324, '1e400', 1.5), "
                        + "(3, -9e999, 1e20, -2.2250738585072014e-308, ' 12 ', -0.0), "
                        + "(4, 9223372036854775807, '0x10', 0.30000000000000004, '9223372036854775808', 'a'), "
                        + "(5, 1.0, -9223372036854775808, 1, 'abc', x'00')");
        exactEverywhere("update nl set a = 0, i = 0, r = 0, n = 0, tx = 0 where id in (1, 2); "
                        + "delete from nl where id in (3, 4);",
                "delete from nl;", "nl");
    }

    @Test
    @DisplayName("an application process killed inside its transaction: its uncommitted writes vanish with their journal rows, and the rollback and disconnect() are exact")
    void applicationKilledMidTransaction() throws Exception {
        db.exec("create table t (id integer primary key, v text)", "insert into t values (1, 'one'), (2, 'two')");
        List<String> before = dumpAll("t");
        SQLiteStateManager m = db.manager();
        m.connect();
        try {
            m.checkpoint("start");
            db.cli("update t set v = 'committed' where id = 1;");
            List<String> committed = dumpAll("t");
            Process app = new ProcessBuilder("sqlite3", db.file.toString()).redirectErrorStream(true).start();
            try {
                java.io.OutputStream in = app.getOutputStream();
                in.write(("begin immediate; insert into t values (3, 'never committed'); delete from t where id = 2; "
                        + "select 'ready';\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                in.flush();
                java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(app.getInputStream(),
                        java.nio.charset.StandardCharsets.UTF_8));
                assertThat(out.readLine()).isEqualTo("ready"); // the writes are done, the transaction still open
            } finally {
                app.destroyForcibly();
                app.waitFor();
            }
            assertThat(dumpAll("t")).as("the killed transaction left nothing").isEqualTo(committed);
            m.rollback("start");
            assertThat(dumpAll("t")).isEqualTo(before);
            db.cli("delete from t where id = 1;");
        } finally {
            m.disconnect();
        }
        assertThat(dumpAll("t")).isEqualTo(before);
    }

    @Test
    @DisplayName("with foreign_keys on in the manager: a child inserted before its parent under a deferred key (ON DELETE CASCADE), and ON DELETE SET DEFAULT / SET NULL by the application, are undone exactly")
    void deferredKeysAndSetDefault() throws SQLException {
        db.exec("create table p (id integer primary key, name text)",
                "create table c (id integer primary key, p_id int references p(id) on delete cascade "
                        + "deferrable initially deferred, note text)",
                "create table d (id integer primary key, p_id int default 1 references p(id) on delete set default, "
                        + "q_id int references p(id) on delete set null)",
                "insert into p values (1, 'root'), (2, 'two'), (3, 'three')",
                "insert into c values (10, 2, 'child of two')",
                "insert into d values (20, 2, 3), (21, 3, 2)");
        List<String> before = dumpAll("p", "c", "d");
        for (boolean managerKeys : new boolean[] {true, false}) {
            SQLiteStateManager m = new SQLiteStateManager(db.config().option("foreign_keys", managerKeys).build());
            m.connect();
            try {
                m.checkpoint("start");
                db.cli("pragma foreign_keys = on; begin; insert into c values (11, 7, 'before its parent'); "
                        + "insert into p values (7, 'late parent'); commit; delete from p where id = 2; "
                        + "delete from p where id = 3;");
                assertThat(dumpAll("p", "c", "d")).isNotEqualTo(before);
                m.rollback("start");
                assertThat(dumpAll("p", "c", "d")).as("foreign_keys " + managerKeys).isEqualTo(before);
            } finally {
                m.disconnect();
            }
            assertThat(dumpAll("p", "c", "d")).as("foreign_keys " + managerKeys).isEqualTo(before);
        }
    }

    @Test
    @DisplayName("a database in WAL mode: UPDATE ... FROM, RETURNING, an upsert, several NULLs under UNIQUE, and the application rewriting sqlite_sequence itself")
    void walModeAndStatementForms() throws SQLException {
        db.exec("pragma journal_mode = wal",
                "create table acc (id integer primary key autoincrement, email text unique, bal int)",
                "create table moves (id integer primary key autoincrement, acc_id int, amount int)",
                "insert into acc (email, bal) values ('a@x', 10), (null, 20), (null, 30)",
                "insert into moves (acc_id, amount) values (1, 5), (2, 7)");
        assertThat(db.rows("pragma journal_mode")).containsExactly("journal_mode=wal");
        exactEverywhere("update acc set bal = bal + m.amount from (select acc_id, sum(amount) amount from moves "
                        + "group by acc_id) m where m.acc_id = acc.id; insert into acc (email, bal) values (null, 1) "
                        + "returning id; insert into acc (email, bal) values ('a@x', 99) on conflict (email) do update "
                        + "set bal = excluded.bal; insert or replace into acc (email, bal) values (null, 5); "
                        + "update sqlite_sequence set seq = 1000 where name = 'acc'; delete from sqlite_sequence "
                        + "where name = 'moves';",
                "insert into moves (acc_id, amount) values (3, 1); update sqlite_sequence set seq = '7' where name = 'moves';",
                "acc", "moves", "sqlite_sequence");
    }

    @Test
    @DisplayName("DDL by the application on a tracked table during the run: each rollback and disconnect() is exact (data and schema) or throws, never a silent half")
    void ddlDuringRunIsExactOrLoud() throws SQLException {
        String[] ddl = {
            "alter table t rename column v to w",
            "alter table t add column extra int default 7",
            "alter table t rename to t_old; create table t (id integer primary key, v text, note text); "
                    + "insert into t select * from t_old; drop table t_old",
            "drop table t; create table t (id integer primary key, v text, note text); insert into t values (1, 'one', 'n')",
        };
        for (String change : ddl) {
            try (SqliteDb own = new SqliteDb()) {
                own.exec("create table t (id integer primary key, v text, note text)",
                        "insert into t values (1, 'one', 'n'), (2, 'two', 'm')");
                List<String> before = schemaAndRows(own);
                SQLiteStateManager m = own.manager();
                m.connect();
                boolean failed = false;
                try {
                    m.checkpoint("start");
                    own.cli("update t set v = 'changed' where id = 2; insert into t values (3, 'three', 'o'); " + change + ";");
                    try {
                        m.rollback("start");
                    } catch (RuntimeException loud) {
                        failed = true;
                    }
                    if (!failed) {
                        assertThat(schemaAndRows(own)).as("rollback reported success after: " + change).isEqualTo(before);
                    }
                } finally {
                    boolean disconnectFailed = false;
                    try {
                        m.disconnect();
                    } catch (RuntimeException loud) {
                        disconnectFailed = true;
                    }
                    if (!disconnectFailed) {
                        assertThat(schemaAndRows(own)).as("disconnect() reported success after: " + change)
                                .isEqualTo(before);
                    }
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** The schema (sqlite_master without VenomQA's objects) and every row of every table, with rowids. */
    private static List<String> schemaAndRows(SqliteDb own) throws SQLException {
        List<String> out = new ArrayList<>(own.rows("select type, name, tbl_name, sql from sqlite_master "
                + "where name not like 'venomqa%' and name not like 'sqlite_autoindex%' order by type, name"));
        for (String t : own.rows("select name from sqlite_master where type = 'table' and name not like 'venomqa%' "
                + "and name not like 'sqlite%' order by name")) {
            out.addAll(own.rows("select rowid as rid, * from \"" + t.substring("name=".length()) + "\" order by rowid"));
        }
        return out;
    }

    @Test
    @DisplayName("the changes a report shows give a text imaged by its bytes as the text itself, NUL and all")
    void changesShowTextImagedByItsBytes() throws SQLException {
        db.exec("create table t (id integer primary key, s text)", "insert into t values (1, 'plain')");
        SQLiteStateManager m = new SQLiteStateManager(db.config()
                .option(io.venomqa.state.ChangeTracker.OPTION_TRACK_CHANGES, true).build());
        m.connect();
        try {
            io.venomqa.state.ChangeTracker tracker = m.changeTracker().orElseThrow();
            io.venomqa.state.ChangeMark mark = tracker.mark();
            db.cli("update t set s = 'é' || char(0) || 'x' where id = 1;");
            io.venomqa.state.RowChange change = tracker.changesSince(mark).table("t").orElseThrow().updated().get(0);
            assertThat(change.before()).containsEntry("s", "plain");
            assertThat(change.after()).containsEntry("s", "é\0x");
        } finally {
            m.disconnect();
        }
    }

    @Test
    @DisplayName("a REPLACE whose row fires an application BEFORE trigger that writes the same table (another row, or the row the REPLACE then deletes): the deleted row comes back as it was")
    void replaceWithApplicationBeforeTriggerOnSameTable() throws SQLException {
        db.exec("create table a (id integer primary key, code text unique, v text)",
                "create table counter (n int)",
                "insert into a values (1, 'total', '0'), (2, 'b', 'replaced by the insert')",
                "insert into counter values (0)",
                "create trigger a_touch before insert on a when new.id <> 1 begin "
                        + "update a set v = v || '.' where id = 1; update counter set n = n + 1; end",
                // a BEFORE trigger that changes the very row the REPLACE then deletes
                "create table m (id integer primary key, code text unique, v text)",
                "insert into m values (1, 'x', 'first'), (2, 'y', 'second')",
                "create trigger m_mark before insert on m begin update m set v = v || ' (replaced)' "
                        + "where code = new.code; end");
        exactEverywhere("insert or replace into a values (5, 'b', 'takes code b'); "
                        + "insert or replace into m values (3, 'x', 'takes x');",
                "insert or replace into a values (6, 'b', 'takes it again'); "
                        + "insert or replace into m values (4, 'x', 'and again');", "a", "counter", "m");
    }
}
