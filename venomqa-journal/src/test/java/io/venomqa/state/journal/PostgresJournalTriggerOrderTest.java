package io.venomqa.state.journal;

import io.venomqa.state.StateManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL fires a table's triggers of one event in name order: an application {@code AFTER} row
 * trigger named before {@code venomqa_journal_} that updates its own row has that update journaled
 * first, and rollbacks of the table fail. {@code connect()} names such triggers in a warning.
 */
class PostgresJournalTriggerOrderTest {

    @Test
    @DisplayName("an AFTER row trigger that sorts before the journal's and names its own table is warned about at connect(); one that sorts after, or writes elsewhere, is not; the one after is undone exactly")
    void warnedAtConnect() throws Exception {
        try (PgDb db = new PgDb()) {
            db.psql("""
                    create table acc (id int primary key, balance int not null, version int not null default 0);
                    create table audit (n serial primary key, what text);
                    insert into acc select g, 100, 0 from generate_series(1, 3) g;
                    create function bump() returns trigger language plpgsql as $$ begin
                      if pg_trigger_depth() = 1 then update acc set version = version + 1 where id = new.id; end if;
                      return null; end $$;
                    create function note() returns trigger language plpgsql as $$ begin
                      insert into audit (what) values ('changed ' || new.id); return null; end $$;
                    create trigger z_bump after update on acc for each row execute function bump();
                    create trigger a_note after update on acc for each row execute function note();
                    create table early (id int primary key, version int not null default 0);
                    create function early_bump() returns trigger language plpgsql as $$ begin
                      if pg_trigger_depth() = 1 then update early set version = version + 1 where id = new.id; end if;
                      return null; end $$;
                    create trigger a_bump after update on early for each row execute function early_bump();
                    """);
            PrintStream err = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            StateManager m = db.manager();
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                m.connect();
            } finally {
                System.setErr(err);
            }
            try {
                String log = captured.toString(StandardCharsets.UTF_8);
                assertThat(log).contains("[a_bump on early]").doesNotContain("z_bump").doesNotContain("a_note");

                List<String> before = db.rows("select * from acc order by id", "select * from audit order by n");
                m.checkpoint("start");
                db.psql("update acc set balance = balance - 10 where id = 1;");
                m.rollback("start");
                assertThat(db.rows("select * from acc order by id", "select * from audit order by n")).isEqualTo(before);
            } finally {
                m.disconnect();
            }
        }
    }
}
