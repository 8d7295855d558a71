package io.venomqa.junit.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A tiny HTTP API over the {@code users} table of a {@link PgSchema}, on a free port:
 * {@code POST /users} (body: a name) → 201 {@code {"id":n}} or 409 when taken, {@code GET /users}
 * → 200 {@code ["a","b"]}, {@code DELETE /users} → 204 (deletes all), {@code POST /fail} → 500
 * {@code {"error":"boom"}}. Connections come from {@code connections}: the state manager's shared
 * DataSource (savepoint: same transaction) or plain auto-commit connections (journal: as if in
 * another process).
 */
public final class UsersApi implements AutoCloseable {

    public interface ConnectionSource {
        Connection get() throws SQLException;
    }

    private final HttpServer server;
    private final String schema;
    private volatile ConnectionSource connections;

    public UsersApi(String schema) throws IOException {
        this.schema = schema;
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "users-api");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public UsersApi use(ConnectionSource source) {
        this.connections = source;
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public Supplier<String> urlSupplier() {
        return this::url;
    }

    private void handle(HttpExchange x) throws IOException {
        String route = x.getRequestMethod() + " " + x.getRequestURI().getPath();
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (route.equals("POST /fail")) {
            reply(x, 500, "{\"error\":\"boom\"}");
            return;
        }
        try (Connection c = connections.get()) {
            switch (route) {
                case "POST /users" -> {
                    if (exists(c, body)) {
                        reply(x, 409, "{\"error\":\"name '" + body + "' is taken\"}");
                        return;
                    }
                    try (PreparedStatement ps = c.prepareStatement("insert into " + schema + ".users(name) values (?) returning id")) {
                        ps.setString(1, body);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            commitIfNeeded(c);
                            reply(x, 201, "{\"id\":" + rs.getInt(1) + "}");
                        }
                    }
                }
                case "GET /users" -> reply(x, 200, names(c).stream().map(n -> "\"" + n + "\"").toList().toString().replace(" ", ""));
                case "DELETE /users" -> {
                    try (Statement st = c.createStatement()) {
                        st.executeUpdate("delete from " + schema + ".users");
                    }
                    commitIfNeeded(c);
                    reply(x, 204, "");
                }
                default -> reply(x, 404, "{\"error\":\"no route " + route + "\"}");
            }
        } catch (SQLException e) {
            reply(x, 500, "{\"error\":\"" + e.getMessage().replace("\"", "'") + "\"}");
        }
    }

    private boolean exists(Connection c, String name) throws SQLException {
        return names(c).contains(name);
    }

    private List<String> names(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select name from " + schema + ".users order by name")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static void commitIfNeeded(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.commit(); // on the shared DataSource this maps to a savepoint, not a real commit
        }
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            if (status != 204) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
