package io.venomqa.state.journal;

import io.venomqa.state.CheckpointTree;
import io.venomqa.state.sqlite.SQLiteStateManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQLite with {@code foreign_keys: true} on the manager's connection: the keys' actions run during
 * the undo ({@code defer_foreign_keys} defers only the checks), so the undo of a parent's key change
 * cascades to its children, whose own entries then no longer match.
 */
class SqliteJournalForeignKeyActionsTest {

    private static final String[] TABLES = {"select * from account order by 1", "select * from orders order by 1",
            "select * from lines order by 1", "select * from referrals order by 1"};

    private static final String FOREIGN_KEYS_ON = "pragma foreign_keys = on; ";

    @Test
    @DisplayName("a natural key changed with ON UPDATE CASCADE two levels deep and ON UPDATE SET NULL by an application that enforces foreign keys, the children edited after it: rollbacks, tree restores and disconnect() exact (until now every such rollback failed)")
    void updateCascades() throws Exception {
        try (SqliteDb db = new SqliteDb()) {
            db.exec("create table account (login text primary key, name text)",
                    "create table orders (id int primary key, login text references account on update cascade, qty int, "
                            + "unique (id, login))",
                    "create table lines (id int primary key, order_id int, login text, note text, "
                            + "foreign key (order_id, login) references orders (id, login) on update cascade)",
                    "create table referrals (id int primary key, login text references account on update set null)",
                    "insert into account values ('ann', 'Ann'), ('bob', 'Bob')",
                    "insert into orders values (1, 'ann', 1), (2, 'ann', 2), (3, 'bob', 3)",
                    "insert into lines values (10, 1, 'ann', 'x'), (20, 2, 'ann', 'y')",
                    "insert into referrals values (100, 'ann'), (101, 'bob')");
            SQLiteStateManager m = new SQLiteStateManager(db.config().option("foreign_keys", true).build());
            m.connect();
            try {
                List<String> before = rows(db);
                m.checkpoint("start");
                db.cli(FOREIGN_KEYS_ON + "update account set login = 'anne' where login = 'ann';");
                db.cli(FOREIGN_KEYS_ON + "update orders set qty = qty + 10 where login = 'anne'; "
                        + "update lines set note = 'z' where id = 10;");
                assertThat(rows(db)).contains("id=10|order_id=1|login=anne|note=z", "id=100|login=null");
                m.checkpoint("renamed");
                List<String> renamed = rows(db);
                db.cli(FOREIGN_KEYS_ON + "update account set login = 'annie' where login = 'anne'; delete from lines where id = 20;");
                m.rollback("renamed");
                assertThat(rows(db)).isEqualTo(renamed);
                CheckpointTree tree = m.checkpointTree().orElseThrow();
                tree.restore("start");
                assertThat(rows(db)).isEqualTo(before);
                tree.restore("renamed");
                assertThat(rows(db)).isEqualTo(renamed);
                tree.restore("start");
                assertThat(rows(db)).isEqualTo(before);
                db.cli(FOREIGN_KEYS_ON + "update account set login = 'robert' where login = 'bob';");
                m.disconnect();
                assertThat(rows(db)).isEqualTo(before);
            } finally {
                m.disconnect();
            }
        }
    }

    private static List<String> rows(SqliteDb db) throws Exception {
        return db.rows(TABLES[0], TABLES[1], TABLES[2], TABLES[3]);
    }
}
