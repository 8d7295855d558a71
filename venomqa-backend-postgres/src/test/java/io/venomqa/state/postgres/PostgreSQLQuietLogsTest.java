package io.venomqa.state.postgres;

import io.venomqa.testsupport.ChildJvm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user's test log gets from VenomQA's use of jOOQ: nothing at INFO. Run in a JVM of its own,
 * since jOOQ logs its banner and the database version once per JVM.
 */
class PostgreSQLQuietLogsTest {

    private static PostgresTestDatabase db;

    @BeforeAll
    static void createSchema() throws SQLException {
        db = new PostgresTestDatabase();
        try (java.sql.Connection c = db.connect(); java.sql.Statement st = c.createStatement()) {
            st.execute("create table items (id serial primary key, name text not null)");
            st.execute("create table notes (id serial primary key, item_id int references items, body text)");
            // jOOQ's open-source edition warns about computed columns when it reads one
            st.execute("create table totals (id serial primary key, n int, twice int generated always as (n * 2) stored)");
        }
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    @Test
    @DisplayName("a run prints no jOOQ banner, tip, 'Database version is supported' line or 'Computed columns are a commercial only jOOQ feature' warning; a user can still ask for the version line")
    void noJooqNoiseAtInfo() throws Exception {
        ChildJvm.Finished quiet = ChildJvm.run(List.of(), QuietLogsChild.class.getName(), 60, db.url, db.schema);
        assertThat(quiet.exitCode()).as(quiet.output()).isZero();
        assertThat(quiet.output()).contains("child done")
                .doesNotContain("Database version is supported")
                .doesNotContain("Thank you for using jOOQ")
                .doesNotContain("commercial only jOOQ feature")
                .doesNotContainIgnoringCase("jOOQ tip");

        // The user's own setting wins, which also shows that this test sees the line when it is printed.
        ChildJvm.Finished asked = ChildJvm.run(
                List.of("-Dorg.jooq.log.org.jooq.impl.DefaultExecuteContext.logVersionSupport=INFO"),
                QuietLogsChild.class.getName(), 60, db.url, db.schema);
        assertThat(asked.exitCode()).as(asked.output()).isZero();
        assertThat(asked.output()).contains("Database version is supported");
    }
}
