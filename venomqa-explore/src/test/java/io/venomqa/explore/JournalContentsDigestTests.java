package io.venomqa.explore;

import io.venomqa.explore.internal.TableContents;
import io.venomqa.state.CheckpointTree;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table-contents projection on the journal reads the journal's digest instead of the tables, and
 * tells states apart exactly as reading the tables does: after seeded random writes by
 * another connection (the application's) and restores across the checkpoint tree, two captures are
 * equal by digest if and only if they are equal by a full read. The schema has what breaks naive
 * row hashing: a table without a key holding equal rows, JSON, floats, large text, binary, NULLs, a
 * cascade and a TRUNCATE. When the digest cannot vouch for the contents any more (an undo below its
 * base, a table picked up during the run) the projection reads the tables.
 */
abstract class JournalContentsDigestTests {

    TestDb db;
    private JdbcStateManager manager;

    /** A database of the test's own. */
    abstract TestDb newDb();

    /** The schema: {@code parent}, {@code child} (cascading, JSON, float, binary, long text), {@code bag} (no key). */
    abstract String[] schema();

    /** Deletes one of {@code bag}'s rows, whichever. */
    abstract String deleteOneBagRow();

    /** Sets {@code n} of one of {@code bag}'s rows. */
    abstract String updateOneBagRow(int n);

    /** Inserts a row unless its key is taken. */
    abstract String insertIgnoring(String table, String values);

    /** A binary literal. */
    String binary(String hex) {
        return "x'" + hex + "'";
    }

    /** A JSON value literal with one key. */
    String json(String key, String value) {
        return "'{\"" + key + "\": " + value + "}'";
    }

    /** A text of {@code n} times {@code c}. */
    String repeat(char c, int n) {
        return "repeat('" + c + "', " + n + ")";
    }

    /** Whether the application's TRUNCATE is journaled (PostgreSQL's triggers see it; InnoDB's do not, SQLite has none). */
    boolean truncateJournaled() {
        return false;
    }

    @BeforeEach
    void setUp() throws Exception {
        db = newDb();
        db.exec(schema());
        db.exec("insert into parent values (1, 'p1'), (2, 'p2')",
                "insert into child values (1, 1, " + json("a", "1") + ", 0.1, " + binary("00ff") + ", null), "
                        + "(2, 2, 'null', 1e-300, null, " + repeat('x', 600) + ")",
                "insert into bag values ('a', 1), ('a', 1)");
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
    @DisplayName("random writes and restores across the tree: equal by digest if and only if equal by a full read")
    void digestAgreesWithAFullRead() throws Exception {
        Observation o = TableContentsProjectionTest.observing(manager);
        TableContents digest = TableContents.digestAlways();
        TableContents full = TableContents.readingTables();
        Map<String, Object> start = digest.capture(o);
        assertThat(start).as("the journal's digest is used, not the tables").containsEntry("changed since the start", "nothing");
        CheckpointTree tree = manager.checkpointTree().orElseThrow();
        manager.checkpoint("s0");
        List<String> held = new ArrayList<>(List.of("s0"));
        Map<String, String> digestToFull = new HashMap<>();
        Map<String, String> fullToDigest = new HashMap<>();
        Random random = new Random(42);
        int restores = 0;
        for (int step = 0; step < 120; step++) {
            if (step > 0 && random.nextInt(4) == 0) {
                tree.restore(held.get(random.nextInt(held.size())));
                restores++;
                if (random.nextBoolean()) {
                    write(random); // a move right after a restore, as the explorer makes (SQLite gives undone ids again)
                }
            } else {
                write(random);
                if (random.nextInt(3) == 0) {
                    String name = "s" + (step + 1);
                    manager.checkpoint(name);
                    held.add(name);
                }
            }
            String d = String.valueOf(digest.capture(o));
            String f = String.valueOf(full.capture(o));
            assertThat(d).as("still a digest").startsWith("{changed since the start=");
            String seenFull = digestToFull.putIfAbsent(d, f);
            String seenDigest = fullToDigest.putIfAbsent(f, d);
            assertThat(seenFull).as("step %d: an equal digest must be equal contents", step).isIn(null, f);
            assertThat(seenDigest).as("step %d: equal contents must give an equal digest", step).isIn(null, d);
        }
        assertThat(restores).isGreaterThan(20);
        assertThat(digestToFull).as("the walk saw many states, and came back to some").hasSizeGreaterThan(20);

        tree.restore("s0");
        assertThat(digest.capture(o)).isEqualTo(start);
    }

    @Test
    @DisplayName("a row changed and changed back, equal rows in a keyless table, a truncate: as a full read tells them")
    void pathsThatCancelOut() throws Exception {
        Observation o = TableContentsProjectionTest.observing(manager);
        TableContents digest = TableContents.digestAlways();
        Map<String, Object> start = digest.capture(o);
        manager.checkpoint("start");
        app("update parent set name = 'changed' where id = 1");
        Map<String, Object> changed = digest.capture(o);
        assertThat(changed).isNotEqualTo(start);
        assertThat(String.valueOf(changed.get("changed since the start"))).contains("parent").contains(" 0 ");
        app("update parent set name = 'p1' where id = 1");
        assertThat(digest.capture(o)).as("changed back").isEqualTo(start);

        app(deleteOneBagRow());
        Map<String, Object> oneA = digest.capture(o);
        assertThat(oneA).isNotEqualTo(start);
        app("insert into bag values ('a', 1)");
        assertThat(digest.capture(o)).as("the second equal row again").isEqualTo(start);

        if (truncateJournaled()) {
            app("truncate bag");
            assertThat(String.valueOf(digest.capture(o).get("changed since the start"))).startsWith("bag -2 ");
            app("insert into bag values ('a', 1), ('a', 1)");
            assertThat(digest.capture(o)).isEqualTo(start);
        }

        app("delete from parent where id = 2"); // cascades to child 2
        assertThat(String.valueOf(digest.capture(o).get("changed since the start"))).contains("child").contains("parent")
                .doesNotContain(" 0 ");
        manager.rollback("start");
        assertThat(digest.capture(o)).isEqualTo(start);
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

    /** One random write by the application's own connection, of the kinds the journal must get exactly right. */
    private void write(Random random) throws Exception {
        int id = 1 + random.nextInt(4);
        switch (random.nextInt(9)) {
            case 0 -> app(insertIgnoring("parent", id + ", 'p" + id + "'"));
            case 1 -> app("update parent set name = " + (random.nextBoolean() ? "null" : "'n" + random.nextInt(2) + "'")
                    + " where id = " + id);
            case 2 -> app("delete from parent where id = " + id); // cascades
            case 3 -> app(insertIgnoring("child", (10 + random.nextInt(3)) + ", (select min(id) from parent), "
                    + json("k", "[1, 2.50]") + ", " + (random.nextBoolean() ? "0.30000000000000004" : "0.3") + ", "
                    + binary(random.nextBoolean() ? "0001" : "0002") + ", " + repeat('y', 3000)));
            case 4 -> app("update child set ratio = ratio * 3, doc = " + json("r", String.valueOf(random.nextInt(2)))
                    + ", bin = " + binary(random.nextBoolean() ? "ff" : "fe") + " where id = " + (random.nextBoolean() ? 1 : 10));
            case 5 -> app("insert into bag values ('a', 1)");
            case 6 -> app(deleteOneBagRow());
            case 7 -> app(updateOneBagRow(random.nextInt(2)));
            default -> app(truncateJournaled() && random.nextInt(4) == 0 ? "truncate bag"
                    : "update child set note = null where id = " + id);
        }
    }

    /** A connection of the application's own (auto-commit). */
    Connection appConnection() throws Exception {
        return db.connect();
    }

    /** A committed write on a connection of the application's own, which the journal's triggers record. */
    private void app(String sql) throws Exception {
        try (Connection c = appConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
