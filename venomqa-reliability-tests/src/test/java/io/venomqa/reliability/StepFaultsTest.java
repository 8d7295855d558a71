package io.venomqa.reliability;

import io.venomqa.http.Client;
import io.venomqa.http.Response;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.runner.JourneyListener;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.runner.Status;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults inside a path, against PostgreSQL (savepoint strategy, the application writing through the
 * shared DataSource): a step that throws, one that hangs past its timeout, one that gets a body that
 * is not JSON, and the API server dying mid-path. Each path first writes a row, then fails with the
 * cause; every sibling path starts from the checkpoint's rows, and the journey continues from them.
 * The same on the in-memory backend, without a database: {@code JourneyRunnerTest} (venomqa-runner).
 */
class StepFaultsTest {

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

    @Test
    @DisplayName("throw, hang past timeout, garbage JSON, API server dies: each path fails with its cause, siblings start clean")
    void faultsInPaths() throws Exception {
        db = TestDb.postgres();
        db.exec("create table items (id serial primary key, name text)");
        JdbcStateManager m = (JdbcStateManager) StateManagers.create(db.config().build());
        app = new ItemsApp(m);
        String url = app.baseUrl();
        List<Long> countAtPathStart = new ArrayList<>();
        Path.Builder clean1 = Path.builder("clean_1").step("count_via_api", (client, ctx) -> {
            countAtPathStart.add(client.get("/count").json().get("count").asLong());
            return null;
        });

        Journey journey = Journey.builder("faults")
                .step("add_base", (client, ctx) -> add(client, "base"))
                .checkpoint("start")
                .branch("start",
                        Path.builder("throws")
                                .step("add_t", (client, ctx) -> add(client, "t"))
                                .step("explode", (client, ctx) -> {
                                    throw new IllegalStateException("boom in the step");
                                }).build(),
                        Path.builder("hangs")
                                .step("add_h", (client, ctx) -> add(client, "h"))
                                .step("sleep", (client, ctx) -> {
                                    Thread.sleep(60_000);
                                    return null;
                                }, s -> s.timeout(Duration.ofMillis(300))).build(),
                        Path.builder("garbage")
                                .step("add_g", (client, ctx) -> add(client, "g"))
                                .step("read_json", (client, ctx) -> client.get("/garbage").json().get("id")).build(),
                        clean1.build(),
                        Path.builder("api_dies")
                                .step("add_d", (client, ctx) -> add(client, "d"))
                                .step("server_stops", (client, ctx) -> {
                                    app.close();
                                    return null;
                                })
                                .step("add_d2", (client, ctx) -> add(client, "d2")).build(),
                        Path.builder("clean_2").step("count_via_manager", (client, ctx) -> {
                            countAtPathStart.add(m.countRows("items"));
                            return null;
                        }).build())
                .step("after_branch", (client, ctx) -> {
                    countAtPathStart.add(m.countRows("items"));
                    return null;
                })
                .build();

        List<String> rollbacks = new ArrayList<>();
        JourneyResult r = JourneyRunner.builder(new Client(url)).stateManager(m)
                .listener(new JourneyListener() {
                    @Override
                    public void rolledBack(String checkpointName, boolean database, int depth) {
                        rollbacks.add(checkpointName + (database ? "+db" : ""));
                    }
                }).build().run(journey);

        assertThat(r.path("throws").status()).isEqualTo(Status.FAILED);
        assertThat(r.step("explode").message()).isEqualTo("IllegalStateException: boom in the step");
        assertThat(r.step("explode").stackTrace()).contains("StepFaultsTest");

        assertThat(r.path("hangs").status()).isEqualTo(Status.FAILED);
        assertThat(r.step("sleep").message()).contains("did not finish within its timeout of 300 ms");

        assertThat(r.path("garbage").status()).isEqualTo(Status.FAILED);
        assertThat(r.step("read_json").message()).contains("not JSON").contains("<html>upstream proxy error");

        assertThat(r.path("api_dies").status()).isEqualTo(Status.FAILED);
        assertThat(r.step("add_d2").message()).contains("connection refused").contains("POST " + url + "/items");

        assertThat(r.path("clean_1").status()).isEqualTo(Status.PASSED);
        assertThat(r.path("clean_2").status()).isEqualTo(Status.PASSED);
        assertThat(countAtPathStart).as("clean_1, clean_2 and after the branch see only the checkpoint's row")
                .containsExactly(1L, 1L, 1L);
        assertThat(rollbacks).as("one database rollback before each path and one after the branch")
                .hasSize(7).allMatch(x -> x.equals("start+db"));
        assertThat(r.step("after_branch").status()).isEqualTo(Status.PASSED);
        assertThat(db.rows("select name from items")).as("nothing committed").isEmpty();
    }
}
