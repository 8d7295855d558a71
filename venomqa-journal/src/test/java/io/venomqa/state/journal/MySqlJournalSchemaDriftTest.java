package io.venomqa.state.journal;

import io.venomqa.state.mysql.MySQLStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PostgresJournalSchemaDriftTest} on MySQL/MariaDB: a catalogue of DDL run by another process during a test,
 * each with writes beside it; {@code rollback()} and {@code disconnect()} either fail loudly or leave the schema
 * ({@code mariadb-dump --no-data} with routines, events and triggers) and the rows as {@code connect()} found them.
 * Several statements run with {@code foreign_key_checks} off, as migrations do, so that InnoDB changes the table in
 * place instead of rebuilding it (a rebuild is refused as a {@code TRUNCATE} is).
 */
class MySqlJournalSchemaDriftTest {

    private MyDb db;

    @BeforeEach
    void setUp() {
        db = new MyDb();
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
            "create procedure p() select 1",
            "drop function twice",
            "create index parent_qty on parent (qty)",
            "drop index parent_name on parent",
            "alter table parent alter index parent_name ignored",
            "alter table parent add constraint qty_small check (qty < 1000)",
            "alter table parent drop constraint qty_positive",
            "alter table child drop foreign key child_parent_fk",
            "alter table child add constraint child_other_fk foreign key (other_id) references parent (id) on delete cascade",
            "alter table child drop foreign key child_parent_fk; alter table child add constraint child_parent_fk "
                    + "foreign key (other_id) references parent (id) on delete cascade",
            "drop trigger child_stamp",
            "create trigger parent_stamp before update on parent for each row set new.note = 'stamped'",
            "alter table parent comment = 'changed'",
            "alter table parent alter column qty set default 5",
            "alter table parent alter column name drop default",
            "alter table parent modify note varchar(80)",
            "alter table parent modify name varchar(20) not null default 'm'",
            "alter table parent modify doubled int as (qty * 3) virtual",
            "alter table parent add column extra int",
            "alter table parent drop column note",
            "alter table parent rename column note to remark",
            "rename table parent to parent2",
            "alter table parent engine = InnoDB",
            "create event e on schedule every 1 hour do delete from parent",
            "alter event tick enable",
            "alter sequence counter increment by 5",
            "truncate kid",
            "create table late (id int primary key)",
    })
    @DisplayName("DDL during the run: loud, or the schema and rows as connect() found them")
    void loudOrAsFound(String ddl) throws Exception {
        db.exec("create sequence counter",
                "create table parent (id int auto_increment primary key, name varchar(20) default 'n', "
                        + "qty int not null default 1, note varchar(20), doubled int as (qty * 2) virtual, "
                        + "key parent_name (name), constraint qty_positive check (qty > 0))",
                "create table child (id int primary key, parent_id int, other_id int, note varchar(20), key c_other (other_id), "
                        + "constraint child_parent_fk foreign key (parent_id) references parent (id) on delete cascade)",
                "create table kid (id int primary key)",
                "create trigger child_stamp before insert on child for each row set new.note = 'stamped'",
                "create function twice(x int) returns int deterministic return x * 2",
                "create view v as select id, name from parent",
                "create event tick on schedule every 1 day disable do delete from kid",
                "insert into parent (name, qty, note) values ('a', 1, 'x'), ('b', 2, null)",
                "insert into child (id, parent_id, other_id) values (10, 1, 2), (20, 2, 1)", "insert into kid values (1)");
        String schemaAsFound = schemaDump();
        List<String> rowsAsFound = db.dump();
        MySQLStateManager m = db.track(new MySQLStateManager(db.config().build()));
        m.connect();
        m.checkpoint("cp");
        db.cli("update parent set qty = qty + 1 where id = 1; select nextval(counter); insert into kid values (3);");
        db.cli("set foreign_key_checks = 0; " + ddl + "; set foreign_key_checks = 1;");
        try { // after it too, where the statement left the tables there (a foreign key moved: its cascade)
            db.cli("delete from parent where id = 2; insert into kid values (4);");
        } catch (AssertionError renamedOrRefused) {
            // the statement renamed or dropped what the write names, or made it refuse the write
        }
        SchemaDrift.loudOrAsFound(m, "cp", ddl, false, () -> {
            if (ddl.startsWith("create table late")) { // the one drift allowed: a table created during the run stays, empty
                assertThat(db.cli("select count(*) from late").trim()).isEqualTo("0");
                db.cli("drop table late;");
            }
            assertThat(schemaDump()).as("disconnect() reported success: the schema as found").isEqualTo(schemaAsFound);
            assertThat(db.dump()).as("disconnect() reported success: the rows as found").isEqualTo(rowsAsFound);
        });
    }

    /**
     * The schema as {@code mariadb-dump} writes it: tables, views, routines, events and triggers, without the
     * counters' values ({@code AUTO_INCREMENT=}, compared with the rows by {@link MyDb#dump()}).
     */
    private String schemaDump() {
        return Cli.run(List.of("mariadb-dump", "-h", MyDb.HOST, "-P", String.valueOf(MyDb.PORT), "-u", MyDb.USER,
                        "--no-data", "--routines", "--events", "--triggers", "--skip-comments", "--skip-dump-date", db.name), "")
                .replaceAll(" AUTO_INCREMENT=\\d+", "");
    }
}
