package io.venomqa.state.journal;

import io.venomqa.state.StateConnectionException;
import io.venomqa.state.mysql.MySQLStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MariaDB: foreign keys with an action from a tracked table into one the journal does not track (in
 * {@code exclude_tables}, or of another database). InnoDB's actions fire no trigger; the tracked parent's
 * {@code BEFORE} triggers record the rows a cascade changes in its own database, but the undo writes tracked
 * tables only, so until 2026-12-06 a rollback and {@code disconnect()} put the parent back and left the
 * excluded rows deleted, {@code NULL} or re-keyed, reporting success. Such keys are refused at
 * {@code connect()}, as on PostgreSQL and SQLite. Writes come from the mariadb client (another process).
 */
class MySqlJournalForeignKeyActionsTest {

    /** A parent and one child per action, then a child (cascading) of the delete-cascade child. */
    private static final String[] SCHEMA = {
        "create table p (id int primary key, n int)",
        "create table del (id int primary key, pid int, note varchar(10), "
                + "constraint del_p foreign key (pid) references p (id) on delete cascade)",
        "create table nul (id int primary key, pid int, note varchar(10), "
                + "constraint nul_p foreign key (pid) references p (id) on delete set null)",
        "create table upd (id int primary key, pid int, note varchar(10), "
                + "constraint upd_p foreign key (pid) references p (id) on update cascade)",
        "create table grand (id int primary key, did int, note varchar(10), "
                + "constraint grand_del foreign key (did) references del (id) on delete cascade)",
        "insert into p values (1, 1), (2, 2), (3, 3)",
        "insert into del values (10, 1, 'a'), (20, 2, 'b')",
        "insert into nul values (10, 1, 'a'), (20, 2, 'b')",
        "insert into upd values (10, 3, 'a'), (30, 3, 'c')",
        "insert into grand values (100, 10, 'x'), (200, 20, 'y')"};

    /** Sets off every action above: deletes rows 1 and 2 of p (cascade, set null, grandchild), re-keys 3 (cascade). */
    private static final String WRITES = "delete from p where id in (1, 2); update p set id = 33 where id = 3;";

    private MyDb db;

    @BeforeEach
    void setUp() throws SQLException {
        db = new MyDb();
        db.exec(SCHEMA);
    }

    @AfterEach
    void tearDown() throws SQLException {
        db.close();
    }

    private MySQLStateManager excluding(String... tables) {
        return db.track(new MySQLStateManager(db.config().excludeTables(List.of(tables)).build()));
    }

    private long journalObjects() throws SQLException {
        String n = db.rows("select (select count(*) from information_schema.tables where table_schema = database() "
                + "and table_name like 'venomqa%') + (select count(*) from information_schema.triggers where "
                + "event_object_schema = database()) as n").get(0);
        return Long.parseLong(n.substring(2));
    }

    @Test
    @DisplayName("ON DELETE CASCADE, ON DELETE SET NULL, ON UPDATE CASCADE from a tracked table into excluded ones, and a cascade on into an excluded grandchild: connect() refuses, naming each key with its actions and both tables and what to do, nothing installed (until 2026-12-06 it connected, and rollbacks and disconnect() put the parent back while the excluded rows stayed deleted, NULL or re-keyed, reporting success)")
    void actionsIntoExcludedTablesAreRefused() throws Exception {
        List<String> asFound = db.dump();
        MySQLStateManager m = excluding("del", "nul", "upd", "grand");
        assertThatThrownBy(m::connect).isInstanceOf(StateConnectionException.class)
                .hasMessageContaining("foreign key actions from tracked tables change rows of tables the journal does not track")
                .hasMessageContaining("`del` (`del_p`: ON DELETE CASCADE ON UPDATE RESTRICT) references `p`, and is not tracked")
                .hasMessageContaining("`nul` (`nul_p`: ON DELETE SET NULL ON UPDATE RESTRICT) references `p`, and is not tracked")
                .hasMessageContaining("`upd` (`upd_p`: ON DELETE RESTRICT ON UPDATE CASCADE) references `p`, and is not tracked")
                .hasMessageContaining("Track the referencing tables too").hasMessageContaining("NO ACTION or RESTRICT")
                .hasMessageContaining("exclude the referenced tables as well")
                .hasMessageContaining("Nothing was installed")
                // Between two excluded tables nothing is lost to the journal: not named.
                .hasMessageNotContaining("grand_del");
        assertThat(journalObjects()).isZero();
        assertThat(db.dump()).isEqualTo(asFound);

        // The chain with the grandchild tracked: its key from the excluded child is named too (the other direction).
        MySQLStateManager chain = excluding("del");
        assertThatThrownBy(chain::connect).isInstanceOf(StateConnectionException.class)
                .hasMessageContaining("`del` (`del_p`: ON DELETE CASCADE ON UPDATE RESTRICT) references `p`, and is not tracked")
                .hasMessageContaining("`grand` (`grand_del`: ON DELETE CASCADE ON UPDATE RESTRICT) references `del`, which is excluded")
                .hasMessageNotContaining("`nul`");
        assertThat(journalObjects()).isZero();
        assertThat(db.dump()).isEqualTo(asFound);
    }

    @Test
    @DisplayName("what the refusal says to do works: with the referencing tables tracked every action is undone exactly (rollback and disconnect()); with the keys RESTRICT, or the referenced table excluded too, connect() goes on")
    void theWaysOutConnect() throws Exception {
        List<String> asFound = db.dump();
        MySQLStateManager tracked = db.trackedManager();
        tracked.connect();
        tracked.checkpoint("cp");
        db.cli(WRITES);
        assertThat(db.dump()).contains("nul '10'|NULL|'a'", "upd '30'|'33'|'c'").doesNotContain("grand '100'|'10'|'x'");
        tracked.rollback("cp");
        assertThat(db.dump()).isEqualTo(asFound);
        db.cli(WRITES);
        tracked.disconnect();
        assertThat(db.dump()).isEqualTo(asFound);

        MySQLStateManager all = excluding("p", "del", "nul", "upd", "grand");
        all.connect();
        all.disconnect();

        db.exec("alter table grand drop foreign key grand_del", "alter table upd drop foreign key upd_p",
                "alter table nul drop foreign key nul_p", "alter table del drop foreign key del_p",
                "alter table del add constraint del_p foreign key (pid) references p (id) on delete restrict",
                "alter table nul add constraint nul_p foreign key (pid) references p (id) on delete no action",
                "alter table upd add constraint upd_p foreign key (pid) references p (id) on update restrict");
        List<String> restricted = db.dump();
        MySQLStateManager restricting = excluding("del", "nul", "upd", "grand");
        restricting.connect();
        restricting.checkpoint("cp");
        db.cli("update p set n = 9 where id = 1;");
        restricting.rollback("cp");
        restricting.disconnect();
        assertThat(db.dump()).isEqualTo(restricted);
    }

    @Test
    @DisplayName("a table of another database whose foreign key has an action referencing a tracked table: connect() refuses, naming it with its database (until 2026-12-06 the cascade there was not even journaled, and rollbacks reported success with its rows deleted)")
    void actionsFromAnotherDatabaseAreRefused() throws Exception {
        try (MyDb other = new MyDb()) {
            try {
                other.exec("create table orders (id int primary key, pid int, constraint orders_p foreign key (pid) "
                        + "references `" + db.name + "`.p (id) on delete cascade on update set null)",
                        "insert into orders values (1, 1), (2, 2)");
                List<String> asFound = db.dump();
                List<String> otherAsFound = other.dump();
                MySQLStateManager m = db.trackedManager();
                assertThatThrownBy(m::connect).isInstanceOf(StateConnectionException.class)
                        .hasMessageContaining("foreign key actions from tracked tables change rows of tables the journal does not track")
                        .hasMessageContaining("`" + other.name + "`.`orders` (`orders_p`: ON DELETE CASCADE ON UPDATE SET NULL) "
                                + "references `p`, and is in another database")
                        .hasMessageContaining("a table of another database cannot be")
                        .hasMessageContaining("Nothing was installed");
                assertThat(journalObjects()).isZero();
                assertThat(db.dump()).isEqualTo(asFound);
                assertThat(other.dump()).isEqualTo(otherAsFound);
            } finally {
                other.exec("drop table if exists orders"); // before p's database goes
            }
        }
    }
}
