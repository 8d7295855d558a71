package io.venomqa.state.journal;

import io.venomqa.state.RollbackException;
import io.venomqa.state.StateManager;
import io.venomqa.testsupport.Stderr;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A TRUNCATE fires no trigger; the MySQL/MariaDB journal notices one by InnoDB's table ids, which only a
 * user holding the global PROCESS privilege may read. Without it, {@code connect()} says that a TRUNCATE
 * of the tracked tables would go unnoticed and what to do; with it, nothing is said.
 */
class MySqlJournalWithoutProcessTest {

    @Test
    @DisplayName("without PROCESS, connect() warns that a TRUNCATE cannot be detected and says to grant it")
    void withoutProcessConnectSaysSo() throws Exception {
        try (MyUsersDb db = new MyUsersDb()) {
            db.exec("create table items (id int auto_increment primary key, name varchar(20)) engine=InnoDB",
                    "insert into items (name) values ('a'), ('b')");

            String log = connectAndDisconnect(db.manager());

            assertThat(log).contains("A TRUNCATE of the tracked tables cannot be detected")
                    .contains("lacks the PROCESS privilege").contains("GRANT PROCESS ON *.*");
        }
    }

    @Test
    @DisplayName("with PROCESS (root), connect() says nothing about TRUNCATE")
    void withProcessNothingIsSaid() throws Exception {
        try (MyDb db = new MyDb()) {
            db.exec("create table items (id int auto_increment primary key, name varchar(20)) engine=InnoDB",
                    "insert into items (name) values ('a'), ('b')");

            String log = connectAndDisconnect(db.manager());

            assertThat(log).contains("Journal installed").doesNotContain("PROCESS").doesNotContain("cannot be detected");
        }
    }

    @Test
    @DisplayName("without PROCESS, a TRUNCATE by the application fails disconnect(), naming the table; the other tables are put back")
    void withoutProcessATruncateFailsDisconnect() throws Exception {
        try (MyUsersDb db = new MyUsersDb()) {
            db.exec("create table items (id int auto_increment primary key, name varchar(20)) engine=InnoDB",
                    "create table notes (id int primary key, body varchar(20)) engine=InnoDB",
                    "insert into items (name) values ('a'), ('b')", "insert into notes values (1, 'kept')");
            StateManager m = db.manager();
            m.connect();
            try (Connection app = db.connect(); Statement st = app.createStatement()) {
                st.execute("update notes set body = 'changed' where id = 1");
            }
            try (Connection app = db.connectAsRoot(); Statement st = app.createStatement()) {
                st.execute("truncate table items");
            }

            assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                    .hasMessageContaining("[items] do not hold, after the undo, what connect() (or the last reset()) found")
                    .hasMessageContaining("TRUNCATE").hasMessageContaining("GRANT PROCESS")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("notes"));
            assertThat(rows(db, "select body from notes")).containsExactly("kept");
            assertThat(rows(db, "select name from items")).as("stays as the run left it").isEmpty();
        }
    }

    @Test
    @DisplayName("without PROCESS, a run without TRUNCATE (inserts, updates, deletes, a rollback) disconnects quietly, the tables as found")
    void withoutProcessAnExactRunDisconnectsQuietly() throws Exception {
        try (MyUsersDb db = new MyUsersDb()) {
            db.exec("create table items (id int auto_increment primary key, name varchar(20), f float) engine=InnoDB",
                    "create table log (msg varchar(20)) engine=InnoDB",
                    "insert into items (name, f) values ('a', 16777215), ('b', 0.1)", "insert into log values ('x'), ('x')");
            StateManager m = db.manager();
            m.connect();
            try (Connection app = db.connect(); Statement st = app.createStatement()) {
                st.execute("insert into items (name, f) values ('c', 1.5)");
                m.checkpoint("cp");
                st.execute("update items set f = 12345.67 where name = 'a'");
                st.execute("delete from log limit 1");
                m.rollback("cp");
                st.execute("delete from items where name = 'b'");
                st.execute("insert into log values ('y')");
            }

            m.disconnect();

            assertThat(rows(db, "select concat(name, ':', cast(f as double)) from items order by id"))
                    .containsExactly("a:16777215", "b:0.10000000149011612");
            assertThat(rows(db, "select msg from log")).containsExactly("x", "x");
        }
    }

    @Test
    @DisplayName("without PROCESS, a reset() is the new 'as found': a run that writes after it disconnects quietly, the tables as the reset left them")
    void withoutProcessTheResetIsTheNewAsFound() throws Exception {
        try (MyUsersDb db = new MyUsersDb()) {
            db.exec("create table items (id int auto_increment primary key, name varchar(20)) engine=InnoDB",
                    "create table notes (id int primary key, body varchar(20)) engine=InnoDB",
                    "insert into items (name) values ('a'), ('b')", "insert into notes values (1, 'kept')");
            StateManager m = db.manager();
            m.connect();
            m.reset();
            try (Connection app = db.connect(); Statement st = app.createStatement()) {
                st.execute("insert into items (name) values ('after reset')");
                st.execute("insert into notes values (2, 'after reset')");
                st.execute("update notes set body = 'changed' where id = 2");
            }

            m.disconnect(); // compared with the checksums read after the reset, not at connect()

            assertThat(rows(db, "select name from items")).isEmpty();
            assertThat(rows(db, "select body from notes")).isEmpty();
        }
    }

    private static java.util.List<String> rows(MyUsersDb db, String sql) throws Exception {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Connection c = db.connectAsRoot(); Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static String connectAndDisconnect(StateManager m) {
        String said = Stderr.during(m::connect);
        m.disconnect();
        return said;
    }
}
