package io.venomqa.state.journal;

import io.venomqa.state.mysql.MySQLStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MySQL/MariaDB statements that delete rows as a side effect of inserting: {@code REPLACE} (one row
 * deleted per conflicting key, possibly several for one new row), {@code INSERT IGNORE} and
 * {@code LOAD DATA … REPLACE}. The server may carry a {@code REPLACE} out as an update of the
 * conflicting row instead of a delete and an insert, without firing update triggers, where the table
 * has no delete trigger; the journal's own delete trigger keeps it on the delete path. Written by the
 * mariadb client (another process); every table compared row for row with what it was.
 */
class MySqlJournalReplaceTest {

    private MyDb db;

    @BeforeEach
    void setUp() {
        db = new MyDb();
    }

    @AfterEach
    void tearDown() throws SQLException {
        db.close();
    }

    @Test
    @DisplayName("REPLACE over one and over two conflicting keys, INSERT IGNORE, and a table whose last unique key is the one replaced: rollback and disconnect exact")
    void replaceUndoneExactly() throws SQLException {
        db.exec("create table t (id int primary key, code varchar(10) unique, v int) engine=InnoDB",
                "create table k (id int auto_increment primary key, v varchar(10)) engine=InnoDB",
                "create table n (a int, b varchar(10), unique key (a)) engine=InnoDB",
                "insert into t values (1, 'a', 1), (2, 'b', 2), (3, 'c', 3)",
                "insert into k (v) values ('x'), ('y')",
                "insert into n values (1, 'one'), (null, 'null1'), (null, 'null2')");
        MySQLStateManager m = db.trackedManager();
        m.connect();
        List<String> before = db.dump();
        m.checkpoint("start");
        db.cli("replace into t values (4, 'a', 4); "     // deletes row 1 (code 'a'), inserts 4
                + "replace into t values (2, 'c', 9); "   // deletes row 2 (id) and row 3 (code 'c'), inserts one
                + "replace into t values (4, 'a', 5); "   // the same key: the row is replaced by itself
                + "insert ignore into t values (2, 'zz', 0), (7, 'g', 7); "
                + "replace into k values (1, 'x2'); "     // the only unique key: the server's update shortcut
                + "replace into n values (1, 'uno'), (null, 'null3');");
        assertThat(db.dump()).isNotEqualTo(before);
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);

        db.cli("replace into t values (1, 'b', 0); replace into k values (2, 'y2'); replace into n values (1, 'eins');");
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
    }
}
