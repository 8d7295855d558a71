package io.venomqa.state.postgres;

import io.venomqa.state.RollbackException;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The savepoint strategy's sequences with the exact semantics the journal has always had (one
 * implementation in the dialect since issue 11): {@code last_value}/{@code is_called} as they were,
 * never below an id another session committed, and sequences created or dropped between
 * checkpoints seen without {@code refreshSchema()}.
 */
class PostgreSQLSequencesTest {

    private static PostgresTestDatabase db;
    private PostgreSQLStateManager manager;

    @BeforeAll
    static void createSchema() {
        db = new PostgresTestDatabase();
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void createTable() throws SQLException {
        admin("drop table if exists items", "drop table if exists later",
                "create table items (id serial primary key, name text not null)");
        manager = new PostgreSQLStateManager(db.config().build());
    }

    @AfterEach
    void disconnect() {
        manager.disconnect();
    }

    @Test
    @DisplayName("rollback puts last_value and is_called back as they were, not an equivalent next value")
    void isCalledRestoredExactly() throws SQLException {
        admin("insert into items (name) values ('a'), ('b')"); // last_value 2, is_called true
        manager.connect();
        String before = sequenceState("items_id_seq");
        manager.checkpoint("cp");
        insert("c");
        manager.rollback("cp");
        assertThat(sequenceState("items_id_seq")).isEqualTo(before).isEqualTo("2:true");
    }

    @Test
    @DisplayName("rollback never sets a sequence below an id another session committed meanwhile")
    void neverBelowCommittedRow() throws SQLException {
        manager.connect();
        manager.checkpoint("cp");
        admin("insert into items (name) values ('committed elsewhere')"); // takes id 1, outside the savepoint
        manager.rollback("cp");
        insert("after rollback"); // would get id 1 again (duplicate key) if the sequence went back
        assertThat(manager.queryRows("select id from items order by id")).extracting(r -> r.get("id"))
                .containsExactly(1, 2);
        // the other connection's row is still there, which disconnect() reports instead of passing
        assertThatThrownBy(manager::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("table items (0 rows at connect, 1 now)");
    }

    @Test
    @DisplayName("a sequence created after connect through the shared DataSource is put back too")
    void sequenceCreatedBetweenCheckpoints() throws SQLException {
        manager.connect();
        manager.checkpoint("start");
        shared("create table later (id serial primary key, v text)");
        manager.checkpoint("table_made");
        shared("insert into later (v) values ('x'), ('y')");
        manager.rollback("table_made");
        assertThat(sequenceState("later_id_seq")).isEqualTo("1:false");
        shared("insert into later (v) values ('z')");
        assertThat(manager.queryRows("select id from later")).extracting(r -> r.get("id")).containsExactly(1);
    }

    @Test
    @DisplayName("a sequence dropped after a checkpoint does not break the next checkpoint, and comes back with rollback")
    void sequenceDroppedBetweenCheckpoints() throws SQLException {
        admin("create table later (id serial primary key, v text)", "insert into later (v) values ('x')");
        manager.connect();
        manager.checkpoint("with_table");
        shared("drop table later");
        manager.checkpoint("without_table");
        manager.rollback("with_table");
        assertThat(sequenceState("later_id_seq")).isEqualTo("1:true");
    }

    @Test
    @DisplayName("a sequence renamed after a checkpoint is captured under its new name and put back by rollback")
    void sequenceRenamedBetweenCheckpoints() throws SQLException {
        manager.connect();
        manager.checkpoint("before");
        insert("a");
        manager.rollback("before"); // the capture and the restore are now prepared on the server
        shared("alter sequence items_id_seq rename to items_renamed_seq");
        manager.checkpoint("renamed");
        insert("b");
        manager.rollback("renamed");
        assertThat(sequenceState("items_renamed_seq")).isEqualTo("1:false");
        insert("c");
        assertThat(manager.queryRows("select id from items")).extracting(r -> r.get("id")).containsExactly(1);
    }

    @Test
    @DisplayName("many checkpoints and rollbacks, with sequences created and dropped, stay exact and leave at most two prepared statements")
    void preparedStatementsFollowTheListOfSequences() throws SQLException {
        manager.connect();
        for (int round = 0; round < 3; round++) {
            if (round == 1) {
                shared("create table later (id serial primary key, v text)");
            }
            if (round == 2) {
                shared("drop table later");
            }
            for (int i = 0; i < 8; i++) {
                String before = sequenceState("items_id_seq");
                manager.checkpoint("cp");
                insert("row " + i);
                if (round == 1) {
                    shared("insert into later (v) values ('v')");
                }
                manager.rollback("cp");
                manager.release("cp");
                assertThat(sequenceState("items_id_seq")).isEqualTo(before);
                if (round == 1) {
                    assertThat(sequenceState("later_id_seq")).isEqualTo("1:false");
                }
            }
        }
        // Read on the manager's own session, where the statements live.
        assertThat(manager.queryRows("select count(*) as n from pg_prepared_statements where name like 'venomqa_counters_%'"))
                .extracting(r -> ((Number) r.get("n")).intValue()).first().matches(n -> n >= 1 && n <= 2, "1 or 2");
    }

    @Test
    @DisplayName("a sequence in another schema, off the search path, that a tracked table's column default draws from is put back exactly by rollback and disconnect")
    void defaultDrawingFromAnotherSchema() throws SQLException {
        String other = db.schema + "_ids";
        admin("create schema " + other, "create sequence " + other + ".shared_ids start 100",
                "create table drawn (id bigint primary key default nextval('" + other + ".shared_ids'), v text)");
        try {
            manager.connect();
            shared("insert into drawn (v) values ('before')"); // takes 100
            manager.checkpoint("cp");
            shared("insert into drawn (v) values ('x'), ('y')");
            manager.rollback("cp");
            assertThat(state(other + ".shared_ids")).isEqualTo("100:true");
            shared("insert into drawn (v) values ('z')");
            assertThat(manager.queryRows("select id from drawn order by id")).extracting(r -> r.get("id"))
                    .containsExactly(100L, 101L);
            manager.disconnect();
            assertThat(committedState(other + ".shared_ids")).isEqualTo("100:false");
        } finally {
            manager.disconnect();
            admin("drop table if exists drawn", "drop schema if exists " + other + " cascade");
        }
    }

    @Test
    @DisplayName("a column default re-pointed after connect at an existing sequence of another schema is seen at the next checkpoint")
    void defaultRepointedAfterConnect() throws SQLException {
        String other = db.schema + "_ids";
        admin("create schema " + other, "create sequence " + other + ".shared_ids start 100");
        try {
            manager.connect();
            manager.checkpoint("before");
            insert("a");
            manager.rollback("before"); // the list of sequences is now cached, without shared_ids
            shared("alter table items alter column id set default nextval('" + other + ".shared_ids')");
            manager.checkpoint("repointed");
            insert("b");
            manager.rollback("repointed");
            assertThat(state(other + ".shared_ids")).isEqualTo("100:false");
        } finally {
            manager.disconnect();
            admin("drop table if exists items", "drop schema if exists " + other + " cascade");
        }
    }

    @Test
    @DisplayName("a sequence in another schema of the search path (public) that the application calls nextval on is put back exactly")
    void nextvalOnTheSearchPath() throws SQLException {
        String sequence = "public." + db.schema + "_counter"; // the manager's search_path is the schema, then public
        admin("create sequence " + sequence + " start 7");
        try {
            manager.connect();
            manager.checkpoint("cp");
            for (int i = 0; i < 3; i++) {
                shared("select nextval('" + db.schema + "_counter')"); // unqualified: found on the search path
            }
            manager.rollback("cp");
            assertThat(state(sequence)).isEqualTo("7:false");
            shared("select nextval('" + db.schema + "_counter')");
            manager.disconnect();
            assertThat(committedState(sequence)).isEqualTo("7:false");
        } finally {
            manager.disconnect();
            admin("drop sequence if exists " + sequence);
        }
    }

    private String state(String qualifiedSequence) {
        var row = ((JdbcStateManager) manager).queryRows("select last_value, is_called from " + qualifiedSequence).get(0);
        return row.get("last_value") + ":" + row.get("is_called");
    }

    /** {@code last_value:is_called} as another session sees it. */
    private static String committedState(String qualifiedSequence) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select last_value, is_called from " + qualifiedSequence)) {
            rs.next();
            return rs.getLong(1) + ":" + rs.getBoolean(2);
        }
    }

    private void insert(String name) throws SQLException {
        shared("insert into items (name) values ('" + name + "')");
    }

    private void shared(String sql) throws SQLException {
        try (Connection c = manager.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** {@code last_value:is_called}, read on the manager's connection (inside its transaction). */
    private String sequenceState(String sequence) {
        var row = ((JdbcStateManager) manager).queryRows("select last_value, is_called from " + db.schema + "." + sequence).get(0);
        return row.get("last_value") + ":" + row.get("is_called");
    }

    private static void admin(String... sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }
}
