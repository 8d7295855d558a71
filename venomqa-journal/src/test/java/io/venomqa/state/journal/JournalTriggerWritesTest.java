package io.venomqa.state.journal;

import io.venomqa.state.mysql.MySQLStateManager;
import io.venomqa.state.postgres.PostgreSQLStateManager;
import io.venomqa.state.sqlite.SQLiteStateManager;
import io.venomqa.testsupport.Stderr;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application trigger on a journaled table that writes a table the journal does not track (of another schema or
 * database, or one in exclude_tables): the rows it writes stay after every rollback, which until 2026-12-08 nothing
 * said. {@code connect()} now names each such trigger and table in a warning.
 */
class JournalTriggerWritesTest {

    private static final String SAID = "application triggers write tables the journal does not track";

    @Test
    @DisplayName("PostgreSQL: a trigger function and a rule writing another schema's table and an excluded one are named; one writing tracked tables is not")
    void postgres() throws Exception {
        try (PgDb db = new PgDb()) {
            String other = db.schema + "_a";
            db.exec("create schema " + other, "create table " + other + ".events (order_id int)",
                    "create table orders (id int primary key)", "create table stock (id int primary key, qty int)",
                    "create table skipped (id int)", "create table notes (id int)",
                    "create function made() returns trigger language plpgsql as $$ begin "
                            + "insert into " + other + ".events values (new.id); insert into skipped values (new.id); "
                            + "update stock set qty = qty - 1; return new; end $$",
                    "create trigger made after insert on orders for each row execute function made()",
                    "create function counted() returns trigger language plpgsql as $$ begin "
                            + "update stock set qty = qty + 1 where id = new.id; return new; end $$",
                    "create trigger counted after insert on notes for each row execute function counted()",
                    "create rule logged as on delete to stock do also insert into " + other + ".events values (old.id)");
            try {
                PostgreSQLStateManager m = db.track(new PostgreSQLStateManager(db.config()
                        .excludeTables(List.of("skipped")).build()));
                String said = Stderr.during(m::connect);
                assertThat(said).contains(SAID)
                        .contains("trigger made on \"orders\" writes \"" + other + "\".\"events\", \"" + db.schema
                                + "\".\"skipped\" (not tracked)")
                        .contains("rule logged on \"stock\" writes \"" + other + "\".\"events\"")
                        .doesNotContain("trigger `counted`").doesNotContain("trigger counted");
                m.disconnect();
            } finally {
                db.exec("drop schema " + other + " cascade");
            }
        }
    }

    @Test
    @DisplayName("PostgreSQL: no warning for triggers that write tracked tables only")
    void postgresQuiet() throws Exception {
        try (PgDb db = new PgDb()) {
            db.exec("create table orders (id int primary key)", "create table stock (id int primary key, qty int)",
                    "create function made() returns trigger language plpgsql as $$ begin "
                            + "update stock set qty = qty - 1; return new; end $$",
                    "create trigger made after insert on orders for each row execute function made()");
            PostgreSQLStateManager m = db.trackedManager();
            assertThat(Stderr.during(m::connect)).doesNotContain(SAID);
            m.disconnect();
        }
    }

    @Test
    @DisplayName("SQLite: a trigger writing an excluded table is named; one writing tracked tables is not")
    void sqlite() throws Exception {
        try (SqliteDb db = new SqliteDb()) {
            db.exec("create table orders (id integer primary key)", "create table stock (id integer primary key, qty int)",
                    "create table skipped (id int)", "create table notes (id int)",
                    "create trigger made after insert on orders begin insert into skipped values (new.id); "
                            + "update stock set qty = qty - 1; end",
                    "create trigger counted after insert on notes begin update stock set qty = qty + 1; end");
            SQLiteStateManager m = new SQLiteStateManager(db.config().excludeTables(List.of("skipped")).build());
            try {
                String said = Stderr.during(m::connect);
                assertThat(said).contains(SAID).contains("trigger \"made\" on \"orders\" writes \"skipped\" (not tracked)")
                        .doesNotContain("trigger \"counted\"");
            } finally {
                m.disconnect();
            }
        }
    }

    @Test
    @DisplayName("MariaDB: triggers writing another database's table and an excluded one are named; one writing tracked tables is not")
    void mariadb() throws Exception {
        MyDb db = new MyDb();
        String other = db.name + "_a";
        try {
            db.cli("create database `" + other + "`; create table `" + other + "`.hits (order_id int) engine=InnoDB;");
            db.exec("create table orders (id int primary key) engine=InnoDB", "create table stock (id int primary key, qty int) engine=InnoDB",
                    "create table skipped (id int) engine=InnoDB", "create table notes (id int) engine=InnoDB",
                    "create trigger made after insert on orders for each row begin "
                            + "insert into `" + other + "`.hits values (new.id); insert into skipped values (new.id); "
                            + "update stock set qty = qty - 1; end",
                    "create trigger counted after insert on notes for each row update stock set qty = qty + 1");
            MySQLStateManager m = db.track(new MySQLStateManager(db.config().excludeTables(List.of("skipped")).build()));
            String said = Stderr.during(m::connect);
            assertThat(said).contains(SAID)
                    .contains("trigger `made` on `orders` writes `" + other + "`.`hits`, `skipped` (not tracked)")
                    .doesNotContain("trigger `counted`").doesNotContain("trigger counted");
            m.disconnect();
        } finally {
            db.cli("drop database if exists `" + other + "`");
            db.close();
        }
    }
}
