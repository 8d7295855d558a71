package io.venomqa.state.journal;

import io.venomqa.state.StateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The application's own triggers on journaled MariaDB tables: wrapped for the run so that they skip
 * the undo (MariaDB cannot silence a trigger for one session), still firing for the application,
 * and put back exactly (the text {@code SHOW CREATE TRIGGER} shows, {@code sql_mode}, character set,
 * order) by {@code disconnect()} or by the next {@code connect()} after a crash. Before, connect()
 * refused such tables unless the user edited the triggers by hand.
 */
class MySqlJournalApplicationTriggersTest {

    private JournalDb db;
    private final List<StateManager> managers = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        try {
            for (StateManager m : managers) {
                m.disconnect();
            }
        } finally {
            db.close();
        }
    }

    private MyDb myDb() throws SQLException {
        MyDb my = new MyDb();
        db = my;
        my.exec("create table item (id int auto_increment primary key, name varchar(20), updated_at datetime(6), "
                        + "touches int not null default 0) engine=InnoDB",
                "create table audit (id int auto_increment primary key, item_id int, op varchar(40)) engine=InnoDB",
                "insert into item (name, updated_at) values ('a', '2020-01-01'), ('b', '2020-01-02')",
                "insert into audit (item_id, op) values (1, 'seed')");
        try (Connection c = my.connect(); Statement st = c.createStatement()) {
            st.execute("set session sql_mode = 'ANSI_QUOTES,STRICT_ALL_TABLES'");
            // Odd spacing and case, a string with a quote and a backslash, text beyond ASCII, a line comment at the end.
            st.execute("create   Trigger item_audit  AFTER update ON item FOR EACH ROW insert into audit (item_id, op) "
                    + "values (new.id, concat('U ''é'' \\\\ ', new.name)) -- the audit trail");
            st.execute("set session sql_mode = default");
            st.execute("create trigger item_touch before update on item for each row\n   begin set new.updated_at = now(6); "
                    + "set new.touches = old.touches + 1; end");
            // Second in the same group, placed before the first: the order must survive.
            st.execute(touchFirst("precedes"));
            st.execute("create trigger item_insert after insert on item for each row insert into audit (item_id, op) "
                    + "values (new.id, 'I')");
            // Already skips the undo: left exactly as it is.
            st.execute("create trigger item_delete after delete on item for each row if @venomqa_replaying is null then "
                    + "insert into audit (item_id, op) values (old.id, 'D'); end if");
        }
        return my;
    }

    /** The second BEFORE UPDATE trigger of {@code item}, placed {@code precedes} (as set up) or {@code follows} item_touch. */
    private static String touchFirst(String place) {
        return "create trigger item_touch_first before update on item for each row " + place + " item_touch "
                + "set new.name = trim(new.name)";
    }

    private StateManager manager() {
        StateManager m = db.manager();
        managers.add(m);
        return m;
    }

    private List<String> data() throws SQLException {
        return db.rows("select * from item order by id", "select * from audit order by id",
                "select table_name, auto_increment from information_schema.tables where table_schema = database() "
                        + "and table_name not like 'venomqa%' order by 1");
    }

    /** Every application trigger as MariaDB shows it, all but its creation time, and its place in its group. */
    private List<String> triggers() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = root(); Statement st = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("select trigger_name, action_order from information_schema.triggers "
                    + "where event_object_schema = database() and trigger_name not like 'venomqa%' order by 1")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                    out.add(rs.getString(1) + " order " + rs.getString(2));
                }
            }
            for (String n : names) {
                try (ResultSet rs = st.executeQuery("show create trigger `" + n + "`")) {
                    rs.next();
                    out.add(rs.getString("Trigger") + " | " + rs.getString("sql_mode") + " | "
                            + rs.getString("SQL Original Statement") + " | " + rs.getString("character_set_client") + " | "
                            + rs.getString("collation_connection") + " | " + rs.getString("Database Collation"));
                }
            }
        }
        return out;
    }

    /** Root sees every object (the application's user of {@link MyUsersDb} may not read triggers). */
    private Connection root() throws SQLException {
        return db instanceof MyUsersDb users ? users.connectAsRoot() : db.connect();
    }

    private long venomqaObjects() throws SQLException {
        try (Connection c = root()) {
            return JournalDb.rows(c, "select table_name from information_schema.tables where table_schema = database() "
                    + "and table_name like 'venomqa%'", "select trigger_name from information_schema.triggers where "
                    + "event_object_schema = database() and trigger_name like 'venomqa%'").size();
        }
    }

    private static final String APP_WRITES = "update item set name = ' A ' where id = 1; "
            + "insert into item (name, updated_at) values ('c', now()); delete from item where id = 2;";

    @Test
    @DisplayName("triggers that would fire during the undo are wrapped for the run, still fire for the application, and are put back exactly")
    void wrappedForTheRunAndPutBack() throws SQLException {
        MyDb my = myDb();
        List<String> data = data();
        List<String> triggers = triggers();
        StateManager m = manager();
        m.connect();
        assertThat(triggers()).isNotEqualTo(triggers); // wrapped
        m.checkpoint("start");
        for (int round = 0; round < 2; round++) {
            my.cli(APP_WRITES);
            // The application's triggers did their work.
            assertThat(db.rows("select name, touches from item where id = 1")).containsExactly("name=A|touches=1");
            assertThat(db.rows("select op from audit order by id")).containsExactly("op=seed", "op=U 'é' \\ A", "op=I", "op=D");
            m.rollback("start");
            assertThat(data()).isEqualTo(data);
        }
        my.cli(APP_WRITES);
        // Whoever may write every table of the database may write VenomQA's note of the originals: a forged
        // definer there is not created (what is put back comes from the wrapped trigger itself).
        my.exec("update venomqa_journal_app_trigger set head = concat('DEFINER=`nobody`@`%` ', "
                + "substring(head, locate(' ', head) + 1)) where trigger_name = 'item_insert'");
        m.disconnect();
        assertThat(data()).isEqualTo(data);
        assertThat(triggers()).isEqualTo(triggers);
        assertThat(venomqaObjects()).isZero();
    }

    @Test
    @DisplayName("an application BEFORE trigger created during the run runs after the journal's own: the rollback is refused naming it; disconnect()'s refused undo names it and says what to do, instead of blaming a TRUNCATE")
    void beforeTriggerCreatedDuringTheRunIsNamed() throws SQLException {
        MyDb my = new MyDb();
        db = my;
        my.exec("create table p (id int primary key, name varchar(10)) engine=InnoDB",
                "create table c (id int primary key, p_id int, status varchar(10), foreign key (p_id) references p(id) "
                        + "on delete cascade on update cascade) engine=InnoDB",
                "insert into p values (1, 'a'), (2, 'b')", "insert into c values (10, 1, 'live'), (20, 2, 'live')");
        StateManager m = manager();
        m.connect();
        m.checkpoint("start");
        my.exec("create trigger p_bd before delete on p for each row update c set status = 'orphaned' where p_id = old.id");
        my.cli("delete from p where id = 1;");
        // Since 2026-12-06 the trigger itself is a change of the run, seen before any undo.
        assertThatThrownBy(() -> m.rollback("start")).hasMessageContaining("trigger 'p_bd' on 'p' created during the run")
                .hasMessageNotContaining("TRUNCATE");
        managers.clear();
        assertThatThrownBy(m::disconnect).hasMessageContaining("does not match table")
                .hasMessageContaining("The application's triggers [p_bd on p] run after the journal's own")
                .hasMessageContaining("disconnect() and connect() again").hasMessageNotContaining("TRUNCATE");
    }

    /** The line of {@link #triggers()} that starts with {@code prefix}. */
    private static String line(List<String> triggers, String prefix) {
        return triggers.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
    }

    @Test
    @DisplayName("a table renamed during the run (gh-ost, pt-osc) takes its wrapped triggers with it: disconnect() still puts them back (before, they stayed wrapped)")
    void tableRenamedDuringTheRun() throws SQLException {
        MyDb my = myDb();
        StateManager m = manager();
        m.connect();
        assertThat(wrappedBodies()).isNotEmpty();
        my.exec("rename table item to item_old");
        try {
            m.disconnect(); // may fail loudly: the table it journaled is gone under its name
        } catch (RuntimeException loud) {
            assertThat(loud).hasMessageContaining("item");
        }
        assertThat(wrappedBodies()).as("triggers still wrapped by VenomQA after disconnect()").isEmpty();
        assertThat(db.rows("select trigger_name, event_object_table from information_schema.triggers where event_object_schema "
                + "= database() and trigger_name like 'item%' order by 1")).containsExactly(
                "trigger_name=item_audit|event_object_table=item_old", "trigger_name=item_delete|event_object_table=item_old",
                "trigger_name=item_insert|event_object_table=item_old", "trigger_name=item_touch|event_object_table=item_old",
                "trigger_name=item_touch_first|event_object_table=item_old");
    }

    /** The application's triggers whose body is VenomQA's wrapping. */
    private List<String> wrappedBodies() throws SQLException {
        return db.rows("select trigger_name from information_schema.triggers where event_object_schema = database() "
                + "and trigger_name not like 'venomqa%' and action_statement like 'begin if @venomqa_replaying is null then %' "
                + "order by 1");
    }

    @Test
    @DisplayName("a trigger a migration creates during the run: the rollback is refused naming it, disconnect() wraps it before its undo (the rows come back without its audit rows), puts it back as created and throws naming it (before 2026-12-06 the rollback and disconnect() reported success with the trigger still there)")
    void createdDuringTheRun() throws SQLException {
        MyDb my = myDb();
        List<String> before = triggers();
        StateManager m = manager();
        m.connect();
        List<String> data = data();
        m.checkpoint("start");
        my.cli("create trigger item_late after update on item for each row insert into audit (item_id, op) values (new.id, 'late');");
        String late = line(triggers(), "item_late |");
        my.cli("update item set name = 'x' where id = 2;");
        assertThat(db.rows("select count(*) n from audit where op = 'late'")).containsExactly("n=1");
        assertThatThrownBy(() -> m.rollback("start")).hasMessageContaining("trigger 'item_late' on 'item' created during the run")
                .hasMessageContaining("nothing was changed");
        assertThat(db.rows("select count(*) n from audit where op = 'late'")).containsExactly("n=1");
        managers.clear();
        assertThatThrownBy(m::disconnect).hasMessageContaining("trigger 'item_late' on 'item' stays as the run left it");
        assertThat(data()).isEqualTo(data);
        List<String> after = triggers();
        // After item_audit, as created (the journal's trigger between them is gone).
        assertThat(after).contains(late, "item_late order 2");
        after.removeIf(l -> l.startsWith("item_late "));
        assertThat(after).isEqualTo(before);
        assertThat(venomqaObjects()).isZero();
    }

    @Test
    @DisplayName("a wrapped trigger the application replaces or drops: the rollback is refused naming them, disconnect() puts the rows back and throws naming them, leaving them as the application made them; put back as found, they let the run go on (before 2026-12-06 both reported success)")
    void replacedOrDroppedByTheApplication() throws SQLException {
        MyDb my = myDb();
        List<String> data = data();
        List<String> before = triggers();
        StateManager m = manager();
        m.connect();
        m.checkpoint("start");
        my.cli(APP_WRITES);
        m.checkpoint("written");
        my.cli("drop trigger item_touch_first;");
        assertThatThrownBy(() -> m.rollback("start")).hasMessageContaining("trigger 'item_touch_first' on 'item' dropped");
        // Created again as it was (VenomQA wraps it again before the next undo): as found.
        my.cli(touchFirst("precedes") + ";");
        m.rollback("written");
        m.rollback("start");
        assertThat(data()).isEqualTo(data);
        my.cli("drop trigger item_insert; create trigger item_insert after insert on item for each row "
                + "insert into audit (item_id, op) values (new.id, 'I2'); drop trigger item_touch_first;");
        String replaced = line(triggers(), "item_insert |");
        my.cli(APP_WRITES);
        assertThatThrownBy(() -> m.rollback("start")).hasMessageContaining("trigger 'item_insert' on 'item' redefined")
                .hasMessageContaining("trigger 'item_touch_first' on 'item' dropped");
        managers.clear();
        assertThatThrownBy(m::disconnect).hasMessageContaining("trigger 'item_touch_first' on 'item'")
                .hasMessageContaining("trigger 'item_insert' on 'item'").hasMessageContaining("stay as the run left them");
        assertThat(data()).isEqualTo(data);
        List<String> expected = new ArrayList<>(before);
        expected.removeIf(l -> l.startsWith("item_touch_first "));
        expected.replaceAll(l -> l.equals("item_touch order 2") ? "item_touch order 1" : l.startsWith("item_insert |") ? replaced : l);
        assertThat(triggers()).isEqualTo(expected);
        assertThat(venomqaObjects()).isZero();
    }

    @Test
    @DisplayName("a trigger moved to another place among its table's triggers of the same event (dropped, created again FOLLOWS instead of PRECEDES): the rollback is refused naming the reordered group; moved back, the run goes on (before 2026-12-07 the order stayed changed without a word)")
    void movedAmongItsTablesTriggers() throws SQLException {
        MyDb my = myDb();
        List<String> data = data();
        List<String> before = triggers();
        StateManager m = manager();
        m.connect();
        m.checkpoint("start");
        my.cli(APP_WRITES);
        my.cli("drop trigger item_touch_first; " + touchFirst("follows") + ";");
        assertThatThrownBy(() -> m.rollback("start"))
                .hasMessageContaining("the BEFORE UPDATE triggers of table 'item' reordered during the run")
                .hasMessageNotContaining("trigger 'item_touch_first'").hasMessageNotContaining("item_audit")
                .hasMessageNotContaining("AFTER");
        my.cli("drop trigger item_touch_first; " + touchFirst("precedes") + ";");
        m.rollback("start");
        assertThat(data()).isEqualTo(data);
        managers.clear();
        m.disconnect();
        assertThat(triggers()).isEqualTo(before);
        assertThat(venomqaObjects()).isZero();
    }

    @Test
    @DisplayName("a run killed with kill -9 while triggers were wrapped: the next connect() restores the rows, disconnect() the triggers")
    void crashRecovery() throws Exception {
        MyDb my = myDb();
        List<String> data = data();
        List<String> triggers = triggers();
        ChildJvm.runAndKill("mysql", my.url(), "-", MyDb.jdbc(my.name), MyDb.USER,
                "update item set name = 'dead' where id = 1", "delete from item where id = 2");
        assertThat(triggers()).isNotEqualTo(triggers);
        StateManager m = manager();
        m.connect();
        assertThat(data()).isEqualTo(data);
        m.disconnect();
        assertThat(data()).isEqualTo(data);
        assertThat(triggers()).isEqualTo(triggers);
        assertThat(venomqaObjects()).isZero();
    }

    @Test
    @DisplayName("a trigger VenomQA's user may not re-create (another definer, no SET USER): connect() refuses, naming it, and leaves nothing")
    void refusedWhenItCannotBeWrapped() throws Exception {
        MyUsersDb users = new MyUsersDb();
        db = users;
        users.exec("create table item (id int primary key, name varchar(20)) engine=InnoDB",
                "create table audit (id int auto_increment primary key, op varchar(10)) engine=InnoDB",
                "create trigger item_audit after update on item for each row insert into audit (op) values ('U')");
        List<String> triggers = triggers();
        StateManager m = manager();
        assertThatThrownBy(m::connect).hasMessageContaining("item_audit on item")
                .hasMessageContaining("IF @venomqa_replaying IS NULL").hasMessageContaining("definer");
        assertThat(triggers()).isEqualTo(triggers);
        assertThat(venomqaObjects()).isZero();
    }
}
