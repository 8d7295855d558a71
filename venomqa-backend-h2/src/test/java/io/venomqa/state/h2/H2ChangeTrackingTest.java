package io.venomqa.state.h2;

import io.venomqa.state.ChangeMark;
import io.venomqa.state.ChangeTracker;
import io.venomqa.state.DbChanges;
import io.venomqa.state.RowChange;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Row changes with the savepoint strategy on H2 (snapshots compared inside the run's transaction):
 * composite keys, NULLs, binary, cascades, secrets masked, nothing committed.
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
}
