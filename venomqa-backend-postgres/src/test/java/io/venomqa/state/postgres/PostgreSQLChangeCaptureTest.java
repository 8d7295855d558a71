package io.venomqa.state.postgres;

import io.venomqa.state.ChangeMark;
import io.venomqa.state.ChangeTracker;
import io.venomqa.state.DbChanges;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Change capture of the savepoint strategy on PostgreSQL: a row of an inheritance child or of a partition
 * is one change, under the table that stores it, as the journal reports it. Until 2026-12-05 the parent's
 * {@code select *}, which returns its children's rows too, reported it a second time under the parent.
 */
class PostgreSQLChangeCaptureTest {

    private PostgresTestDatabase db;

    @BeforeEach
    void setUp() {
        db = new PostgresTestDatabase();
    }

    @AfterEach
    void tearDown() throws SQLException {
        db.close();
    }

    /** Runs {@code sql} on a connection of its own, committed: the schema as the application found it. */
    private void admin(String... sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    /** Runs {@code sql} as the application does, through the manager's shared DataSource. */
    private static void app(PostgreSQLStateManager m, String... sql) throws SQLException {
        try (Connection c = m.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private PostgreSQLStateManager connected() {
        PostgreSQLStateManager m = new PostgreSQLStateManager(db.config().option("track_changes", "true").build());
        m.connect();
        return m;
    }

    @Test
    @DisplayName("a tracked table the application drops or renames during a step reads as its rows deleted (the capture failed)")
    void droppedOrRenamedTablesReadAsDeleted() throws SQLException {
        admin("create table a (id int primary key)", "create table b (id int primary key)",
                "insert into a values (1), (2)", "insert into b values (7)");
        PostgreSQLStateManager m = connected();
        try {
            ChangeTracker tracker = m.changeTracker().orElseThrow();
            ChangeMark mark = tracker.mark();
            app(m, "drop table a", "alter table b rename to b2");
            ChangeTracker.Window w = tracker.advance(mark);
            assertThat(w.changes().summary()).isEqualTo("-2 a  -1 b  +1 b2");
            app(m, "insert into b2 values (8)");
            assertThat(tracker.changesSince(w.next()).summary()).isEqualTo("+1 b2");
        } finally {
            m.disconnect();
        }
    }

    @Test
    @DisplayName("a row written into an inheritance child or a partition is one change, under the table that stores it")
    void childRowsAreCountedOnce() throws SQLException {
        admin("create table city (id int primary key, name text)",
                "create table capital (country text) inherits (city)",
                "create table meas (id int, logdate date not null, v int, primary key (id, logdate)) partition by range (logdate)",
                "create table meas_2024 partition of meas for values from ('2024-01-01') to ('2025-01-01')");
        PostgreSQLStateManager m = connected();
        try {
            ChangeTracker tracker = m.changeTracker().orElseThrow();
            ChangeMark mark = tracker.mark();
            app(m, "insert into capital (id, name, country) values (1, 'Paris', 'FR')",
                    "insert into city (id, name) values (2, 'Lyon')",
                    "insert into meas (id, logdate, v) values (1, '2024-05-01', 7)");
            DbChanges changes = tracker.changesSince(mark);
            assertThat(changes.summary()).isEqualTo("+1 capital  +1 city  +1 meas_2024");
            // The names a check may use (expectDb) are those the changes carry.
            assertThat(tracker.tables().orElseThrow()).contains("capital", "city", "meas_2024");
            assertThat(changes.table("city").orElseThrow().inserted()).singleElement()
                    .satisfies(r -> assertThat(r.after()).containsEntry("name", "Lyon"));
        } finally {
            m.disconnect();
        }
    }
    @Test
    @DisplayName("a column named like the fingerprint's row alias (venomqa_fp_row) does not stand in for the whole row: a change to another column is captured")
    void columnNamedLikeTheRowAlias() throws SQLException {
        admin("create table t (id int primary key, venomqa_fp_row int, v text)", "insert into t values (1, 0, 'a')");
        PostgreSQLStateManager m = connected();
        try {
            ChangeTracker tracker = m.changeTracker().orElseThrow();
            ChangeMark mark = tracker.mark();
            app(m, "update t set v = 'b'");
            DbChanges changes = tracker.changesSince(mark);
            assertThat(changes.table("t").orElseThrow().updated()).singleElement()
                    .satisfies(r -> assertThat(r.after()).containsEntry("v", "b"));
        } finally {
            m.disconnect();
        }
    }
}
