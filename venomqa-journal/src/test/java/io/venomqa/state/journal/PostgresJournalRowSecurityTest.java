package io.venomqa.state.journal;

import io.venomqa.state.StateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tables with row-level security, as multi-tenant applications have them, under the journal with
 * the team's roles ({@link PgRolesDb}: VenomQA's role a member of the owner, no superuser). With
 * {@code FORCE ROW LEVEL SECURITY} the policies bind the owner too, so the undo saw only the
 * policies' rows: every rollback failed ("new row violates row-level security policy") and
 * {@code disconnect()} left the data as the run wrote it. Now the forcing is lifted inside the
 * undo's transaction only.
 */
class PostgresJournalRowSecurityTest {

    private PgRolesDb db;
    private final List<StateManager> managers = new ArrayList<>();

    @BeforeEach
    void setUp() throws SQLException {
        db = new PgRolesDb();
        db.exec("create table doc (id int primary key, tenant text not null, body text)",
                "create table note (id int primary key, doc_id int references doc on delete cascade, tenant text not null)",
                "insert into doc values (1, 'a', 'one'), (2, 'b', 'two'), (3, 'a', 'three')",
                "insert into note values (1, 1, 'a'), (2, 2, 'b')",
                "alter table doc enable row level security", "alter table doc force row level security",
                "create policy tenant_only on doc using (tenant = current_setting('app.tenant', true))",
                "alter table note enable row level security", // not forced: the owner's role is not bound
                "create policy tenant_only on note using (tenant = current_setting('app.tenant', true))");
    }

    @AfterEach
    void tearDown() throws SQLException {
        try {
            for (StateManager m : managers) {
                m.disconnect();
            }
        } finally {
            db.close();
        }
    }

    /** Every row and the tables' row-security flags, read as the superuser (which no policy binds). */
    private List<String> everything() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PgDb.HOST + ":" + PgDb.PORT + "/" + db.database,
                PgDb.USER, "")) {
            return JournalDb.rows(c, "select id, tenant, body from shop.doc order by id",
                    "select id, doc_id, tenant from shop.note order by id",
                    "select relname, relrowsecurity, relforcerowsecurity from pg_class where relname in ('doc', 'note') order by 1",
                    "select polname, polrelid::regclass from pg_policy order by 1, 2");
        }
    }

    /** The application as tenant {@code tenant}: its own role, its session's tenant. */
    private void asTenant(String tenant, String... sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("set app.tenant = '" + tenant + "'");
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    @Test
    @DisplayName("rollback and disconnect() put back rows that FORCE ROW LEVEL SECURITY hides from VenomQA's role, and the forcing stays")
    void forcedRowSecurity() throws SQLException {
        List<String> before = everything();
        StateManager m = db.manager();
        managers.add(m);
        m.connect();
        m.checkpoint("start");
        for (int round = 0; round < 2; round++) {
            asTenant("a", "update doc set body = 'changed' where id = 1", "insert into doc values (4, 'a', 'four')",
                    "delete from doc where id = 3", "insert into note values (3, 4, 'a')");
            asTenant("b", "delete from doc where id = 2"); // cascades to note 2
            assertThat(everything()).isNotEqualTo(before);
            m.rollback("start");
            assertThat(everything()).isEqualTo(before);
        }
        asTenant("a", "update doc set body = 'last' where id = 1");
        m.disconnect();
        assertThat(everything()).isEqualTo(before);
    }
}
