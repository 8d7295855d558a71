package io.venomqa.state.postgres;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What an application in the same JVM can send through {@code sharedDataSource()} on PostgreSQL
 * without breaking the run's one transaction. Before the shared connection read the SQL text, a
 * {@code COMMIT} sent as text made the run's writes permanent (disconnect() then left them behind),
 * and a {@code SAVEPOINT venomqa_sp_1} of the application's made the manager's rollback stop at the
 * application's savepoint and report success with a row still there.
 */
class PostgreSQLSharedConnectionAuditTest {

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
    void connect() throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("drop table if exists items");
            st.execute("create table items (id serial primary key, name text not null)");
            st.execute("insert into items (name) values ('committed')");
        }
        manager = new PostgreSQLStateManager(db.config().build());
        manager.connect();
    }

    @AfterEach
    void disconnect() {
        manager.disconnect();
    }

    private static List<String> committedNames() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select name from items order by id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private List<String> names() {
        return manager.queryRows("select name from items order by id").stream().map(r -> (String) r.get("name")).toList();
    }

    @Test
    @DisplayName("COMMIT, END, ROLLBACK, ABORT, BEGIN as text are refused before they run, in auto-commit and in manual mode; rollback and disconnect stay exact")
    void transactionControlAsTextRefused() throws SQLException {
        manager.checkpoint("start");
        try (Connection c = manager.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("insert into items (name) values ('a')");
            for (String sql : List.of("commit", "END", "rollback", "abort", "begin", "start transaction",
                    "insert into items (name) values ('b'); commit", "/* migrate */ COMMIT AND CHAIN")) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .hasMessageContaining("VenomQA refused").hasMessageContaining("JDBC methods");
            }
            assertThatThrownBy(() -> c.prepareStatement("commit")).hasMessageContaining("VenomQA refused");
            c.setAutoCommit(false);
            st.executeUpdate("insert into items (name) values ('c')");
            assertThatThrownBy(() -> st.execute("COMMIT")).hasMessageContaining("commit()");
            c.commit();
            c.setAutoCommit(true);
        }
        // The refused text never ran: 'b' is not there, nothing was committed, and the run goes on.
        assertThat(names()).containsExactly("committed", "a", "c");
        assertThat(committedNames()).containsExactly("committed");
        manager.rollback("start");
        assertThat(names()).containsExactly("committed");
        try (Connection c = manager.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("insert into items (name) values ('after the rollback')");
        }
        manager.disconnect();
        assertThat(committedNames()).containsExactly("committed");
    }

    @Test
    @DisplayName("a savepoint named like a checkpoint's (text or setSavepoint) is refused, so rollback still goes back to the checkpoint")
    void reservedSavepointNames() throws SQLException {
        manager.checkpoint("start");
        try (Connection c = manager.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("insert into items (name) values ('a')");
            assertThatThrownBy(() -> st.execute("savepoint venomqa_sp_1")).hasMessageContaining("venomqa_sp_1")
                    .hasMessageContaining("Choose another name");
            assertThatThrownBy(() -> st.execute("release savepoint venomqa_sp_1")).hasMessageContaining("venomqa_sp_1");
            c.setAutoCommit(false);
            assertThatThrownBy(() -> c.setSavepoint("venomqa_sp_1")).hasMessageContaining("venomqa_sp_1");
            st.executeUpdate("insert into items (name) values ('b')");
            c.commit();
            c.setAutoCommit(true);
        }
        manager.rollback("start");
        assertThat(names()).containsExactly("committed");
    }

    @Test
    @DisplayName("getMetaData().getConnection() is the shared connection, not the manager's: its commit() is a savepoint release")
    void metaDataHandsOutTheSharedConnection() throws SQLException {
        manager.checkpoint("start");
        try (Connection c = manager.sharedDataSource().getConnection()) {
            Connection fromMetaData = c.getMetaData().getConnection();
            assertThat(fromMetaData).isSameAs(c);
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
            fromMetaData.setAutoCommit(false);
            try (Statement st = fromMetaData.createStatement()) {
                st.executeUpdate("insert into items (name) values ('a')");
            }
            fromMetaData.commit();
            fromMetaData.setAutoCommit(true);
        }
        assertThat(committedNames()).containsExactly("committed");
        manager.rollback("start");
        assertThat(names()).containsExactly("committed");
    }

    @Test
    @DisplayName("a refcursor read through a CallableStatement is a result set whose statement leads back to the shared connection, not the manager's")
    void refcursorLeadsBackToTheSharedConnection() throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("create or replace function items_cursor() returns refcursor language plpgsql as "
                    + "$$ declare r refcursor; begin open r for select name from items order by id; return r; end $$");
        }
        manager.checkpoint("start");
        try (Connection c = manager.sharedDataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("insert into items (name) values ('a')");
            }
            try (CallableStatement cs = c.prepareCall("{? = call items_cursor()}")) {
                cs.registerOutParameter(1, Types.REF_CURSOR);
                cs.execute();
                try (ResultSet cursor = (ResultSet) cs.getObject(1)) {
                    assertThat(cursor.next()).isTrue();
                    assertThat(cursor.getString(1)).isEqualTo("committed");
                    Connection behind = cursor.getStatement().getConnection();
                    assertThat(behind).isSameAs(c);
                    behind.commit(); // the shared connection's: a savepoint release, not a COMMIT
                }
            }
            c.setAutoCommit(true);
        }
        assertThat(committedNames()).containsExactly("committed");
        manager.rollback("start");
        assertThat(names()).containsExactly("committed");
    }

    @Test
    @DisplayName("the result set of an array's elements (read from a row, or made by createArrayOf) leads back to the shared connection; the array still works as a parameter")
    void arraysLeadBackToTheSharedConnection() throws SQLException {
        manager.checkpoint("start");
        try (Connection c = manager.sharedDataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("insert into items (name) values ('a')");
            }
            try (Statement st = c.createStatement(); ResultSet row = st.executeQuery("select array['committed', 'a']")) {
                assertThat(row.next()).isTrue();
                List<Array> arrays = List.of(row.getArray(1), (Array) row.getObject(1), row.getObject(1, Array.class),
                        c.createArrayOf("text", new Object[]{"committed", "a"}));
                for (Array array : arrays) {
                    try (ResultSet elements = array.getResultSet()) {
                        assertThat(elements.next()).isTrue();
                        Connection behind = elements.getStatement().getConnection();
                        assertThat(behind).isSameAs(c);
                        behind.commit(); // the shared connection's: a savepoint release, not a COMMIT
                    }
                    try (PreparedStatement ps = c.prepareStatement("select count(*) from items where name = any(?)")) {
                        ps.setArray(1, array);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            assertThat(rs.getInt(1)).isEqualTo(2);
                        }
                        ps.setObject(1, array);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            assertThat(rs.getInt(1)).isEqualTo(2);
                        }
                    }
                }
            }
            c.setAutoCommit(true);
        }
        assertThat(committedNames()).containsExactly("committed");
        manager.rollback("start");
        assertThat(names()).containsExactly("committed");
    }

    @Test
    @DisplayName("a migration sent as one text, CREATE TABLE then COMMIT, is refused whole: neither runs")
    void createThenCommitRefused() throws SQLException {
        try (Connection c = manager.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute("create table extra (id int); commit")).hasMessageContaining("'commit'");
        }
        assertThat(manager.queryRows("select count(*) as n from pg_tables where tablename = 'extra'"))
                .extracting(r -> r.get("n")).containsExactly(0L);
        manager.disconnect();
        assertThat(committedNames()).containsExactly("committed");
    }

    @Test
    @DisplayName("the application's commit() checks its deferred constraints as a real COMMIT would: a violating unit fails and is rolled back, a satisfied one commits, later units are unaffected")
    void deferredConstraintsCheckedAtCommit() throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("drop table if exists lines");
            st.execute("drop table if exists orders");
            st.execute("create table orders (id int primary key)");
            st.execute("create table lines (id int primary key, order_id int references orders deferrable initially deferred)");
        }
        manager.disconnect();
        manager = new PostgreSQLStateManager(db.config().build());
        manager.connect();
        manager.checkpoint("start");
        try (Connection c = manager.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.executeUpdate("insert into lines values (1, 42)"); // no order 42: fine until COMMIT
            assertThatThrownBy(c::commit).isInstanceOf(SQLException.class)
                    .hasMessageContaining("could not be committed and was rolled back")
                    .hasMessageContaining("foreign key")
                    // as the driver's own COMMIT reports it, so frameworks see a constraint violation
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23503"));
            st.executeUpdate("insert into lines values (2, 7)");
            st.executeUpdate("insert into orders values (7)"); // the parent comes later in the same unit: fine
            c.commit();
            st.executeUpdate("insert into orders values (8)");
            c.commit();
            c.setAutoCommit(true);
        }
        assertThat(manager.queryRows("select id from lines order by id")).extracting(r -> r.get("id")).containsExactly(2);
        assertThat(manager.queryRows("select id from orders order by id")).extracting(r -> r.get("id")).containsExactly(7, 8);
        manager.rollback("start");
        assertThat(manager.countRows("lines")).isZero();
        assertThat(manager.countRows("orders")).isZero();
    }

    @Test
    @DisplayName("an auto-commit statement is checked against its deferred constraints as its own COMMIT would: a violating one fails and is undone alone")
    void deferredConstraintsCheckedInAutoCommit() throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("drop table if exists lines");
            st.execute("drop table if exists orders");
            st.execute("create table orders (id int primary key)");
            st.execute("create table lines (id int primary key, order_id int references orders deferrable initially deferred)");
        }
        manager.disconnect();
        manager = new PostgreSQLStateManager(db.config().build());
        manager.connect();
        manager.checkpoint("start");
        try (Connection c = manager.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("insert into orders values (7)");
            assertThatThrownBy(() -> st.executeUpdate("insert into lines values (1, 42)")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("foreign key");
            st.executeUpdate("insert into lines values (2, 7)");
            try (PreparedStatement ps = c.prepareStatement("insert into lines values (?, ?)")) {
                ps.setInt(1, 3);
                ps.setInt(2, 43);
                assertThatThrownBy(ps::executeUpdate).hasMessageContaining("foreign key");
            }
        }
        assertThat(manager.queryRows("select id from lines order by id")).extracting(r -> r.get("id")).containsExactly(2);
        manager.rollback("start");
        assertThat(manager.countRows("lines")).isZero();
        assertThat(manager.countRows("orders")).isZero();
    }

    @Test
    @DisplayName("what is allowed still works: the application's own savepoints as text and by JDBC, transaction words inside literals and routine bodies")
    void applicationSavepointsAndLiterals() throws SQLException {
        manager.checkpoint("start");
        try (Connection c = manager.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.executeUpdate("insert into items (name) values ('kept')");
            st.execute("savepoint mine");
            st.executeUpdate("insert into items (name) values ('undone by text')");
            st.execute("rollback to savepoint mine");
            Savepoint jdbc = c.setSavepoint("also_mine");
            st.executeUpdate("insert into items (name) values ('undone by JDBC')");
            c.rollback(jdbc);
            c.commit();
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("insert into items (name) values (?) -- ; commit")) {
                ps.setString(1, "commit; rollback");
                ps.executeUpdate();
            }
            st.execute("create procedure finish() language plpgsql as $$ begin commit; end $$");
            st.executeUpdate("insert into items (name) values (E'\\'; commit')");
        }
        assertThat(names()).containsExactly("committed", "kept", "commit; rollback", "'; commit");
        manager.rollback("start");
        assertThat(names()).containsExactly("committed");
        assertThat(committedNames()).containsExactly("committed");
    }
}
