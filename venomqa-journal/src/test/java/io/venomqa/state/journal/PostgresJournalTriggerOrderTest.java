package io.venomqa.state.journal;

import io.venomqa.state.StateManager;
import io.venomqa.testsupport.Stderr;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL fires a table's triggers of one event in name order. The journal's row-level triggers
 * are named {@code "VenomQA_journal_…"}, before every unquoted name: an application {@code AFTER}
 * row trigger that updates its own row has that update journaled after the change that caused it,
 * whatever its name in lower case. Until 2026-12-03 they were {@code venomqa_journal_…}, and a
 * trigger named before that ({@code a_bump}) made every rollback of its table fail. A quoted name
 * that still sorts first is named in a warning at {@code connect()}.
 */
class PostgresJournalTriggerOrderTest {

    @Test
    @DisplayName("AFTER row triggers that update their own row, named before and after 'venomqa_journal_', and an audit trigger: rollbacks exact, nothing warned; a quoted name that sorts before 'VenomQA_journal_' is warned about")
    void selfUpdatingAfterTriggers() throws Exception {
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
                    create table early (id int primary key, balance int not null default 0, version int not null default 0);
                    insert into early select g, 0, 0 from generate_series(1, 3) g;
                    create function early_bump() returns trigger language plpgsql as $$ begin
                      if pg_trigger_depth() = 1 then update early set version = version + 1 where id = new.id; end if;
                      return null; end $$;
                    create trigger a_bump after insert or update on early for each row execute function early_bump();
                    create table quoted (id int primary key, version int not null default 0);
                    create function quoted_bump() returns trigger language plpgsql as $$ begin
                      update quoted set version = version + 1 where id = new.id; return null; end $$;
                    create trigger "A_bump" after insert on quoted for each row execute function quoted_bump();
                    """);
            StateManager m = db.manager();
            String log = Stderr.during(m::connect);
            String[] tables = {"select * from acc order by id", "select * from audit order by n",
                    "select * from early order by id"};
            List<String> before = db.rows(tables[0], tables[1], tables[2]);
            try {
                assertThat(log).contains("[A_bump on quoted]").doesNotContain("a_bump").doesNotContain("z_bump")
                        .doesNotContain("a_note");

                m.checkpoint("start");
                db.psql("update acc set balance = balance - 10 where id = 1;");
                db.psql("update early set balance = balance + 5;");
                db.psql("insert into early (id) values (4);");
                m.checkpoint("middle");
                List<String> middle = db.rows(tables[0], tables[1], tables[2]);
                assertThat(middle).contains("id=4|balance=0|version=1").contains("id=2|balance=5|version=1");
                db.psql("update early set balance = 7 where id = 4; delete from early where id = 1;");
                m.rollback("middle");
                assertThat(db.rows(tables[0], tables[1], tables[2])).isEqualTo(middle);
                m.rollback("start");
                assertThat(db.rows(tables[0], tables[1], tables[2])).isEqualTo(before);
                db.psql("update early set balance = 1 where id = 3;");
            } finally {
                m.disconnect();
            }
            assertThat(db.rows(tables[0], tables[1], tables[2])).as("disconnect() put back what connect() found")
                    .isEqualTo(before);
        }
    }
}
