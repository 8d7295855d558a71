package io.venomqa.state.journal;

import io.venomqa.state.CheckpointTree;
import io.venomqa.state.postgres.PostgreSQLStateManager;
import io.venomqa.testsupport.CountingSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How many round trips the journal's restore makes on PostgreSQL (issue 14, row 11), counted at the
 * manager's socket: a restore between two sibling states, the explorer's most frequent call.
 */
class PostgresJournalRoundTripsTest {

    @RegisterExtension
    static final OwnPgDatabase DATABASE = new OwnPgDatabase();

    private PgDb db;
    private PostgreSQLStateManager manager;
    private Connection app;

    @BeforeEach
    void setUp() throws SQLException {
        // A database of its own (as new for each test): the counters' fingerprint covers every sequence of the database, and one created
        // by another test on the shared one makes the next checkpoint read the catalog again (more round trips).
        db = new PgDb(DATABASE);
        db.exec("create table orders (id serial primary key, status text not null)",
                "create table lines (id serial primary key, order_id integer not null references orders on delete cascade, "
                        + "qty integer not null)",
                "insert into orders (status) values ('new')");
        manager = new PostgreSQLStateManager(db.config().url("jdbc:postgresql://" + PgDb.HOST + ":" + PgDb.PORT + "/"
                + db.database + "?user=" + PgDb.USER + "&sslmode=disable&socketFactory="
                + CountingSocketFactory.class.getName()).build());
        app = db.connect();
    }

    @AfterEach
    void tearDown() throws SQLException {
        try {
            app.close();
            manager.disconnect();
        } finally {
            db.close();
        }
    }

    private void app(String sql) throws SQLException {
        try (Statement st = app.createStatement()) {
            st.execute(sql);
        }
    }

    @Test
    @DisplayName("the catalog's statement is prepared on the server at its first use, not its fifth (pgjdbc's prepareThreshold)")
    void catalogPreparedAtFirstUse() throws SQLException {
        manager.connect();
        CountingSocketFactory.clearWritten();
        manager.checkpoint("first");
        String written = CountingSocketFactory.written();
        int at = written.indexOf("select 't', x.*");
        assertThat(at).as("the catalog's statement was sent").isPositive();
        // A Parse message names its statement just before the text: "S_<n>" and a NUL when it is to be kept
        // on the server, an empty name (a NUL alone) when it is parsed for this execution only.
        String head = written.substring(Math.max(0, at - 12), at); // the end of the Parse message's head only
        assertThat(head).as("the catalog's statement has a name").matches("(?s).*S_[0-9]+\u0000$");
    }

    @Test
    @DisplayName("a checkpoint takes at most 2 round trips: the catalog read with the position and its commit, then the counters")
    void checkpoint() throws SQLException {
        manager.connect();
        manager.checkpoint("warm-1"); // statements prepared, the counters' list read
        app("insert into lines (order_id, qty) values (1, 1)");
        manager.checkpoint("warm-2");
        app("insert into lines (order_id, qty) values (1, 2)");

        long before = CountingSocketFactory.WRITES.get();
        manager.checkpoint("counted");
        long checkpoint = CountingSocketFactory.WRITES.get() - before;
        // 3 before: the catalog read, the counters, and a commit of its own.
        assertThat(checkpoint).as("round trips of one checkpoint").isLessThanOrEqualTo(2);
        // Still exact: the rollback puts the line and the sequence back.
        app("insert into lines (order_id, qty) values (1, 3)");
        manager.rollback("counted");
        app("insert into lines (order_id, qty) values (1, 4)");
        try (Statement st = app.createStatement(); java.sql.ResultSet rs = st.executeQuery(
                "select string_agg(id || ':' || qty, ',' order by id) from lines")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("1:1,2:2,3:4");
        }
    }

    @Test
    @DisplayName("a restore between two sibling states (an undo and a redo of one row each) takes at most 8 round trips")
    void restoreBetweenSiblings() throws SQLException {
        manager.connect();
        CheckpointTree tree = manager.checkpointTree().orElseThrow();
        manager.checkpoint("root");
        app("insert into lines (order_id, qty) values (1, 1)");
        manager.checkpoint("a");
        tree.restore("root");
        app("update orders set status = 'paid' where id = 1");
        manager.checkpoint("b");
        tree.restore("a"); // warm: statements prepared, the catalog cached by the server
        tree.restore("b");

        long before = CountingSocketFactory.WRITES.get();
        tree.restore("a");
        long restore = CountingSocketFactory.WRITES.get() - before;
        // 24 before the checks' catalog reads and the undo's settings were folded (docs/performance.md, row 11):
        // new tables, shapes and trigger state were three reads and two commits, the undo's settings four statements.
        // 18 before the foreign keys were verified once per restore (after the undo and the redo together)
        // instead of after each (one catalog read and one check query less), the deletion of the undone
        // entries was sent with the statements that end the undo, and the copy of the segment left ("b")
        // was read with the entries to undo.
        // 10 (counted in a database of its own) before the entries to undo were read, and the undo begun, in the
        // catalog's round trip, and the counters put back in the restore's transaction instead of one of their
        // own with its own commit.
        assertThat(restore).as("round trips of one restore between siblings").isLessThanOrEqualTo(8);
        // The undone entries were deleted (in the same round trip as the end of the undo): the journal
        // holds the redone insert of "a" and nothing else.
        try (Statement st = app.createStatement(); java.sql.ResultSet rs = st.executeQuery(
                "select string_agg(table_name || ' ' || op::text, ', ') from venomqa.journal where schema_name = '"
                        + db.schema + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("lines I");
        }
    }
}
