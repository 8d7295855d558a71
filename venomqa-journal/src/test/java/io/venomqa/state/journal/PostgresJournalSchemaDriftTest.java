package io.venomqa.state.journal;

import io.venomqa.state.postgres.PostgreSQLStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A catalogue of the DDL an application or a migration could run during a test, one statement at a time, each with
 * a write beside it, made by another process: whatever the statement, {@code rollback()} and {@code disconnect()}
 * either fail loudly or leave the schema ({@code pg_dump --schema-only}) and the rows as {@code connect()} found
 * them. A run that reports success with the schema drifted is what this class is here to catch: until 2026-12-07
 * the objects watch missed a column's default, {@code NOT NULL} and a table's parents here (and a foreign key moved
 * to other columns on MySQL), each found by trying such a statement by hand, and this catalogue's first run found
 * the undo failing on rows equal across an inheritance tree. Allowed, and said: a table or materialized view created
 * during the run stays, empty; an enum label added stays (rollbacks go on, {@code disconnect()} names it). Left out:
 * what the journal does not watch by design and changes no row and nothing the application gets (statistics
 * targets, storage, grants, owners, comments).
 */
class PostgresJournalSchemaDriftTest {

    @RegisterExtension
    static final OwnPgDatabase DATABASE = new OwnPgDatabase();

    private PgDb db;

    @BeforeEach
    void setUp() {
        db = new PgDb(DATABASE);
    }

    @AfterEach
    void tearDown() throws SQLException {
        db.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "create view v2 as select id from parent",
            "create or replace view v as select id, name, qty from parent where qty > 1",
            "drop view v",
            "create function g() returns int language sql as 'select 1'",
            "create or replace function stamp() returns trigger language plpgsql as $$ begin new.note = 'changed'; return new; end $$",
            "drop trigger child_stamp on child",
            "alter table child disable trigger child_stamp",
            "alter table child enable always trigger child_stamp",
            "create trigger parent_stamp before update on parent for each row execute function stamp()",
            "create rule no_delete as on delete to parent do instead nothing",
            "create index parent_qty on parent (qty)",
            "drop index parent_name",
            "create unique index child_other on child (other_id)",
            "alter table parent add constraint qty_small check (qty < 1000)",
            "alter table parent drop constraint qty_positive",
            "alter table child drop constraint child_parent_fk",
            "alter table child drop constraint child_parent_fk, add constraint child_parent_fk foreign key (other_id) references parent (id) on delete cascade",
            "create policy p on parent using (qty > 0)",
            "alter table parent enable row level security",
            "alter table parent set (fillfactor = 70)",
            "alter table parent replica identity full",
            "alter table base set unlogged",
            "alter table parent alter column qty set default 5",
            "alter table parent alter column name drop default",
            "alter table parent alter column qty drop not null",
            "alter table parent alter column name set not null",
            "alter table parent alter column id set generated always",
            "alter table kid no inherit base",
            "alter table loose inherit base",
            "alter table parent add column extra int",
            "alter table parent drop column note",
            "alter table parent rename column note to remark",
            "alter table parent alter column note type varchar(80)",
            "alter table parent alter column qty type int using qty * 2",
            "alter table parent rename to parent2",
            "alter sequence counter increment by 5",
            "alter type mood rename value 'ok' to 'fine'",
            "alter type mood add value 'meh'",
            "create type shade as enum ('dark')",
            "alter domain positive set default 1",
            "alter domain positive add constraint small check (value < 100)",
            "alter table events detach partition events_old",
            "create table events_new partition of events for values from (100) to (200)",
            "truncate kid",
            "create table late (id int primary key)",
            "create materialized view mv as select count(*) from parent",
    })
    @DisplayName("DDL during the run: loud, or the schema and rows as connect() found them")
    void loudOrAsFound(String ddl) throws Exception {
        db.exec("create type mood as enum ('ok', 'bad')", "create domain positive as int check (value > 0)",
                "create sequence counter",
                "create table parent (id int generated by default as identity primary key, name text default 'n', "
                        + "qty int not null default 1 constraint qty_positive check (qty > 0), note text, m mood)",
                "create index parent_name on parent (name)",
                "create table child (id int primary key, parent_id int, other_id int, note text, p positive, "
                        + "constraint child_parent_fk foreign key (parent_id) references parent (id) on delete cascade)",
                "create function stamp() returns trigger language plpgsql as $$ begin new.note = 'stamped'; return new; end $$",
                "create trigger child_stamp before insert or update on child for each row execute function stamp()",
                "create view v as select id, name from parent",
                "create table base (id int, v int)", "create table kid () inherits (base)", "create table loose (id int, v int)",
                "create table events (id int, v int) partition by range (id)",
                "create table events_old partition of events for values from (0) to (100)",
                "insert into parent (name, qty, note, m) values ('a', 1, 'x', 'ok'), ('b', 2, null, 'bad')",
                "insert into child values (10, 1, 2, null, 3), (20, 2, 1, null, 4)",
                "insert into base values (1, 1)", "insert into kid values (2, 2)", "insert into events values (5, 5)");
        String schemaAsFound = schemaDump();
        List<String> rowsAsFound = db.dump();
        PostgreSQLStateManager m = db.track(new PostgreSQLStateManager(db.config().build()));
        m.connect();
        m.checkpoint("cp");
        db.psql("update parent set qty = qty + 1 where id = 1; select nextval('counter'); insert into kid values (3, 3);");
        db.psql(ddl + ";");
        try { // after it too, where the statement left the tables there (a foreign key moved: its cascade)
            db.psql("delete from parent where id = 2; insert into base values (4, 4);");
        } catch (AssertionError renamedOrRefused) {
            // the statement renamed or dropped what the write names, or made it refuse the write
        }
        // An enum label added stays (PostgreSQL cannot drop one): rollbacks go on, disconnect() names it.
        SchemaDrift.loudOrAsFound(m, "cp", ddl, ddl.contains(" add value "), () -> {
            // The drift allowed, and said by a warning: a table or materialized view created during the run stays,
            // empty (VenomQA restores data, not schema; docs/journal.md, "Tables created during the run").
            for (String created : List.of("late", "events_new", "mv")) {
                if (ddl.matches("create (table|materialized view) " + created + " .*")) {
                    assertThat(db.psql("select count(*) from " + created).trim()).isEqualTo(created.equals("mv") ? "1" : "0");
                    db.psql("drop " + (created.equals("mv") ? "materialized view " : "table ") + created + ";");
                }
            }
            assertThat(schemaDump()).as("disconnect() reported success: the schema as found").isEqualTo(schemaAsFound);
            assertThat(db.dump()).as("disconnect() reported success: the rows as found").isEqualTo(rowsAsFound);
        });
    }

    /**
     * The schema as {@code pg_dump} writes it, without owners, grants and comments (not watched by design), and
     * without the random key of the {@code \restrict} lines that recent pg_dump versions write around a dump.
     */
    private String schemaDump() {
        return Cli.run(List.of("pg_dump", "-h", PgDb.HOST, "-p", String.valueOf(PgDb.PORT), "-U", PgDb.USER, "-d",
                db.database, "-n", db.schema, "--schema-only", "--no-owner", "--no-privileges", "--no-comments"), "")
                .replaceAll("(?m)^\\\\(un)?restrict .*$", "");
    }
}
