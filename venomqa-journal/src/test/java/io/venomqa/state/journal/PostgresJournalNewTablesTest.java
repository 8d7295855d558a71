package io.venomqa.state.journal;

import io.venomqa.state.RollbackException;
import io.venomqa.state.postgres.PostgreSQLStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tables that appear in the journaled schema during a run ({@code CREATE TABLE}, {@code CREATE TABLE … AS},
 * {@code SELECT … INTO}, {@code ALTER TABLE … SET SCHEMA}), written by the application in another process
 * (psql). Their triggers are installed only when the next checkpoint or rollback finds them, so their rows
 * from before that are not journaled. Until 2026-12-06 a rollback to a checkpoint taken before such a table
 * existed, and {@code disconnect()}, reported success with its rows still there; now both fail naming it,
 * unless the undo leaves it empty. A database of its own per test (the
 * class's, as new for each test: {@link OwnPgDatabase}).
 */
class PostgresJournalNewTablesTest {

    @RegisterExtension
    static final OwnPgDatabase DATABASE = new OwnPgDatabase();

    private PgDb db;

    @BeforeEach
    void setUp() throws SQLException {
        db = new PgDb(DATABASE);
        db.exec("create table t (id int primary key, v text)", "insert into t values (1, 'a')");
    }

    @AfterEach
    void tearDown() throws SQLException {
        db.close();
    }

    private long ourTriggers() throws SQLException {
        return Long.parseLong(db.rows("select count(*) as n from pg_trigger where tgname ilike 'venomqa%'").get(0)
                .substring(2));
    }

    @Test
    @DisplayName("tables created with rows after a checkpoint (CREATE TABLE, CREATE TABLE AS, SELECT INTO) fail the rollback to it, the tree restore and disconnect(), naming them with their rows; nothing undone by the rollback, the rest put back by disconnect()")
    void createdWithRowsFailRollbackAndDisconnect() throws SQLException {
        PostgreSQLStateManager m = db.trackedManager();
        m.connect();
        List<String> before = db.dump();
        m.checkpoint("c1");
        db.psql("create table n (id serial primary key, v text); insert into n(v) values ('x'), ('y');"
                + "insert into t values (2, 'b');"
                + "create table n2 as select * from t; select * into n3 from t;");
        assertThatThrownBy(() -> m.rollback("c1")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("['n' (2 rows), 'n2' (2 rows), 'n3' (2 rows)]")
                .hasMessageContaining("did not exist at this checkpoint and hold rows")
                .hasMessageContaining("Nothing was undone")
                .hasMessageContaining("before connect()")
                .hasMessageContaining("DROP TABLE");
        assertThat(db.rows("select * from t order by id")).containsExactly("id=1|v=a", "id=2|v=b");
        assertThatThrownBy(() -> m.checkpointTree().orElseThrow().restore("c1")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("['n' (2 rows), 'n2' (2 rows), 'n3' (2 rows)]");

        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("['n' (2 rows), 'n2' (2 rows), 'n3' (2 rows)]")
                .hasMessageContaining("created during the run")
                .hasMessageContaining("The journaled changes of the other tables were undone");
        assertThat(db.rows("select * from t order by id")).containsExactly("id=1|v=a");
        assertThat(ourTriggers()).isZero();
        db.exec("drop table n, n2, n3");
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    @DisplayName("a table moved into the schema with ALTER TABLE … SET SCHEMA fails the rollback and disconnect() with its rows named")
    void movedInFailsRollbackAndDisconnect() throws SQLException {
        db.exec("create schema elsewhere", "create table elsewhere.x (id int primary key)",
                "insert into elsewhere.x values (1), (2), (3)");
        PostgreSQLStateManager m = db.trackedManager();
        m.connect();
        m.checkpoint("c1");
        db.psql("alter table elsewhere.x set schema " + db.schema + ";");
        assertThatThrownBy(() -> m.rollback("c1")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("['x' (3 rows)]");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class).hasMessageContaining("['x' (3 rows)]");
    }

    @Test
    @DisplayName("the way out: dropping the new table makes the next rollback exact; a rollback to a checkpoint taken after the table appeared works throughout")
    void droppingTheNewTableLetsTheRollbackThrough() throws SQLException {
        PostgreSQLStateManager m = db.trackedManager();
        m.connect();
        List<String> before = db.dump();
        m.checkpoint("c1");
        db.psql("create table n (id int primary key, v text); insert into n values (1, 'x'); insert into t values (2, 'b');");
        m.checkpoint("c2");
        List<String> atC2 = db.dump();
        db.psql("insert into n values (2, 'y'); update n set v = 'changed'; insert into t values (3, 'c');");
        m.rollback("c2");
        assertThat(db.dump()).isEqualTo(atC2);
        assertThatThrownBy(() -> m.rollback("c1")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("['n' (1 row)]");
        db.psql("insert into n values (3, 'z'); drop table n;");
        m.rollback("c1");
        assertThat(db.dump()).isEqualTo(before);
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
        assertThat(ourTriggers()).isZero();
    }

    @Test
    @DisplayName("tables created and dropped within the run, new tables the undo leaves empty, temporary tables: rollbacks and disconnect() pass, exact")
    void harmlessNewTables() throws SQLException {
        PostgreSQLStateManager m = db.trackedManager();
        m.connect();
        List<String> before = db.dump();
        m.checkpoint("c1");
        try (Connection app = db.connect(); Statement st = app.createStatement()) {
            st.execute("create temp table scratch (id int); insert into scratch values (1)");
            db.psql("create table gone (id int); insert into gone values (1); drop table gone;"
                    + "create table empty_one (id int primary key); insert into t values (2, 'b');");
            m.rollback("c1");
            assertThat(db.rows("select * from t order by id")).containsExactly("id=1|v=a");
            db.psql("insert into empty_one values (1), (2); insert into t values (2, 'b');");
            m.rollback("c1");
            assertThat(db.rows("select count(*) as n from empty_one")).containsExactly("n=0");
            db.psql("insert into empty_one values (3);");
            m.disconnect();
            assertThat(JournalDb.rows(app, "select count(*) as n from scratch")).containsExactly("n=1"); // the session's own
        }
        db.exec("drop table empty_one");
        assertThat(db.dump()).isEqualTo(before);
        assertThat(ourTriggers()).isZero();
    }

    @Test
    @DisplayName("a journaled table moved to another schema keeps no journal trigger after disconnect(), and the venomqa schema goes")
    void movedOutTableLosesItsJournalTriggers() throws SQLException {
        db.exec("create schema elsewhere");
        PostgreSQLStateManager m = db.trackedManager();
        m.connect();
        m.checkpoint("c1");
        db.psql("update t set v = 'changed'; alter table t set schema elsewhere;");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class).hasMessageContaining("t: table dropped");
        assertThat(ourTriggers()).isZero();
        assertThat(db.venomqaObjects()).isZero();
    }

    @Test
    @DisplayName("a journaled table renamed and a new one created under its name: the rollback and disconnect() say it was renamed, and to what")
    void renamedTableIsNamed() throws SQLException {
        PostgreSQLStateManager m = db.trackedManager();
        m.connect();
        m.checkpoint("c1");
        db.psql("update t set v = 'changed'; alter table t rename to t_old; create table t (id int primary key, v text);"
                + "insert into t values (7, 'seven');");
        assertThatThrownBy(() -> m.rollback("c1")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("table 't' renamed to 't_old' (ALTER TABLE … RENAME TO")
                .hasMessageContaining("a table under the old name now, if any, is another one")
                .hasMessageNotContaining("appeared");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("table 't' renamed to 't_old'");
        assertThat(ourTriggers()).isZero();
        assertThat(db.venomqaObjects()).isZero();
    }

    /** {@code last_value} of sequence {@code name} of the schema, null while it was never called (as created). */
    private String lastValue(String name) throws SQLException {
        return db.rows("select last_value as v from pg_sequences where schemaname = current_schema() and sequencename = '"
                + name + "'").get(0);
    }

    @Test
    @DisplayName("sequences created during the run (CREATE SEQUENCE, a serial table's) start again from their start after a rollback, a tree restore or disconnect() to before them: the next path gets the ids the first one got; a checkpoint taken after them keeps its values")
    void sequencesCreatedDuringTheRunStartAgain() throws SQLException {
        PostgreSQLStateManager m = db.trackedManager();
        m.connect();
        m.checkpoint("c1");
        // The first path: the application makes what it needs on first use, and takes ids from it.
        String firstPath = "create sequence if not exists inv start 100; select nextval('inv');"
                + "create table if not exists n (id serial primary key, v text); insert into n(v) values ('x') returning id;";
        assertThat(db.psql(firstPath + "delete from n;")).isEqualTo("100\n1\n");
        assertThat(lastValue("inv")).isEqualTo("v=100");
        m.rollback("c1");
        assertThat(lastValue("inv")).isEqualTo("v=null");
        assertThat(lastValue("n_id_seq")).isEqualTo("v=null");
        // The second path gets the same ids as the first.
        assertThat(db.psql("select nextval('inv');")).isEqualTo("100\n");
        assertThat(db.rows("insert into n(v) values ('y') returning id")).containsExactly("id=1");

        m.checkpoint("c2"); // inv at 100, n_id_seq at 1, one row in n
        db.psql("select nextval('inv'); insert into n(v) values ('z');");
        m.rollback("c2");
        assertThat(lastValue("inv")).isEqualTo("v=100");
        assertThat(lastValue("n_id_seq")).isEqualTo("v=1");

        db.psql("delete from n; select nextval('inv');");
        m.checkpointTree().orElseThrow().restore("c1");
        assertThat(lastValue("inv")).isEqualTo("v=null");
        assertThat(lastValue("n_id_seq")).isEqualTo("v=null");

        db.psql(firstPath + "delete from n;");
        m.disconnect();
        assertThat(lastValue("inv")).isEqualTo("v=null");
        assertThat(lastValue("n_id_seq")).isEqualTo("v=null");
        db.exec("drop table n", "drop sequence inv");
    }

    @Test
    @DisplayName("a sequence moved into the schema during the run (ALTER SEQUENCE … SET SCHEMA) is not taken for one the run created: a rollback and disconnect() to before the move leave its value, never set it back to a START it was not at; one with CACHE > 1 is refused")
    void sequenceMovedInIsNotSetBackToItsStart() throws SQLException {
        db.exec("create schema elsewhere", "create sequence elsewhere.moved start 100",
                "select nextval('elsewhere.moved'), nextval('elsewhere.moved')", // 101 when the run starts
                "create sequence elsewhere.cached cache 20");
        PostgreSQLStateManager m = db.trackedManager();
        m.connect();
        m.checkpoint("c1");
        db.psql("alter sequence elsewhere.moved set schema " + db.schema + "; select nextval('moved');"); // 102
        m.checkpoint("c2");
        db.psql("select nextval('moved');");
        m.rollback("c2");
        assertThat(lastValue("moved")).isEqualTo("v=102");
        m.rollback("c1");
        assertThat(lastValue("moved")).as("left as the move found it, not at START").isEqualTo("v=102");

        db.psql("alter sequence elsewhere.cached set schema " + db.schema + ";");
        assertThatThrownBy(() -> m.rollback("c1")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("moved into the schema during the run with CACHE 20");
        db.exec("alter sequence cached cache 1");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class).hasMessageContaining("cached");
        assertThat(lastValue("moved")).isEqualTo("v=102");
        db.exec("drop sequence moved, cached", "drop schema elsewhere");
    }

    @Test
    @DisplayName("a sequence created during the run with CACHE > 1 fails the rollback, naming it and ALTER SEQUENCE … CACHE 1; disconnect() names it too")
    void sequenceCreatedWithACacheIsRefused() throws SQLException {
        PostgreSQLStateManager m = db.trackedManager();
        m.connect();
        m.checkpoint("c1");
        db.psql("create sequence cached_ids cache 20; select nextval('cached_ids');");
        assertThatThrownBy(() -> m.rollback("c1")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("cached_ids")
                .hasMessageContaining("created during the run with CACHE 20")
                .hasMessageContaining("CACHE 1");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("created during the run with CACHE 20");
        db.exec("drop sequence cached_ids");
    }

    @Test
    @DisplayName("disconnect() with a table created during the run still holding rows leaves its sequence past them: the next insert gets a free id")
    void newTableWithRowsKeepsItsCounterAtDisconnect() throws SQLException {
        PostgreSQLStateManager m = db.trackedManager();
        m.connect();
        m.checkpoint("c1");
        db.psql("create table n (id serial primary key, v text); insert into n(v) values ('x'), ('y');");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class).hasMessageContaining("['n' (2 rows)]");
        assertThat(db.rows("insert into n(v) values ('z') returning id")).containsExactly("id=3");
        db.exec("drop table n");
    }
}
