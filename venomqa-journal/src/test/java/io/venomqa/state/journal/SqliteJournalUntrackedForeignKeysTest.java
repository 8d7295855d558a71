package io.venomqa.state.journal;

import io.venomqa.state.RollbackException;
import io.venomqa.state.sqlite.SQLiteStateManager;
import io.venomqa.testsupport.Stderr;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SQLite, foreign keys without an action between a journaled table and one in exclude_tables, with
 * {@code foreign_keys: true} (the application enforces them): the undo runs with foreign keys off and writes tracked
 * tables only, so until 2026-12-08 a rollback that took away an order an excluded row referenced, or put back an order
 * whose excluded customer had been deleted, reported success and left the key broken. Without {@code foreign_keys} the
 * manager does not check: rows without a parent are then the application's normal.
 */
class SqliteJournalUntrackedForeignKeysTest {

    private static final String ON = "pragma foreign_keys = on; ";

    private static void schema(SqliteDb db) throws Exception {
        db.exec("create table customers (id integer primary key, name text)",
                "create table orders (id integer primary key, customer_id int references customers, note text)",
                "create table audit (id integer primary key, order_id int not null references orders (id), what text)",
                "insert into customers values (1, 'ada'), (2, 'bob')", "insert into orders values (1, 1, 'first')");
    }

    private static List<String> rows(SqliteDb db) throws Exception {
        return db.rows("select * from customers order by 1", "select * from orders order by 1", "select * from audit order by 1");
    }

    @Test
    @DisplayName("an order an excluded row references: the rollback and disconnect() fail naming the key, changing nothing")
    void excludedChild() throws Exception {
        try (SqliteDb db = new SqliteDb()) {
            schema(db);
            SQLiteStateManager m = new SQLiteStateManager(db.config().option("foreign_keys", true)
                    .excludeTables(List.of("audit")).build());
            String said = Stderr.during(m::connect);
            try {
                assertThat(said).contains("foreign keys tie tracked tables to tables the journal does not track")
                        .contains("\"audit\" → \"orders\" ((order_id) of \"audit\"; the child is not tracked");
                m.checkpoint("start");
                db.cli(ON + "insert into orders values (2, 2, 'second'); insert into audit values (1, 2, 'made');");
                List<String> during = rows(db);

                assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                        .hasMessageContaining("a row of \"audit\" (order_id = 2)")
                        .hasMessageContaining("foreign key (order_id) of \"audit\"").hasMessageContaining("not tracked")
                        .hasMessageContaining("The undo was rolled back");
                assertThat(rows(db)).isEqualTo(during);
                assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                        .hasMessageContaining("foreign key (order_id) of \"audit\"");
                assertThat(rows(db)).isEqualTo(during); // disconnect() left the data as the run left it, and said so
            } finally {
                m.disconnect();
            }
        }
    }

    @Test
    @DisplayName("an order put back whose excluded customer was deleted: the rollback fails, then is exact once the customer is back")
    void excludedParent() throws Exception {
        try (SqliteDb db = new SqliteDb()) {
            schema(db);
            SQLiteStateManager m = new SQLiteStateManager(db.config().option("foreign_keys", true)
                    .excludeTables(List.of("customers")).build());
            m.connect();
            try {
                List<String> before = rows(db);
                m.checkpoint("start");
                db.cli(ON + "delete from orders where id = 1; delete from customers where id = 1;");
                assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                        .hasMessageContaining("the row of \"orders\" it puts back (customer_id = 1) would have no matching row in \"customers\"");
                db.cli(ON + "insert into customers values (1, 'ada');");
                m.rollback("start");
                assertThat(rows(db)).isEqualTo(before);
            } finally {
                m.disconnect();
            }
        }
    }

    @Test
    @DisplayName("without foreign_keys: true the manager does not check, as the application may keep rows without a parent")
    void notCheckedWithoutForeignKeys() throws Exception {
        try (SqliteDb db = new SqliteDb()) {
            schema(db);
            SQLiteStateManager m = new SQLiteStateManager(db.config().excludeTables(List.of("audit")).build());
            m.connect();
            try {
                m.checkpoint("start");
                db.cli("insert into orders values (2, 2, 'second'); insert into audit values (1, 2, 'made');");
                m.rollback("start");
                assertThat(db.rows("select count(*) as n from orders", "select count(*) as n from audit"))
                        .containsExactly("n=1", "n=1");
            } finally {
                m.disconnect();
            }
        }
    }
}
