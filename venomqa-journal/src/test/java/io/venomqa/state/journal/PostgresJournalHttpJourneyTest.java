package io.venomqa.state.journal;

import io.venomqa.http.Client;
import io.venomqa.http.Response;
import io.venomqa.journey.Action;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.state.postgres.PostgreSQLStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A journey with branches against an HTTP API running in a second JVM with its own connection
 * pool: with the journal, every path starts from exactly the rows of the checkpoint and gets the
 * same next id; after disconnect() the table is as before the run.
 */
class PostgresJournalHttpJourneyTest {

    private PgDb db;
    private Process server;
    private String baseUrl;

    @BeforeEach
    void setUp() throws Exception {
        db = new PgDb();
        db.exec("create table items (id serial primary key, name text not null)",
                "insert into items(name) values ('apple'), ('pear')");
        List<String> cmd = ChildJvm.java();
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ItemsServer.class.getName(),
                "jdbc:postgresql://" + PgDb.HOST + ":" + PgDb.PORT + "/" + PgDb.DATABASE + "?currentSchema=" + db.schema,
                PgDb.USER));
        server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (line == null || !line.startsWith("PORT ")) {
            throw new AssertionError("The items server did not start: " + line);
        }
        baseUrl = "http://127.0.0.1:" + line.substring(5);
    }

    @AfterEach
    void tearDown() throws SQLException, InterruptedException {
        server.destroyForcibly();
        server.waitFor(30, TimeUnit.SECONDS);
        db.close();
    }

    @Test
    @DisplayName("every path of a branched journey against a separate-process API sees the checkpoint's rows and the same next id")
    void pathsIsolated() throws SQLException {
        Map<String, String> seenAtStart = new ConcurrentHashMap<>();
        Map<String, String> createdId = new ConcurrentHashMap<>();

        Action addBanana = (client, ctx) -> ok(client.post("/items", Map.of("name", "banana")), 201);
        Journey journey = Journey.builder("items")
                .step("add_banana", addBanana)
                .checkpoint("three_items")
                .branch("three_items",
                        path("delete_apple", seenAtStart, createdId, (client, ctx) -> ok(client.delete("/items/1"), 204)),
                        path("rename_pear", seenAtStart, createdId,
                                (client, ctx) -> ok(client.put("/items/2", Map.of("name", "PEAR")), 200)),
                        path("delete_everything", seenAtStart, createdId, (client, ctx) -> {
                            ok(client.delete("/items/1"), 204);
                            ok(client.delete("/items/2"), 204);
                            return ok(client.delete("/items/3"), 204);
                        }))
                .build();

        PostgreSQLStateManager m = db.manager();
        m.connect();
        JourneyResult result;
        try {
            result = new JourneyRunner(new Client(baseUrl), m).run(journey);
        } finally {
            m.disconnect();
        }

        assertThat(result.passed()).as(result.summary()).isTrue();
        assertThat(seenAtStart).hasSize(3);
        assertThat(seenAtStart.values()).containsOnly(
                "[{\"id\":1,\"name\":\"apple\"},{\"id\":2,\"name\":\"pear\"},{\"id\":3,\"name\":\"banana\"}]");
        assertThat(createdId).hasSize(3);
        assertThat(createdId.values()).containsOnly("{\"id\":4}");
        assertThat(db.rows("select id, name from items order by id")).containsExactly("id=1|name=apple", "id=2|name=pear");
        assertThat(db.rows("select nextval('items_id_seq') as next")).containsExactly("next=3");
    }

    private static Path path(String name, Map<String, String> seen, Map<String, String> created, Action change) {
        return Path.builder(name)
                .step("look", (client, ctx) -> {
                    Response r = ok(client.get("/items"), 200);
                    seen.put(name, r.body());
                    return r;
                })
                .step("create", (client, ctx) -> {
                    Response r = ok(client.post("/items", Map.of("name", "cherry")), 201);
                    created.put(name, r.body());
                    return r;
                })
                .step("change", change)
                .build();
    }

    private static Response ok(Response r, int status) {
        if (r.statusCode() != status) {
            throw new AssertionError("expected " + status + " but got " + r.statusCode() + ": " + r.body());
        }
        return r;
    }
}
