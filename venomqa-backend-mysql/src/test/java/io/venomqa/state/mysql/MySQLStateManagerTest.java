package io.venomqa.state.mysql;

import io.venomqa.state.RollbackException;
import io.venomqa.state.CheckpointException;
import io.venomqa.state.CheckpointNotFoundException;
import io.venomqa.state.ResetException;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateConnectionException;
import io.venomqa.state.StateNotConnectedException;
import io.venomqa.core.VenomQAException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MySQL/MariaDB behaviour beyond the test kit, on the real server: foreign keys, reset rules,
 * AUTO_INCREMENT, implicit commits, non-transactional tables, a killed connection.
 * Every test starts from a shop schema (customers ← orders ← order_items) with committed rows.
 */
class MySQLStateManagerTest {

    private static MySQLTestDatabase db;
    private MySQLStateManager manager;

    @BeforeAll
    static void createDatabase() {
        db = MySQLTestDatabase.create();
    }

    @AfterAll
    static void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void createSchema() {
        dropAllTables();
        db.execute(
                "CREATE TABLE customers (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL) ENGINE=InnoDB",
                "CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL, total INT NOT NULL,"
                        + " FOREIGN KEY (customer_id) REFERENCES customers(id)) ENGINE=InnoDB",
                "CREATE TABLE order_items (id INT AUTO_INCREMENT PRIMARY KEY, order_id INT NOT NULL, sku VARCHAR(20) NOT NULL,"
                        + " FOREIGN KEY (order_id) REFERENCES orders(id) ON DELETE CASCADE) ENGINE=InnoDB",
                "CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50)) ENGINE=InnoDB",
                "CREATE TABLE schema_migrations (version VARCHAR(50) PRIMARY KEY) ENGINE=InnoDB",
                "INSERT INTO customers (name) VALUES ('alice'), ('bob')",
                "INSERT INTO orders (customer_id, total) VALUES (1, 10)",
                "INSERT INTO order_items (order_id, sku) VALUES (1, 'A-1')",
                "INSERT INTO flyway_schema_history VALUES (1, '1')",
                "INSERT INTO schema_migrations VALUES ('20240101')");
    }

    @AfterEach
    void disconnect() {
        if (manager != null) {
            manager.disconnect();
        }
    }

    private static void dropAllTables() {
        List<String> tables = new ArrayList<>();
        for (Map<String, Object> row : db.query("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()")) {
            tables.add("`" + row.get("t") + "`");
        }
        if (!tables.isEmpty()) {
            db.execute("SET FOREIGN_KEY_CHECKS = 0", "DROP TABLE " + String.join(", ", tables), "SET FOREIGN_KEY_CHECKS = 1");
        }
    }

    private MySQLStateManager connect(StateConfig config) {
        manager = new MySQLStateManager(config);
        manager.connect();
        return manager;
    }

    private MySQLStateManager connect() {
        return connect(db.config().build());
    }

    /** Runs statements the way the application under test would: a shared connection, committed. */
    private void app(String... sql) {
        try (Connection c = manager.sharedDataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String q : sql) {
                    s.execute(q);
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A single-column query through the shared DataSource: what the application sees now. */
    private List<String> appColumn(String sql) {
        try (Connection c = manager.sharedDataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private long appInsert(String sql) {
        try (Connection c = manager.sharedDataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private String snapshot() {
        return appColumn("SELECT CONCAT(id, ':', name) FROM customers ORDER BY id") + " "
                + appColumn("SELECT CONCAT(id, ':', customer_id, ':', total) FROM orders ORDER BY id") + " "
                + appColumn("SELECT CONCAT(id, ':', order_id, ':', sku) FROM order_items ORDER BY id");
    }

    // ---- checkpoints over foreign-key-linked tables ------------------------------------------

    @Test
    @DisplayName("nested checkpoints over customers, orders and order_items restore each level exactly")
    void nestedCheckpointsOverForeignKeys() {
        connect();
        String atStart = snapshot();
        manager.checkpoint("customer-added");
        app("INSERT INTO customers (id, name) VALUES (10, 'carol')");
        String afterCustomer = snapshot();

        manager.checkpoint("order-placed");
        app("INSERT INTO orders (id, customer_id, total) VALUES (20, 10, 99)",
                "INSERT INTO order_items (order_id, sku) VALUES (20, 'B-2'), (20, 'C-3')",
                "UPDATE orders SET total = 11 WHERE id = 1");
        String afterOrder = snapshot();

        manager.checkpoint("order-cancelled");
        app("DELETE FROM orders WHERE id = 20", // cascades to its items
                "DELETE FROM order_items WHERE order_id = 1",
                "UPDATE customers SET name = 'ALICE' WHERE id = 1");
        assertThat(appColumn("SELECT COUNT(*) FROM order_items")).containsExactly("0");

        manager.rollback("order-cancelled");
        assertThat(snapshot()).isEqualTo(afterOrder);
        manager.rollback("order-placed");
        assertThat(snapshot()).isEqualTo(afterCustomer);
        assertThat(manager.activeCheckpoints()).containsExactly("customer-added", "order-placed");
        manager.rollback("customer-added");
        assertThat(snapshot()).isEqualTo(atStart);
        assertThat(manager.activeCheckpoints()).containsExactly("customer-added");
    }

    @Test
    @DisplayName("a view whose table or column is gone (the server refuses to describe it) is left out of the introspection: connect(), rollbacks and reset() work on the tables (until 2026-12-07 connect() failed with the server's 'View … references invalid table(s)')")
    void invalidViewDoesNotKeepConnectFromWorking() {
        db.execute("CREATE TABLE gone (id INT PRIMARY KEY, v INT)", "CREATE VIEW broken_view AS SELECT v FROM gone",
                "ALTER TABLE gone DROP COLUMN v");
        connect();
        assertThat(manager.trackedTables().stream().map(io.venomqa.state.jdbc.spi.TableInfo::name)).contains("customers", "gone")
                .doesNotContain("broken_view");
        String atStart = snapshot();
        manager.checkpoint("cp");
        app("INSERT INTO customers (id, name) VALUES (10, 'carol')");
        manager.rollback("cp");
        assertThat(snapshot()).isEqualTo(atStart);
    }

    @Test
    @DisplayName("checkpoint names with quotes, SQL and non-ASCII are plain names: never SQL, all distinct")
    void awkwardNamesOverRealTables() {
        connect();
        String[] names = {"x'; DROP TABLE customers; --", "`backtick`", "\"dq\"", "ü", "注文", "venomqa_sp_1"};
        for (int i = 0; i < names.length; i++) {
            manager.checkpoint(names[i]);
            app("INSERT INTO customers (name) VALUES ('c" + i + "')");
        }
        for (int i = names.length - 1; i >= 0; i--) {
            manager.rollback(names[i]);
            assertThat(appColumn("SELECT COUNT(*) FROM customers")).containsExactly(String.valueOf(2 + i));
        }
        assertThat(db.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'customers'"))
                .hasSize(1);
    }

    // ---- AUTO_INCREMENT -----------------------------------------------------------------------

    @Test
    @DisplayName("AUTO_INCREMENT is not rolled back (documented InnoDB limit): a sibling path gets the next id")
    void autoIncrementNotRestoredByRollback() {
        connect();
        manager.checkpoint("before-signup");
        long first = appInsert("INSERT INTO customers (name) VALUES ('path-a')");
        manager.rollback("before-signup");
        long second = appInsert("INSERT INTO customers (name) VALUES ('path-b')");
        assertThat(first).isEqualTo(3);
        assertThat(second).as("InnoDB keeps the counter; see MySQLStateManager's Javadoc").isEqualTo(4);
        assertThat(appColumn("SELECT name FROM customers ORDER BY id")).containsExactly("alice", "bob", "path-b");
    }

    @Test
    @DisplayName("disconnect() puts the tracked tables' AUTO_INCREMENT back as connect() found it once the rows are as found (the next run gets the ids this one got); MariaDB sequences are left alone, connect() included")
    void countersAsFoundAfterDisconnect() {
        db.execute("CREATE SEQUENCE invoice_no START WITH 100", "ALTER TABLE orders AUTO_INCREMENT = 50");
        String sequenceRow = String.valueOf(db.query("SELECT * FROM invoice_no"));
        connect();
        assertThat(String.valueOf(db.query("SELECT * FROM invoice_no"))).as("connect() reads the sequence without taking a value")
                .isEqualTo(sequenceRow);
        manager.checkpoint("start");
        long first = appInsert("INSERT INTO customers (name) VALUES ('path-a')");
        app("INSERT INTO orders (customer_id, total) VALUES (1, 1)", "SELECT NEXTVAL(invoice_no)", "SELECT NEXTVAL(invoice_no)");
        manager.rollback("start");
        appInsert("INSERT INTO customers (name) VALUES ('path-b')");
        manager.disconnect();
        manager = null;
        assertThat(first).isEqualTo(3);
        db.execute("INSERT INTO customers (name) VALUES ('next run')", "INSERT INTO orders (customer_id, total) VALUES (1, 2)");
        assertThat(db.query("SELECT id FROM customers WHERE name = 'next run'")).singleElement()
                .satisfies(row -> assertThat(((Number) row.get("id")).longValue()).isEqualTo(3));
        assertThat(db.query("SELECT id FROM orders WHERE total = 2")).singleElement()
                .satisfies(row -> assertThat(((Number) row.get("id")).longValue()).isEqualTo(50));
        assertThat(db.query("SELECT NEXTVAL(invoice_no) AS n")).as("the run took 100 and 101; the sequence is not moved back")
                .singleElement().satisfies(row -> assertThat(((Number) row.get("n")).longValue()).isEqualTo(102));
    }

    @Test
    @DisplayName("another session's open transaction on a tracked table at disconnect(): that table's counter stays where the run left it after a short wait, the others go back")
    void aCounterLockedByAnotherSessionStaysTheOthersGoBack() throws Exception {
        connect();
        appInsert("INSERT INTO customers (name) VALUES ('run')");
        app("INSERT INTO orders (customer_id, total) VALUES (1, 1)");
        try (Connection other = db.openConnection(); Statement st = other.createStatement()) {
            other.setAutoCommit(false);
            st.executeQuery("SELECT COUNT(*) FROM customers").close(); // an open transaction that read the table
            manager.disconnect(); // returns while the other transaction is still open: its wait is bounded
            manager = null;
            other.rollback();
        }
        db.execute("INSERT INTO customers (name) VALUES ('next')", "INSERT INTO orders (customer_id, total) VALUES (1, 2)");
        assertThat(db.query("SELECT id FROM customers WHERE name = 'next'")).singleElement()
                .satisfies(row -> assertThat(((Number) row.get("id")).longValue()).as("left where the run left it").isEqualTo(4));
        assertThat(db.query("SELECT id FROM orders WHERE total = 2")).singleElement()
                .satisfies(row -> assertThat(((Number) row.get("id")).longValue()).as("put back").isEqualTo(2));
    }

    @Test
    @DisplayName("rows another connection committed during the run: disconnect() fails as before and leaves the counters where the run left them (putting them back below those rows would collide)")
    void countersLeftWhenRowsAreNotAsFound() {
        connect();
        long first = appInsert("INSERT INTO customers (name) VALUES ('path-a')");
        db.execute("INSERT INTO customers (name) VALUES ('another connection')");
        assertThatThrownBy(manager::disconnect).isInstanceOf(io.venomqa.core.VenomQAException.class);
        manager = null;
        db.execute("DELETE FROM customers WHERE name = 'another connection'");
        db.execute("INSERT INTO customers (name) VALUES ('next')");
        assertThat(db.query("SELECT id FROM customers WHERE name = 'next'")).singleElement()
                .satisfies(row -> assertThat(((Number) row.get("id")).longValue()).isGreaterThan(first + 1));
    }

    @Test
    @DisplayName("after reset() AUTO_INCREMENT starts again at 1 in every reset table")
    void autoIncrementRestartsAfterReset() {
        connect();
        app("INSERT INTO customers (name) VALUES ('carol')");
        manager.reset();
        assertThat(appInsert("INSERT INTO customers (name) VALUES ('first')")).isEqualTo(1);
        assertThat(appInsert("INSERT INTO orders (customer_id, total) VALUES (1, 5)")).isEqualTo(1);
        assertThat(appInsert("INSERT INTO order_items (order_id, sku) VALUES (1, 'Z')")).isEqualTo(1);
    }

    // ---- reset ---------------------------------------------------------------------------------

    @Test
    @DisplayName("reset() empties every table but the migration tables, is committed, and clears checkpoints")
    void resetDefaultExcludesMigrationTables() {
        connect();
        manager.checkpoint("a");
        app("INSERT INTO customers (name) VALUES ('carol')");
        manager.reset();
        assertThat(manager.activeCheckpoints()).isEmpty();
        assertThatThrownBy(() -> manager.rollback("a")).isInstanceOf(CheckpointNotFoundException.class);
        manager.disconnect();
        assertThat(db.count("customers")).isZero();
        assertThat(db.count("orders")).isZero();
        assertThat(db.count("order_items")).isZero();
        assertThat(db.count("flyway_schema_history")).isEqualTo(1);
        assertThat(db.count("schema_migrations")).isEqualTo(1);
    }

    @Test
    @DisplayName("reset() truncates tables with rows or a used counter and leaves already-clean tables alone (no DDL for nothing)")
    void resetSkipsUntouchedTables() {
        db.execute("CREATE TABLE untouched (id INT AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB",
                "CREATE TABLE plain_empty (code VARCHAR(5) PRIMARY KEY) ENGINE=InnoDB",
                "CREATE TABLE emptied_by_hand (id INT AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB",
                "INSERT INTO emptied_by_hand VALUES (NULL), (NULL)", "DELETE FROM emptied_by_hand");
        long untouched = innodbTableId("untouched");
        long plainEmpty = innodbTableId("plain_empty");
        long emptiedByHand = innodbTableId("emptied_by_hand");
        long customers = innodbTableId("customers");
        connect();
        manager.reset();
        // TRUNCATE re-creates an InnoDB table, which gives it a new internal id.
        assertThat(innodbTableId("untouched")).isEqualTo(untouched);
        assertThat(innodbTableId("plain_empty")).isEqualTo(plainEmpty);
        assertThat(innodbTableId("customers")).isNotEqualTo(customers);
        assertThat(innodbTableId("emptied_by_hand")).as("no rows, but its counter was at 3").isNotEqualTo(emptiedByHand);
        assertThat(appInsert("INSERT INTO emptied_by_hand VALUES (NULL)")).isEqualTo(1);
    }

    @Test
    @DisplayName("a MariaDB system-versioned table is tracked like any other: rolled back, and emptied by reset() with its history and counter (it refuses TRUNCATE; before, it was left out of tracking and reset)")
    void systemVersionedTables() {
        db.execute("CREATE TABLE prices (id INT AUTO_INCREMENT PRIMARY KEY, cents INT NOT NULL) ENGINE=InnoDB WITH SYSTEM VERSIONING",
                "CREATE TABLE quiet (code VARCHAR(5) PRIMARY KEY) ENGINE=InnoDB WITH SYSTEM VERSIONING",
                "INSERT INTO prices (cents) VALUES (100), (200)", "UPDATE prices SET cents = 150 WHERE id = 1",
                "INSERT INTO quiet VALUES ('q')");
        connect();
        assertThat(manager.schema().tableNames()).contains("prices", "quiet");
        manager.checkpoint("start");
        app("UPDATE prices SET cents = 1 WHERE id = 2", "INSERT INTO prices (cents) VALUES (300)");
        manager.rollback("start");
        assertThat(db.query("SELECT id, cents FROM prices ORDER BY id"))
                .containsExactly(Map.of("id", 1, "cents", 150), Map.of("id", 2, "cents", 200));
        manager.reset();
        manager.disconnect();
        manager = null;
        assertThat(db.count("prices")).isZero();
        assertThat(db.count("quiet")).isZero();
        assertThat(db.query("SELECT COUNT(*) AS n FROM prices FOR SYSTEM_TIME ALL").get(0).get("n")).isEqualTo(0L);
        db.execute("INSERT INTO prices (cents) VALUES (5)");
        assertThat(db.query("SELECT id FROM prices")).containsExactly(Map.of("id", 1));
    }

    @Test
    @DisplayName("reset() DELETEs small tables whose counter has not moved, TRUNCATEs the rest (moved counter, large, DELETE trigger), all committed")
    void resetChoosesDeleteOrTruncate() {
        db.execute("CREATE TABLE tags (code VARCHAR(5) PRIMARY KEY) ENGINE=InnoDB",
                "INSERT INTO tags VALUES ('a'), ('b')",
                "CREATE TABLE big (n INT PRIMARY KEY) ENGINE=InnoDB",
                // 2 500 rows (MariaDB stops a recursive CTE at 1 000 iterations)
                "INSERT INTO big (n) WITH RECURSIVE s (n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < 49)"
                        + " SELECT a.n * 50 + b.n FROM s a, s b",
                "ANALYZE TABLE big",
                "CREATE TABLE audit_log (id INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(50)) ENGINE=InnoDB",
                "CREATE TABLE guarded (code VARCHAR(5) PRIMARY KEY) ENGINE=InnoDB",
                "INSERT INTO guarded VALUES ('g')",
                "CREATE TRIGGER guarded_bd BEFORE DELETE ON guarded FOR EACH ROW INSERT INTO audit_log (msg) VALUES (OLD.code)");
        long tags = innodbTableId("tags");
        long big = innodbTableId("big");
        long guarded = innodbTableId("guarded");
        long customers = innodbTableId("customers");
        connect(db.config().excludeTables(List.of("audit_log", "flyway_schema_history", "schema_migrations")).build());
        manager.reset();
        manager.disconnect();
        assertThat(innodbTableId("tags")).as("small, no counter: DELETE, no re-creation").isEqualTo(tags);
        assertThat(innodbTableId("big")).as("%d rows or more: TRUNCATE", MySQLDialect.DELETE_MAX_ROWS).isNotEqualTo(big);
        assertThat(innodbTableId("guarded")).as("DELETE trigger: TRUNCATE, which fires none").isNotEqualTo(guarded);
        assertThat(innodbTableId("customers")).as("counter moved: TRUNCATE restarts it").isNotEqualTo(customers);
        assertThat(db.count("tags")).as("the DELETE is committed").isZero();
        assertThat(db.count("big")).isZero();
        assertThat(db.count("guarded")).isZero();
        assertThat(db.count("audit_log")).as("the excluded table the trigger would write to").isZero();
        assertThat(db.count("customers")).isZero();
    }

    @Test
    @DisplayName("reset() empties rows another connection committed after the run's transaction took its read snapshot")
    void resetSeesRowsCommittedAfterTheSnapshot() {
        db.execute("CREATE TABLE tags (code VARCHAR(5) PRIMARY KEY) ENGINE=InnoDB");
        connect();
        // The application's read starts InnoDB's consistent snapshot of the manager's transaction
        // (REPEATABLE READ): a plain SELECT by the reset would not see what is committed after it.
        assertThat(appColumn("SELECT code FROM tags")).isEmpty();
        db.execute("INSERT INTO tags VALUES ('late')");
        manager.reset();
        manager.disconnect();
        assertThat(db.count("tags")).as("no counter, so only the emptiness check can find the row").isZero();
    }

    @Test
    @DisplayName("a reset that fails halfway says which tables TRUNCATE already emptied for good and which were not reset")
    void resetFailingHalfwayIsExplained() throws SQLException {
        connect(db.config().option("reset_lock_timeout", "1s").build());
        manager.checkpoint("doomed");
        app("INSERT INTO schema_migrations VALUES ('written-by-the-run')");
        // Another client (say, the application's own pool) holds a metadata lock on customers.
        try (Connection blocker = db.openConnection(); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.executeQuery("SELECT * FROM customers").close();
            assertThatThrownBy(() -> manager.reset())
                    .isInstanceOf(ResetException.class)
                    .hasMessageContaining("empty for good")
                    .hasMessageContaining("what the run wrote before the reset is committed")
                    .hasMessageContaining("order_items")
                    .hasMessageContaining("customers")
                    .hasMessageContaining("reset_lock_timeout")
                    .hasMessageContaining(db.name());
            blocker.rollback();
        }
        assertThat(manager.activeCheckpoints()).isEmpty();
        assertThat(db.count("order_items")).as("truncated before the failure: committed").isZero();
        assertThat(db.count("customers")).isEqualTo(2);
        assertThat(db.count("schema_migrations")).as("committed by TRUNCATE's implicit commit").isEqualTo(2);
        assertThat(appColumn("SELECT @@SESSION.lock_wait_timeout")).as("the session's own setting is back")
                .isNotEqualTo(List.of("1"));
        manager.reset();
        assertThat(db.count("customers")).isZero();
    }

    /** InnoDB's internal id of a table: MariaDB's INNODB_SYS_TABLES, MySQL 8's INNODB_TABLES. */
    @Test
    @DisplayName("change capture reads zero dates and TIME values beyond a day as their text (it stopped at the first one)")
    void changeCaptureReadsValuesNoJavaDateHolds() throws Exception {
        db.execute("CREATE TABLE odd_times (id INT PRIMARY KEY, d DATE NULL, t TIME NULL) ENGINE=InnoDB");
        manager = new MySQLStateManager(db.config().option("track_changes", "true").build());
        manager.connect();
        try (var c = manager.sharedDataSource().getConnection(); var st = c.createStatement()) {
            st.execute("SET SESSION sql_mode = ''");
            st.execute("INSERT INTO odd_times VALUES (1, '0000-00-00', '25:00:00')");
        }
        var tracker = manager.changeTracker().orElseThrow();
        var mark = tracker.mark();
        try (var c = manager.sharedDataSource().getConnection(); var st = c.createStatement()) {
            st.execute("UPDATE odd_times SET t = '-838:59:59' WHERE id = 1");
        }
        var changes = tracker.changesSince(mark);
        assertThat(changes.summary()).isEqualTo("~1 odd_times");
        var row = changes.table("odd_times").orElseThrow().updated().get(0);
        assertThat(row.before()).containsEntry("d", "0000-00-00").containsEntry("t", "25:00:00");
        assertThat(row.after()).containsEntry("t", "-838:59:59");
        assertThat(row.changed()).containsExactly("t");
    }

    @Test
    @DisplayName("a checkpoint refused because the run used an Aria table names the table and says what to do")
    void savepointRefusedByAnAriaTableNamesIt() throws Exception {
        boolean aria = db.query("select engine from information_schema.engines where engine = 'Aria' "
                + "and support in ('YES', 'DEFAULT')").size() == 1;
        org.junit.jupiter.api.Assumptions.assumeTrue(aria, "MariaDB's Aria engine");
        db.execute("CREATE TABLE ar (id INT PRIMARY KEY) ENGINE=Aria");
        manager = new MySQLStateManager(db.config().excludeTables(List.of("ar")).build());
        manager.connect();
        try (var c = manager.sharedDataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("select count(*) from ar")) {
            rs.next();
        }
        assertThatThrownBy(() -> manager.checkpoint("after_aria"))
                .hasMessageContaining("doesn't support SAVEPOINT")
                .hasMessageContaining("in this schema: ar (Aria)")
                .hasMessageContaining("ENGINE=InnoDB");
    }

    private static long innodbTableId(String table) {
        String name = db.name() + "/" + table;
        List<Map<String, Object>> rows;
        try {
            rows = db.query("SELECT TABLE_ID AS id FROM information_schema.INNODB_SYS_TABLES WHERE NAME = '" + name + "'");
        } catch (IllegalStateException mysql8) {
            rows = db.query("SELECT TABLE_ID AS id FROM information_schema.INNODB_TABLES WHERE NAME = '" + name + "'");
        }
        assertThat(rows).as("InnoDB table %s", name).hasSize(1);
        return ((Number) rows.get(0).get("id")).longValue();
    }

    @Test
    @DisplayName("reset() with tables_to_reset empties only those tables")
    void resetWithTablesToReset() {
        connect(db.config().tablesToReset(List.of("order_items", "orders")).build());
        manager.reset();
        manager.disconnect();
        assertThat(db.count("order_items")).isZero();
        assertThat(db.count("orders")).isZero();
        assertThat(db.count("customers")).isEqualTo(2);
        assertThat(db.count("flyway_schema_history")).isEqualTo(1);
    }

    @Test
    @DisplayName("reset() with exclude_tables leaves an excluded child table alone")
    void resetWithExcludeTables() {
        db.execute("CREATE TABLE audit_log (id INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(50)) ENGINE=InnoDB",
                "INSERT INTO audit_log (msg) VALUES ('kept')");
        connect(db.config().excludeTables(List.of("audit_log")).build());
        manager.reset();
        manager.disconnect();
        assertThat(db.count("audit_log")).isEqualTo(1);
        assertThat(db.count("customers")).isZero();
        assertThat(db.count("orders")).isZero();
    }

    @Test
    @DisplayName("an excluded table behind a foreign key stops reset() with both tables named, and changes nothing")
    void excludedTableBehindForeignKey() {
        connect(db.config().excludeTables(List.of("order_items")).build());
        manager.checkpoint("kept");
        app("INSERT INTO customers (name) VALUES ('carol')");
        assertThatThrownBy(() -> manager.reset())
                .isInstanceOf(ResetException.class)
                .hasMessageContaining("order_items")
                .hasMessageContaining("orders");
        assertThat(manager.activeCheckpoints()).containsExactly("kept");
        assertThat(appColumn("SELECT COUNT(*) FROM customers")).containsExactly("3");
        manager.rollback("kept");
        assertThat(appColumn("SELECT COUNT(*) FROM customers")).containsExactly("2");
        manager.disconnect();
        assertThat(db.count("order_items")).isEqualTo(1);
        assertThat(db.count("orders")).isEqualTo(1);
    }

    @Test
    @DisplayName("tables_to_reset naming a missing table is an error naming it and listing the tables")
    void tablesToResetUnknownTable() {
        connect(db.config().tablesToReset(List.of("custmers")).build());
        assertThatThrownBy(() -> manager.reset())
                .isInstanceOf(VenomQAException.class)
                .hasMessageContaining("custmers")
                .hasMessageContaining("customers");
    }

    // ---- disconnect ----------------------------------------------------------------------------

    @Test
    @DisplayName("nothing is committed by disconnect(), whatever happened; a reset before stays")
    void nothingCommittedAfterDisconnect() {
        connect();
        app("INSERT INTO customers (name) VALUES ('before-checkpoint')");
        manager.checkpoint("a");
        app("UPDATE customers SET name = 'changed'", "DELETE FROM order_items");
        manager.release("a");
        manager.checkpoint("b");
        app("INSERT INTO orders (customer_id, total) VALUES (2, 7)");
        manager.disconnect();
        assertThat(db.query("SELECT name FROM customers ORDER BY id")).extracting(r -> r.get("name"))
                .containsExactly("alice", "bob");
        assertThat(db.count("orders")).isEqualTo(1);
        assertThat(db.count("order_items")).isEqualTo(1);

        connect();
        manager.reset();
        app("INSERT INTO customers (name) VALUES ('after-reset')");
        manager.disconnect();
        assertThat(db.count("customers")).isZero();
        assertThat(db.count("orders")).isZero();
    }

    // ---- MySQL specifics -------------------------------------------------------------------------

    @Test
    @DisplayName("introspection reads only the manager's database: a broken view in another database does not matter")
    void introspectionStaysInItsDatabase() {
        // Other databases on a shared server come and go (other test runs) or are broken; a manager
        // that looked at them would fail at random. A view over a dropped table fails any column lookup.
        String other = db.name() + "_other";
        db.execute("CREATE DATABASE `" + other + "`",
                "CREATE TABLE `" + other + "`.gone (id INT)",
                "CREATE VIEW `" + other + "`.broken AS SELECT id FROM `" + other + "`.gone",
                "DROP TABLE `" + other + "`.gone");
        try {
            connect();
            assertThat(manager.schema().tableNames())
                    .containsExactlyInAnyOrder("customers", "orders", "order_items", "flyway_schema_history", "schema_migrations");
            manager.reset();
            assertThat(db.count("customers")).isZero();
        } finally {
            db.execute("DROP DATABASE `" + other + "`");
        }
    }


    @Test
    @DisplayName("a connection KILLed on the server: the next call says the checkpoints are lost; disconnect() still works")
    void killedConnection() {
        connect();
        manager.checkpoint("cart");
        app("INSERT INTO customers (name) VALUES ('lost')");
        String id = appColumn("SELECT CONNECTION_ID()").get(0);
        db.execute("KILL " + id);

        assertThatThrownBy(() -> manager.rollback("cart"))
                .isInstanceOf(StateConnectionException.class)
                .hasMessageContaining("cart")
                .hasMessageContaining("lost")
                .hasMessageContaining(db.name());
        assertThatThrownBy(() -> manager.checkpoint("again")).isInstanceOf(StateConnectionException.class);
        assertThatCode(manager::disconnect).doesNotThrowAnyException();
        assertThat(manager.isConnected()).isFalse();
        assertThatThrownBy(() -> manager.checkpoint("x")).isInstanceOf(StateNotConnectedException.class);
        assertThat(db.count("customers")).as("the server rolled the open transaction back").isEqualTo(2);
        db.execute("INSERT INTO customers (name) VALUES ('next')");
        assertThat(db.query("SELECT id FROM customers WHERE name = 'next'")).singleElement()
                .satisfies(row -> assertThat(((Number) row.get("id")).longValue()).as("the counter put back on a new connection")
                        .isEqualTo(3));
        db.execute("DELETE FROM customers WHERE name = 'next'", "ALTER TABLE customers AUTO_INCREMENT = 3");

        manager.connect();
        manager.checkpoint("cart");
        assertThat(appColumn("SELECT COUNT(*) FROM customers")).containsExactly("2");
    }

    @Test
    @DisplayName("DDL through the shared connection commits implicitly: rollback says so instead of restoring half")
    void implicitCommitDetected() {
        connect();
        manager.checkpoint("before-ddl");
        app("INSERT INTO customers (name) VALUES ('carol')");
        // An application running DDL in auto-commit mode (a schema migration at start-up, say):
        try (Connection c = manager.sharedDataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE surprise (id INT) ENGINE=InnoDB");
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        assertThatThrownBy(() -> manager.rollback("before-ddl"))
                .isInstanceOf(VenomQAException.class)
                .hasMessageContaining("before-ddl")
                .hasMessageContaining("commit");
        assertThat(manager.activeCheckpoints()).isEmpty();
        assertThatThrownBy(manager::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("table customers differs");
        assertThat(db.count("customers")).as("the implicit commit made carol permanent").isEqualTo(3);
    }

    @Test
    @DisplayName("a deadlock that makes the manager's transaction the victim: the next rollback says every checkpoint is lost")
    void deadlockVictim() throws Exception {
        connect();
        app("INSERT INTO customers (name) VALUES ('before-checkpoint')");
        manager.checkpoint("cp");
        app("UPDATE customers SET name = 'mine' WHERE id = 1"); // the manager's transaction now locks row 1
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try (Connection other = db.openConnection(); Statement os = other.createStatement()) {
            other.setAutoCommit(false);
            // A heavier transaction than ours, so that InnoDB picks ours as the deadlock victim.
            for (int i = 0; i < 50; i++) {
                os.execute("INSERT INTO schema_migrations VALUES ('other-" + i + "')");
            }
            os.execute("UPDATE customers SET name = 'other' WHERE id = 2");
            String otherId;
            try (ResultSet rs = os.executeQuery("SELECT CONNECTION_ID()")) {
                rs.next();
                otherId = rs.getString(1);
            }
            // A statement of its own, made on the worker's thread: a run once never saw the UPDATE reach the server.
            Thread[] workerThread = new Thread[1];
            Future<Integer> blocked = worker.submit(() -> {
                workerThread[0] = Thread.currentThread();
                try (Statement ws = other.createStatement()) {
                    return ws.executeUpdate("UPDATE customers SET name = 'other' WHERE id = 1");
                }
            });
            awaitLockWait(otherId, blocked, workerThread);
            assertThatThrownBy(() -> app("UPDATE customers SET name = 'mine' WHERE id = 2"))
                    .hasMessageContaining("Deadlock");
            assertThat(blocked.get()).isEqualTo(1);
            other.rollback();
        } finally {
            worker.shutdownNow();
        }
        assertThatThrownBy(() -> manager.rollback("cp"))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("'cp'")
                .hasMessageContaining("deadlock");
        assertThat(manager.activeCheckpoints()).isEmpty();
        assertThat(appColumn("SELECT COUNT(*) FROM customers WHERE name = 'before-checkpoint'"))
                .as("the deadlock rolled back the whole transaction, not just back to the savepoint").containsExactly("0");
    }

    /**
     * Waits until the connection {@code id} waits for a row lock (InnoDB's view), so the deadlock is certain; or
     * until the server has been running its {@code UPDATE} for half a second: a CI run (2026-12-08) saw the statement
     * "Updating" for 30 s while {@code INNODB_TRX} still said {@code RUNNING}. Either way the statement has asked for
     * the lock, and the deadlock the test then asserts is what proves it waited. Up to 30 s: on a loaded machine the
     * waiting statement's thread can be slow to start (a CI run once gave up after 10 s). Fails at once, saying so,
     * if the statement finished without waiting.
     */
    private static void awaitLockWait(String id, Future<Integer> statement, Thread[] worker) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        long runningSince = 0;
        // One connection for the polling: opening one per poll (50 a second) is churn the server does not need.
        try (Connection poll = db.openConnection(); PreparedStatement waiting = poll.prepareStatement(
                "SELECT 1 FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = ? AND trx_state = 'LOCK WAIT'");
             PreparedStatement running = poll.prepareStatement("SELECT 1 FROM information_schema.PROCESSLIST "
                     + "WHERE ID = ? AND INFO LIKE 'UPDATE customers%'")) {
            waiting.setString(1, id);
            running.setString(1, id);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = waiting.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
                try (ResultSet rs = running.executeQuery()) {
                    if (!rs.next()) {
                        runningSince = 0;
                    } else if (runningSince == 0) {
                        runningSince = System.nanoTime();
                    } else if (System.nanoTime() - runningSince > java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(500)) {
                        return;
                    }
                }
                if (statement.isDone()) {
                    break;
                }
                Thread.sleep(50);
            }
        }
        while (System.nanoTime() < deadline) {
            if (statement.isDone()) {
                throw new AssertionError("connection " + id + "'s UPDATE finished without waiting for the row lock (result "
                        + statement.get() + "): the manager's transaction did not hold it. InnoDB's transactions: "
                        + db.query("SELECT trx_mysql_thread_id AS t, trx_state AS s, trx_rows_locked AS l FROM information_schema.INNODB_TRX"));
            }
            Thread.sleep(20);
        }
        Thread t = worker[0];
        throw new AssertionError("connection " + id + " never started waiting for the row lock in 30 s. InnoDB's transactions: "
                + db.query("SELECT trx_mysql_thread_id AS t, trx_state AS s, trx_rows_locked AS l, trx_query AS q FROM information_schema.INNODB_TRX")
                + "; the server's threads: " + db.query("SELECT ID AS id, STATE AS state, INFO AS info FROM information_schema.PROCESSLIST "
                        + "WHERE COMMAND <> 'Sleep'")
                + "; the worker thread: " + (t == null ? "never started" : t.getState() + " at "
                + java.util.Arrays.toString(t.getStackTrace())));
    }

    @Test
    @DisplayName("a MyISAM table fails connect() naming it; with non_transactional_tables=warn or excluded it is allowed")
    void nonTransactionalTable() {
        db.execute("CREATE TABLE hits (id INT PRIMARY KEY) ENGINE=MyISAM");
        MySQLStateManager strict = new MySQLStateManager(db.config().build());
        assertThatThrownBy(strict::connect)
                .isInstanceOf(VenomQAException.class)
                .hasMessageContaining("hits")
                .hasMessageContaining("MyISAM")
                .hasMessageContaining("non_transactional_tables");
        assertThat(strict.isConnected()).isFalse();

        connect(db.config().option("non_transactional_tables", "warn").build());
        assertThat(manager.isConnected()).isTrue();
        manager.checkpoint("before-hit");
        app("INSERT INTO hits VALUES (1)", "INSERT INTO customers (name) VALUES ('carol')");
        manager.rollback("before-hit");
        assertThat(appColumn("SELECT COUNT(*) FROM customers")).containsExactly("2");
        assertThat(appColumn("SELECT COUNT(*) FROM hits")).as("why connect() refuses by default: MyISAM keeps its rows")
                .containsExactly("1");
        // and disconnect() says so instead of passing (the row is still there)
        assertThatThrownBy(manager::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("table hits differs").hasMessageContaining("MyISAM");

        assertThatThrownBy(() -> new MySQLStateManager(db.config().option("non_transactional_tables", "maybe").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non_transactional_tables");

        connect(db.config().excludeTables(List.of("hits")).build());
        assertThat(manager.isConnected()).isTrue();
    }

    @Test
    @DisplayName("a write through sharedDataSource() to a MyISAM table of another database fails rollback (warning 1196) and disconnect(), naming the cause and what to do; the InnoDB rows are rolled back")
    void nonTransactionalTableInAnotherDatabase() {
        String other = db.name() + "_other";
        db.execute("CREATE DATABASE `" + other + "`", "CREATE TABLE `" + other + "`.hits (id INT PRIMARY KEY) ENGINE=MyISAM");
        try {
            connect();
            manager.checkpoint("start");
            manager.checkpoint("later");
            app("INSERT INTO customers (name) VALUES ('carol')", "INSERT INTO `" + other + "`.hits VALUES (1)");
            assertThatThrownBy(() -> manager.rollback("start")).isInstanceOf(RollbackException.class)
                    .hasMessageContaining("Rollback to checkpoint 'start'")
                    .hasMessageContaining("warning 1196")
                    .hasMessageContaining("another database")
                    .hasMessageContaining("ENGINE=InnoDB")
                    .hasMessageContaining("(later) are gone");
            assertThat(appColumn("SELECT COUNT(*) FROM customers")).containsExactly("2");
            assertThat(appColumn("SELECT COUNT(*) FROM `" + other + "`.hits")).containsExactly("1");
            assertThatThrownBy(manager::disconnect).isInstanceOf(RollbackException.class)
                    .hasMessageContaining("disconnect() could not put")
                    .hasMessageContaining("warning 1196");
            assertThat(manager.isConnected()).isFalse();
            assertThat(db.count("customers")).isEqualTo(2);
        } finally {
            db.execute("DROP DATABASE IF EXISTS `" + other + "`");
        }
    }

    @Test
    @DisplayName("a write through sharedDataSource() to a MyISAM table of another database, with no rollback after it, fails disconnect()")
    void nonTransactionalTableInAnotherDatabaseAtDisconnect() {
        String other = db.name() + "_other2";
        db.execute("CREATE DATABASE `" + other + "`", "CREATE TABLE `" + other + "`.hits (id INT PRIMARY KEY) ENGINE=MyISAM");
        try {
            connect();
            app("INSERT INTO customers (name) VALUES ('carol')", "INSERT INTO `" + other + "`.hits VALUES (1)");
            assertThatThrownBy(manager::disconnect).isInstanceOf(RollbackException.class)
                    .hasMessageContaining("disconnect() could not put")
                    .hasMessageContaining("warning 1196")
                    .hasMessageContaining("ENGINE=InnoDB");
            assertThat(db.count("customers")).isEqualTo(2);
        } finally {
            db.execute("DROP DATABASE IF EXISTS `" + other + "`");
        }
    }

    @Test
    @DisplayName("charset option: default utf8mb4 keeps non-ASCII text; latin1 is taken by the session; unknown values fail early")
    void charsetOption() {
        connect();
        app("INSERT INTO customers (name) VALUES ('Zoë 🚀 注文')");
        assertThat(appColumn("SELECT name FROM customers WHERE id = 3")).containsExactly("Zoë 🚀 注文");
        assertThat(appColumn("SELECT @@character_set_connection")).containsExactly("utf8mb4");
        manager.disconnect();

        connect(db.config().option("charset", "latin1").build());
        assertThat(appColumn("SELECT @@character_set_connection")).containsExactly("latin1");
        manager.disconnect();

        assertThatThrownBy(() -> new MySQLStateManager(db.config().option("charset", "klingon").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("charset")
                .hasMessageContaining("klingon")
                .hasMessageContaining("utf8mb4");
    }
}
