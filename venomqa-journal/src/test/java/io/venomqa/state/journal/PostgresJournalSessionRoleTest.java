package io.venomqa.state.journal;

import io.venomqa.state.postgres.PostgreSQLStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manager's session stays in {@code session_replication_role = replica} after its first undo
 * (PostgreSQL empties a session's plan cache at every change of that setting, so switching it per undo
 * re-planned every statement after each rollback), and that changes nothing the user sees: the
 * application's triggers still fire during {@code reset()}, and its own connections are untouched.
 */
class PostgresJournalSessionRoleTest {

    private PgDb db;
    private PostgreSQLStateManager m;

    @BeforeEach
    void setUp() throws SQLException {
        db = new PgDb();
        db.exec("create table audit (id serial primary key, what text not null)",
                "create table items (id serial primary key, name text not null)",
                "create function note_truncate() returns trigger language plpgsql as $$ begin "
                        + "insert into audit (what) values ('truncated ' || tg_table_name); return null; end $$",
                "create trigger items_truncated after truncate on items for each statement execute function note_truncate()",
                "insert into items (name) values ('a')");
        m = new PostgreSQLStateManager(db.config().excludeTables(List.of("audit")).build());
        m.connect();
    }

    @AfterEach
    void tearDown() throws SQLException {
        try {
            m.disconnect();
        } finally {
            db.close();
        }
    }

    private String role() {
        return String.valueOf(m.queryRows("show session_replication_role").get(0).values().iterator().next());
    }

    @Test
    @DisplayName("after a rollback the manager's session stays in replica mode; a reset still fires the application's triggers")
    void replicaForTheSessionOriginForAReset() throws SQLException {
        m.checkpoint("start");
        db.psql("insert into items (name) values ('b');");
        m.rollback("start");
        assertThat(db.rows("select name from items order by id")).containsExactly("name=a");
        assertThat(role()).isEqualTo("replica");
        // The application's connections are their own sessions.
        assertThat(db.rows("show session_replication_role")).containsExactly("session_replication_role=origin");

        m.reset();
        assertThat(db.rows("select name from items")).isEmpty();
        assertThat(db.rows("select what from audit")).containsExactly("what=truncated items");
        assertThat(role()).isEqualTo("replica");
    }
}
