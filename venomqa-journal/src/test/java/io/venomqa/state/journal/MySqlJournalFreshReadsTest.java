package io.venomqa.state.journal;

import io.venomqa.state.mysql.MySQLStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the journal the application commits through its own connections while the manager's
 * connection only reads between operations. InnoDB's default REPEATABLE READ would keep a read
 * transaction on its first snapshot: every later query, and the journal's own position, would miss
 * what the application committed since. Reads through the manager must see the latest commit.
 */
class MySqlJournalFreshReadsTest {

    private final MyDb db = new MyDb();
    private MySQLStateManager m;

    @AfterEach
    void tearDown() throws Exception {
        if (m != null) {
            m.disconnect();
        }
        db.close();
    }

    @Test
    @DisplayName("queryRows, sqlReader and a checkpoint after them see rows another connection committed in between")
    void readsSeeTheLatestCommit() throws Exception {
        db.exec("create table items (id int auto_increment primary key, name varchar(20))", "insert into items(name) values ('a')");
        m = db.manager();
        m.connect();
        m.checkpoint("start");
        assertThat(count()).isEqualTo(1L);
        assertThat(readerCount()).isEqualTo(1L);
        try (Connection app = db.connect(); Statement st = app.createStatement()) {
            st.execute("insert into items(name) values ('b')");
        }
        assertThat(count()).as("queryRows after the application's commit").isEqualTo(2L);
        assertThat(readerCount()).as("sqlReader after the application's commit").isEqualTo(2L);
        try (Connection app = db.connect(); Statement st = app.createStatement()) {
            st.execute("insert into items(name) values ('c')");
        }
        // The checkpoint's journal position must include 'c': a stale snapshot would put it before.
        m.checkpoint("three");
        try (Connection app = db.connect(); Statement st = app.createStatement()) {
            st.execute("insert into items(name) values ('d')");
        }
        m.rollback("three");
        assertThat(count()).as("rollback to 'three' undoes 'd' only").isEqualTo(3L);
        m.rollback("start");
        assertThat(count()).isEqualTo(1L);
    }

    private long count() {
        return ((Number) m.queryRows("select count(*) as n from items").get(0).get("n")).longValue();
    }

    private long readerCount() {
        return ((Number) m.sqlReader().orElseThrow().query("select count(*) as n from items", List.of()).get(0).get("n")).longValue();
    }
}
