package io.venomqa.explore;

import io.venomqa.explore.internal.TableContents;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table-contents projection on the journal reads the journal's digest instead of the tables: from
 * 500 rows in all by default, and the tables again when the digest cannot vouch for the contents any
 * more (an undo below its base, a table picked up during the run). The digest itself (equal digests
 * if and only if equal contents, after random writes and restores) is checked by
 * {@code ContentsDigestContract} in venomqa-journal's tests; that the projection finds the same graph
 * with it as with table reads, by {@code JournalExplorationTests.digestFindsTheGraphOfATableRead}.
 */
abstract class JournalContentsDigestTests {

    TestDb db;
    private JdbcStateManager manager;

    /** A database of the test's own. */
    abstract TestDb newDb();

    @BeforeEach
    void setUp() throws Exception {
        db = newDb();
        db.exec("create table parent (id int primary key, name varchar(20))", "create table bag (v varchar(10), n int)",
                "insert into parent values (1, 'p1'), (2, 'p2')", "insert into bag values ('a', 1), ('a', 1)");
        manager = (JdbcStateManager) StateManagers.create(db.config().option("checkpoint_strategy", "journal").build());
        manager.connect();
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (manager != null && manager.isConnected()) {
                manager.disconnect();
            }
        } finally {
            db.close();
        }
    }

    @Test
    @DisplayName("an undo below the digest's base, or a table picked up during the run: the tables are read from then on")
    void digestGivesWayToAFullRead() throws Exception {
        Observation o = TableContentsProjectionTest.observing(manager);
        manager.checkpoint("before");
        app("update parent set name = 'x' where id = 1");
        TableContents digest = TableContents.digestAlways();
        assertThat(digest.capture(o)).containsEntry("changed since the start", "nothing");
        manager.rollback("before"); // below the base: the journal no longer holds what led to it
        assertThat(digest.capture(o)).isEqualTo(TableContents.readingTables().capture(o)).containsKey("parent");

        TableContents other = TableContents.digestAlways();
        assertThat(other.capture(o)).containsKey("changed since the start");
        db.exec("create table later (id int primary key)", "insert into later values (1)");
        manager.refreshSchema();
        assertThat(other.capture(o)).as("rows written before the journal saw the table")
                .isEqualTo(TableContents.readingTables().capture(o)).containsEntry("later", List.of("id=1"));
        db.exec("drop table later"); // made during the run and left with rows, it would fail disconnect()
    }

    @Test
    @DisplayName("by default the digest is used from 500 rows in all at the start; below, the tables are read")
    void digestFromFiveHundredRows() throws Exception {
        Observation o = TableContentsProjectionTest.observing(manager);
        TableContents small = new TableContents();
        assertThat(small.capture(o)).containsKey("parent");
        app("update parent set name = 'x' where id = 1");
        assertThat(small.capture(o)).as("still the tables").containsKey("parent");

        StringBuilder rows = new StringBuilder("insert into bag values ('b', 0)");
        for (int i = 1; i < 500; i++) {
            rows.append(", ('b', ").append(i).append(")");
        }
        app(rows.toString());
        TableContents large = new TableContents();
        Map<String, Object> start = large.capture(o);
        assertThat(start).containsEntry("changed since the start", "nothing");
        app("update parent set name = 'p1' where id = 1");
        assertThat(large.capture(o)).isNotEqualTo(start).containsKey("changed since the start");
    }

    /** A committed write on a connection of the application's own, which the journal's triggers record. */
    private void app(String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
