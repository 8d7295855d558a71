package io.venomqa.state.journal;

import io.venomqa.state.CheckpointTree;
import io.venomqa.state.RollbackException;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Option {@code verify_rollbacks}: every checkpoint reads the tracked tables, and every rollback, tree restore
 * and {@code disconnect()} compares them again, failing when the strategy reported success with the rows not as
 * they were. A journal entry removed behind VenomQA's back stands for a change the strategy did not see; the
 * savepoint strategy with an application writing through a connection of its own stands for a write it cannot
 * undo. A database of its own per case.
 */
class VerifyRollbacksTest {

    private static JournalDb open(String backend) {
        return switch (backend) {
            case "postgresql" -> new PgDb(true);
            case "mariadb" -> new MyDb();
            default -> new SqliteDb();
        };
    }

    private static String journal(String backend) {
        return backend.equals("postgresql") ? "venomqa.journal" : "venomqa_journal";
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgresql", "mariadb", "sqlite"})
    @DisplayName("journal: exact rollbacks, tree restores, releases and disconnect() pass with the check on, with no false alarm")
    void exactRunsPass(String backend) throws Exception {
        try (JournalDb db = open(backend)) {
            db.exec("create table t (id int primary key, v varchar(20))", "insert into t values (1, 'a')");
            List<String> before = db.rows("select * from t order by id");
            StateManager m = StateManagers.create(db.config().option("verify_rollbacks", true).build());
            m.connect();
            m.checkpoint("c1");
            db.exec("insert into t values (2, 'b')", "update t set v = 'z' where id = 1");
            m.checkpoint("c2");
            db.exec("delete from t where id = 1");
            m.rollback("c2");
            assertThat(db.rows("select * from t order by id")).containsExactly("id=1|v=z", "id=2|v=b");
            CheckpointTree tree = m.checkpointTree().orElseThrow();
            tree.restore("c1");
            tree.restore("c2");
            m.release("c2");
            m.rollback("c1");
            db.exec("insert into t values (3, 'c')");
            m.disconnect();
            assertThat(db.rows("select * from t order by id")).isEqualTo(before);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgresql", "mariadb", "sqlite"})
    @DisplayName("journal: a change the journal did not record (its entry removed behind VenomQA's back) fails the rollback, which forgets the checkpoints, and disconnect(); without the check both report success")
    void changeTheJournalMissedFails(String backend) throws Exception {
        try (JournalDb db = open(backend)) {
            db.exec("create table t (id int primary key, v varchar(20))", "insert into t values (1, 'a')");
            StateManager m = StateManagers.create(db.config().option("verify_rollbacks", true).build());
            m.connect();
            try {
                m.checkpoint("c1");
                m.checkpoint("c2");
                db.exec("insert into t values (2, 'unseen')", "delete from " + journal(backend));
                assertThatThrownBy(() -> m.rollback("c1")).isInstanceOf(RollbackException.class)
                        .hasMessageContaining("reported success, but verify_rollbacks found")
                        // MySQL/MariaDB's server-side digest carries no row count.
                        .hasMessageContaining(backend.equals("mariadb") ? "the checkpoint: 't'." : "'t' (1 rows then, 2 now)")
                        .hasMessageContaining("Every checkpoint of this run was forgotten");
                assertThat(m.activeCheckpoints()).isEmpty();
            } finally {
                assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                        .hasMessageContaining("rows are not those connect() found");
            }
            db.exec("delete from t where id = 2");

            StateManager unchecked = StateManagers.create(db.config().build());
            unchecked.connect();
            unchecked.checkpoint("c1");
            db.exec("insert into t values (2, 'unseen')", "delete from " + journal(backend));
            unchecked.rollback("c1");
            unchecked.disconnect();
            assertThat(db.rows("select count(*) as n from t")).as("what the check is there for").containsExactly("n=2");
        }
    }

    @org.junit.jupiter.api.Test
    @DisplayName("savepoint strategy: rows an application commits through a connection of its own fail the rollback at once (before, only disconnect() said so); the application's writes through sharedDataSource() are exact and pass")
    void savepointStrategyOtherWritersFailTheRollback() throws Exception {
        try (PgDb db = new PgDb(true)) {
            db.exec("create table t (id int primary key, v text)", "insert into t values (1, 'a')");
            StateManager m = StateManagers.create(db.config().option("checkpoint_strategy", "savepoint")
                    .option("verify_rollbacks", true).build());
            m.connect();
            try {
                m.checkpoint("c1");
                try (var c = ((io.venomqa.state.jdbc.JdbcStateManager) m).sharedDataSource().getConnection();
                     var st = c.createStatement()) {
                    st.execute("insert into t values (2, 'shared')");
                }
                m.rollback("c1");
                db.exec("insert into t values (3, 'own pool')");
                assertThatThrownBy(() -> m.rollback("c1")).isInstanceOf(RollbackException.class)
                        .hasMessageContaining("'t' (1 rows then, 2 now)");
            } finally {
                assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class);
            }
        }
    }

    @org.junit.jupiter.api.Test
    @DisplayName("savepoint strategy on SQLite (no digest of its own: the rows are read and hashed in Java): exact rollbacks, a reset and disconnect() pass with the check on")
    void savepointStrategyOnSqlitePasses() throws Exception {
        try (SqliteDb db = new SqliteDb()) {
            db.exec("create table t (id integer primary key, v text, b blob)", "insert into t values (1, 'a', x'00ff')");
            StateManager m = StateManagers.create(db.config().option("checkpoint_strategy", "savepoint")
                    .option("verify_rollbacks", true).build());
            m.connect();
            javax.sql.DataSource shared = ((io.venomqa.state.jdbc.JdbcStateManager) m).sharedDataSource();
            m.checkpoint("c1");
            try (var c = shared.getConnection(); var st = c.createStatement()) {
                st.execute("insert into t values (2, 'b', x'01'); update t set v = 'z', b = x'02' where id = 1");
            }
            m.checkpoint("c2");
            try (var c = shared.getConnection(); var st = c.createStatement()) {
                st.execute("delete from t");
            }
            m.rollback("c2");
            m.rollback("c1");
            m.reset();
            m.checkpoint("c3");
            try (var c = shared.getConnection(); var st = c.createStatement()) {
                st.execute("insert into t values (5, 'e', null)");
            }
            m.rollback("c3");
            m.disconnect();
        }
    }
}
