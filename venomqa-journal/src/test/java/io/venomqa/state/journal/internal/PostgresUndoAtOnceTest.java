package io.venomqa.state.journal.internal;

import io.venomqa.state.StateConfig;
import io.venomqa.state.postgres.PostgreSQLStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PostgreSQL journal's set-based undo of a block of updates ({@code undoUpdatesAtOnce}), called
 * directly on a real journal: taken where no two entries of the block touch one row, or where each
 * row's entries form an unbroken chain that keeps its key; where it is not taken, or its statement
 * fails, the table is left exactly as it was so that the ordered batch can run. (Whole rollbacks through every path are compared row by row in
 * {@code PostgresJournalExactTest}.) A database of its own, dropped afterwards.
 */
class PostgresUndoAtOnceTest {

    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final String name = "vqj_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private PostgreSQLStateManager manager;
    private Connection app;
    private Connection undo;
    private final PostgresJournalSql sql = new PostgresJournalSql();

    @BeforeEach
    void setUp() throws SQLException {
        admin("create database " + name);
        app = DriverManager.getConnection(url());
        exec(app, "create schema " + name + "; set search_path = " + name,
                "create table t (id int primary key, u int unique, v text)",
                "insert into t select g, g, 'v' || g from generate_series(1, 5) g");
        manager = new PostgreSQLStateManager(StateConfig.builder().backend("postgresql")
                .url("postgresql://postgres@127.0.0.1:5432/" + name).option("schema", name)
                .option("checkpoint_strategy", "journal").build());
        manager.connect();
        manager.checkpoint("start");
        undo = DriverManager.getConnection(url());
        // The journal's triggers stay silent for this session as they do in the manager's undo: they fire in
        // every session (replica mode too) but the one the run record names with venomqa.replaying on, so
        // this session takes the manager's place there until tearDown gives it back.
        try (Statement st = undo.createStatement(); ResultSet rs = st.executeQuery(
                "select pid from venomqa.runs where schema_name = '" + name + "'")) {
            rs.next();
            managerPid = rs.getInt(1);
        }
        exec(undo, "update venomqa.runs set pid = pg_backend_pid() where schema_name = '" + name + "'",
                "set venomqa.replaying = 'on'", "set session_replication_role = replica");
        undo.setAutoCommit(false);
    }

    /** The manager's backend pid in the run record, put back before it disconnects. */
    private int managerPid;

    @AfterEach
    void tearDown() throws SQLException {
        try {
            undo.rollback();
            undo.setAutoCommit(true);
            exec(undo, "update venomqa.runs set pid = " + managerPid + " where schema_name = '" + name + "'");
            undo.close();
            app.close();
            manager.disconnect();
        } finally {
            admin("drop database if exists " + name + " with (force)");
        }
    }

    private String url() {
        return "jdbc:postgresql://127.0.0.1:5432/" + name + "?user=postgres";
    }

    private static void admin(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static void exec(Connection c, String... statements) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    /** The update entries of the schema, newest first (the order an undo passes them in). */
    private List<Long> updateEntries() throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement st = undo.createStatement(); ResultSet rs = st.executeQuery(
                "select id from venomqa.journal where schema_name = '" + name + "' and op = 'U' order by id desc")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private List<String> rows() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = undo.createStatement(); ResultSet rs = st.executeQuery("select t::text from " + name + ".t t order by id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private int[] atOnce() throws SQLException {
        return sql.undoUpdatesAtOnce(undo, name, sql.describe(undo, name, "t"), updateEntries());
    }

    @Test
    @DisplayName("entries of distinct rows (values and a unique column changed, no key shared) are undone by one statement, each counted once")
    void distinctRowsAtOnce() throws SQLException {
        List<String> before = rows();
        exec(app, "update t set v = v || '!', u = u + 100 where id <= 3", "update t set v = null where id = 5");
        assertThat(updateEntries()).hasSize(4);
        assertThat(rows()).isNotEqualTo(before);
        assertThat(atOnce()).containsExactly(1, 1, 1, 1);
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    @DisplayName("mirrored (a redo, as a restore across the tree runs it): the same entries oldest first put the changes back")
    void mirroredRedoesAtOnce() throws SQLException {
        List<String> before = rows();
        exec(app, "update t set v = v || '!' where id <= 4");
        List<String> written = rows();
        List<Long> newestFirst = updateEntries();
        TableMeta meta = sql.describe(undo, name, "t");
        assertThat(sql.undoUpdatesAtOnce(undo, name, meta, newestFirst)).containsExactly(1, 1, 1, 1);
        assertThat(rows()).isEqualTo(before);
        List<Long> oldestFirst = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        sql.mirror(true);
        try {
            assertThat(sql.undoUpdatesAtOnce(undo, name, meta, oldestFirst)).containsExactly(1, 1, 1, 1);
        } finally {
            sql.mirror(false);
        }
        assertThat(rows()).isEqualTo(written);
    }

    @Test
    @DisplayName("undoUpdates takes the set-based statement from AT_ONCE_FROM entries on, and falls back to the ordered batch for a block it refuses")
    void undoUpdatesChoosesTheStatement() throws SQLException {
        exec(app, "insert into t select g, g, 'v' || g from generate_series(6, " + (PostgresJournalSql.AT_ONCE_FROM + 5) + ") g");
        List<String> filled = rows();
        undo.commit();
        exec(app, "update t set v = v || '!'");
        TableMeta meta = sql.describe(undo, name, "t");
        List<Long> ids = updateEntries().subList(0, PostgresJournalSql.AT_ONCE_FROM + 5);
        assertThat(sql.undoUpdates(undo, name, meta, ids)).hasSize(ids.size()).containsOnly(1);
        assertThat(rows()).isEqualTo(filled);
        assertThat(lastWrittenByTheTransactionItself()).as("written under the attempt's savepoint").isFalse();
        undo.rollback();
        // A second update of every row and a key changed: refused as one statement, applied in order by the batch.
        exec(app, "update t set v = v || '?'", "update t set id = 100 where id = 1");
        ids = updateEntries().subList(0, 2 * (PostgresJournalSql.AT_ONCE_FROM + 5) + 1);
        assertThat(sql.undoUpdates(undo, name, meta, ids)).hasSize(ids.size()).containsOnly(1);
        assertThat(rows()).isEqualTo(filled);
        assertThat(lastWrittenByTheTransactionItself()).as("written by the batch").isTrue();
    }

    /**
     * Whether every row of the table was last written by the undo's transaction itself, as the ordered
     * batch writes, rather than by a subtransaction, as the set-based statement writes under its savepoint.
     */
    private boolean lastWrittenByTheTransactionItself() throws SQLException {
        try (Statement st = undo.createStatement(); ResultSet rs = st.executeQuery("select bool_and(xmin::text::bigint = "
                + "txid_current() % 4294967296) from " + name + ".t")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    @Test
    @DisplayName("rows updated several times (and changed back) are put back to their oldest image by one statement, every entry counted once")
    void rowsUpdatedSeveralTimesAtOnce() throws SQLException {
        List<String> before = rows();
        exec(app, "update t set v = 'a' where id = 1", "update t set v = 'b' where id = 2", "update t set v = 'c' where id = 1",
                "update t set u = u + 10, v = v || '+'", "update t set v = 'v1', u = 1 where id = 1");
        assertThat(updateEntries()).hasSize(9);
        assertThat(atOnce()).containsExactly(1, 1, 1, 1, 1, 1, 1, 1, 1);
        assertThat(rows()).isEqualTo(before);
        assertThat(lastWrittenByTheTransactionItself()).as("written under the attempt's savepoint").isFalse();
    }

    @Test
    @DisplayName("mirrored: the chains of rows updated several times redo to their newest image at once")
    void mirroredChainsRedoneAtOnce() throws SQLException {
        List<String> before = rows();
        exec(app, "update t set v = v || '!'", "update t set v = v || '?' where id <= 2", "update t set u = u * 10 where id = 1");
        List<String> written = rows();
        List<Long> newestFirst = updateEntries();
        TableMeta meta = sql.describe(undo, name, "t");
        assertThat(sql.undoUpdatesAtOnce(undo, name, meta, newestFirst)).hasSize(8).containsOnly(1);
        assertThat(rows()).isEqualTo(before);
        List<Long> oldestFirst = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        sql.mirror(true);
        try {
            assertThat(sql.undoUpdatesAtOnce(undo, name, meta, oldestFirst)).hasSize(8).containsOnly(1);
        } finally {
            sql.mirror(false);
        }
        assertThat(rows()).isEqualTo(written);
    }

    @Test
    @DisplayName("a row's chain broken by a write the journal did not see: nothing applied, the ordered batch decides (and fails)")
    void brokenChainIsLeftToTheBatch() throws SQLException {
        exec(app, "update t set v = 'a' where id in (1, 2)");
        undo.setAutoCommit(true);
        exec(undo, "update " + name + ".t set v = 'behind' where id = 1"); // committed, not journaled (replaying)
        undo.setAutoCommit(false);
        exec(app, "update t set v = 'b' where id in (1, 2)");
        List<String> written = rows();
        assertThat(atOnce()).isNull();
        assertThat(rows()).isEqualTo(written);
        TableMeta meta = sql.describe(undo, name, "t");
        int[] batch = sql.undoUpdates(undo, name, meta, updateEntries());
        assertThat(batch).as("the batch meets the broken chain at row 1's older entry").contains(0);
        forgetTheJournal();
    }

    /**
     * After a test committed a write the journal did not see: the journal no longer describes the
     * table, and disconnect() would (rightly) refuse it. The database is dropped afterwards.
     */
    private void forgetTheJournal() throws SQLException {
        undo.rollback();
        exec(undo, "delete from venomqa.journal where schema_name = '" + name + "'");
        undo.commit();
    }

    @Test
    @DisplayName("a row updated several times that is not as its newest entry says: nothing applied, not even the other rows")
    void chainWhoseRowMovedOnIsLeftToTheBatch() throws SQLException {
        exec(app, "update t set v = 'a'", "update t set v = 'b' where id = 1");
        undo.setAutoCommit(true);
        exec(undo, "update " + name + ".t set v = 'behind' where id = 1");
        undo.setAutoCommit(false);
        List<String> written = rows();
        assertThat(atOnce()).isNull();
        assertThat(rows()).isEqualTo(written);
        forgetTheJournal();
    }

    @Test
    @DisplayName("a key changed in a block where a row is updated twice: nothing applied")
    void keyChangeAmongRepeatedRowsIsLeftToTheBatch() throws SQLException {
        exec(app, "update t set v = 'a' where id = 1", "update t set v = 'b' where id = 1", "update t set id = 10 where id = 2");
        List<String> written = rows();
        assertThat(atOnce()).isNull();
        assertThat(rows()).isEqualTo(written);
    }

    @Test
    @DisplayName("a key moved onto the key another entry left: nothing applied")
    void keyTakenOverIsLeftToTheBatch() throws SQLException {
        exec(app, "update t set id = 10 where id = 1", "update t set id = 1 where id = 2");
        List<String> written = rows();
        assertThat(atOnce()).isNull();
        assertThat(rows()).isEqualTo(written);
    }

    @Test
    @DisplayName("a row whose current value is not its entry's image counts 0, as the batch would report it")
    void rowChangedBehindTheJournalCountsZero() throws SQLException {
        exec(app, "update t set v = 'x' where id in (1, 2)");
        exec(undo, "update " + name + ".t set v = 'behind' where id = 2"); // this session's writes are not journaled
        List<Long> ids = updateEntries();
        int[] counts = atOnce();
        assertThat(counts).hasSize(2);
        assertThat(counts[ids.indexOf(entryOf(2))]).isZero();
        assertThat(counts[ids.indexOf(entryOf(1))]).isEqualTo(1);
    }

    private long entryOf(int id) throws SQLException {
        try (Statement st = undo.createStatement(); ResultSet rs = st.executeQuery("select id from venomqa.journal "
                + "where schema_name = '" + name + "' and op = 'U' and old_row #>> '{}' like '(" + id + ",%'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @DisplayName("a statement the table refuses is rolled back to its savepoint: table untouched, transaction still usable")
    void refusedStatementRolledBack() throws SQLException {
        exec(app, "update t set v = 'x' where id in (1, 2, 3)");
        // A trigger that fires even in replica mode and refuses every update.
        exec(app, "create function boom() returns trigger language plpgsql as $$ begin raise exception 'no updates'; end $$",
                "create trigger boom before update on t for each row execute function boom()",
                "alter table t enable always trigger boom");
        List<String> written = rows();
        assertThat(atOnce()).isNull();
        assertThat(rows()).isEqualTo(written);
        undo.rollback(); // its reads hold the lock DROP TRIGGER waits for
        exec(app, "drop trigger boom on t", "drop function boom()"); // as connect() found the schema: disconnect() says so otherwise
    }
}
