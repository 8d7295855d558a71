package io.venomqa.reliability;

import io.venomqa.http.Client;
import io.venomqa.http.Response;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.runner.PathResult;
import io.venomqa.runner.Status;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database server kills the manager's connection in the middle of a journey (PostgreSQL
 * {@code pg_terminate_backend}, MariaDB {@code KILL}). The runner marks the path failed with the
 * backend's message (the checkpoints are lost, what to do), stops using the dead checkpoint (the
 * remaining paths are skipped, not rolled back to nothing), and the next journey runs on a new
 * session from a clean database, whether the runner or the user connected the manager.
 * The manager-level behaviour is in {@code PostgreSQLStateManagerTest.killedConnection} and
 * {@code MySQLStateManagerTest.killedConnection}.
 */
class KilledConnectionJourneyTest {

    private TestDb db;
    private ItemsApp app;

    @AfterEach
    void drop() throws SQLException {
        if (app != null) {
            app.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static Response add(Client client, String name) {
        return client.post("/items", name);
    }

    @ParameterizedTest(name = "{0}, connected by the {1}")
    @CsvSource({"postgresql, runner", "postgresql, user", "mysql, runner", "mysql, user"})
    @DisplayName("session killed server-side mid-path: path failed with the reason, dead checkpoint not reused, next journey clean")
    void killedMidRun(String backend, String connectedBy) throws Exception {
        db = backend.equals("postgresql") ? TestDb.postgres() : TestDb.mysql();
        db.exec(backend.equals("postgresql") ? "create table items (id serial primary key, name text)"
                : "create table items (id int auto_increment primary key, name varchar(50))");
        JdbcStateManager m = (JdbcStateManager) StateManagers.create(db.config().build());
        app = new ItemsApp(m);
        if (connectedBy.equals("user")) {
            m.connect();
        }
        String idQuery = backend.equals("postgresql") ? "select pg_backend_pid() as id" : "select connection_id() as id";

        Journey killed = Journey.builder("killed")
                .step("add_a", (client, ctx) -> add(client, "a"))
                .checkpoint("cart")
                .branch("cart",
                        Path.builder("kill")
                                .step("add_b", (client, ctx) -> add(client, "b"))
                                .step("server_kills_session", (client, ctx) -> {
                                    db.kill(((Number) m.queryRows(idQuery).get(0).get("id")).longValue());
                                    return null;
                                })
                                .step("add_c", (client, ctx) -> add(client, "c"))
                                .build(),
                        Path.builder("second").step("add_d", (client, ctx) -> add(client, "d")).build(),
                        Path.builder("third").step("add_e", (client, ctx) -> add(client, "e")).build())
                .step("after", (client, ctx) -> add(client, "f"))
                .build();
        Journey next = Journey.builder("next")
                .step("add_x", (client, ctx) -> add(client, "x"))
                .checkpoint("one")
                .branch("one", Path.builder("count").step("count", (client, ctx) -> {
                    Response r = client.get("/count");
                    if (r.json().get("count").asLong() != 1) {
                        throw new AssertionError("expected only x, got " + r.body());
                    }
                    return r;
                }).build())
                .build();

        List<JourneyResult> results = new JourneyRunner(new Client(app.baseUrl()), m).runAll(List.of(killed, next));

        JourneyResult first = results.get(0);
        assertThat(first.status()).isEqualTo(Status.FAILED);
        PathResult kill = first.path("kill");
        assertThat(kill.status()).isEqualTo(Status.FAILED);
        assertThat(first.step("add_c").message()).contains("HTTP 500");
        PathResult second = first.path("second");
        assertThat(second.status()).isEqualTo(Status.FAILED);
        assertThat(second.message()).contains("was lost").contains("[killed/cart]").contains("connect() again");
        PathResult third = first.path("third");
        assertThat(third.status()).as("the dead checkpoint is not used again").isEqualTo(Status.SKIPPED);
        assertThat(first.step("add_e").message()).contains("checkpoint 'cart' is gone");
        assertThat(first.step("after").status()).isEqualTo(Status.SKIPPED);

        JourneyResult second2 = results.get(1);
        assertThat(second2.failures()).as("the next journey runs on a new session from a clean database").isEmpty();
        assertThat(second2.passed()).isTrue();
        assertThat(m.isConnected()).isEqualTo(connectedBy.equals("user"));
        m.disconnect();
        assertThat(db.rows("select name from items")).as("nothing was committed").isEmpty();
    }
}
