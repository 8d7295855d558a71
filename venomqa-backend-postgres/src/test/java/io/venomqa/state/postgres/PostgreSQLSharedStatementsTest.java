package io.venomqa.state.postgres;

import io.venomqa.state.ChangeTracker;
import io.venomqa.testsupport.CountingSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.jdbc.AutoSave;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The application's auto-commit statements through {@code sharedDataSource()} on PostgreSQL: a
 * failure undoes the statement alone and leaves the run's transaction usable, and the guard costs
 * no round trip of its own where pgjdbc can set it (its {@code autosave}, with
 * {@code cleanupSavepoints}); round trips counted at the manager's socket, the statements it sent
 * read from what was written.
 */
class PostgreSQLSharedStatementsTest {

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
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("drop table if exists items");
            st.execute("create table items (id serial primary key, name text not null)");
            st.execute("insert into items (name) values ('committed')");
        }
    }

    @AfterEach
    void disconnect() {
        if (manager != null) {
            manager.disconnect();
        }
    }

    private PostgreSQLStateManager connect(String extraQuery) {
        manager = new PostgreSQLStateManager(db.config()
                .url(db.jdbcUrl("socketFactory=" + CountingSocketFactory.class.getName() + extraQuery)).build());
        manager.connect();
        return manager;
    }

    @Test
    @DisplayName("an auto-commit statement is one round trip; a failing one is undone alone; every driver savepoint is released")
    void oneRoundTripPerStatement() throws SQLException {
        connect("");
        manager.checkpoint("start");
        CountingSocketFactory.clearWritten();
        List<Long> roundTrips = new ArrayList<>();
        try (Connection c = manager.sharedDataSource().getConnection();
             PreparedStatement insert = c.prepareStatement("insert into items (name) values (?)")) {
            for (int i = 0; i < 6; i++) {
                insert.setString(1, "row " + i);
                long before = CountingSocketFactory.ROUND_TRIPS.get();
                assertThat(insert.executeUpdate()).isEqualTo(1);
                roundTrips.add(CountingSocketFactory.ROUND_TRIPS.get() - before);
            }
            insert.setString(1, null);
            assertThatThrownBy(insert::executeUpdate).isInstanceOf(SQLException.class)
                    .hasMessageContaining("null value in column \"name\"");
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from items")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(7);
            }
            assertThatThrownBy(() -> c.createStatement().executeQuery("select * from no_such_table"))
                    .hasMessageContaining("no_such_table");
            insert.setString(1, "after the failures");
            insert.executeUpdate();
            // The driver's guard is switched on for the application's statement only, never left on.
            assertThat(c.unwrap(PGConnection.class).getAutosave()).isEqualTo(AutoSave.NEVER);
        }
        // The first execution of a prepared statement may ask the server to describe it; after that, one each.
        assertThat(roundTrips.subList(1, roundTrips.size())).as("round trips per insert").containsOnly(1L);
        assertThat(manager.queryRows("select name from items order by id")).extracting(r -> r.get("name"))
                .containsExactly("committed", "row 0", "row 1", "row 2", "row 3", "row 4", "row 5", "after the failures");

        String sent = CountingSocketFactory.written();
        int set = count(sent, "SAVEPOINT PGJDBC_AUTOSAVE") - count(sent, "RELEASE SAVEPOINT PGJDBC_AUTOSAVE")
                - count(sent, "ROLLBACK TO SAVEPOINT PGJDBC_AUTOSAVE");
        // 10 statements of the application's and the manager's query after them.
        assertThat(set).as("driver savepoints set").isEqualTo(11);
        assertThat(count(sent, "ROLLBACK TO SAVEPOINT PGJDBC_AUTOSAVE")).as("rolled back (the 2 that failed)").isEqualTo(2);
        assertThat(count(sent, "RELEASE SAVEPOINT PGJDBC_AUTOSAVE")).as("released (the 9 that succeeded)").isEqualTo(9);

        manager.rollback("start");
        assertThat(manager.queryRows("select name from items")).extracting(r -> r.get("name")).containsExactly("committed");
        manager.disconnect();
        manager = null;
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*), max(name) from items")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("the driver's guard in every query mode of pgjdbc: a failing statement undone alone, the run goes on")
    void everyQueryMode() throws SQLException {
        for (String mode : List.of("simple", "extendedForPrepared", "extendedCacheEverything")) {
            connect("&preferQueryMode=" + mode);
            manager.checkpoint("start");
            try (Connection c = manager.sharedDataSource().getConnection();
                 PreparedStatement insert = c.prepareStatement("insert into items (name) values (?)")) {
                insert.setString(1, "a");
                insert.executeUpdate();
                insert.setString(1, null);
                assertThatThrownBy(insert::executeUpdate).as(mode).isInstanceOf(SQLException.class);
                insert.setString(1, "b");
                insert.executeUpdate();
            }
            assertThat(manager.queryRows("select name from items order by id")).as(mode).extracting(r -> r.get("name"))
                    .containsExactly("committed", "a", "b");
            manager.rollback("start");
            assertThat(manager.countRows("items")).as(mode).isEqualTo(1);
            manager.disconnect();
            manager = null;
        }
    }

    @Test
    @DisplayName("batches, a URL that turns cleanupSavepoints off, and a user's own autosave mode keep VenomQA's savepoint guard")
    void ownGuardWhereTheDriverCannot() throws SQLException {
        for (String extra : List.of("", "&cleanupSavepoints=false", "&autosave=conservative")) {
            connect(extra);
            manager.checkpoint("start");
            try (Connection c = manager.sharedDataSource().getConnection();
                 PreparedStatement insert = c.prepareStatement("insert into items (name) values (?)")) {
                insert.setString(1, "warm-up");
                insert.executeUpdate();
                insert.setString(1, "guarded");
                long before = CountingSocketFactory.ROUND_TRIPS.get();
                insert.executeUpdate();
                long single = CountingSocketFactory.ROUND_TRIPS.get() - before;
                if (!extra.isEmpty()) {
                    assertThat(single).as("round trips of one insert with " + extra).isEqualTo(3);
                }
                insert.setString(1, "batch 1");
                insert.addBatch();
                insert.setString(1, null);
                insert.addBatch();
                before = CountingSocketFactory.ROUND_TRIPS.get();
                assertThatThrownBy(insert::executeBatch).isInstanceOf(SQLException.class);
                assertThat(CountingSocketFactory.ROUND_TRIPS.get() - before).as("savepoint, batch, rollback, release")
                        .isEqualTo(4);
                insert.clearBatch();
            }
            assertThat(manager.queryRows("select name from items order by id")).as(extra).extracting(r -> r.get("name"))
                    .containsExactly("committed", "warm-up", "guarded");
            manager.rollback("start");
            manager.disconnect();
            manager = null;
        }
    }

    @Test
    @DisplayName("a transaction of the application (Spring's sequence of calls) costs one SAVEPOINT and one RELEASE around its statements")
    void transactionOfTheApplication() throws SQLException {
        connect("");
        manager.checkpoint("start");
        long before = CountingSocketFactory.ROUND_TRIPS.get();
        try (Connection c = manager.sharedDataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("insert into items (name) values ('one')");
                st.executeUpdate("insert into items (name) values ('two')");
            }
            c.commit();
            c.setAutoCommit(true);
        }
        assertThat(CountingSocketFactory.ROUND_TRIPS.get() - before).as("savepoint, two inserts, release").isEqualTo(4);
        before = CountingSocketFactory.ROUND_TRIPS.get();
        try (Connection c = manager.sharedDataSource().getConnection()) {
            c.setAutoCommit(false);
            c.commit();
            c.setAutoCommit(true);
        }
        assertThat(CountingSocketFactory.ROUND_TRIPS.get() - before).as("a transaction that ran nothing").isZero();
        assertThat(manager.queryRows("select name from items order by id")).extracting(r -> r.get("name"))
                .containsExactly("committed", "one", "two");
        manager.rollback("start");
        assertThat(manager.countRows("items")).isEqualTo(1);
    }

    @Test
    @DisplayName("the manager's reads and change capture take no round trip for their guard; a failing read leaves the run usable")
    void readsGuardedByTheDriver() throws SQLException {
        manager = new PostgreSQLStateManager(db.config().option("track_changes", true)
                .url(db.jdbcUrl("socketFactory=" + CountingSocketFactory.class.getName())).build());
        manager.connect();
        manager.checkpoint("start");
        var tracker = manager.changeTracker().orElseThrow();
        tracker.mark(); // the first mark reads the table whole
        long before = CountingSocketFactory.ROUND_TRIPS.get();
        var unchanged = tracker.mark();
        assertThat(CountingSocketFactory.ROUND_TRIPS.get() - before).as("a mark with nothing changed: the fingerprints")
                .isEqualTo(1);
        try (Connection c = manager.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("insert into items (name) values ('new')");
        }
        before = CountingSocketFactory.ROUND_TRIPS.get();
        assertThat(tracker.changesSince(unchanged).inserted("items")).isEqualTo(1);
        assertThat(CountingSocketFactory.ROUND_TRIPS.get() - before).as("changes of one table: fingerprints and its rows")
                .isEqualTo(2);
        before = CountingSocketFactory.ROUND_TRIPS.get();
        assertThat(manager.queryRows("select count(*) as n from items")).extracting(r -> r.get("n")).containsExactly(2L);
        assertThat(manager.countRows("items")).isEqualTo(2);
        assertThat(CountingSocketFactory.ROUND_TRIPS.get() - before).as("a query and a count").isEqualTo(2);
        assertThatThrownBy(() -> manager.queryRows("select * from no_such_table")).hasMessageContaining("no_such_table");
        assertThat(tracker.changesSince(unchanged).inserted("items")).isEqualTo(1);
        manager.rollback("start");
        assertThat(manager.countRows("items")).isEqualTo(1);
    }

    @Test
    @DisplayName("a mark after a rolled-back step reads the fingerprints only: the rows before the step are kept, and the next changes are exact")
    void markAfterRollbackReusesTheRowsBefore() throws SQLException {
        var tracker = countedTracker();
        for (int step = 0; step < 3; step++) {
            manager.checkpoint("step");
            long before = CountingSocketFactory.ROUND_TRIPS.get();
            var mark = tracker.mark();
            long markRoundTrips = CountingSocketFactory.ROUND_TRIPS.get() - before;
            if (step > 0) {
                // The table is as it was before the last step's insert, which the rollback undid.
                assertThat(markRoundTrips).as("round trips of the mark of step " + step).isEqualTo(1);
            }
            try (Connection c = manager.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("insert into items (name) values ('step " + step + "')");
                st.executeUpdate("update items set name = 'changed " + step + "' where name = 'committed'");
            }
            var changes = tracker.changesSince(mark);
            assertThat(changes.inserted("items")).isEqualTo(1);
            assertThat(changes.table("items").orElseThrow().inserted().get(0).after()).containsEntry("name", "step " + step);
            assertThat(changes.updated("items")).isEqualTo(1);
            assertThat(changes.table("items").orElseThrow().updated().get(0).before()).containsEntry("name", "committed");
            assertThat(changes.table("items").orElseThrow().updated().get(0).after()).containsEntry("name", "changed " + step);
            manager.rollback("step");
            manager.release("step");
        }
        // A state last read three reads ago is no longer kept: read again, and the changes from it are exact.
        manager.checkpoint("other");
        try (Connection c = manager.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("delete from items");
        }
        var empty = tracker.mark();
        try (Connection c = manager.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("insert into items (name) values ('again')");
        }
        assertThat(tracker.changesSince(empty).inserted("items")).isEqualTo(1);
        manager.rollback("other");
        var back = tracker.mark();
        try (Connection c = manager.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("delete from items");
        }
        var deleted = tracker.changesSince(back);
        assertThat(deleted.deleted("items")).isEqualTo(1);
        assertThat(deleted.table("items").orElseThrow().deleted().get(0).before()).containsEntry("name", "committed");
        manager.rollback("other");
        assertThat(manager.countRows("items")).isEqualTo(1);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    @DisplayName("after a rolled-back step the table's rows are not read again: the mark finds the fingerprint of the read before the last")
    void rowsOfAKeptReadAreNotSentAgain() throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("insert into items (name) select repeat('x', 100) || g from generate_series(1, 2000) g");
        }
        var tracker = countedTracker();
        for (int step = 0; step < 3; step++) {
            manager.checkpoint("step");
            long before = CountingSocketFactory.BYTES_READ.get();
            var mark = tracker.mark();
            long read = CountingSocketFactory.BYTES_READ.get() - before;
            if (step > 0) {
                // 2 001 rows of more than 100 characters are over 200 kB; the fingerprint's answer is well under 1 kB.
                assertThat(read).as("bytes read by the mark of step " + step).isLessThan(4_000);
            }
            try (Connection c = manager.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("update items set name = 'step " + step + "' where name = 'committed'");
            }
            var changes = tracker.changesSince(mark);
            assertThat(changes.updated("items")).isEqualTo(1);
            assertThat(changes.table("items").orElseThrow().updated().get(0).after()).containsEntry("name", "step " + step);
            manager.rollback("step");
            manager.release("step");
        }
    }

    /** Connects {@link #manager} with change capture on and its socket counted; its change tracker. */
    private ChangeTracker countedTracker() {
        manager = new PostgreSQLStateManager(db.config().option("track_changes", true)
                .url(db.jdbcUrl("socketFactory=" + CountingSocketFactory.class.getName())).build());
        manager.connect();
        return manager.changeTracker().orElseThrow();
    }
}
