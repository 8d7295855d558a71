package io.venomqa.state.mysql;

import io.venomqa.state.StateConfig;
import io.venomqa.state.WorkerDatabaseException;
import io.venomqa.state.WorkerDatabases;
import io.venomqa.state.WorkerSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Worker databases on MySQL/MariaDB: schema (foreign keys, AUTO_INCREMENT, generated columns, views)
 * and rows copied into a database per worker, isolated, dropped on close; leftovers of dead runs
 * dropped, those of live runs kept; triggers, procedures and functions copied and acting on the copy;
 * what cannot be copied faithfully refused with what to do. Works in databases of its own.
 */
class MySQLWorkerDatabasesTest {

    private static MySQLTestDatabase db;

    @BeforeAll
    static void createSource() {
        db = MySQLTestDatabase.create();
        db.execute("CREATE TABLE customers (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL,"
                        + " shout VARCHAR(60) AS (UPPER(name)) VIRTUAL)",
                "CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL,"
                        + " FOREIGN KEY (customer_id) REFERENCES customers(id))",
                "INSERT INTO customers(name) VALUES ('ada'), ('bob')",
                "INSERT INTO orders(customer_id) VALUES (2)",
                "CREATE VIEW big_customers AS SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id");
    }

    @AfterAll
    static void dropAll() throws SQLException {
        try (Connection c = db.openConnection(); Statement st = c.createStatement()) {
            for (String name : databases(db.name() + "_vqw_")) {
                st.execute("DROP DATABASE `" + name + "`");
            }
        }
        db.close();
    }

    private static WorkerDatabases workers() {
        return new MySQLStateManager(db.config().build()).workerDatabases().orElseThrow();
    }

    @Test
    void copiesHoldSchemaAndRowsAreIsolatedAndDroppedOnClose() throws SQLException {
        try (WorkerSet set = workers().create(2)) {
            StateConfig first = set.configs().get(0);
            assertThat(first.url()).endsWith("/" + db.name() + "_vqw_" + set.runId() + "_1");
            try (Connection c = MySQLTestDatabase.open(first.url()); Statement st = c.createStatement()) {
                st.execute("INSERT INTO customers(name) VALUES ('carl')");
                assertThat(rows(st, "SELECT id, shout FROM customers WHERE name = 'carl'")).containsExactly("3 CARL");
                assertThat(rows(st, "SELECT name FROM big_customers")).containsExactly("bob");
                assertThatThrownBy(() -> st.execute("INSERT INTO orders(customer_id) VALUES (99)"))
                        .hasMessageContaining("foreign key");
            }
            try (Connection c = MySQLTestDatabase.open(set.configs().get(1).url()); Statement st = c.createStatement()) {
                assertThat(rows(st, "SELECT name FROM customers ORDER BY id")).containsExactly("ada", "bob");
                // the view reads its own database's tables, not the source's
                st.execute("DELETE FROM orders");
                assertThat(rows(st, "SELECT name FROM big_customers")).isEmpty();
            }
            assertThat(db.count("customers")).isEqualTo(2);
            assertThat(db.query("SELECT name FROM big_customers")).containsExactly(Map.of("name", "bob"));
        }
        assertThat(databases(db.name() + "_vqw_")).isEmpty();
    }

    @Test
    void copiesMadeWhileTheApplicationWritesAreTheSourceAtOneMomentAndAllAlike() throws Exception {
        db.execute("CREATE TABLE a_parent (id INT AUTO_INCREMENT PRIMARY KEY)",
                "CREATE TABLE m_mid (id INT PRIMARY KEY, v VARCHAR(40))",
                "INSERT INTO m_mid SELECT seq, REPEAT('x', 40) FROM seq_1_to_60000", // makes the copy take a while
                "CREATE TABLE z_child (id INT AUTO_INCREMENT PRIMARY KEY, parent_id INT NOT NULL,"
                        + " FOREIGN KEY (parent_id) REFERENCES a_parent(id))");
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger pairs = new java.util.concurrent.atomic.AtomicInteger();
        Thread writer = new Thread(() -> {
            try (Connection c = db.openConnection(); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                while (!stop.get()) { // one parent and its child per transaction, as an application would
                    st.execute("INSERT INTO a_parent () VALUES ()");
                    st.execute("INSERT INTO z_child (parent_id) VALUES (LAST_INSERT_ID())");
                    c.commit();
                    pairs.incrementAndGet();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            writer.start();
            while (pairs.get() < 20) {
                Thread.sleep(5);
            }
            try (WorkerSet set = workers().create(3)) {
                stop.set(true);
                List<String> states = new ArrayList<>();
                for (StateConfig copy : set.configs()) {
                    try (Connection c = MySQLTestDatabase.open(copy.url()); Statement st = c.createStatement()) {
                        assertThat(rows(st, "SELECT COUNT(*) FROM z_child WHERE parent_id NOT IN (SELECT id FROM a_parent)"))
                                .as("children without their parent in %s", copy.url()).containsExactly("0");
                        states.add(rows(st, "SELECT (SELECT COUNT(*) FROM a_parent), (SELECT COUNT(*) FROM z_child),"
                                + " (SELECT COUNT(*) FROM m_mid)").get(0));
                    }
                }
                assertThat(states).as("parents, children, rows of m_mid in each copy").containsOnly(states.get(0));
            }
        } finally {
            stop.set(true);
            writer.join(10_000);
            db.execute("DROP TABLE z_child", "DROP TABLE a_parent", "DROP TABLE m_mid");
        }
    }

    @Test
    void leftoversOfDeadRunsAreDroppedAndThoseOfLiveRunsKept() throws SQLException {
        String dead = db.name() + "_vqw_deadrun1_1";
        String live = db.name() + "_vqw_liverun1_1";
        try (Connection other = db.openConnection(); Statement st = other.createStatement()) {
            st.execute("CREATE DATABASE `" + dead + "`");
            st.execute("CREATE DATABASE `" + live + "`");
            st.execute("SELECT GET_LOCK('venomqa.workers.liverun1', 0)"); // another process's live run
            try (WorkerSet set = workers().create(1)) {
                assertThat(set.droppedLeftovers()).containsExactly(dead);
                assertThat(databases(db.name() + "_vqw_")).containsExactlyInAnyOrder(live, db.name() + "_vqw_" + set.runId() + "_1");
            }
            st.execute("DROP DATABASE `" + live + "`");
        }
    }

    @Test
    void triggersAndRoutinesAreCopiedInFiringOrderAndActOnTheCopy() throws SQLException {
        db.execute("CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, who VARCHAR(60) NOT NULL)",
                "INSERT INTO audit(who) VALUES ('before the copy')",
                "CREATE TRIGGER tag_one BEFORE INSERT ON customers FOR EACH ROW SET NEW.name = CONCAT(NEW.name, '1')",
                "CREATE TRIGGER tag_two BEFORE INSERT ON customers FOR EACH ROW FOLLOWS tag_one SET NEW.name = CONCAT(NEW.name, '2')",
                "CREATE TRIGGER audit_customer AFTER INSERT ON customers FOR EACH ROW INSERT INTO audit(who) VALUES (NEW.name)",
                "CREATE FUNCTION greet(n VARCHAR(20)) RETURNS VARCHAR(30) DETERMINISTIC RETURN CONCAT('hi ', n)",
                "CREATE PROCEDURE add_customer(n VARCHAR(20)) INSERT INTO customers(name) VALUES (greet(n))");
        try (WorkerSet set = workers().create(2)) {
            try (Connection c = MySQLTestDatabase.open(set.configs().get(0).url()); Statement st = c.createStatement()) {
                assertThat(rows(st, "SELECT who FROM audit")).as("rows as in the source: no trigger fired while copying")
                        .containsExactly("before the copy");
                st.execute("INSERT INTO customers(name) VALUES ('carl')");
                st.execute("CALL add_customer('dan')");
                assertThat(rows(st, "SELECT name FROM customers WHERE id > 2 ORDER BY id")).containsExactly("carl12", "hi dan12");
                assertThat(rows(st, "SELECT who FROM audit ORDER BY id")).containsExactly("before the copy", "carl12", "hi dan12");
                assertThat(rows(st, "SELECT greet('x')")).containsExactly("hi x");
            }
            try (Connection c = MySQLTestDatabase.open(set.configs().get(1).url()); Statement st = c.createStatement()) {
                assertThat(rows(st, "SELECT who FROM audit")).containsExactly("before the copy");
            }
            assertThat(db.count("customers")).isEqualTo(2);
            assertThat(db.count("audit")).isEqualTo(1);
        } finally {
            db.execute("DROP PROCEDURE add_customer", "DROP FUNCTION greet", "DROP TRIGGER audit_customer", "DROP TRIGGER tag_two",
                    "DROP TRIGGER tag_one", "DROP TABLE audit");
        }
        assertThat(databases(db.name() + "_vqw_")).isEmpty();
    }

    @Test
    @org.junit.jupiter.api.DisplayName("MariaDB sequences are copied going on where the source's are, and the copies' defaults take from their own (before, a copy's insert took the id from the source's sequence)")
    void sequencesAreCopiedAndTheCopiesTakeFromTheirOwn() throws SQLException {
        db.execute("CREATE SEQUENCE ticket_seq START WITH 100 CACHE 50",
                "CREATE TABLE tickets (id BIGINT PRIMARY KEY DEFAULT (NEXT VALUE FOR ticket_seq), what VARCHAR(20))",
                "INSERT INTO tickets(what) VALUES ('a'), ('b')"); // the source's next value: 102
        try (WorkerSet set = workers().create(2)) {
            for (int w = 0; w < 2; w++) {
                try (Connection c = MySQLTestDatabase.open(set.configs().get(w).url()); Statement st = c.createStatement()) {
                    st.execute("INSERT INTO tickets(what) VALUES ('copy')");
                    assertThat(rows(st, "SELECT id FROM tickets WHERE what = 'copy'")).containsExactly("102");
                }
            }
            db.execute("INSERT INTO tickets(what) VALUES ('source')");
            assertThat(db.query("SELECT id FROM tickets WHERE what = 'source'")).containsExactly(Map.of("id", 102L));
        } finally {
            db.execute("DROP TABLE tickets", "DROP SEQUENCE ticket_seq");
        }
        assertThat(databases(db.name() + "_vqw_")).isEmpty();
    }

    @Test
    void aTriggerThatNamesTheSourceDatabaseIsRefusedAndNothingIsLeft() throws SQLException {
        db.execute("CREATE TABLE audit (who VARCHAR(60))", "CREATE TRIGGER audit_customer AFTER INSERT ON customers FOR EACH ROW"
                + " INSERT INTO `" + db.name() + "`.audit(who) VALUES (NEW.name)");
        try {
            assertThatThrownBy(() -> workers().create(2))
                    .isInstanceOf(WorkerDatabaseException.class)
                    .hasMessageContaining("trigger audit_customer names the database itself")
                    .hasMessageContaining("run with one worker");
        } finally {
            db.execute("DROP TRIGGER audit_customer", "DROP TABLE audit");
        }
        assertThat(databases(db.name() + "_vqw_")).isEmpty();
    }

    @Test
    void eventsAndJournalTriggersAreRefusedNamingThem() throws SQLException {
        db.execute("CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY DO DELETE FROM orders");
        try {
            assertThatThrownBy(() -> workers().create(1)).isInstanceOf(WorkerDatabaseException.class)
                    .hasMessageContaining("event nightly").hasMessageContaining("Run with one worker");
        } finally {
            db.execute("DROP EVENT nightly");
        }
        db.execute("CREATE TRIGGER venomqa_journal_i AFTER INSERT ON orders FOR EACH ROW SET @x = 1");
        try {
            assertThatThrownBy(() -> workers().create(1)).isInstanceOf(WorkerDatabaseException.class)
                    .hasMessageContaining("journal triggers [venomqa_journal_i]")
                    .hasMessageContaining("connect and disconnect it once");
        } finally {
            db.execute("DROP TRIGGER venomqa_journal_i");
        }
        assertThat(databases(db.name() + "_vqw_")).isEmpty();
    }

    private static List<String> rows(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> cells = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    cells.add(rs.getString(i));
                }
                out.add(String.join(" ", cells));
            }
        }
        return out;
    }

    private static List<String> databases(String prefix) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> row : db.query("SELECT schema_name AS n FROM information_schema.schemata ORDER BY 1")) {
            String name = String.valueOf(row.get("n"));
            if (name.startsWith(prefix)) {
                out.add(name);
            }
        }
        return out;
    }
}
