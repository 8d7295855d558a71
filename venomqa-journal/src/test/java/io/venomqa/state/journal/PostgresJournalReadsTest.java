package io.venomqa.state.journal;

import io.venomqa.state.SqlReader;
import io.venomqa.state.postgres.PostgreSQLStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reads through the manager with the journal on PostgreSQL ({@code queryRowsEach}, the SQL checks'
 * reader): the queries and the end of their transaction go to the server together, so a read must
 * still see what the application committed, undo whatever a query wrote, end its transaction on
 * success and on failure (never leave VenomQA's session idle in a transaction while the application
 * runs), and leave the journal exact.
 */
class PostgresJournalReadsTest {

    private PgDb db;
    private PostgreSQLStateManager manager;

    @BeforeEach
    void setUp() throws SQLException {
        db = new PgDb();
        db.exec("create table items (id serial primary key, name text not null)", "insert into items (name) values ('a')");
        manager = db.manager();
        manager.connect();
    }

    @AfterEach
    void tearDown() throws SQLException {
        try {
            manager.disconnect();
        } finally {
            db.close();
        }
    }

    /** The rows of items, read by the application (a connection of its own). */
    private long count() throws SQLException {
        return Long.parseLong(db.rows("select count(*) as n from items").get(0).substring("n=".length()));
    }

    @Test
    @DisplayName("queryRowsEach: each query's rows, the application's latest commit seen, a query's writes undone, the transaction ended")
    void queryRowsEach() throws SQLException {
        manager.checkpoint("start");
        db.exec("insert into items (name) values ('b')");
        List<List<Map<String, Object>>> all = manager.queryRowsEach(List.of("select name from items order by id",
                "with gone as (delete from items returning id) select count(*) as n from gone", "select count(*) as n from items"));
        assertThat(all.get(0)).extracting(r -> r.get("name")).containsExactly("a", "b");
        assertThat(((Number) all.get(1).get(0).get("n")).longValue()).as("the query deleted both rows").isEqualTo(2);
        assertThat(((Number) all.get(2).get(0).get("n")).longValue()).as("seen by the next query of the read").isZero();
        assertThat(count()).as("the deletion was undone").isEqualTo(2);
        assertThat(db.managerSessionState()).isEqualTo("idle");
        db.exec("insert into items (name) values ('c')");
        manager.rollback("start");
        assertThat(count()).as("the journal holds the application's changes only").isEqualTo(1);
    }

    @Test
    @DisplayName("queryRowsEach: a failing query fails the call, the transaction is ended, and the next read works")
    void queryRowsEachFailing() throws SQLException {
        assertThatThrownBy(() -> manager.queryRowsEach(List.of("delete from items returning id", "select 1/0")))
                .hasMessageContaining("division by zero");
        assertThat(db.managerSessionState()).isEqualTo("idle");
        assertThat(count()).isEqualTo(1);
        assertThat(manager.queryRowsEach(List.of("select count(*) as n from items")).get(0).get(0).get("n"))
                .isEqualTo(1L);
    }

    @Test
    @DisplayName("the SQL checks' reader: the application's latest commit seen, a write undone, the transaction ended on success and failure")
    void sqlReader() throws SQLException {
        SqlReader reader = manager.sqlReader().orElseThrow();
        db.exec("insert into items (name) values ('b')");
        assertThat(reader.query("with gone as (delete from items where name = ? returning id) select count(*) as n from gone",
                List.of("b")).get(0).get("n")).isEqualTo(1L);
        assertThat(count()).isEqualTo(2);
        assertThat(db.managerSessionState()).isEqualTo("idle");
        assertThatThrownBy(() -> reader.query("select 1/0", List.of())).hasMessageContaining("division by zero");
        assertThat(db.managerSessionState()).isEqualTo("idle");
        assertThat(reader.query("select count(*) as n from items", List.of()).get(0).get("n")).isEqualTo(2L);
    }
}
