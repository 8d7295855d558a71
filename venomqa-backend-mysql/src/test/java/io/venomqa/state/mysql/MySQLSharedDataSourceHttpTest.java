package io.venomqa.state.mysql;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared DataSource as an in-process application uses it: a small JDK HTTP server, with a
 * thread pool of its own, that writes through connections from {@link MySQLStateManager#sharedDataSource()}
 * and commits, as any JDBC application would. Rollback must undo those committed writes.
 */
class MySQLSharedDataSourceHttpTest {

    private static MySQLTestDatabase db;
    private MySQLStateManager manager;
    private HttpServer server;
    private ExecutorService pool;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void createDatabase() {
        db = MySQLTestDatabase.create();
        db.execute("CREATE TABLE todos (id INT AUTO_INCREMENT PRIMARY KEY, title VARCHAR(200) NOT NULL) ENGINE=InnoDB",
                "INSERT INTO todos (title) VALUES ('committed before the test')");
    }

    @AfterAll
    static void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (pool != null) {
            pool.shutdownNow();
        }
        if (manager != null) {
            manager.disconnect();
        }
    }

    /** The application: POST /todos adds a row (in a committed transaction), GET /todos lists titles. */
    private URI startApp(DataSource dataSource) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pool = Executors.newFixedThreadPool(4);
        server.setExecutor(pool);
        server.createContext("/todos", exchange -> {
            try {
                if (exchange.getRequestMethod().equals("POST")) {
                    String title = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    try (Connection c = dataSource.getConnection()) {
                        c.setAutoCommit(false);
                        try (PreparedStatement ps = c.prepareStatement("INSERT INTO todos (title) VALUES (?)")) {
                            ps.setString(1, title);
                            ps.executeUpdate();
                        }
                        c.commit();
                    }
                    respond(exchange, 201, "created");
                } else {
                    List<String> titles = new ArrayList<>();
                    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("SELECT title FROM todos ORDER BY id")) {
                        while (rs.next()) {
                            titles.add(rs.getString(1));
                        }
                    }
                    respond(exchange, 200, String.join("\n", titles));
                }
            } catch (SQLException e) {
                respond(exchange, 500, e.getMessage());
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/todos");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private HttpResponse<String> post(URI uri, String title) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(title)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private List<String> list(URI uri) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return List.of(r.body().split("\n"));
    }

    @Test
    @DisplayName("writes an in-process HTTP app commits through the shared DataSource are undone by rollback and by disconnect")
    void httpAppWritesAreRolledBack() throws Exception {
        manager = new MySQLStateManager(db.config().build());
        manager.connect();
        URI todos = startApp(manager.sharedDataSource());

        manager.checkpoint("empty-list");
        assertThat(post(todos, "buy milk").statusCode()).isEqualTo(201);
        assertThat(list(todos)).containsExactly("committed before the test", "buy milk");

        manager.checkpoint("one-todo");
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            responses.add(post(todos, "task " + i));
        }
        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(201));
        assertThat(list(todos)).hasSize(8);

        manager.rollback("one-todo");
        assertThat(list(todos)).containsExactly("committed before the test", "buy milk");
        manager.rollback("empty-list");
        assertThat(list(todos)).containsExactly("committed before the test");

        post(todos, "written after the last checkpoint");
        manager.disconnect();
        assertThat(db.query("SELECT title FROM todos")).extracting(r -> r.get("title"))
                .containsExactly("committed before the test");
    }
}
