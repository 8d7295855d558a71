package io.venomqa.state.journal;

import io.venomqa.state.CheckpointTree;
import io.venomqa.state.RollbackException;
import io.venomqa.state.StateManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MariaDB's undo under {@code LOCK TABLES} (since 2026-12-07): where it cannot take the lock it undoes as it did
 * before, never worse. A session that keeps a transaction open on the journaled tables is not waited for; a user
 * without the {@code LOCK TABLES} privilege rolls back as before (refused only when the application commits
 * during the undo), and with it, never refused; a table the undo opens that the lock did not name (a sequence of
 * another database behind a column default) fails the locked try, which is rolled back and made again without.
 * The application writing in the background while rollbacks run is {@code JournalConcurrentWriterTest}'s and
 * {@code QuartzJournalTest}'s.
 */
class MySqlJournalUndoLockTest {

    @Test
    @DisplayName("transactions left open on the journaled tables (one that read, one that wrote) are not waited for: the rollback undoes without the lock, as before, and leaves the open write alone")
    // Updates only: a counter that moved is put back by DDL, which waits for such transactions (lock_timeout) with
    // or without the lock (MySqlJournalAuditTest.countersWaitForAReaderBoundedByLockTimeout).
    void openTransactionsAreNotWaitedFor() throws Exception {
        try (MyDb db = new MyDb()) {
            db.exec("create table t (id bigint auto_increment primary key, v varchar(20)) engine = InnoDB",
                    "insert into t (v) values ('a'), ('b')");
            List<String> before = db.rows("select * from t order by id");
            StateManager m = db.trackedManager();
            m.connect();
            m.checkpoint("start");
            db.exec("update t set v = 'c' where v = 'a'");
            try (Connection reader = db.connect(); Statement st = reader.createStatement()) {
                reader.setAutoCommit(false);
                st.executeQuery("select count(*) from t").close(); // holds the table's metadata lock until it ends
                m.rollback("start");
                assertThat(db.rows("select * from t order by id")).isEqualTo(before);
                reader.commit();
            }
            db.exec("update t set v = 'd' where v = 'a'");
            try (Connection writer = db.connect(); Statement st = writer.createStatement()) {
                writer.setAutoCommit(false);
                st.executeUpdate("update t set v = 'open' where id = 2"); // locks that row only
                m.rollback("start");
                assertThat(db.rows("select v from t order by id")).containsExactly("v=a", "v=b");
                writer.commit();
            }
            assertThat(db.rows("select v from t order by id")).containsExactly("v=a", "v=open");
            m.rollback("start"); // a write committed after the rollback is undone by the next one, as before
            assertThat(db.rows("select * from t order by id")).isEqualTo(before);
            m.disconnect();
            assertThat(db.rows("select * from t order by id")).isEqualTo(before);
        }
    }

    @Test
    @DisplayName("a transaction left open, VenomQA's user without the PROCESS privilege (it cannot see who waits): the lock is tried for its second, then the rollback undoes without it")
    void openTransactionWithoutTheProcessPrivilege() throws Exception {
        try (MyUsersDb db = new MyUsersDb()) {
            db.exec("create table t (id bigint auto_increment primary key, v varchar(20)) engine = InnoDB",
                    "insert into t (v) values ('a'), ('b')",
                    "grant lock tables on `" + db.name() + "`.* to '" + db.venomqa + "'@'%'",
                    "grant lock tables on `" + db.name() + "`.* to '" + db.venomqa + "'@'localhost'");
            List<String> before = db.rows("select * from t order by id");
            StateManager m = db.manager();
            m.connect();
            try {
                m.checkpoint("start");
                db.exec("update t set v = 'c' where v = 'a'");
                try (Connection reader = db.connect(); Statement st = reader.createStatement()) {
                    reader.setAutoCommit(false);
                    st.executeQuery("select count(*) from t").close();
                    m.rollback("start");
                    reader.commit();
                }
                assertThat(db.rows("select * from t order by id")).isEqualTo(before);
            } finally {
                m.disconnect();
            }
            assertThat(db.rows("select * from t order by id")).isEqualTo(before);
        }
    }

    @Test
    @DisplayName("without the LOCK TABLES privilege, rollbacks while the application writes are exact or refused as before; with it, none is refused")
    void withAndWithoutTheLockTablesPrivilege() throws Exception {
        try (MyUsersDb db = new MyUsersDb()) {
            db.exec("create table t (id bigint auto_increment primary key, v varchar(20)) engine = InnoDB",
                    "insert into t (v) values ('a'), ('b'), ('c')");
            List<String> before = db.rows("select * from t order by id");
            List<String> refusedWithout = rollbacksWhileWriting(db, 8);
            assertThat(refusedWithout).allSatisfy(message -> assertThat(message).contains("while the undo ran")
                    .contains("nothing changed").doesNotContain("LOCK TABLES"));
            assertThat(db.rows("select * from t order by id")).isEqualTo(before);
            db.exec("grant lock tables on `" + db.name() + "`.* to '" + db.venomqa + "'@'%'",
                    "grant lock tables on `" + db.name() + "`.* to '" + db.venomqa + "'@'localhost'");
            assertThat(rollbacksWhileWriting(db, 8)).as("rollbacks refused with LOCK TABLES granted").isEmpty();
            assertThat(db.rows("select * from t order by id")).isEqualTo(before);
        }
    }

    /**
     * A manager of {@code db} rolling back {@code times} times while the application inserts without pause, then
     * once more and {@code disconnect()} with the application stopped; the refusals' messages.
     */
    private static List<String> rollbacksWhileWriting(MyUsersDb db, int times) throws Exception {
        StateManager m = db.manager();
        m.connect();
        List<String> refused = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger inserted = new AtomicInteger();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        try {
            m.checkpoint("start");
            Thread application = new Thread(() -> {
                try (Connection app = db.connect(); Statement st = app.createStatement()) {
                    while (!stop.get()) {
                        st.executeUpdate("insert into t (v) values ('app')");
                        inserted.incrementAndGet();
                    }
                } catch (SQLException e) {
                    failures.add(e.getMessage());
                }
            }, "application");
            application.start();
            try {
                for (int i = 0; i < times; i++) {
                    int seen = inserted.get();
                    while (inserted.get() < seen + 3 && application.isAlive()) {
                        Thread.onSpinWait();
                    }
                    try {
                        m.rollback("start");
                    } catch (RollbackException e) {
                        refused.add(e.getMessage());
                    }
                }
            } finally {
                stop.set(true);
                application.join();
            }
            assertThat(failures).as("the application's inserts").isEmpty();
            m.rollback("start");
        } finally {
            m.disconnect();
        }
        return refused;
    }

    @Test
    @DisplayName("a column drawing its default from a sequence of another database: the locked undo cannot open it, is rolled back and made again without the lock; rollbacks, tree restores and disconnect() exact")
    void sequenceOfAnotherDatabase() throws Exception {
        try (MyDb db = new MyDb()) {
            String other = db.name + "_ids";
            db.exec("create database `" + other + "`");
            try {
                db.exec("create sequence `" + other + "`.ids",
                        "create table orders (id bigint primary key default (next value for `" + other + "`.ids), "
                                + "item varchar(20)) engine = InnoDB",
                        "insert into orders (item) values ('first')");
                List<String> before = db.rows("select * from orders order by id");
                StateManager m = db.trackedManager();
                m.connect();
                CheckpointTree tree = m.checkpointTree().orElseThrow();
                m.checkpoint("start");
                db.exec("insert into orders (item) values ('second')", "update orders set item = 'changed' where item = 'first'");
                List<String> one = db.rows("select * from orders order by id");
                m.checkpoint("one");
                tree.restore("start");
                assertThat(db.rows("select * from orders order by id")).isEqualTo(before);
                db.exec("delete from orders");
                m.checkpoint("other");
                tree.restore("one");
                assertThat(db.rows("select * from orders order by id")).isEqualTo(one);
                tree.restore("other");
                assertThat(db.rows("select * from orders order by id")).isEmpty();
                db.exec("insert into orders (item) values ('third')");
                m.disconnect();
                assertThat(db.rows("select * from orders order by id")).isEqualTo(before);
                StateManager next = db.trackedManager(); // its first undo under the lock is disconnect()'s
                next.connect();
                next.checkpoint("start");
                db.exec("insert into orders (item) values ('fourth')", "delete from orders where item = 'first'");
                next.disconnect();
                assertThat(db.rows("select * from orders order by id")).isEqualTo(before);
            } finally {
                db.exec("drop database `" + other + "`");
            }
        }
    }
}
