package io.venomqa.state.journal;

import io.venomqa.state.CheckpointTree;
import io.venomqa.state.RollbackException;
import io.venomqa.state.postgres.PostgreSQLStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DDL that keeps a journaled table's shape and yet changes its data or what the journal restores, made by
 * the application (psql, another process) during a run: a same-type column rewrite, an enum label renamed,
 * a sequence's options changed. The journal restores data, not schema changes: until 2026-12-04 each of
 * them passed a rollback and {@code disconnect()} unnoticed, which reported success with the data not as
 * at the checkpoint. Now the next checkpoint, rollback and restore fail naming what changed, and
 * {@code disconnect()} puts back what it can and throws naming the rest. Maintenance that rewrites a table
 * without changing its data ({@code TRUNCATE}, {@code VACUUM FULL}, {@code CLUSTER}, {@code ANALYZE})
 * stays fine. A database of its own per test (the class's, as new for each test: {@link OwnPgDatabase}), so
 * that the journal's shared {@code venomqa} schema is its alone.
 */
class PostgresJournalDdlTest {

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

    private PostgreSQLStateManager manager() {
        return db.trackedManager();
    }

    @Test
    @DisplayName("a partition in exclude_tables whose partitioned table is tracked is refused at connect(), naming both, with nothing installed (an UPDATE moving a row into it was half undone before); the partitioned table excluded, the run connects")
    void excludedPartitionOfATrackedPartitionedTable() throws SQLException {
        db.exec("create table ev (id int, region text) partition by list (region)",
                "create table ev_eu partition of ev for values in ('eu')", "create table ev_archive partition of ev default",
                "insert into ev values (1, 'eu'), (2, 'old')", "create table t (id int primary key)");
        PostgreSQLStateManager partition = db.track(new PostgreSQLStateManager(db.config()
                .excludeTables(List.of("ev_archive")).build()));
        assertThatThrownBy(partition::connect).hasMessageContaining("exclude_tables leaves out partitions of tracked "
                        + "partitioned tables (\"" + db.schema + "\".\"ev_archive\" of \"" + db.schema + "\".\"ev\")")
                .hasMessageContaining("Nothing was installed");
        assertThat(db.venomqaObjects()).isZero();

        // Left out whole, or tracked whole: connects, and a row moved between partitions comes back exactly.
        for (List<String> excluded : List.of(List.of("ev"), List.<String>of())) {
            PostgreSQLStateManager m = db.track(new PostgreSQLStateManager(db.config().excludeTables(excluded).build()));
            m.connect();
            List<String> before = db.dump();
            m.checkpoint("start");
            db.psql("update ev set region = 'zz' where id = 1; delete from ev where id = 2; insert into ev values (3, 'old');"
                    + " insert into t values (1);");
            m.rollback("start");
            if (excluded.isEmpty()) {
                assertThat(db.dump()).isEqualTo(before);
            } else {
                assertThat(db.rows("select count(*) as n from t")).containsExactly("n=0");
                db.exec("delete from ev", "insert into ev values (1, 'eu'), (2, 'old')");
            }
            m.disconnect();
        }
    }

    @Test
    @DisplayName("a partition of a tracked partitioned table detached, or a tracked table attached as a partition, during the run: rollback and disconnect() fail naming the table, the ATTACH/DETACH PARTITION and what to do (until 2026-12-06 triggers \"dropped\"/\"appeared\" among a list of possible causes, and disconnect() called the attached table's columns altered by ALTER COLUMN)")
    void partitionAttachedOrDetachedDuringTheRun() throws SQLException {
        db.exec("create table ev (id int, region text) partition by list (region)",
                "create table ev_eu partition of ev for values in ('eu')", "create table ev_us partition of ev for values in ('us')",
                "create table solo (id int, region text)", "insert into ev values (1, 'eu'), (2, 'us')", "insert into solo values (6, 'xx')");
        PostgreSQLStateManager m = manager();
        m.connect();
        m.checkpoint("start");
        db.psql("insert into ev values (3, 'us'); alter table ev detach partition ev_us;");
        String detached = "table 'ev_us' is no longer a partition (ALTER TABLE … DETACH PARTITION 'ev_us')";
        assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class).hasMessageContaining(detached)
                .hasMessageContaining("attach and detach partitions before connect()").hasMessageContaining("nothing was undone")
                .hasMessageNotContaining("Something ran DROP TRIGGER");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class).hasMessageContaining(detached);
        assertThat(db.dump()).contains("ev_us (3,us)");
        assertThat(db.venomqaObjects()).isZero();

        db.exec("delete from ev_us where id = 3", "alter table ev attach partition ev_us for values in ('us')");
        PostgreSQLStateManager again = manager();
        again.connect();
        again.checkpoint("start");
        db.psql("insert into solo values (7, 'xx'); alter table ev attach partition solo for values in ('xx');");
        String attached = "table 'solo' was attached as a partition of 'ev' (ALTER TABLE 'ev' ATTACH PARTITION 'solo')";
        assertThatThrownBy(() -> again.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining(attached).hasMessageContaining("journaled twice")
                .hasMessageNotContaining("Something ran DROP TRIGGER");
        assertThatThrownBy(again::disconnect).isInstanceOf(RollbackException.class).hasMessageContaining(attached)
                .hasMessageContaining("none of the journaled changes of tables [solo] were undone");
        assertThat(db.venomqaObjects()).isZero();
    }

    @Test
    @DisplayName("a foreign key with an action (ON UPDATE CASCADE, ON DELETE SET NULL/CASCADE) from a tracked table into a table in exclude_tables or another schema is refused at connect(), naming the key, both tables and what to do (before, rollbacks failed blaming \"something without the triggers\" and disconnect() left the tracked table unrestored); NO ACTION keys, or both tables excluded, connect")
    void foreignKeyActionsIntoUntrackedTablesAreRefused() throws SQLException {
        db.exec("create table par (code text primary key, v int)", "insert into par values ('a', 1), ('b', 2)",
                "create table exch (id int primary key, code text references par on update cascade on delete set null)",
                "insert into exch values (1, 'a'), (2, 'b')", "create table t (id int primary key)");
        PostgreSQLStateManager excluded = db.track(new PostgreSQLStateManager(db.config()
                .excludeTables(List.of("exch")).build()));
        assertThatThrownBy(excluded::connect)
                .hasMessageContaining("foreign key actions from tracked tables change rows of tables the journal does not track: \""
                        + db.schema + "\".\"exch\" (\"exch_code_fkey\": ON DELETE SET NULL ON UPDATE CASCADE) references \""
                        + db.schema + "\".\"par\", and is in exclude_tables")
                .hasMessageContaining("Track the referencing tables too").hasMessageContaining("NO ACTION or RESTRICT")
                .hasMessageContaining("Nothing was installed");
        assertThat(db.venomqaObjects()).isZero();

        db.exec("create schema other", "create table other.log (id int primary key, code text references " + db.schema
                + ".par on delete cascade)", "alter table exch drop constraint exch_code_fkey",
                "alter table exch add foreign key (code) references par");
        assertThatThrownBy(db.track(manager())::connect)
                .hasMessageContaining("\"other\".\"log\" (\"log_code_fkey\": ON DELETE CASCADE ON UPDATE NO ACTION) references \""
                        + db.schema + "\".\"par\", and is in another schema")
                .hasMessageNotContaining("exch");
        assertThat(db.venomqaObjects()).isZero();

        // Without the action, or with the referenced table excluded too: connects, and the tracked rows come back.
        db.exec("drop table other.log");
        for (List<String> left : List.of(List.of("exch"), List.of("exch", "par"))) {
            PostgreSQLStateManager m = db.track(new PostgreSQLStateManager(db.config().excludeTables(left).build()));
            m.connect();
            m.checkpoint("start");
            db.psql("insert into t values (1); update par set v = 9;");
            m.rollback("start");
            assertThat(db.rows("select count(*) as n from t")).containsExactly("n=0");
            m.disconnect();
            db.exec("update par set v = 1");
        }
    }

    @Test
    @DisplayName("a foreign table in the schema is refused at connect() with what to do (exclude_tables), not the server's trigger error; excluded, the run connects")
    void foreignTableRefusedWithAdvice() throws SQLException {
        db.exec("create extension postgres_fdw schema public",
                "create server vq_loop foreign data wrapper postgres_fdw options (host '" + PgDb.HOST + "', port '"
                        + PgDb.PORT + "', dbname '" + db.database + "')",
                "create user mapping for current_user server vq_loop options (user '" + PgDb.USER + "')",
                "create table public.remote_items (id int primary key, v text)",
                "create foreign table items_ft (id int, v text) server vq_loop options (schema_name 'public', table_name 'remote_items')",
                "create table local_items (id int primary key, v text)");
        PostgreSQLStateManager m = manager();
        assertThatThrownBy(m::connect).hasMessageContaining("foreign tables \"" + db.schema + "\".\"items_ft\"")
                .hasMessageContaining("Add them to exclude_tables").hasMessageContaining("Nothing was installed")
                .hasMessageNotContaining("transition tables");
        PostgreSQLStateManager excluded = db.track(new PostgreSQLStateManager(db.config()
                .excludeTables(List.of("items_ft")).build()));
        excluded.connect();
        excluded.checkpoint("start");
        db.psql("insert into local_items values (1, 'a');");
        excluded.rollback("start");
        assertThat(db.dump()).noneMatch(r -> r.startsWith("local_items"));
        excluded.disconnect();
    }

    @Test
    @DisplayName("a same-type ALTER COLUMN … TYPE … USING (every row rewritten, no row trigger, shape unchanged): checkpoint, rollback and restore fail naming the column; disconnect() undoes the other tables and names it")
    void sameTypeColumnRewrite() throws SQLException {
        db.exec("create table t (id int primary key, v text)", "create table b (id int primary key, v text)",
                "insert into t values (1, 'a'), (2, 'b')", "insert into b values (1, 'b1')");
        PostgreSQLStateManager m = manager();
        m.connect();
        List<String> before = db.dump();
        m.checkpoint("start");
        db.psql("insert into b values (2, 'b2'); alter table t alter column v type text using upper(v);");
        assertThat(db.dump()).contains("t (1,A)");
        assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("table 't': column 'v' altered")
                .hasMessageContaining("restores data, not schema changes made during a run")
                .hasMessageContaining("before connect()").hasMessageContaining("nothing was changed");
        assertThat(db.dump()).contains("t (1,A)", "b (2,b2)");
        assertThatThrownBy(() -> m.checkpoint("after")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("table 't': column 'v' altered");
        CheckpointTree tree = m.checkpointTree().orElseThrow();
        assertThatThrownBy(() -> tree.restore("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("table 't': column 'v' altered");

        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("table 't': column 'v' altered").hasMessageContaining("tables [t] were not put back")
                .hasMessageContaining("The changes to [b] were undone");
        assertThat(db.dump()).containsExactly("b (1,b1)", "t (1,A)", "t (2,B)");
        assertThat(before).containsExactly("b (1,b1)", "t (1,a)", "t (2,b)");
        assertThat(db.venomqaObjects()).isZero();
    }

    @Test
    @DisplayName("ALTER COLUMN that rewrites no row: SET STATISTICS, SET STORAGE, SET (n_distinct), a column GRANT, COMMENT leave rollbacks and disconnect() exact (until 2026-12-06 each refused every later rollback and disconnect() left the table unrestored); SET/DROP DEFAULT and SET/DROP NOT NULL, which change what the application's next writes get, are refused naming the column until put back (until 2026-12-07 they stayed after disconnect() without a word); a same-type TYPE … USING after them is still refused")
    void alterColumnWithoutRewriteStaysExact() throws SQLException {
        db.exec("create table t (id int primary key, v text default 'd', w int)", "insert into t values (1, 'a', 1), (2, 'b', 2)");
        PostgreSQLStateManager m = manager();
        m.connect();
        List<String> before = db.dump();
        m.checkpoint("start");
        for (String ddl : List.of("alter table t alter column v set statistics 500", "alter table t alter column v set storage external",
                "alter table t alter column w set (n_distinct = 5)", "grant select (v) on t to public",
                "comment on column t.v is 'note'")) {
            db.psql("insert into t (id, w) values (3, 3); " + ddl + "; update t set v = 'x' where id = 1;");
            assertThat(db.dump()).as(ddl).contains("t (1,x,1)");
            m.rollback("start");
            assertThat(db.dump()).as(ddl).isEqualTo(before);
        }
        for (String[] ddl : List.of(new String[] {"alter table t alter column v set default 'changed'", "'v'",
                        "alter table t alter column v set default 'd'"},
                new String[] {"alter table t alter column v drop default", "'v'", "alter table t alter column v set default 'd'"},
                new String[] {"alter table t alter column w set not null", "'w'", "alter table t alter column w drop not null"},
                new String[] {"alter table t alter column w set default 7", "'w'", "alter table t alter column w drop default"})) {
            db.psql("insert into t (id, w) values (3, 3); " + ddl[0] + "; update t set v = 'x' where id = 1;");
            List<String> written = db.dump();
            assertThatThrownBy(() -> m.rollback("start")).as(ddl[0]).isInstanceOf(RollbackException.class)
                    .hasMessageContaining("column " + ddl[1] + " on 't' (its default, NOT NULL or identity) redefined during the run")
                    .hasMessageContaining("nothing was changed");
            assertThat(db.dump()).as(ddl[0]).isEqualTo(written);
            db.psql(ddl[2] + ";"); // put back as found: the run goes on
            m.rollback("start");
            assertThat(db.dump()).as(ddl[0]).isEqualTo(before);
        }
        db.psql("insert into t (id, w) values (3, 3); alter table t alter column v set statistics 10; update t set v = 'x';");
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
        assertThat(db.venomqaObjects()).isZero();

        // Harmless DDL first, then (after a checkpoint took it in) a real same-type rewrite: still refused.
        PostgreSQLStateManager again = db.track(new PostgreSQLStateManager(db.config().build()));
        again.connect();
        db.psql("alter table t alter column v set statistics 50;");
        again.checkpoint("start");
        db.psql("alter table t alter column w set statistics 5; alter table t alter column v type text using upper(v);");
        assertThatThrownBy(() -> again.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("table 't': columns 'v', 'w' altered and the table's rows rewritten")
                .hasMessageNotContaining("column 'id'");
        assertThatThrownBy(again::disconnect).isInstanceOf(RollbackException.class).hasMessageContaining("tables [t] were not put back");

        // A collation changed rewrites no row either, but keys then compare under other rules: refused, named as such.
        PostgreSQLStateManager third = db.track(new PostgreSQLStateManager(db.config().build()));
        third.connect();
        third.checkpoint("start");
        db.psql("alter table t alter column v type text collate \"C\";");
        assertThatThrownBy(() -> third.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("table 't': column 'v' given another collation").hasMessageNotContaining("rewritten");
        assertThatThrownBy(third::disconnect).isInstanceOf(RollbackException.class).hasMessageContaining("tables [t] were not put back");
    }

    @Test
    @DisplayName("an enum label renamed (ALTER TYPE … RENAME VALUE) on an enum a journaled column uses, directly, as an array or through a domain: the rollback fails naming the type, the label and the columns")
    void enumLabelRenamed() throws SQLException {
        db.exec("create type mood as enum ('ok', 'bad')", "create domain moods as mood[]",
                "create table t (id int primary key, m mood)", "create table u (id int primary key, ms moods)",
                "create table b (id int primary key)",
                "insert into t values (1, 'ok'), (2, 'bad')", "insert into u values (1, '{ok,bad}')");
        PostgreSQLStateManager m = manager();
        m.connect();
        m.checkpoint("start");
        db.psql("insert into b values (1); alter type mood rename value 'ok' to 'fine';");
        assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("mood' (used by 't.m', 'u.ms'): label 'ok' renamed to 'fine'")
                .hasMessageContaining("restores data, not schema changes made during a run");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("label 'ok' renamed to 'fine'").hasMessageContaining("tables [t, u] were not put back")
                .hasMessageContaining("The changes to [b] were undone");
        assertThat(db.dump()).containsExactly("t (1,fine)", "t (2,bad)", "u (1,\"{fine,bad}\")");
        assertThat(db.venomqaObjects()).isZero();
    }

    @Test
    @DisplayName("an enum label renamed on an enum reached only through a composite type (directly, in an array, through a domain) or a range: the rollback fails naming the type, the label and the columns, nothing changed; disconnect() undoes the other tables and names them (until 2026-12-06 not watched: the rollback failed with the server's \"invalid input value for enum\")")
    void enumLabelRenamedInsideCompositeOrRange() throws SQLException {
        db.exec("create type mood as enum ('ok', 'bad')", "create type feel as (who text, m mood)",
                "create domain feels as feel[]", "create type moodr as range (subtype = mood)",
                "create table t (id int primary key, f feel)", "create table u (id int primary key, fs feels)",
                "create table r (id int primary key, span moodr)", "create table b (id int primary key)",
                "insert into t values (1, row('a', 'ok')), (2, row('b', 'bad'))",
                "insert into u values (1, array[row('a', 'ok')::feel])", "insert into r values (1, '[ok,bad]')");
        PostgreSQLStateManager m = manager();
        m.connect();
        m.checkpoint("start");
        db.psql("insert into b values (1); delete from t; delete from u; delete from r;"
                + " alter type mood rename value 'ok' to 'fine';");
        String what = "mood' (used by 'r.span', 't.f', 'u.fs'): label 'ok' renamed to 'fine'";
        assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining(what).hasMessageContaining("restores data, not schema changes made during a run")
                .hasMessageContaining("nothing was changed");
        assertThat(db.rows("select count(*) as n from b")).containsExactly("n=1");
        assertThatThrownBy(() -> m.checkpoint("after")).isInstanceOf(RollbackException.class).hasMessageContaining(what);
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class).hasMessageContaining(what)
                .hasMessageContaining("tables [r, t, u] were not put back").hasMessageContaining("The changes to [b] were undone");
        assertThat(db.dump()).isEmpty();
        assertThat(db.venomqaObjects()).isZero();
    }

    @Test
    @DisplayName("labels added to an enum a journaled column uses, BEFORE an existing one (the new label sorts first): no row changes, rollbacks and disconnect() put the rows back exactly and order as before; disconnect() then fails naming the labels, which PostgreSQL cannot drop (until 2026-12-06 it reported success)")
    void enumLabelAddedBeforeIsExact() throws SQLException {
        db.exec("create type mood as enum ('ok', 'bad')", "create type feel as (who text, m mood)",
                "create table t (id int primary key, m mood, f feel)",
                "insert into t values (1, 'ok', row('a', 'ok')), (2, 'bad', row('b', 'bad'))");
        PostgreSQLStateManager m = manager();
        m.connect();
        List<String> before = db.dump();
        m.checkpoint("start");
        db.psql("alter type mood add value 'meh' before 'ok'; alter type mood add value 'worse' before 'bad';"
                + " update t set m = 'meh', f = row('c', 'worse') where id = 1; delete from t where id = 2;"
                + " insert into t values (3, 'worse', null);");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        assertThat(db.rows("select id from t order by m")).containsExactly("id=1", "id=2");
        db.psql("delete from t where id = 1;");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("enum type 'mood' gained 'meh', 'worse'").hasMessageContaining("the labels stay");
        assertThat(db.dump()).isEqualTo(before);
        assertThat(db.venomqaObjects()).isZero();
    }

    @Test
    @DisplayName("a composite type a journaled column uses, an attribute dropped and one added (ALTER TYPE … DROP/ADD ATTRIBUTE): the rollback fails naming the type, its attributes then and now and the column; disconnect() undoes the other tables and names it (until 2026-12-06 both reported success, and a deleted row came back with its city in the new zip attribute)")
    void compositeAttributeDroppedAndAdded() throws SQLException {
        db.exec("create type addr as (street text, city text)", "create table t (id int primary key, a addr)",
                "create table b (id int primary key)", "insert into t values (1, row('Main', 'Paris')), (2, row('High', 'Rome'))");
        PostgreSQLStateManager m = manager();
        m.connect();
        m.checkpoint("start");
        db.psql("insert into b values (1); delete from t where id = 2; alter type addr drop attribute city;"
                + " alter type addr add attribute zip text;");
        String what = "composite type 'addr' (used by 't.a'): attributes were (street text, city text), now (street text, "
                + "(dropped), zip text)";
        assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining(what).hasMessageContaining("restores data, not schema changes made during a run")
                .hasMessageContaining("before connect()").hasMessageContaining("nothing was changed");
        assertThatThrownBy(() -> m.checkpoint("after")).isInstanceOf(RollbackException.class).hasMessageContaining(what);
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class).hasMessageContaining(what)
                .hasMessageContaining("tables [t] were not put back").hasMessageContaining("The changes to [b] were undone");
        assertThat(db.dump()).containsExactly("t (1,\"(Main,)\")");
        assertThat(db.venomqaObjects()).isZero();
    }

    @Test
    @DisplayName("composite types reached through a domain, an array and another composite, and a table's row type held by another table's column: an attribute renamed, one added, a column added to the row type's table are each refused naming the type and the column; writes alone stay exact")
    void compositeAttributesWatchedThroughOtherTypes() throws SQLException {
        db.exec("create type inner_t as (x int, y text)", "create type addr as (street text, i inner_t)",
                "create domain daddr as addr", "create table u (id int primary key, ds daddr[])",
                "create table p (id int primary key, v text)", "create table w (id int primary key, pv p)",
                "insert into u values (1, array[row('Main', row(1, 'a'))::daddr])", "insert into p values (1, 'p')",
                "insert into w values (1, row(1, 'p'))");
        List<String> asFound = db.dump();
        PostgreSQLStateManager m = manager();
        m.connect();
        m.checkpoint("start");
        db.psql("update u set ds = ds || row('High', row(2, 'b'))::daddr; insert into w values (2, row(2, 'q')); delete from p;");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(asFound);

        db.psql("delete from u; alter type inner_t rename attribute y to yy;");
        assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("composite type 'inner_t' (used by 'u.ds'): attributes were (x integer, y text), now "
                        + "(x integer, yy text)");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class).hasMessageContaining("tables [u] were not put back");
        db.exec("alter type inner_t rename attribute yy to y", "insert into u values (1, array[row('Main', row(1, 'a'))::daddr])");
        assertThat(db.dump()).isEqualTo(asFound);

        PostgreSQLStateManager again = manager();
        again.connect();
        again.checkpoint("start");
        db.psql("delete from u; alter type addr add attribute zip text;");
        assertThatThrownBy(() -> again.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("composite type 'addr' (used by 'u.ds'): attributes were (street text, i inner_t), now "
                        + "(street text, i inner_t, zip text)");
        assertThatThrownBy(again::disconnect).isInstanceOf(RollbackException.class);
        db.exec("alter type addr drop attribute zip", "insert into u values (1, array[row('Main', row(1, 'a'))::daddr])");

        // p left out of the journal, so that its own shape check does not speak first: w's rows hold p's row type.
        PostgreSQLStateManager third = db.track(new PostgreSQLStateManager(db.config().excludeTables(List.of("p")).build()));
        third.connect();
        third.checkpoint("start");
        db.psql("delete from w where id = 1; alter table p add column extra int;");
        assertThatThrownBy(() -> third.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("composite type 'p' (used by 'w.pv'): attributes were (id integer, v text), now "
                        + "(id integer, v text, extra integer)");
        assertThatThrownBy(third::disconnect).isInstanceOf(RollbackException.class).hasMessageContaining("[w]");
        assertThat(db.venomqaObjects()).isZero();
    }

    @Test
    @DisplayName("a table whose schema changed during the run keeps the run's rows at disconnect(), and its identity counter stays past them (put back exactly, the next inserts collided with them); the other tables and their counters are put back exactly")
    void alteredTableKeepsItsCounterPastItsRows() throws SQLException {
        db.exec("create table t (id int generated by default as identity primary key, v text)",
                "create table u (id serial primary key)", "insert into t (v) values ('a')", "insert into u default values");
        PostgreSQLStateManager m = manager();
        m.connect();
        db.psql("insert into t (v) values ('b'), ('c'); insert into u default values; alter table t add column extra int;");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class).hasMessageContaining("t");
        db.exec("insert into t (v) values ('after 1'), ('after 2'), ('after 3')", "insert into u default values");
        assertThat(db.rows("select id, v from t order by id")).containsExactly("id=1|v=a", "id=2|v=b", "id=3|v=c",
                "id=4|v=after 1", "id=5|v=after 2", "id=6|v=after 3");
        assertThat(db.rows("select id from u order by id")).containsExactly("id=1", "id=2");
    }

    @Test
    @DisplayName("a restored sequence's options changed (ALTER SEQUENCE … INCREMENT, an identity's SET INCREMENT) or the sequence renamed (the counters would no longer find it): the rollback fails naming them; disconnect() undoes the data and every other counter")
    void sequenceOptionsChanged() throws SQLException {
        db.exec("create sequence s", "create sequence r", "create table t (id int generated by default as identity primary key, v text)",
                "create table n (id serial primary key)", "insert into t (v) values ('a')", "select nextval('s')");
        PostgreSQLStateManager m = manager();
        m.connect();
        List<String> before = db.dump();
        m.checkpoint("start");
        db.psql("insert into t (v) values ('b'); insert into n default values; select nextval('s');"
                + " alter sequence s increment by 5 maxvalue 1000 cycle; alter table t alter column id set increment by 3;"
                + " select nextval('r'); alter sequence r rename to r2;");
        assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining(".s': increment 1 → 5, maxvalue 9223372036854775807 → 1000, cycle false → true")
                .hasMessageContaining(".t_id_seq': increment 1 → 3")
                .hasMessageContaining(".r': renamed to '" + db.schema + ".r2'")
                .hasMessageContaining("restores data, not schema changes made during a run");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("keep their new options").hasMessageContaining("The changes to [n, t] were undone");
        List<String> after = db.dump();
        java.util.function.Predicate<String> restored = r -> !r.startsWith("sequence s ")
                && !r.startsWith("sequence t_id_seq ") && !r.startsWith("sequence r");
        assertThat(after).filteredOn(restored).isEqualTo(before.stream().filter(restored).toList());
        assertThat(after).contains("sequence s 2", "sequence r2 1");
        assertThat(db.rows("select increment_by from pg_sequences where sequencename = 's'")).containsExactly("increment_by=5");
        assertThat(db.venomqaObjects()).isZero();
    }

    @Test
    @DisplayName("TRUNCATE, VACUUM FULL, CLUSTER, ANALYZE, ALTER SEQUENCE … RESTART, a new enum label and writes are no schema change: rollbacks and disconnect() are exact, also after VACUUM FULL writes out a fast default; a rewrite of that column afterwards is still seen")
    void maintenanceIsNoSchemaChange() throws SQLException {
        db.exec("create type mood as enum ('ok', 'bad')",
                "create table t (id serial primary key, v text, m mood)", "create table c (id int primary key, t_id int references t)",
                "insert into t (v, m) values ('a', 'ok'), ('b', 'bad')", "insert into c values (1, 1)",
                // a fast default: pg_attribute.atthasmissing until a rewrite writes the value into the rows
                "alter table t add column f int default 7");
        assertThat(db.rows("select atthasmissing from pg_attribute where attrelid = 't'::regclass and attname = 'f'"))
                .containsExactly("atthasmissing=t");
        PostgreSQLStateManager m = manager();
        m.connect();
        List<String> before = db.dump();
        m.checkpoint("start");
        db.psql("insert into t (v, m) values ('c', 'ok'); update t set v = 'x' where id = 1; truncate t cascade;"
                + " insert into t (v, m) values ('d', 'bad'); vacuum full t; cluster t using t_pkey; analyze t;"
                + " alter sequence t_id_seq restart with 50; alter type mood add value 'meh';");
        assertThat(db.rows("select atthasmissing from pg_attribute where attrelid = 't'::regclass and attname = 'f'"))
                .containsExactly("atthasmissing=f");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        m.checkpoint("again");
        db.psql("vacuum full t; update t set f = 8 where id = 2;");
        m.rollback("again");
        assertThat(db.dump()).isEqualTo(before);

        // The fast default written out is the new reference: a same-type rewrite of that column is still seen.
        db.psql("alter table t alter column f type int using f + 1;");
        assertThatThrownBy(() -> m.rollback("again")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("table 't': column 'f' altered");
    }

    /** The schema's objects as the tests compare them: definitions by PostgreSQL's own functions, not the journal's query. */
    private List<String> objects() throws SQLException {
        return db.rows("select 'view ' || c.relname || ' ' || pg_get_viewdef(c.oid) as o from pg_class c where c.relnamespace = '"
                + db.schema + "'::regnamespace and c.relkind = 'v' union all select 'function ' || p.oid::regprocedure || ' ' "
                + "|| pg_get_functiondef(p.oid) from pg_proc p where p.pronamespace = '" + db.schema + "'::regnamespace "
                + "union all select 'index ' || pg_get_indexdef(i.indexrelid) from pg_index i join pg_class c on c.oid = i.indrelid "
                + "where c.relnamespace = '" + db.schema + "'::regnamespace union all select 'constraint ' || k.conname || ' ' "
                + "|| pg_get_constraintdef(k.oid) from pg_constraint k where k.connamespace = '" + db.schema + "'::regnamespace "
                + "union all select 'policy ' || polname || ' ' || coalesce(pg_get_expr(polqual, polrelid), '') from pg_policy "
                + "union all select 'type ' || typname from pg_type where typnamespace = '" + db.schema + "'::regnamespace "
                + "and typtype in ('e', 'd') union all select 'table ' || relname || ' ' || coalesce(reloptions::text, '') || "
                + "relrowsecurity from pg_class where relnamespace = '" + db.schema + "'::regnamespace and relkind = 'r' order by 1");
    }

    @Test
    @DisplayName("a table made to inherit from another, or to stop, during the run (no row changed, but what a read of the parent returns) is loud; put back, the run goes on (before 2026-12-07 rollbacks and disconnect() reported success with the tree changed)")
    void inheritanceChangedDuringTheRunIsLoud() throws SQLException {
        db.exec("create table parent (id int, v int)", "create table child () inherits (parent)",
                "create table other (id int, v int)", "insert into parent values (1, 1)", "insert into child values (2, 2)",
                "insert into other values (3, 3)");
        List<String> asFound = db.dump();
        PostgreSQLStateManager m = db.track(new PostgreSQLStateManager(db.config().build()));
        m.connect();
        m.checkpoint("cp");
        db.psql("update other set v = 9; alter table child no inherit parent;");
        assertThatThrownBy(() -> m.rollback("cp")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("the options of table 'child' changed").hasMessageContaining("the tables it inherits from")
                .hasMessageNotContaining("'other'").hasMessageNotContaining("'parent'");
        db.psql("alter table child inherit parent;");
        m.rollback("cp");
        assertThat(db.dump()).isEqualTo(asFound);
        db.psql("alter table other inherit parent;");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("the options of table 'other' changed");
        db.psql("alter table other no inherit parent;");
        assertThat(db.dump()).isEqualTo(asFound);
        assertThat(db.psql("select count(*) from parent").trim()).isEqualTo("2"); // the tree as found: the child's row too
    }

    @Test
    @DisplayName("views, functions, types, and a tracked table's indexes, constraints, policies and options created, redefined or dropped during the run: checkpoints and rollbacks are refused naming them, nothing changed; put back as connect() found them (whatever the spacing), the run goes on; disconnect() puts the rows back and throws naming what stays; an excluded table's index is not watched (until 2026-12-06 evening all passed silently)")
    void objectsChangedDuringTheRunAreLoud() throws SQLException {
        db.exec("create table t (id serial primary key, a text, n int constraint n_positive check (n >= 0))",
                "create index t_a on t (lower(a)) where n > 0", "create table skipped (id int primary key)",
                "insert into t (a, n) values ('x', 1), ('y', 2)",
                "create view v as select id, a from t where n > 0",
                "create function f(x int) returns int language sql immutable as 'select x + 1'",
                "create type color as enum ('red')", "create policy p on t using (n >= 0)");
        List<String> asFound = db.dump();
        List<String> objectsAsFound = objects();
        PostgreSQLStateManager m = db.track(new PostgreSQLStateManager(db.config().excludeTables(List.of("skipped")).build()));
        m.connect();
        m.checkpoint("cp");
        db.psql("insert into t (a, n) values ('z', 3); analyze t; reindex table t; create index skipped_i on skipped (id);");
        m.checkpoint("written"); // rows, statistics, a rebuilt index and an excluded table's index: nothing to refuse
        db.psql("update t set a = 'w' where id = 1; create view new_v as select n from t; create or replace view v as "
                + "select id, a from t where n > 1; create function g() returns int language sql as 'select 1'; "
                + "drop function f(int); create index t_n on t (n); drop index t_a; alter table t drop constraint n_positive; "
                + "create policy p2 on t using (true); alter table t set (fillfactor = 70); create type shade as enum ('dark');");
        List<String> written = db.dump();
        assertThatThrownBy(() -> m.rollback("cp")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("view 'new_v'").hasMessageContaining("function 'g()'")
                .hasMessageContaining("type 'shade'").hasMessageContaining("index 't_n' on 't'")
                .hasMessageContaining("policy 'p2' on 't'").hasMessageContaining("created during the run")
                .hasMessageContaining("view 'v' redefined").hasMessageContaining("function 'f(x integer)'")
                .hasMessageContaining("index 't_a' on 't'").hasMessageContaining("constraint 'n_positive' on 't'")
                .hasMessageContaining("dropped during the run")
                .hasMessageContaining("the options of table 't' changed (ALTER TABLE")
                .hasMessageContaining("nothing was changed").hasMessageNotContaining("skipped")
                // Objects only: the message says the run goes on once they are put back, not that it cannot be exact.
                .hasMessageContaining("the next call goes on").hasMessageNotContaining("can be exact");
        assertThat(db.dump()).isEqualTo(written);
        assertThatThrownBy(() -> m.checkpoint("later")).isInstanceOf(RollbackException.class).hasMessageContaining("view 'new_v'");
        // Put back as connect() found them, with other spacing and case: the run goes on, exact.
        db.psql("drop view new_v; drop view v; CREATE VIEW v AS SELECT id,   a FROM t WHERE n>0; drop function g(); "
                + "create function f(x int) returns int language sql immutable as 'select x + 1'; drop index t_n; "
                + "create index t_a on t(lower(a))  where n>0; alter table t add constraint n_positive check (n>=0); "
                + "drop policy p2 on t; alter table t reset (fillfactor); drop type shade;");
        m.rollback("written");
        m.rollback("cp");
        assertThat(db.dump()).isEqualTo(asFound);
        db.psql("delete from t where id = 2; create view new_v as select n from t; alter table t enable row level security;");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("view 'new_v' created during the run")
                .hasMessageContaining("the options of table 't' changed (ALTER TABLE")
                .hasMessageContaining("stay as the run left them").hasMessageContaining("drop what the run created");
        assertThat(db.dump()).as("rows as connect() found them").isEqualTo(asFound);
        db.psql("drop view new_v; alter table t disable row level security; drop index skipped_i;"); // as the message says, and the excluded table's
        assertThat(objects()).isEqualTo(objectsAsFound);
        assertThat(db.venomqaObjects()).isZero();
    }

    @Test
    @DisplayName("a view's triggers and rules and a domain's constraints created, redefined or dropped during the run are the schema's objects: refused naming them with their owner, put back the run goes on (until 2026-12-06 night they passed silently)")
    void viewTriggersRulesAndDomainConstraintsAreWatched() throws SQLException {
        db.exec("create domain amount as int constraint amount_positive check (value >= 0)",
                "create table t (id serial primary key, n amount)", "insert into t (n) values (1)",
                "create view v as select id, n from t", "create view w as select id, n from t",
                "create function v_ins() returns trigger language plpgsql as "
                        + "'begin insert into t (n) values (new.n); return new; end'",
                "create trigger v_ins instead of insert on v for each row execute function v_ins()",
                "create rule w_del as on delete to w do instead delete from t where id = old.id");
        List<String> asFound = db.dump();
        PostgreSQLStateManager m = manager();
        m.connect();
        m.checkpoint("cp");
        db.psql("insert into v (n) values (5); drop trigger v_ins on v; create trigger v_ins instead of insert on w "
                + "for each row execute function v_ins(); create or replace rule w_del as on delete to w do instead nothing; "
                + "alter domain amount add constraint amount_small check (value < 100); "
                + "alter domain amount drop constraint amount_positive;");
        assertThatThrownBy(() -> m.rollback("cp")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("trigger 'v_ins' on 'v' dropped during the run")
                .hasMessageContaining("trigger 'v_ins' on 'w'")
                .hasMessageContaining("rule 'w_del' on 'w' redefined")
                .hasMessageContaining("constraint 'amount_small' on 'amount'")
                .hasMessageContaining("constraint 'amount_positive' on 'amount'")
                .hasMessageContaining("nothing was changed");
        // Put back by creating again what was dropped, the trigger's function and the rule's view too: their new oids
        // are no change (a trigger's function is compared by name, a rule's view by being its own).
        db.psql("drop function v_ins() cascade; drop view w; create view w as select id, n from t; "
                + "create function v_ins() returns trigger language plpgsql as "
                + "'begin insert into t (n) values (new.n); return new; end'; "
                + "create trigger v_ins instead of insert on v for each row execute function v_ins(); "
                + "create rule w_del as on delete to w do instead delete from t where id = old.id; "
                + "alter domain amount drop constraint amount_small; "
                + "alter domain amount add constraint amount_positive check (value >= 0);");
        m.rollback("cp");
        // A trigger pointed at another function that was there all along: a change (its function is compared by name).
        db.psql("create function v_ins2() returns trigger language plpgsql as 'begin return new; end'; "
                + "create or replace trigger v_ins instead of insert on v for each row execute function v_ins2();");
        assertThatThrownBy(() -> m.rollback("cp")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("trigger 'v_ins' on 'v' redefined");
        db.psql("create or replace trigger v_ins instead of insert on v for each row execute function v_ins(); "
                + "drop function v_ins2();");
        m.rollback("cp");
        m.disconnect();
        assertThat(db.dump()).isEqualTo(asFound);
        assertThat(db.venomqaObjects()).isZero();
    }

    @Test
    @DisplayName("maintenance during the run, then disconnect(): exact")
    void maintenanceThenDisconnectIsExact() throws SQLException {
        db.exec("create table t (id serial primary key, v text)", "insert into t (v) values ('a'), ('b')",
                "alter table t add column f int default 7");
        PostgreSQLStateManager m = manager();
        m.connect();
        List<String> before = db.dump();
        db.psql("delete from t where id = 1; vacuum full t; truncate t; insert into t (v) values ('z'); cluster t using t_pkey;");
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
        assertThat(db.venomqaObjects()).isZero();
    }

    @Test
    @DisplayName("a column added mid-run (adopted by the next checkpoint, as before) and a table created mid-run (picked up), both rewritten afterwards: the rollback to a checkpoint after the adoption fails, disconnect() names both")
    void rewriteAfterAdoptionIsSeen() throws SQLException {
        db.exec("create table t (id int primary key, v text)", "insert into t values (1, 'a')");
        PostgreSQLStateManager m = manager();
        m.connect();
        db.psql("alter table t add column w text; update t set w = 'w'; create table n (id int primary key, v text);"
                + " insert into n values (1, 'n');");
        m.checkpoint("after the migration"); // adopts t's new shape and picks n up, with warnings
        db.psql("update t set v = 'b'; update n set v = 'm';");
        m.rollback("after the migration");
        assertThat(db.dump()).containsExactly("n (1,n)", "t (1,a,w)");
        db.psql("alter table t alter column w type text using upper(w); alter table n alter column v type text using upper(v);");
        assertThatThrownBy(() -> m.rollback("after the migration")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("table 't': column 'w' altered").hasMessageContaining("table 'n': column 'v' altered");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("t: now 'w text'").hasMessageContaining("tables [n] were not put back");
        assertThat(db.dump()).containsExactly("n (1,N)", "t (1,a,W)");
        assertThat(db.venomqaObjects()).isZero();
    }
}

