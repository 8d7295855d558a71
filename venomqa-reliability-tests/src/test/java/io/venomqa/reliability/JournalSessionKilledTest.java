package io.venomqa.reliability;

import io.venomqa.state.StateConnectionException;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A journal run whose VenomQA session is killed on the server, as a database restart would (the
 * shared test servers cannot be restarted without disturbing other tests, so the manager's session
 * is terminated instead; the application's connections are short-lived and unaffected either way).
 * The run's journal, triggers and the application's committed writes survive on the server;
 * {@code disconnect()} connects again and recovers (as the next {@code connect()} would): data and
 * identity counters as before the run, no trigger left.
 * The kill -9 of a whole JVM is covered by {@code PostgresJournalTest.crashRecovery} and
 * {@code MySqlJournalTest.crashRecovery} (venomqa-journal).
 */
class JournalSessionKilledTest {

    private TestDb db;

    @AfterEach
    void drop() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    private long triggers() throws SQLException {
        String q = db.backend().equals("postgresql")
                ? "select count(*) as n from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on "
                + "n.oid = c.relnamespace where n.nspname = '" + db.name + "' and not t.tgisinternal"
                : "select count(*) as n from information_schema.triggers where event_object_schema = '" + db.name + "'";
        return Long.parseLong(db.rows(q).get(0).substring(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mysql"})
    @DisplayName("the journal's session killed mid-run: calls say it was lost, disconnect() connects again and recovers everything")
    void killedSessionRecoveredByDisconnect(String backend) throws Exception {
        boolean pg = backend.equals("postgresql");
        db = pg ? TestDb.postgres() : TestDb.mysql();
        db.exec(pg ? "create table items (id serial primary key, name text)"
                        : "create table items (id int auto_increment primary key, name varchar(50))",
                "insert into items (name) values ('before')");

        JdbcStateManager m = (JdbcStateManager) StateManagers.create(db.config().option("checkpoint_strategy", "journal").build());
        m.connect();
        m.checkpoint("cp");
        db.exec("insert into items (name) values ('run')", "update items set name = 'changed' where id = 1");
        long session = ((Number) m.queryRows(pg ? "select pg_backend_pid() as id" : "select connection_id() as id")
                .get(0).get("id")).longValue();
        db.kill(session);

        assertThatThrownBy(() -> m.rollback("cp")).isInstanceOf(StateConnectionException.class)
                .hasMessageContaining("was lost").hasMessageContaining("[cp]")
                .hasMessageContaining("what the run wrote is still in the database");
        // Until 2026-12-05 disconnect() returned here with the run's writes and triggers left for the next
        // connect(): a suite ending after it left the database changed. It now connects again and recovers.
        assertThatCode(m::disconnect).doesNotThrowAnyException();
        assertThat(triggers()).as("the dead run's triggers are gone").isZero();
        assertThat(db.rows("select id, name from items order by id")).as("recovered by disconnect()")
                .containsExactly("id=1|name=before");

        JdbcStateManager next = (JdbcStateManager) StateManagers.create(db.config().option("checkpoint_strategy", "journal").build());
        next.connect();
        assertThat(db.rows("select id, name from items order by id")).containsExactly("id=1|name=before");
        next.disconnect();
        assertThat(triggers()).isZero();
        db.exec("insert into items (name) values ('after')");
        assertThat(db.rows("select id, name from items order by id")).as("identity counter restored too")
                .containsExactly("id=1|name=before", "id=2|name=after");
    }
}
