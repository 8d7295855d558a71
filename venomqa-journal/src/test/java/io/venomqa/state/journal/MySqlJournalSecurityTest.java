package io.venomqa.state.journal;

import io.venomqa.state.RollbackException;
import io.venomqa.state.StateConfig;
import io.venomqa.state.mysql.MySQLStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The journal on MariaDB/MySQL with four logins: root (the administrator), VenomQA's user (rights
 * on its test database only, no global privilege), the application's user (DML on its own tables
 * only) and {@code eve}, a team member with every right on the database, who can therefore write
 * VenomQA's journal table. Users get random names and are dropped afterwards, with the database.
 */
class MySqlJournalSecurityTest {

    private MyDb db;
    private String venomqa;
    private String app;
    private String eve;
    private final List<MySQLStateManager> managers = new ArrayList<>();

    @BeforeEach
    void setUp() throws SQLException {
        db = new MyDb();
        venomqa = db.name + "_vq";
        app = db.name + "_app";
        eve = db.name + "_eve";
        db.exec("create table users (id int auto_increment primary key, name varchar(50) not null, secret varchar(50))",
                "create table orders (id int auto_increment primary key, user_id int, total decimal(10, 2), "
                        + "foreign key (user_id) references users(id) on delete cascade)",
                "create table salaries (id int primary key, amount int)",
                "insert into users(name, secret) values ('ann', 's1'), ('bob', 's2')",
                "insert into orders(user_id, total) values (1, 10.50), (2, 3)",
                "insert into salaries values (1, 100000)");
        for (String host : List.of("%", "localhost")) {
            for (String user : List.of(venomqa, app, eve)) {
                db.exec("create user '" + user + "'@'" + host + "'");
            }
            // VenomQA: what docs/security.md lists for the journal, on this database only.
            db.exec("grant select, insert, update, delete, create, drop, alter, trigger on `" + db.name + "`.* to '"
                            + venomqa + "'@'" + host + "'",
                    "grant select, insert, update, delete on `" + db.name + "`.users to '" + app + "'@'" + host + "'",
                    "grant select, insert, update, delete on `" + db.name + "`.orders to '" + app + "'@'" + host + "'",
                    "grant all on `" + db.name + "`.* to '" + eve + "'@'" + host + "'");
        }
    }

    @AfterEach
    void tearDown() throws SQLException {
        for (MySQLStateManager m : managers) {
            try {
                m.disconnect();
            } catch (RuntimeException ignored) {
                // the test's own assertion matters
            }
        }
        try {
            for (String host : List.of("%", "localhost")) {
                for (String user : List.of(venomqa, app, eve)) {
                    db.exec("drop user if exists '" + user + "'@'" + host + "'");
                }
            }
        } finally {
            db.close();
        }
    }

    private Connection as(String user) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", "");
        p.setProperty("allowMultiQueries", "false");
        return DriverManager.getConnection(MyDb.jdbc(db.name), p);
    }

    private void as(String user, String... sql) throws SQLException {
        try (Connection c = as(user); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private List<String> snapshot() throws SQLException {
        List<String> out = new ArrayList<>(db.rows("select * from users order by id", "select * from orders order by id",
                "select * from salaries order by id"));
        out.addAll(db.rows("select table_name, auto_increment from information_schema.tables where table_schema = '"
                + db.name + "' and table_name in ('users', 'orders') order by 1"));
        return out;
    }

    private MySQLStateManager manager(String... excluded) {
        MySQLStateManager m = new MySQLStateManager(StateConfig.builder().backend("mysql")
                .url("mysql://" + venomqa + "@" + MyDb.HOST + ":" + MyDb.PORT + "/" + db.name)
                .excludeTables(List.of(excluded)).option("checkpoint_strategy", "journal").build());
        managers.add(m);
        return m;
    }

    @Test
    @DisplayName("VenomQA as a user with rights on its database only, the application as a user with DML on its tables: exact rollback and disconnect; triggers defined by VenomQA's user; the journal out of the application's reach")
    void leastPrivilege() throws SQLException {
        List<String> before = snapshot();
        MySQLStateManager m = manager();
        m.connect();
        m.checkpoint("start");
        as(app, "insert into users(name) values ('carl')", "update users set name = 'ANN' where id = 1",
                "delete from users where id = 2");
        assertThat(snapshot()).isNotEqualTo(before);
        m.rollback("start");
        assertThat(snapshot()).isEqualTo(before);

        assertThat(db.rows("select distinct definer from information_schema.triggers where event_object_schema = '" + db.name + "'"))
                .allSatisfy(d -> assertThat(d).startsWith("definer=" + venomqa + "@"));
        for (String sql : List.of("select * from venomqa_journal", "insert into venomqa_journal(table_name, op) values ('users', 'D')",
                "update venomqa_journal set op = 'D'", "delete from venomqa_journal", "select * from venomqa_run",
                "drop trigger `" + db.rows("select trigger_name as t from information_schema.triggers where event_object_schema = '"
                        + db.name + "' and event_object_table = 'users' limit 1").get(0).substring(2) + "`",
                "select * from salaries")) {
            assertThatThrownBy(() -> as(app, sql)).as(sql).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("denied", "TRIGGER command denied"));
        }
        as(app, "set @venomqa_replaying = 1", "insert into users(name) values ('unseen?')");
        m.disconnect();
        assertThat(snapshot()).isEqualTo(before);
        assertThat(db.rows("select count(*) as n from information_schema.triggers where event_object_schema = '" + db.name + "'"))
                .containsExactly("n=0");
    }

    @Test
    @DisplayName("entries forged for tables the journal does not track (an excluded table, unknown ones, names with quotes, dots and SQL): reported and never applied, the rollback exact")
    void forgedEntriesForUntrackedTablesAreIgnored() throws SQLException {
        List<String> before = snapshot();
        MySQLStateManager m = manager("salaries");
        m.connect();
        m.checkpoint("start");
        as(app, "insert into users(name) values ('real')");
        String forged = "insert into venomqa_journal(table_name, op, old_row, new_row) values ";
        as(eve, forged + "('salaries', 'D', '{\"id\": \"7\", \"amount\": \"1\"}', null)",
                forged + "('salaries', 'D', '{\"id\": \"(select 7); drop table users; -- \", \"amount\": \"1\"}', null)",
                forged + "('nosuch', 'D', '{\"id\": \"1\"}', null)",
                forged + "('us`ers', 'D', '{\"id\": \"98\", \"name\": \"''pwned''\", \"secret\": \"NULL\"}', null)",
                forged + "('test.users', 'D', '{\"id\": \"97\", \"name\": \"''pwned''\", \"secret\": \"NULL\"}', null)",
                forged + "('users'';drop table users;--', 'D', '{}', null)");
        m.rollback("start");
        assertThat(snapshot()).isEqualTo(before);
        m.disconnect();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @DisplayName("entries forged for a tracked table (SQL in row images, not JSON, an unknown operation): never applied, and the rollback fails naming each entry instead of reporting an exact rollback; disconnect() says the same")
    void forgedEntriesForTrackedTablesFailTheRollback() throws SQLException {
        List<String> before = snapshot();
        MySQLStateManager m = manager("salaries");
        m.connect();
        m.checkpoint("start");
        as(app, "insert into users(name) values ('real')");
        long last = Long.parseLong(db.rows("select max(id) as n from venomqa_journal").get(0).substring(2));
        String forged = "insert into venomqa_journal(table_name, op, old_row, new_row) values ";
        as(eve, forged + "('users', 'D', '{\"id\": \"99); drop table salaries; -- \", \"name\": \"''x''\", \"secret\": \"NULL\"}', null)",
                forged + "('users', 'D', '{\"id\": \"''99'' or 1=1\", \"name\": \"''x''\", \"secret\": \"NULL\"}', null)",
                forged + "('users', 'D', '{\"id\": \"sleep(3)\", \"name\": \"''x''\", \"secret\": \"NULL\"}', null)",
                forged + "('users', 'I', null, '{\"id\": \"''1\\\\\\\\'' or id > 0 -- \"}')",
                forged + "('users', 'U', '{\"id\": \"1\", \"name\": \"(select secret from users limit 1)\", \"secret\": \"NULL\"}', "
                        + "'{\"id\": \"1\", \"name\": \"''ann''\", \"secret\": \"''s1''\"}')",
                forged + "('users', 'D', 'not json', null)",
                forged + "('users', 'X', '{\"id\": \"96\", \"name\": \"''pwned''\", \"secret\": \"NULL\"}', null)");
        List<String> runLeftIt = snapshot();
        assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("Could not verify 7 journal entries")
                .hasMessageContaining("entry " + (last + 1) + " (table 'users', op 'D', id " + (last + 1)
                        + ", row image not written by a trigger)")
                .hasMessageContaining("entry " + (last + 7) + " (table 'users', op 'X', id " + (last + 7)
                        + ", not an operation a trigger writes)")
                .hasMessageContaining("the rollback is not exact")
                .hasMessageContaining("Nothing was undone")
                .hasMessageContaining("only VenomQA's login should be able to write there");
        assertThat(snapshot()).as("nothing undone, nothing forged executed").isEqualTo(runLeftIt);
        assertThat(m.activeCheckpoints()).containsExactly("start");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("disconnect() could not leave").hasMessageContaining("Could not verify 7 journal entries")
                .hasMessageContaining("none of the journaled changes of tables [users] were undone");
        assertThat(snapshot()).isEqualTo(runLeftIt);
        assertThat(runLeftIt).isNotEqualTo(before);
    }

    @Test
    @DisplayName("a trigger dropped mid-run is detected at the next rollback: clear error, nothing undone")
    void droppedTriggerIsDetected() throws SQLException {
        MySQLStateManager m = manager();
        m.connect();
        m.checkpoint("start");
        as(app, "insert into users(name) values ('journaled')");
        String trigger = db.rows("select trigger_name as t from information_schema.triggers where event_object_schema = '" + db.name
                + "' and event_object_table = 'users' and event_manipulation = 'DELETE' and action_timing = 'AFTER'")
                .get(0).substring(2);
        as(eve, "drop trigger `" + trigger + "`");
        as(app, "delete from users where id = 2");
        List<String> tampered = snapshot();
        assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("changed during the run").hasMessageContaining(trigger + "' dropped")
                .hasMessageContaining("nothing was undone");
        assertThat(snapshot()).isEqualTo(tampered);
        // disconnect() removes the journal, leaves the data as it is, and says it could not restore it.
        assertThatThrownBy(m::disconnect).hasMessageContaining("changed during the run");
        assertThat(snapshot()).isEqualTo(tampered);
    }

    @Test
    @DisplayName("a trigger replaced by one of the same name (another body, another definer) is detected at the next checkpoint")
    void replacedTriggerIsDetected() throws SQLException {
        MySQLStateManager m = manager();
        m.connect();
        m.checkpoint("start");
        String trigger = db.rows("select trigger_name as t from information_schema.triggers where event_object_schema = '" + db.name
                + "' and event_object_table = 'orders' and event_manipulation = 'UPDATE' and action_timing = 'AFTER'")
                .get(0).substring(2);
        as(eve, "drop trigger `" + trigger + "`",
                "create trigger `" + trigger + "` after update on orders for each row set @x = 1");
        assertThatThrownBy(() -> m.checkpoint("next")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("orders." + trigger + "' disabled (perhaps enabled again since), re-created or its function replaced");
    }
}
