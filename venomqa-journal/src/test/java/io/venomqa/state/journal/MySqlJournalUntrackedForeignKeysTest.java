package io.venomqa.state.journal;

import io.venomqa.state.RollbackException;
import io.venomqa.state.mysql.MySQLStateManager;
import io.venomqa.testsupport.Stderr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Foreign keys without an action between a journaled table and one the journal does not track (of another database,
 * or in exclude_tables). The undo runs with {@code foreign_key_checks = 0} and writes tracked tables only, so until
 * 2026-12-08 a rollback that took away an order an untracked row referenced, or put back an order whose customer there
 * had been deleted, reported success and left the foreign key broken. Now it fails, naming the key and the table, and
 * changes nothing; once the application's rows no longer stand in the way it is exact.
 */
class MySqlJournalUntrackedForeignKeysTest {

    private MyDb db;
    private String other;

    @BeforeEach
    void setUp() {
        db = new MyDb();
        other = db.name + "_other";
        db.cli("create database `" + other + "`;"
                + "create table `" + other + "`.customers(id int primary key, name varchar(20)) engine=InnoDB;"
                + "insert into `" + other + "`.customers values (1, 'ada'), (2, 'bob');"
                + "create table orders(id int auto_increment primary key, customer_id int, note varchar(20), "
                + "foreign key (customer_id) references `" + other + "`.customers(id)) engine=InnoDB;"
                + "create table audit(id int auto_increment primary key, order_id int not null, what varchar(20), "
                + "constraint audit_order foreign key (order_id) references orders(id)) engine=InnoDB;"
                + "create table `" + other + "`.events(id int auto_increment primary key, order_id int, what varchar(20), "
                + "constraint events_order foreign key (order_id) references `" + db.name + "`.orders(id)) engine=InnoDB;"
                + "insert into orders(customer_id, note) values (1, 'first');");
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            // The two databases reference each other's tables: neither drops first with the checks on.
            db.cli("set foreign_key_checks = 0; drop database if exists `" + other + "`; drop database if exists `" + db.name + "`");
        } finally {
            db.close();
        }
    }

    private MySQLStateManager manager() {
        return db.track(new MySQLStateManager(db.config().excludeTables(List.of("audit")).build()));
    }

    private String count(String table) {
        return db.cli("select count(*) from " + table).trim();
    }

    @Test
    @DisplayName("connect() names the keys that tie tracked tables to untracked ones")
    void connectNamesTheKeys() {
        MySQLStateManager m = manager();
        String said = Stderr.during(m::connect);
        assertThat(said).contains("foreign keys tie tracked tables to tables the journal does not track")
                .contains("`" + other + "`.`events` → `" + db.name + "`.`orders` (`events_order`; the child is in another database)")
                .contains("`" + db.name + "`.`audit` → `" + db.name + "`.`orders` (`audit_order`; the child is not tracked")
                .contains("`" + db.name + "`.`orders` → `" + other + "`.`customers`");
        m.disconnect();
    }

    @Test
    @DisplayName("a rollback that would take away an order a row of another database references fails, then is exact")
    void childInAnotherDatabase() throws Exception {
        MySQLStateManager m = manager();
        m.connect();
        List<String> before = db.dump();
        m.checkpoint("start");
        db.cli("insert into orders(customer_id, note) values (2, 'second');"
                + "insert into `" + other + "`.events(order_id, what) values (2, 'made');");
        List<String> during = db.dump();

        assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("a row of `" + other + "`.`events` (order_id = '2')")
                .hasMessageContaining("foreign key `events_order`").hasMessageContaining("in another database")
                .hasMessageContaining("The undo was rolled back");
        assertThat(db.dump()).isEqualTo(during);
        assertThat(count("`" + other + "`.events")).isEqualTo("1");

        db.cli("delete from `" + other + "`.events");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    @DisplayName("the same for a child in exclude_tables, at disconnect() too")
    void excludedChild() throws Exception {
        MySQLStateManager m = manager();
        m.connect();
        List<String> before = db.dump().stream().filter(r -> !r.startsWith("audit ")).toList();
        m.checkpoint("start");
        db.cli("update orders set note = 'changed' where id = 1;"
                + "insert into orders(customer_id, note) values (1, 'second');"
                + "insert into audit(order_id, what) values (2, 'made');");

        assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("a row of `" + db.name + "`.`audit` (order_id = '2')")
                .hasMessageContaining("foreign key `audit_order`").hasMessageContaining("not tracked");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("foreign key `audit_order`");
        assertThat(count("orders")).isEqualTo("2");
        assertThat(count("audit")).isEqualTo("1");
    }

    @Test
    @DisplayName("a rollback that would put back an order whose customer in another database is gone fails, then is exact")
    void parentInAnotherDatabase() throws Exception {
        MySQLStateManager m = manager();
        m.connect();
        List<String> before = db.dump();
        m.checkpoint("start");
        db.cli("delete from orders where id = 1; delete from `" + other + "`.customers where id = 1;");
        List<String> during = db.dump();

        assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("the row of `" + db.name + "`.`orders` it puts back (customer_id = '1')")
                .hasMessageContaining("no matching row in `" + other + "`.`customers`")
                .hasMessageContaining("in another database");
        assertThat(db.dump()).isEqualTo(during);

        db.cli("insert into `" + other + "`.customers values (1, 'ada')");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    @DisplayName("300 orders put back, one of whose customers in another database is gone: found among them (the keys are checked 200 a query)")
    void manyRowsPutBack() throws Exception {
        String ids = "with recursive r(n) as (select 10 union all select n + 1 from r where n < 309) ";
        db.cli("insert into `" + other + "`.customers " + ids + "select n, concat('c', n) from r;"
                + "insert into orders(customer_id, note) " + ids + "select n, 'bulk' from r;");
        MySQLStateManager m = manager();
        m.connect();
        List<String> before = db.dump();
        m.checkpoint("start");
        db.cli("delete from orders where customer_id >= 10; delete from `" + other + "`.customers where id = 250;");

        assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("(customer_id = '250') would have no matching row in `" + other + "`.`customers`");
        db.cli("insert into `" + other + "`.customers values (250, 'back')");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    @DisplayName("a tree restore whose redo would take away an order a row of another database now references fails, then is exact")
    void redoAcrossTheTree() throws Exception {
        MySQLStateManager m = manager();
        io.venomqa.state.CheckpointTree tree = m.checkpointTree().orElseThrow();
        m.connect();
        List<String> before = db.dump();
        m.checkpoint("c1");
        db.cli("delete from orders where id = 1;");
        List<String> atC2 = db.dump();
        m.checkpoint("c2");
        tree.restore("c1");
        assertThat(db.dump()).isEqualTo(before);
        db.cli("insert into `" + other + "`.events(order_id, what) values (1, 'seen');");

        assertThatThrownBy(() -> tree.restore("c2")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("a row of `" + other + "`.`events` (order_id = '1')")
                .hasMessageContaining("foreign key `events_order`");
        assertThat(db.dump()).isEqualTo(before);

        db.cli("delete from `" + other + "`.events");
        tree.restore("c2");
        assertThat(db.dump()).isEqualTo(atC2);
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    @DisplayName("writes that leave the untracked rows' parents alone roll back as before, tree restores included")
    void unrelatedWritesStayExact() throws Exception {
        MySQLStateManager m = manager();
        m.connect();
        List<String> before = db.dump();
        m.checkpoint("start");
        db.cli("insert into `" + other + "`.events(order_id, what) values (1, 'seen');"
                + "insert into orders(customer_id, note) values (2, 'second'); update orders set customer_id = null where id = 1;");
        m.checkpoint("second");
        List<String> second = db.dump();
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        assertThat(count("`" + other + "`.events")).isEqualTo("1");
        db.cli("delete from `" + other + "`.events");
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
        assertThat(second).isNotEqualTo(before);
    }
}
