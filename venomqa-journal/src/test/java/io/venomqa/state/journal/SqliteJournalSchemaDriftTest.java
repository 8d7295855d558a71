package io.venomqa.state.journal;

import io.venomqa.state.sqlite.SQLiteStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PostgresJournalSchemaDriftTest} on SQLite: DDL run by the {@code sqlite3} client during a test, each with
 * writes beside it; {@code rollback()} and {@code disconnect()} either fail loudly or leave the file as
 * {@code connect()} found it, schema and rows ({@code sqlite3 .dump}).
 */
class SqliteJournalSchemaDriftTest {

    private SqliteDb db;

    @BeforeEach
    void setUp() {
        db = new SqliteDb();
    }

    @AfterEach
    void tearDown() throws IOException {
        db.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "create view v2 as select id from parent",
            "drop view v",
            "create index parent_qty on parent (qty)",
            "drop index parent_name",
            "create unique index child_other on child (other_id)",
            "create trigger parent_stamp before update on parent begin select 1; end",
            "drop trigger child_stamp",
            "alter table parent add column extra int",
            "alter table parent drop column note",
            "alter table parent rename column note to remark",
            "alter table kid rename to kid2",
            "create table late (id integer primary key)",
            "drop table kid",
    })
    @DisplayName("DDL during the run: loud, or the file's schema and rows as connect() found them")
    void loudOrAsFound(String ddl) throws Exception {
        db.exec("create table parent (id integer primary key autoincrement, name text default 'n', "
                        + "qty int not null default 1 check (qty > 0), note text)",
                "create index parent_name on parent (name)",
                "create table child (id integer primary key, parent_id int references parent (id) on delete cascade, "
                        + "other_id int, note text)",
                "create table kid (id integer primary key)",
                "create trigger child_stamp after insert on child begin update child set note = 'stamped' "
                        + "where id = new.id; end",
                "create view v as select id, name from parent",
                "insert into parent (name, qty, note) values ('a', 1, 'x'), ('b', 2, null)",
                "insert into child (id, parent_id, other_id) values (10, 1, 2), (20, 2, 1)", "insert into kid values (1)");
        List<String> asFound = dump();
        SQLiteStateManager m = new SQLiteStateManager(db.config().build());
        m.connect();
        m.checkpoint("cp");
        db.cli("update parent set qty = qty + 1 where id = 1; insert into kid values (3);");
        try {
            db.cli(ddl + ";");
        } catch (AssertionError refused) {
            // SQLite refuses to drop a column the journal's triggers name: the application's DDL fails, nothing changed
            assertThat(refused.getMessage()).as(ddl).contains("venomqa_journal");
        }
        try { // after it too, where the statement left the tables there
            db.cli("delete from parent where id = 2; insert into parent (name) values ('c');");
        } catch (AssertionError renamedOrRefused) {
            // the statement renamed or dropped what the write names, or made it refuse the write
        }
        SchemaDrift.loudOrAsFound(m, "cp", ddl, false, () -> {
            if (ddl.startsWith("create table late")) { // the one drift allowed: a table created during the run stays, empty
                assertThat(db.cli("select count(*) from late;").trim()).isEqualTo("0");
                db.cli("drop table late;");
            }
            assertThat(dump()).as("disconnect() reported success: the file as found").isEqualTo(asFound);
        });
    }

    /**
     * Schema and rows, as the {@code sqlite3} client's {@code .dump} writes them, in sorted lines: the journal creates
     * the application's triggers again when it installs its own (so that they fire after its staging), which moves
     * them in {@code sqlite_master} and in the dump without changing what they do; their order among themselves is
     * watched on its own ({@code SqliteJournalSchemaObjectsTest.triggerOrder}).
     */
    private List<String> dump() {
        return db.cli(".dump").lines().sorted().toList();
    }
}
