package io.venomqa.state.journal;

import io.venomqa.state.CheckpointTree;
import io.venomqa.state.RollbackException;
import io.venomqa.state.StateManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL large objects named by journaled rows (an {@code oid} column, or the {@code lo}
 * extension's domain: Hibernate 6 maps {@code @Lob} there). Each database of its own: large
 * objects belong to the database, not to a schema.
 */
class PostgresJournalLargeObjectsTest {

    /** Every large object of the database: oid, owner, contents as text. */
    private static final String OBJECTS = "select m.oid, m.lomowner::regrole as owner, m.lomacl, "
            + "convert_from(lo_get(m.oid), 'UTF8') as data from pg_largeobject_metadata m order by m.oid";

    private static void app(Connection app, String... sql) throws SQLException {
        try (Statement st = app.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    @Test
    @DisplayName("objects the run created (a new row's, an updated row's new one, Hibernate-style) are removed by the rollback and by disconnect(); the checkpoint's stay as they were")
    void createdDuringTheRunAreRemoved() throws SQLException {
        try (PgDb db = new PgDb(true)) {
            db.exec("create table docs (id int primary key, body oid, title text)",
                    "insert into docs values (1, lo_from_bytea(0, convert_to('first', 'UTF8')), 'a')",
                    "create table plain (id int primary key, n int)");
            List<String> before = db.rows("select * from docs order by id");
            List<String> objects = db.rows(OBJECTS);
            StateManager m = db.manager();
            m.connect();
            try (Connection app = db.connect()) {
                m.checkpoint("start");
                app(app, "insert into docs values (2, lo_from_bytea(0, convert_to('second', 'UTF8')), 'b')",
                        "update docs set body = lo_from_bytea(0, convert_to('first, edited', 'UTF8')) where id = 1",
                        "insert into plain values (1, 1)");
                assertThat(db.rows(OBJECTS)).hasSize(3);
                m.checkpoint("edited");
                app(app, "insert into docs values (3, lo_from_bytea(0, convert_to('third', 'UTF8')), 'c')",
                        "update docs set body = lo_from_bytea(0, convert_to('third, edited', 'UTF8')) where id = 3");
                m.rollback("edited");
                assertThat(db.rows(OBJECTS)).as("the one made after 'edited' is gone").hasSize(3);
                m.rollback("start");
                assertThat(db.rows("select * from docs order by id")).isEqualTo(before);
                assertThat(db.rows(OBJECTS)).isEqualTo(objects);
                app(app, "insert into docs values (4, lo_from_bytea(0, convert_to('fourth', 'UTF8')), 'd')");
            } finally {
                m.disconnect();
            }
            assertThat(db.rows("select * from docs order by id")).isEqualTo(before);
            assertThat(db.rows(OBJECTS)).isEqualTo(objects);
        }
    }

    @Test
    @DisplayName("after a kill -9 of the run, the next connect() puts the rows back and removes the objects the dead run created; the ones it found stay")
    void crashRecoveryRemovesTheDeadRunsObjects() throws Exception {
        try (PgDb db = new PgDb(true)) {
            db.exec("create table docs (id int primary key, body oid)",
                    "insert into docs values (1, lo_from_bytea(0, convert_to('first', 'UTF8')))");
            List<String> rows = db.rows("select * from docs order by id");
            List<String> objects = db.rows(OBJECTS);
            ChildJvm.runAndKill("postgresql", db.url, db.schema,
                    "jdbc:postgresql://" + PgDb.HOST + ":" + PgDb.PORT + "/" + db.database + "?currentSchema=" + db.schema,
                    PgDb.USER, "insert into docs values (2, lo_from_bytea(0, convert_to('dead', 'UTF8')))",
                    "update docs set body = lo_from_bytea(0, convert_to('first, edited', 'UTF8')) where id = 1");
            assertThat(db.rows(OBJECTS)).hasSize(3);
            StateManager m = db.manager();
            m.connect();
            try {
                assertThat(db.rows("select * from docs order by id")).isEqualTo(rows);
                assertThat(db.rows(OBJECTS)).isEqualTo(objects);
            } finally {
                m.disconnect();
            }
        }
    }

    @Test
    @DisplayName("an object the run created that a table left out of the journal also names stays (that table keeps the run's rows); the others go")
    void namedByAnExcludedTableStays() throws SQLException {
        try (PgDb db = new PgDb(true)) {
            db.exec("create table docs (id int primary key, body oid)", "create table archive (id int primary key, body oid)");
            StateManager m = new io.venomqa.state.postgres.PostgreSQLStateManager(
                    db.config().excludeTables(List.of("archive")).build());
            m.connect();
            try (Connection app = db.connect()) {
                m.checkpoint("start");
                app(app, "insert into docs values (1, lo_from_bytea(0, convert_to('kept', 'UTF8'))), "
                                + "(2, lo_from_bytea(0, convert_to('gone', 'UTF8')))",
                        "insert into archive select id, body from docs where id = 1");
                m.rollback("start");
                assertThat(db.rows("select count(*) as docs from docs")).containsExactly("docs=0");
                assertThat(db.rows("select convert_from(lo_get(m.oid), 'UTF8') as data from pg_largeobject_metadata m"))
                        .containsExactly("data=kept");
            } finally {
                m.disconnect();
            }
        }
    }

    @Test
    @DisplayName("an object the checkpoint's rows named, unlinked during the run by the lo extension's lo_manage trigger, fails the rollback loudly and nothing is undone")
    void unlinkedDuringTheRunFailsLoudly() throws SQLException {
        try (PgDb db = new PgDb(true)) {
            db.exec("create extension lo",
                    "create table docs (id int primary key, body lo)",
                    "create trigger t_body before update or delete on docs for each row execute function lo_manage(body)",
                    "insert into docs values (1, lo_from_bytea(0, convert_to('kept', 'UTF8'))), "
                            + "(2, lo_from_bytea(0, convert_to('replaced', 'UTF8')))");
            StateManager m = db.manager();
            m.connect();
            try (Connection app = db.connect()) {
                m.checkpoint("start");
                app(app, "delete from docs where id = 1");
                List<String> after = db.rows("select * from docs order by id");
                assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                        .hasMessageContaining("Large object(s) [")
                        .hasMessageContaining("named by rows of table 'docs'")
                        .hasMessageContaining("nothing was undone");
                assertThat(db.rows("select * from docs order by id")).isEqualTo(after);
                assertThat(db.rows(OBJECTS)).hasSize(1);
            } finally {
                assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class).hasMessageContaining("Large object");
            }
        }
        try (PgDb db = new PgDb(true)) {
            db.exec("create extension lo", "create table docs (id int primary key, body lo)",
                    "create trigger t_body before update or delete on docs for each row execute function lo_manage(body)",
                    "insert into docs values (1, lo_from_bytea(0, convert_to('old', 'UTF8')))");
            StateManager m = db.manager();
            m.connect();
            try (Connection app = db.connect()) {
                m.checkpoint("start");
                app(app, "update docs set body = lo_from_bytea(0, convert_to('new', 'UTF8')) where id = 1");
                assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                        .hasMessageContaining("named by rows of table 'docs'");
                assertThat(db.rows("select convert_from(lo_get(body), 'UTF8') as data from docs")).containsExactly("data=new");
            } finally {
                assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class);
            }
        }
    }

    @Test
    @DisplayName("a restore across branches brings back an object a rollback removed, under its oid, with its contents, owner and grants (VenomQA not a superuser, a member of the application's role)")
    void restoreAcrossBranchesBringsObjectsBack() throws SQLException {
        try (PgRolesDb db = new PgRolesDb()) {
            db.exec("create table docs (id int primary key, body oid)");
            db.asSuperuser("grant " + db.app + " to " + db.venomqa);
            StateManager m = db.manager();
            m.connect();
            try (Connection app = db.connect()) {
                CheckpointTree tree = m.checkpointTree().orElseThrow();
                m.checkpoint("root");
                app(app, "insert into docs values (1, lo_from_bytea(0, convert_to('one', 'UTF8')))");
                String oid = db.rows("select body from docs").get(0).substring("body=".length());
                app(app, "grant select on large object " + oid + " to " + db.owner);
                m.checkpoint("one");
                List<String> one = db.rows(OBJECTS);
                assertThat(one).singleElement().asString().contains("owner=" + db.app).contains("data=one")
                        .contains(db.owner + "=r/" + db.app);
                tree.restore("root");
                assertThat(db.rows(OBJECTS)).isEmpty();
                app(app, "insert into docs values (2, lo_from_bytea(0, convert_to('two', 'UTF8')))");
                m.checkpoint("two");
                List<String> two = db.rows(OBJECTS);
                for (int i = 0; i < 2; i++) {
                    tree.restore("one");
                    assertThat(db.rows(OBJECTS)).isEqualTo(one);
                    assertThat(db.rows("select id, convert_from(lo_get(body), 'UTF8') as data from docs"))
                            .containsExactly("id=1|data=one");
                    tree.restore("two");
                    assertThat(db.rows(OBJECTS)).isEqualTo(two);
                }
                tree.restore("root");
                assertThat(db.rows(OBJECTS)).isEmpty();
            } finally {
                m.disconnect();
            }
            assertThat(db.rows(OBJECTS)).isEmpty();
            assertThat(db.rows("select to_regclass('venomqa.large_objects') is null as gone"))
                    .as("the copies went with the journal's schema, this database's only run").containsExactly("gone=t");
        }
    }

    @Test
    @DisplayName("a role that may not read and remove the application's objects gets a rollback that fails, saying which role to connect as, and nothing undone")
    void notAllowedToRemoveFailsLoudly() throws SQLException {
        try (PgRolesDb db = new PgRolesDb()) {
            db.exec("create table docs (id int primary key, body oid)");
            StateManager m = db.manager();
            m.connect();
            try (Connection app = db.connect()) {
                m.checkpoint("start");
                app(app, "insert into docs values (1, lo_from_bytea(0, convert_to('one', 'UTF8')))");
                assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                        .hasMessageContaining("VenomQA's role may not read and remove large objects")
                        .hasMessageContaining("Nothing was undone");
                assertThat(db.rows("select id from docs")).containsExactly("id=1");
                app(app, "delete from docs", "select lo_unlink(oid) from pg_largeobject_metadata");
            } finally {
                m.disconnect();
            }
        }
    }
}
