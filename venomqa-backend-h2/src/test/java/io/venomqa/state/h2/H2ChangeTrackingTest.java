package io.venomqa.state.h2;

import io.venomqa.state.ChangeMark;
import io.venomqa.state.ChangeTracker;
import io.venomqa.state.DbChanges;
import io.venomqa.state.RowChange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Row changes with the savepoint strategy on H2 (snapshots compared inside the run's transaction):
 * composite keys, NULLs, binary, cascades, secrets masked, nothing committed; tables created, dropped and
 * renamed during the run.
 */
class H2ChangeTrackingTest {

    private final String url = "jdbc:h2:mem:h2changes_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";

    @Test
    void changesOfAStepAreReadWithoutCommittingAnything() throws Exception {
        try (Connection setup = DriverManager.getConnection(url); Statement st = setup.createStatement()) {
            st.execute("create table orders (id int primary key, status varchar(20), note varchar(20), api_key varchar(20))");
            st.execute("create table lines (order_id int, line int, body varbinary(10), primary key (order_id, line), "
                    + "foreign key (order_id) references orders(id) on delete cascade)");
        }
        H2StateManager m = new H2StateManager(io.venomqa.state.StateConfig.builder().backend("h2").url(url)
                .option("track_changes", true).build());
        try (m) {
            m.connect();
            ChangeTracker tracker = m.changeTracker().orElseThrow();
            ChangeMark mark = tracker.mark();
            try (Connection c = m.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("insert into orders values (1, 'NEW', null, 'k-1')");
                st.execute("insert into lines values (1, 1, X'00ff'), (1, 2, null)");
            }
            ChangeTracker.Window w = tracker.advance(mark);
            DbChanges c = w.changes();
            assertThat(c.summary()).isEqualTo("+2 LINES  +1 ORDERS");
            RowChange order = c.table("orders").orElseThrow().inserted().get(0);
            assertThat(order.after()).containsEntry("NOTE", null).containsEntry("API_KEY", "***");
            assertThat(c.table("lines").orElseThrow().inserted()).extracting(RowChange::keyText)
                    .containsExactlyInAnyOrder("ORDER_ID=1, LINE=1", "ORDER_ID=1, LINE=2");
            assertThat(c.table("lines").orElseThrow().inserted()).extracting(r -> r.after().get("BODY"))
                    .containsExactlyInAnyOrder("0x00ff", null);

            try (Connection con = m.sharedDataSource().getConnection(); Statement st = con.createStatement()) {
                st.execute("delete from orders where id = 1");
            }
            DbChanges deleted = tracker.changesSince(w.next());
            assertThat(deleted.summary()).isEqualTo("-2 LINES  -1 ORDERS");
        }
        try (Connection after = DriverManager.getConnection(url); Statement st = after.createStatement();
             var rs = st.executeQuery("select count(*) from orders")) {
            rs.next();
            assertThat(rs.getInt(1)).as("nothing was committed").isZero();
        }
    }

    @Test
    void invisibleColumnsAreShownAndCheckedLikeAnyOther() throws Exception {
        try (Connection setup = DriverManager.getConnection(url); Statement st = setup.createStatement()) {
            st.execute("create table vault (id int primary key, owner varchar(20), pin varchar(10) invisible)");
            st.execute("insert into vault (id, owner, pin) values (1, 'ann', '1111'), (2, 'bob', '2222')");
        }
        H2StateManager m = new H2StateManager(io.venomqa.state.StateConfig.builder().backend("h2").url(url)
                .option("track_changes", true).build());
        try (m) {
            m.connect();
            ChangeTracker tracker = m.changeTracker().orElseThrow();
            ChangeMark mark = tracker.mark();
            try (Connection c = m.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("update vault set pin = '9999' where id = 1"); // select * shows no difference
            }
            assertThat(tracker.advance(mark).changes().table("vault").orElseThrow().updated()).singleElement()
                    .satisfies(r -> {
                        assertThat(r.changed()).containsExactly("PIN");
                        assertThat(r.before()).containsEntry("PIN", "1111");
                        assertThat(r.after()).containsEntry("PIN", "9999").containsEntry("OWNER", "ann");
                    });

            // another connection commits a change to the hidden column of a row the run did not touch
            try (Connection other = DriverManager.getConnection(url); Statement st = other.createStatement()) {
                st.execute("update vault set pin = '0000' where id = 2");
            }
            assertThatThrownBy(m::disconnect).isInstanceOf(io.venomqa.state.RollbackException.class)
                    .hasMessageContaining("VAULT");
        }
        try (Connection after = DriverManager.getConnection(url); Statement st = after.createStatement();
             var rs = st.executeQuery("select id, pin from vault order by id")) {
            rs.next();
            assertThat(rs.getString(2)).as("the run's own change was rolled back").isEqualTo("1111");
            rs.next();
            assertThat(rs.getString(2)).isEqualTo("0000");
        }
    }

    @Test
    @DisplayName("a table created during the run (CREATE TABLE IF NOT EXISTS on first use, before or after the first mark): "
            + "its rows are inserts of the step that wrote them (until 2026-12-06 H2 never read it: the step showed no change)")
    void tableCreatedDuringTheRunIsRead() throws Exception {
        try (Connection setup = DriverManager.getConnection(url); Statement st = setup.createStatement()) {
            st.execute("create table orders (id int primary key, status varchar(20))");
        }
        H2StateManager m = new H2StateManager(io.venomqa.state.StateConfig.builder().backend("h2").url(url)
                .option("track_changes", true).build());
        try (m) {
            m.connect();
            ChangeTracker tracker = m.changeTracker().orElseThrow();
            // Between connect() and the first mark: the first mark reads the schema again.
            app(m, "create table if not exists early (id int primary key)");
            ChangeMark m0 = tracker.mark();
            // H2 commits the DDL (and what the run wrote before it): the rows after it stay in the run's transaction.
            app(m, "create table if not exists fresh (id int primary key, v varchar(20))", "insert into fresh values (1, 'a')",
                    "insert into fresh values (2, 'b')", "insert into orders values (1, 'NEW')", "insert into early values (1)");
            ChangeTracker.Window created = tracker.advance(m0);
            assertThat(created.changes().tracked()).as("%s", created.changes()).isTrue();
            assertThat(created.changes().isEmpty()).isFalse();
            assertThat(created.changes().summary()).isEqualTo("+1 EARLY  +2 FRESH  +1 ORDERS");
            assertThat(created.changes().table("fresh").orElseThrow().inserted()).extracting(RowChange::keyText)
                    .containsExactlyInAnyOrder("ID=1", "ID=2");

            app(m, "insert into fresh values (3, 'c')", "update fresh set v = 'z' where id = 1", "delete from fresh where id = 2");
            ChangeTracker.Window later = tracker.advance(created.next());
            assertThat(later.changes().summary()).isEqualTo("+1 FRESH  ~1 FRESH  -1 FRESH");
            assertThat(later.changes().table("fresh").orElseThrow().updated()).singleElement()
                    .satisfies(r -> assertThat(r.after()).containsEntry("V", "z"));
            assertThat(tracker.tables().orElseThrow()).contains("EARLY", "FRESH", "ORDERS");
        }
    }

    @Test
    @DisplayName("a table created during the run in a schema whose name is lower case (quoted): read as in PUBLIC")
    void tableCreatedDuringTheRunInALowerCaseSchema() throws Exception {
        try (Connection setup = DriverManager.getConnection(url); Statement st = setup.createStatement()) {
            st.execute("create schema \"shop\"");
            st.execute("create table \"shop\".orders (id int primary key)");
        }
        H2StateManager m = new H2StateManager(io.venomqa.state.StateConfig.builder().backend("h2").url(url)
                .option("schema", "shop").option("track_changes", true).build());
        try (m) {
            m.connect();
            ChangeTracker tracker = m.changeTracker().orElseThrow();
            ChangeMark m0 = tracker.mark();
            app(m, "create table \"shop\".coupons (code varchar(20) primary key)",
                    "insert into \"shop\".coupons values ('WELCOME')", "insert into \"shop\".orders values (1)");
            assertThat(tracker.advance(m0).changes().summary()).isEqualTo("+1 COUPONS  +1 ORDERS");
        }
    }

    @Test
    @DisplayName("a table created during the run under MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE (names and schema in lower case)")
    void tableCreatedDuringTheRunWithLowerCaseNames() throws Exception {
        String lower = url + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        try (Connection setup = DriverManager.getConnection(lower); Statement st = setup.createStatement()) {
            st.execute("create table orders (id int primary key)");
        }
        H2StateManager m = new H2StateManager(io.venomqa.state.StateConfig.builder().backend("h2").url(lower)
                .option("track_changes", true).build());
        try (m) {
            m.connect();
            ChangeTracker tracker = m.changeTracker().orElseThrow();
            ChangeMark m0 = tracker.mark();
            app(m, "create table if not exists coupons (code varchar(20) primary key)",
                    "insert into coupons values ('WELCOME')", "insert into orders values (1)");
            assertThat(tracker.advance(m0).changes().summary()).isEqualTo("+1 coupons  +1 orders");
        }
    }

    @Test
    @DisplayName("a tracked table dropped, dropped and created again, or renamed during the run: its rows are shown deleted "
            + "(and the renamed table's inserted)")
    void tableDroppedOrRenamedDuringTheRun() throws Exception {
        try (Connection setup = DriverManager.getConnection(url); Statement st = setup.createStatement()) {
            st.execute("create table scratch (id int primary key, v varchar(20))");
            st.execute("insert into scratch values (1, 'a'), (2, 'b')");
            st.execute("create table spare (id int primary key)");
            st.execute("insert into spare values (1)");
            st.execute("create table old_name (id int primary key)");
            st.execute("insert into old_name values (1)");
        }
        H2StateManager m = new H2StateManager(io.venomqa.state.StateConfig.builder().backend("h2").url(url)
                .option("track_changes", true).build());
        try (m) {
            m.connect();
            ChangeTracker tracker = m.changeTracker().orElseThrow();
            ChangeMark m0 = tracker.mark();
            app(m, "drop table scratch", "create table scratch (id int primary key, v varchar(20))");
            ChangeTracker.Window again = tracker.advance(m0);
            assertThat(again.changes().summary()).as("%s", again.changes()).isEqualTo("-2 SCRATCH");

            app(m, "insert into scratch values (3, 'c')");
            ChangeTracker.Window written = tracker.advance(again.next());
            assertThat(written.changes().summary()).isEqualTo("+1 SCRATCH");

            app(m, "drop table spare");
            ChangeTracker.Window gone = tracker.advance(written.next());
            assertThat(gone.changes().summary()).isEqualTo("-1 SPARE");
            assertThat(tracker.tables().orElseThrow()).doesNotContain("SPARE");

            app(m, "alter table old_name rename to new_name");
            ChangeTracker.Window renamed = tracker.advance(gone.next());
            assertThat(renamed.changes().summary()).isEqualTo("+1 NEW_NAME  -1 OLD_NAME");
            // H2 committed the DDL: the rows it committed are not put back, and disconnect says so.
            assertThatThrownBy(m::disconnect).isInstanceOf(io.venomqa.state.RollbackException.class)
                    .hasMessageContaining("SCRATCH");
        }
    }

    /** Runs {@code sql} as the application does under the savepoint strategy: through the shared DataSource. */
    private static void app(H2StateManager m, String... sql) throws Exception {
        try (Connection c = m.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }
}
