package io.venomqa.state.journal;

import io.venomqa.state.CheckpointTree;
import io.venomqa.state.RollbackException;
import io.venomqa.state.postgres.PostgreSQLStateManager;
import io.venomqa.testsupport.Stderr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Materialized views refreshed by the application during a run (an endpoint that refreshes a reporting view) and
 * enum labels it added: neither fires a trigger. Until 2026-12-06 rollbacks, tree restores and {@code disconnect()}
 * reported success with the view holding the run's rows and the label left in place. Now a view is put back by
 * refreshing it on the restored tables where that gives its contents of the checkpoint, and the call fails naming
 * it where it does not; {@code disconnect()} names the labels added. A database of its own per test
 * ({@link OwnPgDatabase}).
 */
class PostgresJournalMaterializedViewsTest {

    @RegisterExtension
    static final OwnPgDatabase DATABASE = new OwnPgDatabase();

    /** For the test with a view VenomQA's role may not read: the three roles of {@link PgRolesDb}. */
    @RegisterExtension
    static final OwnPgDatabase ROLES = PgRolesDb.classDatabase();

    private PgDb db;

    @BeforeEach
    void setUp() {
        db = new PgDb(DATABASE);
    }

    @AfterEach
    void tearDown() throws SQLException {
        db.close();
    }

    private List<String> view(String name) throws SQLException {
        return db.rows("select x::text as r from " + db.schema + "." + name + " x order by 1");
    }

    @Test
    @DisplayName("a view refreshed during the run, plainly or CONCURRENTLY: rollbacks, a tree restore and disconnect() give it back its contents (until 2026-12-06 it kept the run's)")
    void refreshedViewIsPutBack() throws SQLException {
        db.exec("create table t (id int primary key, region text, amount int)",
                "insert into t values (1, 'eu', 10), (2, 'us', 20)",
                "create materialized view totals as select region, sum(amount) as total, count(*) as n from t group by region",
                "create unique index on totals (region)",
                "create materialized view big as select region from totals where total > 15");
        PostgreSQLStateManager m = db.trackedManager();
        m.connect();
        List<String> totals = view("totals");
        List<String> big = view("big");
        List<String> before = db.dump();
        m.checkpoint("start");
        db.psql("insert into t values (3, 'eu', 30); refresh materialized view totals; refresh materialized view big;");
        assertThat(view("totals")).isNotEqualTo(totals);
        assertThat(view("big")).isNotEqualTo(big);
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        assertThat(view("totals")).isEqualTo(totals);
        assertThat(view("big")).isEqualTo(big);

        db.psql("update t set amount = 99 where id = 1; refresh materialized view concurrently totals;");
        m.checkpoint("changed");
        List<String> changed = view("totals");
        assertThat(changed).isNotEqualTo(totals);
        CheckpointTree tree = m.checkpointTree().orElseThrow();
        tree.restore("start");
        assertThat(view("totals")).isEqualTo(totals);
        // The other branch, as its checkpoint had it: its table rows and the view refreshed on them.
        tree.restore("changed");
        assertThat(view("totals")).isEqualTo(changed);
        tree.restore("start");
        assertThat(view("totals")).isEqualTo(totals);

        db.psql("delete from t where id = 2; refresh materialized view concurrently totals; refresh materialized view big;");
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
        assertThat(view("totals")).isEqualTo(totals);
        assertThat(view("big")).isEqualTo(big);
        assertThat(db.venomqaObjects()).isZero();
    }

    @Test
    @DisplayName("a view that was stale when the checkpoint was taken, or that reads an excluded table, refreshed during the run: the rollback and tree restore fail naming the view, nothing undone; disconnect() puts the tables back and fails naming the view, which stays as the run left it (until 2026-12-06 all reported success)")
    void viewThatCannotBePutBackIsLoud() throws SQLException {
        db.exec("create table t (id int primary key, v int)", "insert into t values (1, 1)",
                "create materialized view stale as select count(*) as n from t", "insert into t values (2, 2)");
        PostgreSQLStateManager m = db.trackedManager();
        m.connect();
        List<String> before = db.dump();
        assertThat(view("stale")).containsExactly("r=(1)");
        m.checkpoint("start");
        db.psql("insert into t values (3, 3); refresh materialized view stale;");
        List<String> run = db.dump();
        assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("Rolling back")
                .hasMessageContaining("Materialized view(s) 'stale' (1 row then, 1 row as the run left it, 1 row refreshed "
                        + "on the restored tables, with other rows: it was not fresh when it was taken")
                .hasMessageContaining("Nothing was undone")
                .hasMessageContaining("Refresh the views before connect() and before taking checkpoints");
        assertThat(db.dump()).isEqualTo(run).isNotEqualTo(before);
        assertThat(view("stale")).containsExactly("r=(3)");
        CheckpointTree tree = m.checkpointTree().orElseThrow();
        assertThatThrownBy(() -> tree.restore("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("Restoring this checkpoint").hasMessageContaining("Materialized view(s) 'stale'");
        assertThat(db.dump()).isEqualTo(run);
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("Materialized view(s) 'stale'").hasMessageContaining("disconnect() could not give")
                .hasMessageContaining("They stay as the run left them");
        assertThat(db.dump()).isEqualTo(before);
        assertThat(view("stale")).containsExactly("r=(3)");
        assertThat(db.venomqaObjects()).isZero();

        // A view of a table the journal leaves alone: its rows are not put back, nor then is the view.
        db.exec("create table audit (id int primary key)", "create materialized view audits as select count(*) as n from audit");
        PostgreSQLStateManager excluded = db.track(new PostgreSQLStateManager(db.config()
                .excludeTables(List.of("audit")).build()));
        excluded.connect();
        excluded.checkpoint("start");
        db.psql("insert into audit values (1); refresh materialized view audits;");
        assertThatThrownBy(() -> excluded.rollback("start")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("Materialized view(s) 'audits'");
        assertThat(view("audits")).containsExactly("r=(1)");
        assertThatThrownBy(excluded::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("Materialized view(s) 'audits'");
    }

    @Test
    @DisplayName("a stale view only analyzed, or refreshed into the same rows, during the run: rollbacks and disconnect() pass and leave it as it was (stale), refreshing nothing")
    void viewNotChangedStaysAsItWas() throws SQLException {
        db.exec("create table t (id int primary key, v int)", "insert into t values (1, 1)",
                "create materialized view stale as select count(*) as n from t",
                "create materialized view same as select 1 as one from t where false", "insert into t values (2, 2)");
        PostgreSQLStateManager m = db.trackedManager();
        m.connect();
        m.checkpoint("start");
        db.psql("insert into t values (3, 3); analyze stale; refresh materialized view same;");
        m.rollback("start");
        assertThat(view("stale")).containsExactly("r=(1)");
        db.psql("analyze stale;");
        m.disconnect();
        assertThat(view("stale")).containsExactly("r=(1)");
    }

    @Test
    @DisplayName("a view WITH NO DATA at connect() (a quoted name), refreshed during the run: put back unpopulated")
    void unpopulatedViewIsPutBackUnpopulated() throws SQLException {
        db.exec("create table t (id int primary key)", "insert into t values (1)",
                "create materialized view \"Later \"\"v\" as select id from t with no data");
        String populated = "select relispopulated as p from pg_class where oid = '" + db.schema + ".\"Later \"\"v\"'::regclass";
        PostgreSQLStateManager m = db.trackedManager();
        m.connect();
        m.checkpoint("start");
        db.psql("refresh materialized view \"Later \"\"v\";");
        assertThat(db.rows(populated)).containsExactly("p=t");
        m.rollback("start");
        assertThat(db.rows(populated)).containsExactly("p=f");
        db.psql("refresh materialized view \"Later \"\"v\";");
        m.disconnect();
        assertThat(db.rows(populated)).containsExactly("p=f");
    }

    @Test
    @DisplayName("a materialized view and an empty table created during the run stay after disconnect(), which succeeds and warns of both, the view with its rows from the run (until 2026-12-07 the view was not mentioned), whether or not the schema had a view at connect()")
    void viewsAndTablesCreatedDuringTheRunAreWarnedOf() throws SQLException {
        db.exec("create table t (id int primary key)", "insert into t values (1)");
        for (boolean viewAtConnect : List.of(false, true)) {
            if (viewAtConnect) {
                db.exec("create materialized view old_view as select count(*) as n from t");
            }
            List<String> before = db.dump();
            PostgreSQLStateManager m = db.trackedManager();
            m.connect();
            db.psql("insert into t values (2); create materialized view run_view as select count(*) as n from t; "
                    + "create table run_table (id int);");
            String said = Stderr.during(m::disconnect);
            assertThat(said).contains("Materialized views [run_view] were created during the run")
                    .contains("Tables [run_table] were created during the run").doesNotContain("old_view");
            assertThat(view("run_view")).as("the view stays as the run made it").containsExactly("r=(2)");
            db.psql("drop materialized view run_view; drop table run_table;");
            assertThat(db.dump()).isEqualTo(before);
        }
    }

    @Test
    @DisplayName("enum labels added during the run (ALTER TYPE … ADD VALUE), to a type a journaled column uses and to one only the schema owns: a rollback puts the rows back and warns of the label of the column's type; disconnect() puts the rows back and fails naming the types and labels, saying they stay (until 2026-12-06 both said nothing)")
    void enumLabelsAddedAreNamedByDisconnect() throws SQLException {
        db.exec("create type mood as enum ('ok', 'bad')", "create type spare as enum ('x')",
                "create table t (id int primary key, m mood)", "insert into t values (1, 'ok')");
        PostgreSQLStateManager m = db.trackedManager();
        m.connect();
        List<String> before = db.dump();
        m.checkpoint("start");
        db.psql("alter type mood add value 'meh'; alter type spare add value 'y'; insert into t values (2, 'meh');"
                + " update t set m = 'bad' where id = 1;");
        String said = Stderr.during(() -> m.rollback("start"));
        assertThat(db.dump()).isEqualTo(before);
        // The rollback is exact for the rows and says so by succeeding; the label that stays, it warns of.
        assertThat(said)
                .contains("Enum type 'mood'").contains("gained the label 'meh'").contains("it stays");
        db.psql("insert into t values (3, 'meh');");
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                .hasMessageContaining("enum type 'mood' gained 'meh'").hasMessageContaining("enum type 'spare' gained 'y'")
                .hasMessageContaining("PostgreSQL cannot drop an enum label, so the labels stay")
                .hasMessageContaining("The journaled changes were undone");
        assertThat(db.dump()).isEqualTo(before);
        assertThat(db.venomqaObjects()).isZero();
    }

    @Test
    @DisplayName("a view VenomQA's role may not read (another role's, no grant): connect() and checkpoints work as before; refreshed during the run, the rollback fails naming it and the rights it needs, nothing undone, and disconnect() puts the tables and the owner's view back and names it")
    void viewTheRoleMayNotReadIsNamed() throws SQLException {
        PgRolesDb roles = new PgRolesDb(ROLES);
        try {
            roles.exec("create table t (id int primary key)", "insert into t values (1)",
                    "create materialized view mine as select count(*) as n from t");
            roles.asSuperuser("create materialized view shop.secret as select count(*) as n from shop.t");
            PostgreSQLStateManager m = roles.manager();
            m.connect();
            m.checkpoint("start");
            try (Connection app = roles.connect(); Statement st = app.createStatement()) {
                st.execute("insert into t values (2)");
            }
            roles.asSuperuser("refresh materialized view shop.mine", "refresh materialized view shop.secret");
            assertThatThrownBy(() -> m.rollback("start")).isInstanceOf(RollbackException.class)
                    .hasMessageContaining("'secret' (VenomQA's role may not read it").hasMessageContaining("GRANT SELECT")
                    .hasMessageNotContaining("'mine'");
            assertThat(count(roles, "shop.t")).isEqualTo(2);
            assertThat(count(roles, "shop.mine")).isEqualTo(2);
            assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class)
                    .hasMessageContaining("'secret' (VenomQA's role may not read it").hasMessageNotContaining("'mine'");
            assertThat(count(roles, "shop.t")).isEqualTo(1);
            assertThat(count(roles, "shop.mine")).isEqualTo(1);
            assertThat(count(roles, "shop.secret")).isEqualTo(2);
        } finally {
            roles.close();
        }
    }

    /** The one number a view of {@code count(*)} holds, or the rows of a table, read as the superuser. */
    private static long count(PgRolesDb roles, String relation) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PgDb.HOST + ":" + PgDb.PORT + "/"
                + roles.database, PgDb.USER, null); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(relation.endsWith(".t") ? "select count(*) from " + relation
                     : "select n from " + relation)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
