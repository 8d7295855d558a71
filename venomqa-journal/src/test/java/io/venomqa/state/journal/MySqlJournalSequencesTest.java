package io.venomqa.state.journal;

import io.venomqa.state.CheckpointTree;
import io.venomqa.state.StateManager;
import io.venomqa.state.mysql.MySQLStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MariaDB {@code SEQUENCE} objects under the journal: a rollback, a tree restore and
 * {@code disconnect()} give the application the values it would have had at the checkpoint (before,
 * the rows came back but the sequences went on), and checkpoints take no value away from it.
 * The application is another process (the {@code mariadb} client) or its own JDBC connection.
 */
class MySqlJournalSequencesTest {

    private MyDb db;
    private final List<StateManager> managers = new ArrayList<>();

    @BeforeEach
    void setUp() throws SQLException {
        db = new MyDb();
        db.exec("create sequence s", // cache 1000: the server hands out values from memory
                "create sequence n nocache",
                "create sequence neg start with -1 increment by -1 minvalue -1000000 maxvalue -1",
                "create sequence cyc start with 1 minvalue 1 maxvalue 3 cycle cache 2",
                "create table orders (id bigint primary key default (next value for s), item varchar(20))",
                "insert into orders (item) values ('first'), ('second')", // s: next is 3
                "select nextval(n), nextval(neg), nextval(cyc)"); // n: 2, neg: -2, cyc: 2
    }

    @AfterEach
    void tearDown() throws SQLException {
        try {
            for (StateManager m : managers) {
                m.disconnect();
            }
        } finally {
            db.close();
        }
    }

    private StateManager manager(String... excluded) {
        StateManager m = new MySQLStateManager(db.config().excludeTables(List.of(excluded)).build());
        managers.add(m);
        m.connect();
        return m;
    }

    /** What the application gets next from each sequence, taking it (as the application would). */
    private List<Long> take(String... sequences) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : sequences) {
                try (ResultSet rs = st.executeQuery("select nextval(" + s + ")")) {
                    rs.next();
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    private List<String> orders() throws SQLException {
        return db.rows("select * from orders order by id");
    }

    @Test
    @DisplayName("two paths from one checkpoint get the same ids from a sequence, written by another process; disconnect() puts the sequence back too")
    void pathsGetTheSameIds() throws SQLException {
        StateManager m = manager();
        List<String> before = orders();
        m.checkpoint("cart");
        db.cli("insert into orders (item) values ('card'), ('card again'); select nextval(s);");
        List<String> pathA = orders();
        assertThat(pathA).contains("id=3|item=card", "id=4|item=card again");
        m.rollback("cart");
        assertThat(orders()).isEqualTo(before);
        db.cli("insert into orders (item) values ('card'), ('card again'); select nextval(s);");
        assertThat(orders()).isEqualTo(pathA);
        m.rollback("cart");
        assertThat(take("s")).containsExactly(3L);
        m.disconnect();
        assertThat(orders()).isEqualTo(before);
        assertThat(take("s", "n", "neg", "cyc")).containsExactly(3L, 2L, -2L, 2L);
    }

    @Test
    @DisplayName("an application's id pool (a sequence stepping by 50 that no column takes from: Hibernate's allocationSize) is left ahead "
            + "by rollbacks, restores and disconnect(); one stepping by 50 that a column's default takes from is put back")
    void applicationIdPoolsAreLeftAhead() throws SQLException {
        db.exec("create sequence ticket_seq start with 1 increment by 50 nocache", "create sequence lot_no increment by 50",
                "create table lots (id int primary key, lot bigint default (next value for lot_no))");
        StateManager m = manager();
        m.checkpoint("cp");
        assertThat(take("ticket_seq", "ticket_seq")).containsExactly(1L, 51L);
        db.cli("insert into lots (id) values (1);");
        m.checkpoint("later");
        m.checkpointTree().orElseThrow().restore("cp");
        assertThat(db.rows("select * from lots")).isEmpty();
        assertThat(take("ticket_seq")).as("the pool stays where the application took it").containsExactly(101L);
        m.checkpointTree().orElseThrow().restore("later");
        m.rollback("cp");
        m.disconnect();
        assertThat(take("ticket_seq", "lot_no")).containsExactly(151L, 1L);
    }

    @Test
    @DisplayName("checkpoints of sequences nobody used take no value: cached, uncached, descending and cycling sequences go on where they were")
    void checkpointsTakeNoValue() throws SQLException {
        StateManager m = manager();
        m.checkpoint("a");
        m.checkpoint("b");
        m.checkpoint("c");
        assertThat(take("s", "n", "neg", "cyc")).containsExactly(3L, 2L, -2L, 2L);
        m.checkpoint("d");
        assertThat(take("s", "n", "neg", "cyc", "cyc", "cyc")).containsExactly(4L, 3L, -3L, 3L, 1L, 2L);
        m.rollback("d");
        assertThat(take("s", "n", "neg", "cyc")).containsExactly(4L, 3L, -3L, 3L);
        m.rollback("a");
        m.checkpoint("e");
        m.rollback("e");
        assertThat(take("s", "n", "neg", "cyc", "cyc")).containsExactly(3L, 2L, -2L, 2L, 3L);
    }

    @Test
    @DisplayName("a tree restore (exploration) gives each checkpoint its own sequence values")
    void treeRestore() throws SQLException {
        StateManager m = manager();
        CheckpointTree tree = m.checkpointTree().orElseThrow();
        m.checkpoint("root");
        db.exec("insert into orders (item) values ('a')"); // 3
        m.checkpoint("one");
        db.exec("insert into orders (item) values ('b'), ('c')"); // 4, 5
        m.checkpoint("three");
        tree.restore("root");
        assertThat(take("s")).containsExactly(3L);
        tree.restore("three");
        assertThat(orders()).hasSize(5);
        assertThat(take("s")).containsExactly(6L);
        tree.restore("one");
        assertThat(take("s")).containsExactly(4L);
    }

    @Test
    @DisplayName("a sequence created during the run is followed from the next checkpoint; one dropped since is skipped")
    void createdAndDroppedDuringTheRun() throws SQLException {
        StateManager m = manager();
        db.exec("create sequence later start with 100", "select nextval(later)");
        m.checkpoint("with later");
        assertThat(take("later", "later")).containsExactly(101L, 102L);
        m.rollback("with later");
        assertThat(take("later")).containsExactly(101L);
        m.checkpoint("before drop");
        db.exec("drop sequence later");
        m.rollback("before drop");
        assertThat(db.rows("select table_name from information_schema.tables where table_schema = database() "
                + "and table_name = 'later'")).isEmpty();
    }

    @Test
    @DisplayName("a sequence created during the run (CREATE SEQUENCE IF NOT EXISTS on first use) is back at its START after a rollback, a tree restore and disconnect() to before it: the next path gets the values the first one got")
    void createdDuringTheRunStartsAgain() throws SQLException {
        StateManager m = manager();
        CheckpointTree tree = m.checkpointTree().orElseThrow();
        m.checkpoint("before");
        String firstUse = "create sequence if not exists tickets start with 500; select nextval(tickets);";
        assertThat(db.cli(firstUse)).isEqualTo("500\n");
        m.checkpoint("used"); // sees tickets for the first time
        assertThat(take("tickets")).containsExactly(501L);
        m.rollback("before");
        assertThat(db.cli(firstUse)).as("the next path's first value").isEqualTo("500\n");
        m.checkpoint("used again");
        tree.restore("before");
        assertThat(take("tickets")).containsExactly(500L);
        tree.restore("used again");
        assertThat(take("tickets")).containsExactly(501L);
        m.disconnect();
        assertThat(take("tickets")).containsExactly(500L);
        db.exec("drop sequence tickets");

        // Dropped and created again with another START during the run: a new sequence, which starts again there.
        StateManager again = manager();
        again.checkpoint("a");
        db.exec("create sequence t2 start with 10", "select nextval(t2)");
        again.checkpoint("b");
        db.exec("drop sequence t2", "create sequence t2 start with 50", "select nextval(t2)");
        again.rollback("a");
        assertThat(take("t2")).containsExactly(50L);
        db.exec("drop sequence t2");
    }

    @Test
    @DisplayName("a sequence's options changed during the run (ALTER SEQUENCE … INCREMENT BY, MAXVALUE, CYCLE, CACHE): rollbacks are refused naming them, disconnect() puts the rows back and throws naming the sequence, which keeps its new options (before 2026-12-06 both reported success, the value restored and the options not)")
    void optionsChangedDuringTheRunAreLoud() throws SQLException {
        StateManager m = manager();
        List<String> before = orders();
        m.checkpoint("a");
        db.cli("insert into orders (item) values ('x'); alter sequence n increment by 5 maxvalue 1000 cycle; "
                + "alter sequence s cache 50;");
        assertThatThrownBy(() -> m.rollback("a")).isInstanceOf(io.venomqa.state.RollbackException.class)
                .hasMessageContaining("sequence 'n': increment 1 → 5").hasMessageContaining("cycle 0 → 1")
                .hasMessageContaining("sequence 's': cache_size 1000 → 50").hasMessageNotContaining("'neg'");
        managers.clear();
        assertThatThrownBy(m::disconnect).isInstanceOf(io.venomqa.state.RollbackException.class)
                .hasMessageContaining("keep their new options");
        assertThat(orders()).isEqualTo(before);
    }

    @Test
    @DisplayName("a sequence that has run out is left alone, and does not stop checkpoints or rollbacks")
    void runOut() throws SQLException {
        db.exec("create sequence small start with 1 maxvalue 2 nocycle", "select nextval(small), nextval(small)");
        StateManager m = manager();
        m.checkpoint("a");
        db.exec("insert into orders (item) values ('x')");
        m.rollback("a");
        assertThatThrownBy(() -> take("small")).isInstanceOf(SQLException.class).hasMessageContaining("run out");
        assertThat(take("s")).containsExactly(3L);
    }

    @Test
    @DisplayName("rows outside the journal keep their sequence values: the sequence is set past them instead of colliding")
    void notBelowRowsTheUndoKeeps() throws SQLException {
        db.exec("create table log (id bigint primary key default (next value for s), what varchar(20))");
        StateManager m = manager("log");
        m.checkpoint("a");
        db.exec("insert into log (what) values ('kept'), ('kept too')"); // 3, 4
        m.rollback("a");
        assertThat(db.rows("select id from log order by id")).containsExactly("id=3", "id=4");
        db.exec("insert into orders (item) values ('after')");
        assertThat(orders()).contains("id=5|item=after");
    }

    @Test
    @DisplayName("a run killed with kill -9 is recovered by the next connect(): sequences as before that run")
    void crashRecovery() throws Exception {
        List<String> before = orders();
        ChildJvm.runAndKill("mysql", db.url(), "-", MyDb.jdbc(db.name), MyDb.USER,
                "insert into orders (item) values ('from the dead run')",
                "select nextval(n)");
        assertThat(orders()).isNotEqualTo(before);
        StateManager m = manager();
        assertThat(orders()).isEqualTo(before);
        m.disconnect();
        assertThat(take("s", "n")).containsExactly(3L, 2L);
    }
}
