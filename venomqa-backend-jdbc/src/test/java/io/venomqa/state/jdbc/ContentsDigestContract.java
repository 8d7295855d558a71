package io.venomqa.state.jdbc;

import io.venomqa.state.CheckpointTree;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.spi.ContentsDigest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract of {@link ContentsDigest}, for a checkpoint strategy whose
 * {@link io.venomqa.state.jdbc.spi.CheckpointStrategy#contentsDigest contentsDigest} is present: what
 * its documentation guarantees, checked against a full read of the tables after every write. Two
 * reads of a valid digest give equal rows if and only if the tables' contents are equal; once it can
 * no longer vouch for that (an undo below its base, a table picked up later, the session's end) it is
 * empty from then on.
 *
 * <p>The tables hold what breaks naive row hashing: a table without a key whose rows can be equal,
 * JSON, floats written to their last digit, binary values, long text, NULLs and a cascading delete.
 * The application's writes are committed on a connection of its own ({@link #openApplicationConnection()});
 * a strategy that sees only its own connection's writes overrides {@link #app(String)} to write through
 * {@link JdbcStateManager#sharedDataSource()}.
 *
 * <p>Shipped in the test jar of {@code venomqa-backend-jdbc}; a strategy's test extends it per
 * database:
 * <pre>{@code
 * class MyStrategyDigestContractTest extends ContentsDigestContract {
 *     protected StateConfig.Builder config() { ... checkpoint_strategy: mine ... }
 *     protected Connection openApplicationConnection() throws SQLException { ... }
 *     protected void dropDatabase() throws Exception { ... }
 *     protected List<String> createTables() { return List.of("create table parent ...", ...); }
 *     ... // the statements this database spells its own way
 * }
 * }</pre>
 */
public abstract class ContentsDigestContract {

    /** The manager under test, connected by {@link #connect()} before each test. */
    protected JdbcStateManager manager;

    /** Configuration of a manager whose strategy offers the digest, on a database of the test's own, empty. */
    protected abstract StateConfig.Builder config();

    /** A new auto-commit connection to the same database: the application's. */
    protected abstract Connection openApplicationConnection() throws SQLException;

    /** Drops the test's database (or schema, or file); called after the manager is disconnected. */
    protected abstract void dropDatabase() throws Exception;

    /**
     * The three tables in this database's SQL:
     * {@code parent(id integer primary key, name text)},
     * {@code child(id integer primary key, parent_id integer references parent(id) on delete cascade,
     * doc json, ratio double precision, bin binary, note long text)} and
     * {@code bag(v text, n integer)} without a key.
     */
    protected abstract List<String> createTables();

    /** A statement deleting exactly one of {@code bag}'s rows, whichever. */
    protected abstract String deleteOneBagRow();

    /** A statement setting {@code n} on exactly one of {@code bag}'s rows, whichever. */
    protected abstract String updateOneBagRow(int n);

    /** An insert of one row ({@code values} in column order) that does nothing when its key is taken. */
    protected abstract String insertIgnoring(String table, String values);

    /** A binary literal of the hex digits. */
    protected String binary(String hex) {
        return "x'" + hex + "'";
    }

    /** A JSON literal of an object with one key. */
    protected String json(String key, String value) {
        return "'{\"" + key + "\": " + value + "}'";
    }

    /** A text of {@code n} times {@code c}. */
    protected String repeat(char c, int n) {
        return "repeat('" + c + "', " + n + ")";
    }

    /** An application's statement emptying {@code bag} at once, or null where the database has none. */
    protected String truncateBag() {
        return "truncate table bag";
    }

    /**
     * Whether the digest stays valid across {@link #truncateBag()} (it sees it as the rows it removed),
     * so that the random walk may use it; where it does not, the digest must turn empty instead.
     */
    protected boolean digestSeesTruncate() {
        return false;
    }

    @BeforeEach
    void connect() throws Exception {
        try (Connection c = openApplicationConnection(); Statement st = c.createStatement()) {
            for (String sql : createTables()) {
                st.execute(sql);
            }
            st.execute("insert into parent values (1, 'p1'), (2, 'p2')");
            st.execute("insert into child values (1, 1, " + json("a", "1") + ", 0.1, " + binary("00ff") + ", null), "
                    + "(2, 2, 'null', 1e-300, null, " + repeat('x', 600) + ")");
            st.execute("insert into bag values ('a', 1), ('a', 1)");
        }
        manager = (JdbcStateManager) StateManagers.create(config().build());
        manager.connect();
    }

    @AfterEach
    void disconnect() throws Exception {
        try {
            if (manager != null && manager.isConnected()) {
                manager.disconnect();
            }
        } finally {
            dropDatabase();
        }
    }

    // ---- the contract -------------------------------------------------------------------------------

    @Test
    @DisplayName("contentsDigest() is present, its row has both columns, no changes at the base, and reading it twice gives the same row")
    void presentAtTheBase() throws Exception {
        ContentsDigest digest = start();
        Map<String, String> row = read(digest).orElseThrow(() -> new AssertionError("a fresh digest is empty"));
        assertThat(row).containsOnlyKeys(ContentsDigest.COLUMNS, ContentsDigest.CHANGES);
        assertThat(row.get(ContentsDigest.CHANGES)).as("nothing changed since the base").isEmpty();
        assertThat(read(digest)).contains(row);
        assertThat(digest.query().isPresent() && digest.read().isPresent())
                .as("a digest is either a query or computed, not both").isFalse();
    }

    @Test
    @DisplayName("seeded random writes and restores across the checkpoints: equal digests if and only if equal contents")
    void equalDigestsIfAndOnlyIfEqualContents() throws Exception {
        ContentsDigest digest = start();
        Map<String, String> base = read(digest).orElseThrow();
        Map<String, List<String>> baseContents = contents();
        manager.checkpoint("s0");
        List<String> held = new ArrayList<>(List.of("s0"));
        Optional<CheckpointTree> tree = manager.checkpointTree();
        Map<Map<String, String>, Map<String, List<String>>> digestToContents = new HashMap<>();
        Map<Map<String, List<String>>, Map<String, String>> contentsToDigest = new HashMap<>();
        Random random = new Random(42);
        int returns = 0;
        for (int step = 0; step < 120; step++) {
            if (step > 0 && random.nextInt(4) == 0) {
                String target = held.get(random.nextInt(held.size()));
                if (tree.isPresent()) {
                    tree.get().restore(target);
                } else {
                    manager.rollback(target);
                    held.subList(held.indexOf(target) + 1, held.size()).clear();
                }
                returns++;
                if (random.nextBoolean()) {
                    write(random); // a write right after a return, as an explorer makes (some databases give undone ids again)
                }
            } else {
                write(random);
                if (random.nextInt(3) == 0) {
                    String name = "s" + (step + 1);
                    manager.checkpoint(name);
                    held.add(name);
                }
            }
            Map<String, String> d = read(digest).orElseThrow(() -> new AssertionError("the digest turned empty"));
            Map<String, List<String>> c = contents();
            Map<String, List<String>> seenContents = digestToContents.putIfAbsent(d, c);
            Map<String, String> seenDigest = contentsToDigest.putIfAbsent(c, d);
            assertThat(seenContents).as("step %d: an equal digest must mean equal contents", step).isIn(null, c);
            assertThat(seenDigest).as("step %d: equal contents must give an equal digest", step).isIn(null, d);
        }
        assertThat(returns).isGreaterThan(20);
        assertThat(digestToContents).as("the walk saw many states").hasSizeGreaterThan(20);

        if (tree.isPresent()) {
            tree.get().restore("s0");
        } else {
            manager.rollback("s0");
        }
        assertThat(contents()).isEqualTo(baseContents);
        assertThat(read(digest)).contains(base);
    }

    @Test
    @DisplayName("a row changed and changed back, equal rows of a keyless table removed and added, a cascade: as the contents tell them")
    void pathsThatCancelOut() throws Exception {
        ContentsDigest digest = start();
        Map<String, String> base = read(digest).orElseThrow();
        manager.checkpoint("start");
        app("update parent set name = 'changed' where id = 1");
        Map<String, String> changed = read(digest).orElseThrow();
        assertThat(changed).isNotEqualTo(base);
        assertThat(changed.get(ContentsDigest.COLUMNS)).as("the columns did not change").isEqualTo(base.get(ContentsDigest.COLUMNS));
        app("update parent set name = 'p1' where id = 1");
        assertThat(read(digest)).as("changed back").contains(base);

        app(deleteOneBagRow());
        Map<String, String> oneLeft = read(digest).orElseThrow();
        assertThat(oneLeft).as("one of two equal rows removed").isNotEqualTo(base);
        app(deleteOneBagRow());
        assertThat(read(digest).orElseThrow()).as("both removed").isNotEqualTo(oneLeft).isNotEqualTo(base);
        app("insert into bag values ('a', 1)");
        assertThat(read(digest)).as("one equal row back").contains(oneLeft);
        app("insert into bag values ('a', 1)");
        assertThat(read(digest)).as("both back").contains(base);

        app("update child set ratio = 0.30000000000000004 where id = 1");
        Map<String, String> lastDigit = read(digest).orElseThrow();
        app("update child set ratio = 0.3 where id = 1");
        assertThat(read(digest).orElseThrow()).as("a float's last digit").isNotEqualTo(lastDigit);

        app("delete from parent where id = 2"); // cascades to child 2
        Map<String, String> cascaded = read(digest).orElseThrow();
        app("insert into parent values (2, 'p2')");
        assertThat(read(digest).orElseThrow()).as("the cascaded child is still missing").isNotEqualTo(base);

        manager.rollback("start");
        assertThat(read(digest)).as("rolled back to the base").contains(base);
        assertThat(cascaded).isNotEqualTo(base);
    }

    @Test
    @DisplayName("a TRUNCATE by the application: seen as the rows it removed, or the digest turns empty")
    void truncateSeenOrVoid() throws Exception {
        String truncate = truncateBag();
        if (truncate == null) {
            return; // nothing to check: the database has no such statement
        }
        ContentsDigest digest = start();
        Map<String, String> base = read(digest).orElseThrow();
        manager.checkpoint("start");
        app(truncate);
        Optional<Map<String, String>> after = read(digest);
        if (digestSeesTruncate()) {
            assertThat(after).isPresent().get().isNotEqualTo(base);
            app("insert into bag values ('a', 1), ('a', 1)");
            assertThat(read(digest)).contains(base);
        } else {
            assertThat(after).as("a table emptied where the strategy cannot see it: the digest can no longer vouch").isEmpty();
            app("insert into bag values ('a', 1), ('a', 1)");
            assertThat(read(digest)).as("empty for good").isEmpty();
            // Nor can the disconnect put the emptied rows back: it says so rather than report success.
            assertThatThrownBy(manager::disconnect).isInstanceOf(io.venomqa.state.RollbackException.class)
                    .hasMessageContaining("TRUNCATE");
        }
    }

    @Test
    @DisplayName("after an undo below its base the digest is empty, and stays empty")
    void undoBelowTheBase() throws Exception {
        manager.checkpoint("before");
        app("update parent set name = 'x' where id = 1");
        ContentsDigest digest = start();
        assertThat(read(digest)).isPresent();
        manager.rollback("before");
        assertThat(read(digest)).as("the changes that led to its base were undone").isEmpty();
        app("update parent set name = 'x' where id = 1");
        assertThat(read(digest)).as("even back at the same contents").isEmpty();
        assertThat(read(start())).as("a new digest from here").isPresent();
    }

    @Test
    @DisplayName("a table picked up after the base (created, schema refreshed): the digest is empty")
    void tablePickedUpLater() throws Exception {
        ContentsDigest digest = start();
        String columnsBefore = read(digest).orElseThrow().get(ContentsDigest.COLUMNS);
        app("create table later (id integer primary key)");
        app("insert into later values (1)");
        manager.refreshSchema();
        assertThat(read(digest)).as("rows written before the strategy saw the table").isEmpty();
        Map<String, String> fresh = read(start()).orElseThrow(() -> new AssertionError("a new digest is empty"));
        assertThat(fresh.get(ContentsDigest.COLUMNS)).as("the new table's columns are described").isNotEqualTo(columnsBefore);
        // A table made during the run and left with rows is not as connect() found the database: disconnect() says so.
        app("drop table later");
    }

    @Test
    @DisplayName("after the session ends the digest is empty, also once a new session has begun")
    void sessionEnd() throws Exception {
        ContentsDigest digest = start();
        assertThat(read(digest)).isPresent();
        manager.disconnect();
        assertThat(digest.query()).isEmpty();
        assertThat(digest.read()).isEmpty();
        manager.connect();
        assertThat(digest.query()).isEmpty();
        assertThat(digest.read()).isEmpty();
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** A digest pinned now; fails when the strategy offers none. */
    protected ContentsDigest start() {
        return manager.contentsDigest().orElseThrow(() -> new AssertionError(
                "contentsDigest() is empty: ContentsDigestContract is for strategies that offer one"));
    }

    /** The digest's row now (by its query through the manager, or computed), empty when it is void. */
    protected Optional<Map<String, String>> read(ContentsDigest digest) throws SQLException {
        Optional<String> query = digest.query();
        if (query.isEmpty()) {
            return digest.read();
        }
        List<Map<String, Object>> rows = manager.queryRows(query.get());
        assertThat(rows).as("the digest's query gives one row").hasSize(1);
        Map<String, String> row = new TreeMap<>();
        rows.get(0).forEach((column, value) -> row.put(column.toLowerCase(java.util.Locale.ROOT), String.valueOf(value)));
        return Optional.of(row);
    }

    /** Every table's rows as the manager sees them, each row as its sorted column values, the rows sorted (a multiset). */
    protected Map<String, List<String>> contents() {
        Map<String, List<String>> out = new TreeMap<>();
        for (String table : List.of("parent", "child", "bag")) {
            List<String> rows = new ArrayList<>();
            for (Map<String, Object> row : manager.queryRows("select * from " + table)) {
                Map<String, String> cells = new TreeMap<>();
                row.forEach((column, value) -> cells.put(column.toLowerCase(java.util.Locale.ROOT),
                        value instanceof byte[] b ? "0x" + HexFormat.of().formatHex(b) : String.valueOf(value)));
                rows.add(cells.toString());
            }
            rows.sort(null);
            out.put(table, rows);
        }
        return out;
    }

    /** A committed write of the application's. */
    protected void app(String sql) throws Exception {
        try (Connection c = openApplicationConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** One random write of the kinds a digest must get exactly right. */
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
            default -> app(digestSeesTruncate() && random.nextInt(4) == 0 ? truncateBag()
                    : "update child set note = null where id = " + id);
        }
    }
}
