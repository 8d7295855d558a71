package io.venomqa.state.journal;

import io.venomqa.state.RollbackException;
import io.venomqa.state.postgres.PostgreSQLStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Holes found by an audit of the PostgreSQL journal: each test writes as the application (psql, another
 * process), rolls back or disconnects, and compares a full dump of the schema (every row as exact text,
 * the sequences, the application's triggers and rules) with the one taken at the checkpoint, or expects a
 * loud {@link RollbackException} where an exact undo is impossible. A database of its own per test (the
 * class's, as new for each test: {@link OwnPgDatabase}), so that the journal's shared {@code venomqa} schema
 * is this test's alone.
 */
class PostgresJournalAuditTest {

    @RegisterExtension
    static final OwnPgDatabase DATABASE = new OwnPgDatabase();

    private PgDb db;

    @BeforeEach
    void setUp() {
        db = new PgDb(DATABASE);
    }

    @AfterEach
    void tearDown() throws SQLException {
        db.close();
    }

    private PostgreSQLStateManager manager() {
        return db.trackedManager();
    }


    @Test
    @DisplayName("the application disables the triggers, writes and enables them again (pg_restore --disable-triggers, Rails fixtures): the rollback fails loudly")
    void triggersDisabledAndEnabledAgain() throws SQLException {
        db.exec("create table t (id int primary key, v text)", "insert into t values (1, 'a')");
        PostgreSQLStateManager m = manager();
        m.connect();
        m.checkpoint("start");
        List<String> before = db.dump();
        db.psql("alter table t disable trigger all; insert into t values (2, 'unseen'); update t set v = 'changed' where id = 1;"
                + " alter table t enable trigger all;");
        assertThat(db.dump()).isNotEqualTo(before);
        assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("journal's triggers").hasMessageContaining("t.venomqa_journal_i");
    }

    @Test
    @DisplayName("the same with no rollback after it: disconnect() fails loudly naming the triggers, the journal removed")
    void triggersDisabledAndEnabledAgainBeforeDisconnect() throws SQLException {
        db.exec("create table t (id int primary key, v text)", "insert into t values (1, 'a')");
        PostgreSQLStateManager m = manager();
        m.connect();
        db.psql("alter table t disable trigger all; insert into t values (2, 'unseen'); alter table t enable trigger all;");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("journal's triggers").hasMessageContaining("t.venomqa_journal_i");
        assertThat(m.isConnected()).isFalse();
    }

    @Test
    @DisplayName("the same next to DDL on another table (disconnect's path that leaves altered tables alone): disconnect() still names the triggers")
    void triggersDisabledNextToDdlBeforeDisconnect() throws SQLException {
        db.exec("create table t (id int primary key, v text)", "create table t2 (id int primary key)", "insert into t values (1, 'a')");
        PostgreSQLStateManager m = manager();
        m.connect();
        db.psql("alter table t2 add column extra int; alter table t disable trigger all; insert into t values (2, 'unseen');"
                + " alter table t enable trigger all;");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("journal's triggers").hasMessageContaining("t.venomqa_journal_i");
        assertThat(m.isConnected()).isFalse();
    }

    @Test
    @DisplayName("writes of an application session in replica mode (session_replication_role = replica, as loaders and fixtures set it to skip foreign keys) are journaled and undone: before, the journal's triggers stayed silent for them and the rollback kept them")
    void replicaModeWritesJournaled() throws SQLException {
        db.exec("create table parent (id int primary key, name text)",
                "create table child (id int primary key, parent_id int references parent on delete cascade, v text)",
                "create table part (id int, k int, primary key (id, k)) partition by list (k)",
                "create table part1 partition of part for values in (1)",
                "insert into parent values (1, 'p1'), (2, 'p2')", "insert into child values (10, 1, 'c'), (20, 2, 'd')",
                "insert into part values (1, 1), (2, 1)");
        PostgreSQLStateManager m = manager();
        m.connect();
        m.checkpoint("start");
        List<String> before = db.dump();
        db.psql("set session_replication_role = replica; delete from parent where id = 1; insert into child values (30, 9, 'orphan');"
                + " update child set v = 'x' where id = 20; insert into part values (3, 1); delete from part where id = 1;"
                + " truncate part1;");
        assertThat(db.dump()).isNotEqualTo(before);
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        db.psql("set session_replication_role = replica; update parent set name = 'q'; delete from child;");
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    @DisplayName("an application transaction with uncommitted writes: checkpoint and rollback refuse, naming the session, nothing undone (before, the rollback reported success and the writes stayed when they committed); once it ended the rollback is exact; disconnect() says so")
    void uncommittedWritesRefused() throws SQLException {
        db.exec("create table t (id int primary key, v text)", "insert into t values (1, 'a')");
        PostgreSQLStateManager m = new PostgreSQLStateManager(db.config().option("lock_timeout", "1s").build());
        db.track(m);
        m.connect();
        m.checkpoint("start");
        List<String> before = db.dump();
        try (Connection app = db.connect(); Statement st = app.createStatement()) {
            String pid;
            try (ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
                rs.next();
                pid = "pid " + rs.getInt(1);
            }
            app.setAutoCommit(false);
            st.execute("insert into t values (2, 'pending')");
            db.psql("update t set v = 'z' where id = 1;");
            List<String> asWritten = db.dump();
            assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                    .hasMessageContaining(pid).hasMessageContaining("uncommitted writes").hasMessageContaining("on ['t']")
                    .hasMessageContaining("Nothing was undone");
            assertThat(db.dump()).isEqualTo(asWritten);
            assertThatThrownBy(() -> m.checkpoint("meanwhile")).isInstanceOf(io.venomqa.state.CheckpointException.class)
                    .hasMessageContaining(pid).hasMessageContaining("No checkpoint was taken");
            app.commit();
            m.rollback("start");
            assertThat(db.dump()).isEqualTo(before);
            st.execute("insert into t values (3, 'pending')");
            assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                    .hasMessageContaining(pid).hasMessageContaining("held uncommitted writes");
            app.rollback();
        }
    }

    @Test
    @DisplayName("disconnect() while an application transaction stays open longer than lock_timeout: it names the session, and the counters stay past the ids that transaction took, so its commit and the next inserts do not collide")
    void disconnectWithATransactionLeftOpenLeavesTheCountersAlone() throws Exception {
        db.exec("create table t (id int generated by default as identity primary key, v text)", "insert into t (v) values ('a')");
        PostgreSQLStateManager m = db.track(new PostgreSQLStateManager(db.config().option("lock_timeout", "1s").build()));
        m.connect();
        m.checkpoint("start");
        db.psql("insert into t (v) values ('run');");
        try (Connection app = db.connect(); Statement st = app.createStatement()) {
            app.setAutoCommit(false);
            st.execute("insert into t (v) values ('pending 1'), ('pending 2')");
            assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                    .hasMessageContaining("held uncommitted writes").hasMessageContaining("stay where the run left them");
            app.commit();
        }
        db.exec("insert into t (v) values ('next 1')", "insert into t (v) values ('next 2')", "insert into t (v) values ('next 3')");
        assertThat(db.rows("select v from t order by id")).containsExactly("v=a", "v=pending 1", "v=pending 2",
                "v=next 1", "v=next 2", "v=next 3");
    }

    @Test
    @DisplayName("disconnect() whose undo waits lock_timeout for a row an application transaction keeps locked: it throws saying nothing was undone and keeps the journal; once that transaction ends, the next connect() undoes the run (until 2026-12-07 the journal was removed and the run's change stayed)")
    void disconnectThatTimesOutOnALockKeepsTheJournal() throws Exception {
        db.exec("create table t (id int primary key, v text)", "insert into t values (1, 'a')");
        List<String> asFound = db.dump();
        PostgreSQLStateManager m = db.track(new PostgreSQLStateManager(db.config().option("lock_timeout", "500ms").build()));
        m.connect();
        m.checkpoint("start");
        db.psql("update t set v = 'run' where id = 1;");
        try (Connection app = db.connect(); Statement st = app.createStatement()) {
            app.setAutoCommit(false);
            st.execute("select * from t where id = 1 for update");
            assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                    .hasMessageContaining("none of the journaled changes").hasMessageContaining("triggers and journal were kept");
            app.rollback();
        }
        assertThat(db.rows("select v from t")).containsExactly("v=run");
        PostgreSQLStateManager again = db.trackedManager();
        again.connect(); // the recovery of the kept run
        assertThat(db.dump()).isEqualTo(asFound);
        again.disconnect();
        assertThat(db.venomqaObjects()).isZero();
    }

    @Test
    @DisplayName("an application transaction still finishing, which wrote to one table and then writes to another, is waited for: the rollback then undoes it too (it must not deadlock with the rollback's table lock)")
    void transactionFinishingDuringTheRollbackIsWaitedFor() throws Exception {
        db.exec("create table a (id int primary key, v text)", "create table b (id int primary key, v text)",
                "insert into a values (1, 'a')", "insert into b values (1, 'b')");
        rollbackWhileAnApplicationTransactionFinishes("insert into b values (2, 'pending')",
                "insert into a values (2, 'pending')");
    }

    @Test
    @DisplayName("an application transaction holding a row lock (SELECT … FOR UPDATE) that then updates the row is waited for, not deadlocked with: the rollback undoes its update too")
    void rowLockedByTheApplicationIsWaitedFor() throws Exception {
        db.exec("create table a (id int primary key, v text)", "insert into a values (1, 'a')");
        rollbackWhileAnApplicationTransactionFinishes("select * from a where id = 1 for update",
                "update a set v = 'by the application' where id = 1");
    }

    @Test
    @DisplayName("an application transaction that begins once the rollback holds its table lock and locks a row the undo has still to write back (SELECT … FOR UPDATE), then updates it: it waits for the rollback, and neither is killed as a deadlock")
    void rowLockedAfterTheRollbacksLockWaitsForTheRollback() throws Exception {
        db.exec("create table a (id int primary key, v text)", "insert into a values (1, 'a')",
                "create table big (id int primary key, v text)",
                "insert into big select g, 'row ' || g from generate_series(1, 100000) g");
        PostgreSQLStateManager m = db.track(new PostgreSQLStateManager(db.config().option("lock_timeout", "20s").build()));
        m.connect();
        m.checkpoint("start");
        List<String> before = db.rows("select * from a order by id");
        // Row 1 of a changes first, so the undo (newest first) writes it back last, after big's 100 000 rows.
        db.psql("update a set v = 'changed' where id = 1; update big set v = 'changed';");
        java.util.concurrent.CompletableFuture<Void> rollback;
        try (Connection watch = db.connect(); Connection app = db.connect(); Statement st = app.createStatement()) {
            rollback = java.util.concurrent.CompletableFuture.runAsync(() -> m.rollback("start"));
            while (!rollback.isDone() && !locked(watch, "a")) {
                Thread.sleep(2);
            }
            assertThat(rollback).as("the rollback was still running when it held the lock").isNotDone();
            app.setAutoCommit(false);
            st.execute("select * from a where id = 1 for update");
            st.execute("update a set v = 'by the application' where id = 1");
            app.commit();
        }
        assertThat(rollback).as("the rollback").succeedsWithin(java.time.Duration.ofMinutes(1));
        assertThat(before).containsExactly("id=1|v=a");
        assertThat(db.rows("select * from a order by id")).as("the application's update, after the rollback")
                .containsExactly("id=1|v=by the application");
        assertThat(db.rows("select count(*) as n from big where v = 'changed'")).containsExactly("n=0");
    }

    /** Whether another session holds a granted lock on {@code table} of the test's schema in a mode that blocks writes. */
    private boolean locked(Connection watch, String table) throws SQLException {
        try (Statement st = watch.createStatement(); java.sql.ResultSet rs = st.executeQuery("select count(*) from pg_locks l "
                + "join pg_class c on c.oid = l.relation where c.relname = '" + table + "' and c.relnamespace = '"
                + db.schema + "'::regnamespace and l.granted and l.mode in ('ShareRowExclusiveLock', 'ExclusiveLock') "
                + "and l.pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    /**
     * A rollback to a checkpoint taken before row 1 of {@code a} changed, started while an application
     * transaction that ran {@code opening} is open; 300 ms later that transaction runs {@code finishing} and
     * commits. The rollback must wait for it, not deadlock with it, and then put back the checkpoint's rows.
     */
    private void rollbackWhileAnApplicationTransactionFinishes(String opening, String finishing) throws Exception {
        PostgreSQLStateManager m = db.track(new PostgreSQLStateManager(db.config().option("lock_timeout", "20s").build()));
        m.connect();
        m.checkpoint("start");
        List<String> before = db.dump();
        db.psql("update a set v = 'changed' where id = 1;");
        try (Connection app = db.connect(); Statement st = app.createStatement()) {
            app.setAutoCommit(false);
            st.execute(opening);
            java.util.concurrent.CompletableFuture<Void> rollback = java.util.concurrent.CompletableFuture.runAsync(
                    () -> m.rollback("start"));
            Thread.sleep(300);
            st.execute(finishing);
            app.commit();
            assertThat(rollback).as("the rollback").succeedsWithin(java.time.Duration.ofMinutes(1));
        }
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    @DisplayName("a partitioned table in exclude_tables: its partitions get no TRUNCATE trigger of their own either, so its changes, TRUNCATE of a partition included, survive a rollback as an excluded table's do")
    void partitionsOfAnExcludedTableStayUnjournaled() throws SQLException {
        db.exec("create table m (id int, k int, primary key (id, k)) partition by list (k)",
                "create table m1 partition of m for values in (1)", "insert into m values (1, 1), (2, 1)",
                "create table t (id int primary key)");
        PostgreSQLStateManager m = new PostgreSQLStateManager(db.config().excludeTables(List.of("m")).build());
        db.track(m);
        m.connect();
        m.checkpoint("start");
        db.psql("truncate m1; insert into m values (3, 1); insert into t values (1);");
        m.rollback("start");
        assertThat(db.rows("select id from m order by id")).containsExactly("id=3");
        assertThat(db.rows("select count(*) as n from t")).containsExactly("n=0");
        assertThat(db.rows("select count(*) as n from pg_trigger g join pg_class c on c.oid = g.tgrelid "
                + "where c.relname in ('m', 'm1') and c.relnamespace = current_schema()::regnamespace "
                + "and g.tgname ilike 'venomqa%'")).containsExactly("n=0");
    }

    @Test
    @DisplayName("a run killed with kill -9 after writes to a partitioned table is recovered by the next connect(): the entries journaled under the partitions' names are undone (before, the recovery took them for forged entries, ignored them with a warning and kept the dead run's rows)")
    void crashRecoveryOfPartitions() throws Exception {
        db.exec("create table m (id int, k int, v text, primary key (id, k)) partition by list (k)",
                "create table m1 partition of m for values in (1)", "create table m2 partition of m for values in (2)",
                "insert into m values (1, 1, 'a'), (2, 2, 'b')");
        List<String> before = db.dump();
        ChildJvm.runAndKill("postgresql", db.url, db.schema,
                "jdbc:postgresql://" + PgDb.HOST + ":" + PgDb.PORT + "/" + db.database + "?currentSchema=" + db.schema,
                PgDb.USER, "insert into m values (3, 1, 'dead run')", "update m set k = 2 where id = 1",
                "delete from m where id = 2", "truncate m2");
        assertThat(db.dump()).isNotEqualTo(before);
        PostgreSQLStateManager m = manager();
        m.connect();
        assertThat(db.dump()).isEqualTo(before);
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    @DisplayName("TRUNCATE of an inheritance parent (which empties the child too) comes back without copying the child's rows into the parent")
    void truncateInheritanceParent() throws SQLException {
        db.exec("create table animal (id int primary key, name text)", "create table dog (breed text) inherits (animal)",
                "insert into animal values (1, 'cat')", "insert into dog values (2, 'rex', 'lab')");
        PostgreSQLStateManager m = manager();
        m.connect();
        m.checkpoint("start");
        List<String> before = db.dump();
        db.psql("truncate animal;");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        db.psql("truncate animal; insert into dog values (3, 'new', 'x');");
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    @DisplayName("TRUNCATE of one partition directly comes back")
    void truncatePartitionDirectly() throws SQLException {
        db.exec("create table m (id int, k int, v text, primary key (id, k)) partition by list (k)",
                "create table m1 partition of m for values in (1)",
                "create table m2 partition of m for values in (2)",
                "insert into m values (1, 1, 'a'), (2, 2, 'b'), (3, 1, 'c')");
        PostgreSQLStateManager m = manager();
        m.connect();
        m.checkpoint("start");
        List<String> before = db.dump();
        db.psql("truncate m1;");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        db.psql("truncate m; insert into m values (9, 2, 'z');");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        db.psql("create table m3 partition of m for values in (3); insert into m values (5, 3, 'p');");
        m.checkpoint("with m3");
        List<String> withM3 = db.dump();
        db.psql("truncate m3; truncate m2;");
        m.rollback("with m3");
        assertThat(db.dump()).isEqualTo(withM3);
        db.psql("truncate m2;");
        m.disconnect();
        assertThat(db.dump()).isEqualTo(withM3.stream().filter(r -> !r.startsWith("m3 ")).toList());
        assertThat(db.rows("select count(*) as n from pg_trigger where tgname ilike 'venomqa%'")).containsExactly("n=0");
    }

    @Test
    @DisplayName("an application rule that fires even in replica mode (ENABLE ALWAYS RULE) stays silent during the undo")
    void alwaysRuleSilentDuringUndo() throws SQLException {
        db.exec("create table item (id int primary key, name text)", "create table audit (id serial primary key, what text)",
                "insert into item values (1, 'a'), (2, 'b')",
                "create rule item_ins as on insert to item do also insert into audit (what) values ('ins ' || new.id)",
                "create rule item_del as on delete to item do also insert into audit (what) values ('del ' || old.id)",
                "alter table item enable always rule item_ins", "alter table item enable always rule item_del");
        PostgreSQLStateManager m = manager();
        m.connect();
        m.checkpoint("start");
        List<String> before = db.dump();
        db.psql("delete from item where id = 1; insert into item values (3, 'c');");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        db.psql("delete from item where id = 2;");
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    @DisplayName("ordinary application rules (DO ALSO on insert, update and delete) stay silent during the undo of a manager role that is no superuser (no replica mode: every enabled rule would fire)")
    void rulesSilentWithoutSuperuser() throws SQLException {
        String role = db.schema + "_qa";
        db.exec("create role " + role + " login", "grant create on database " + db.database + " to " + role,
                "alter schema " + db.schema + " owner to " + role);
        try {
            db.psql("set role " + role + ";\n"
                    + "create table item (id int primary key, name text);"
                    + "create table audit (id serial primary key, what text);"
                    + "insert into item values (1, 'a'), (2, 'b');"
                    + "create rule item_ins as on insert to item do also insert into audit (what) values ('ins ' || new.id);"
                    + "create rule item_upd as on update to item do also insert into audit (what) values ('upd ' || old.id);"
                    + "create rule item_del as on delete to item do also insert into audit (what) values ('del ' || old.id);");
            PostgreSQLStateManager m = new PostgreSQLStateManager(db.config()
                    .url("postgresql://" + role + "@" + PgDb.HOST + ":" + PgDb.PORT + "/" + db.database).build());
            db.track(m);
            m.connect();
            List<String> before = db.dump();
            m.checkpoint("start");
            db.psql("delete from item where id = 1; insert into item values (3, 'c'); update item set name = 'B' where id = 2;");
            m.rollback("start");
            assertThat(db.dump()).isEqualTo(before);
            db.psql("delete from item where id = 2; insert into item values (4, 'd');");
            m.disconnect();
            assertThat(db.dump()).isEqualTo(before);
            db.psql("insert into item values (5, 'e');");
            assertThat(db.rows("select what from audit")).as("the rules still fire for the application")
                    .containsExactly("what=ins 5");
        } finally {
            db.disconnectTracked();
            db.exec("drop schema if exists " + db.schema + " cascade", "drop schema if exists venomqa cascade",
                    "drop owned by " + role, "drop role " + role);
        }
    }

    @Test
    @DisplayName("an identity ALWAYS key updated to DEFAULT cannot be written back by an UPDATE: the rollback and disconnect() fail loudly, saying so, nothing undone (before, the row kept its new id and the rollback reported success)")
    void identityAlwaysUpdatedToDefault() throws SQLException {
        db.exec("create table ident (id int generated always as identity primary key, v text)",
                "insert into ident (v) values ('a'), ('b')");
        PostgreSQLStateManager m = manager();
        m.connect();
        m.checkpoint("start");
        db.psql("update ident set v = 'x' where id = 2;");
        m.checkpoint("edited");
        db.psql("update ident set id = default where id = 1;");
        List<String> asLeft = db.dump();
        assertThatThrownBy(() -> m.rollback("edited")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("GENERATED ALWAYS identity column(s) [id] of table 'ident'")
                .hasMessageContaining("GENERATED BY DEFAULT");
        assertThat(db.dump()).as("nothing undone").isEqualTo(asLeft);
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("GENERATED ALWAYS identity column(s) [id] of table 'ident'");
        assertThat(db.dump()).isEqualTo(asLeft);
    }

    @Test
    @DisplayName("an identity ALWAYS column that is not the key, changed by many rows at once (the set-based undo): loud as well")
    void identityAlwaysChangedInABulkUpdate() throws SQLException {
        db.exec("create table ident2 (k int primary key, n int generated always as identity, v text)",
                "insert into ident2 (k, v) select g, 'v' || g from generate_series(1, 40) g");
        PostgreSQLStateManager m = manager();
        m.connect();
        m.checkpoint("start");
        db.psql("update ident2 set n = default, v = v || '!';");
        List<String> asLeft = db.dump();
        assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("GENERATED ALWAYS identity column(s) [n] of table 'ident2'");
        assertThat(db.dump()).isEqualTo(asLeft);
    }

    @Test
    @DisplayName("a journal trigger disabled (and left so) before a table is created mid-run: the pick-up of the new table does not make the disabled trigger the reference, the rollback fails loudly")
    void disabledTriggerNotMaskedByANewTable() throws SQLException {
        db.exec("create table t (id int primary key, v text)", "insert into t values (1, 'a')");
        PostgreSQLStateManager m = manager();
        m.connect();
        m.checkpoint("start");
        db.psql("alter table t disable trigger venomqa_journal_i; insert into t values (2, 'unseen'); create table t2 (id int);");
        assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("journal's triggers").hasMessageContaining("t.venomqa_journal_i");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class).hasMessageContaining("journal's triggers");
    }

    @Test
    @DisplayName("an xml DOCUMENT with a DOCTYPE comes back")
    void xmlDocumentWithDoctype() throws SQLException {
        db.exec("create table x (id int primary key, d xml)",
                "insert into x values (1, xmlparse(document '<?xml version=\"1.0\"?><!DOCTYPE note SYSTEM \"n.dtd\"><note>a</note>'))");
        PostgreSQLStateManager m = manager();
        m.connect();
        m.checkpoint("start");
        List<String> before = db.dump();
        db.psql("update x set id = 2; delete from x;");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
    }
}
