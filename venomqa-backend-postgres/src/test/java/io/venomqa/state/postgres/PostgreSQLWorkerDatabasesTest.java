package io.venomqa.state.postgres;

import io.venomqa.core.DatabaseUrl;
import io.venomqa.state.StateConfig;
import io.venomqa.state.UnsafeDatabaseException;
import io.venomqa.state.WorkerDatabaseException;
import io.venomqa.state.WorkerDatabases;
import io.venomqa.state.WorkerSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.venomqa.state.postgres.PgAdmin.open;
import static io.venomqa.state.postgres.PgAdmin.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Worker databases on PostgreSQL: template copies with the source's rows and sequences, isolated from
 * each other, dropped on close; leftovers of dead runs dropped, those of live runs kept; a source with
 * another session connected refused with what to do. Works in a database of its own.
 */
class PostgreSQLWorkerDatabasesTest {

    private static String serverUrl;
    private static String db;
    private static String url;

    @BeforeAll
    static void createDatabase() throws SQLException {
        String env = System.getenv(PostgresTestDatabase.ENV);
        serverUrl = env == null || env.isBlank() ? PostgresTestDatabase.DEFAULT_URL : env.trim();
        db = "vqtest_w_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        url = DatabaseUrl.parse(serverUrl).withDatabase(db);
        try (Connection c = open(serverUrl); Statement st = c.createStatement()) {
            st.execute("create database " + db);
        }
        try (Connection c = open(url); Statement st = c.createStatement()) {
            st.execute("create table users (id serial primary key, name text not null)");
            st.execute("insert into users(name) values ('ada'), ('bob')");
        }
    }

    @AfterAll
    static void dropDatabases() throws SQLException {
        try (Connection c = open(serverUrl); Statement st = c.createStatement()) {
            for (String name : databases(db)) {
                st.execute("drop database if exists \"" + name + "\" with (force)");
            }
        }
    }

    private static WorkerDatabases workers(StateConfig.Builder config) {
        return new PostgreSQLStateManager(config.build()).workerDatabases().orElseThrow();
    }

    private static StateConfig.Builder config() {
        return StateConfig.builder().backend("postgresql").url(url).option("allow_remote", true);
    }

    @Test
    void copiesHoldTheSourceRowsAndSequencesAndAreIsolatedAndDroppedOnClose() throws SQLException {
        List<String> urls = new ArrayList<>();
        try (WorkerSet set = workers(config()).create(2)) {
            assertThat(set.runId()).matches("[a-z0-9]{8}");
            for (StateConfig c : set.configs()) {
                urls.add(c.url());
            }
            assertThat(urls).containsExactly(DatabaseUrl.parse(url).withDatabase(db + "_vqw_" + set.runId() + "_1"),
                    DatabaseUrl.parse(url).withDatabase(db + "_vqw_" + set.runId() + "_2"));
            assertThat(set.configs().get(0).option("allow_remote")).contains(true);
            try (Connection c = open(urls.get(0)); Statement st = c.createStatement()) {
                st.execute("insert into users(name) values ('carl')");
                assertThat(single(st, "select max(id) from users")).isEqualTo("3"); // the sequence came along
            }
            try (Connection c = open(urls.get(1)); Statement st = c.createStatement()) {
                assertThat(single(st, "select string_agg(name, ',' order by id) from users")).isEqualTo("ada,bob");
            }
            try (Connection c = open(url); Statement st = c.createStatement()) {
                assertThat(single(st, "select count(*) from users")).isEqualTo("2");
            }
            assertThat(databases(db + "_vqw_")).hasSize(2);
        }
        assertThat(databases(db + "_vqw_")).isEmpty();
    }

    @Test
    void copiesKeepTheSourceDatabasesOwnSettings() throws SQLException {
        try (Connection c = open(serverUrl); Statement st = c.createStatement()) {
            st.execute("alter database " + db + " set search_path = \"App Schema\", public");
            st.execute("alter database " + db + " set work_mem = '7MB'");
            st.execute("alter role postgres in database " + db + " set statement_timeout = '7s'");
        }
        try (WorkerSet set = workers(config()).create(1);
             Connection c = open(set.configs().get(0).url()); Statement st = c.createStatement()) {
            assertThat(show(st, "search_path")).isEqualTo("\"App Schema\", public");
            assertThat(show(st, "work_mem")).isEqualTo("7MB");
            assertThat(show(st, "statement_timeout")).isEqualTo("7s");
        } finally {
            try (Connection c = open(serverUrl); Statement st = c.createStatement()) {
                st.execute("alter database " + db + " reset all");
                st.execute("alter role postgres in database " + db + " reset all");
            }
        }
    }

    private static String show(Statement st, String setting) throws SQLException {
        try (ResultSet rs = st.executeQuery("show " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void leftoversOfDeadRunsAreDroppedAndThoseOfLiveRunsKept() throws SQLException {
        // advisory locks belong to a database: VenomQA's admin sessions all meet in 'postgres'
        try (Connection admin = open(DatabaseUrl.parse(serverUrl).withDatabase("postgres")); Statement st = admin.createStatement()) {
            st.execute("create database " + db + "_vqw_deadrun1_1 template " + db);
            st.execute("create database " + db + "_vqw_liverun1_1 template " + db);
            // another process's live run: its session holds the run's lock
            st.execute("select pg_advisory_lock(hashtext('venomqa.workers'), hashtext('liverun1'))");
            try (WorkerSet set = workers(config()).create(1)) {
                assertThat(set.droppedLeftovers()).containsExactly(db + "_vqw_deadrun1_1");
                assertThat(databases(db + "_vqw_")).containsExactlyInAnyOrder(db + "_vqw_liverun1_1",
                        db + "_vqw_" + set.runId() + "_1");
                // a second set in this JVM leaves the first one's copy alone
                try (WorkerSet second = workers(config()).create(1)) {
                    assertThat(second.droppedLeftovers()).isEmpty();
                }
            }
            st.execute("drop database " + db + "_vqw_liverun1_1");
        }
    }

    @Test
    void aSessionOnTheSourceIsRefusedWithWhatToDoAndNothingIsLeft() throws SQLException {
        try (Connection busy = open(url)) {
            assertThatThrownBy(() -> workers(config()).create(2))
                    .isInstanceOf(WorkerDatabaseException.class)
                    .hasMessageContaining("no other session is connected")
                    .hasMessageContaining(db);
        }
        assertThat(databases(db + "_vqw_")).isEmpty();
    }

    @Test
    void theGuardRefusesBeforeAnythingIsCreated() throws SQLException {
        assertThatThrownBy(() -> workers(config().option("environment", "production")).create(1))
                .isInstanceOf(UnsafeDatabaseException.class)
                .hasMessageContaining("create worker databases from");
        assertThatThrownBy(() -> workers(StateConfig.builder().backend("postgresql")
                .url(url.replace("127.0.0.1", "db.example.com"))).create(1))
                .isInstanceOf(UnsafeDatabaseException.class)
                .hasMessageContaining("db.example.com");
        // allowed_databases lets the source through, and so its copies
        try (WorkerSet set = workers(config().option("allowed_databases", List.of(db))).create(1)) {
            assertThat(set.configs()).hasSize(1);
        }
        assertThat(databases(db + "_vqw_")).isEmpty();
    }

    private static List<String> databases(String prefix) throws SQLException {
        return PgAdmin.namesStartingWith(serverUrl, "select datname from pg_database order by datname", prefix);
    }
}
