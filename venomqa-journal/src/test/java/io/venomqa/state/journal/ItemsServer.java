package io.venomqa.state.journal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The application under test for the journal's HTTP test: a tiny items API in a JVM of its own,
 * writing through its own pool of four auto-commit connections (nothing shared with VenomQA).
 *
 * <p>Arguments: JDBC URL, user. Prints {@code PORT <n>} once it listens, then serves until killed.
 * {@code GET /items}, {@code POST /items {"name": …}} (201, {@code {"id": n}}),
 * {@code PUT /items/<id> {"name": …}}, {@code DELETE /items/<id>}.
 */
public final class ItemsServer {

    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]*)\"");

    private ItemsServer() {
    }

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", args[1]);
        BlockingQueue<Connection> pool = new ArrayBlockingQueue<>(4);
        for (int i = 0; i < 4; i++) {
            pool.add(DriverManager.getConnection(args[0], p));
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/items", ex -> {
            Connection c = null;
            try {
                c = pool.take();
                handle(c, ex);
            } catch (Exception e) {
                send(ex, 500, "{\"error\": \"" + String.valueOf(e.getMessage()).replace("\"", "'") + "\"}");
            } finally {
                if (c != null) {
                    pool.add(c);
                }
            }
        });
        server.start();
        System.out.println("PORT " + server.getAddress().getPort());
        System.out.flush();
    }

    private static void handle(Connection c, HttpExchange ex) throws SQLException, IOException {
        String path = ex.getRequestURI().getPath();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String id = path.startsWith("/items/") ? path.substring("/items/".length()) : null;
        switch (ex.getRequestMethod()) {
            case "GET" -> {
                StringBuilder b = new StringBuilder("[");
                try (PreparedStatement ps = c.prepareStatement("select id, name from items order by id");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        b.append(b.length() > 1 ? "," : "").append("{\"id\":").append(rs.getLong(1))
                                .append(",\"name\":\"").append(rs.getString(2)).append("\"}");
                    }
                }
                send(ex, 200, b.append("]").toString());
            }
            case "POST" -> {
                try (PreparedStatement ps = c.prepareStatement("insert into items(name) values (?) returning id")) {
                    ps.setString(1, name(body));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        send(ex, 201, "{\"id\":" + rs.getLong(1) + "}");
                    }
                }
            }
            case "PUT" -> {
                try (PreparedStatement ps = c.prepareStatement("update items set name = ? where id = ?")) {
                    ps.setString(1, name(body));
                    ps.setLong(2, Long.parseLong(id));
                    send(ex, ps.executeUpdate() == 1 ? 200 : 404, "{}");
                }
            }
            case "DELETE" -> {
                try (PreparedStatement ps = c.prepareStatement("delete from items where id = ?")) {
                    ps.setLong(1, Long.parseLong(id));
                    send(ex, ps.executeUpdate() == 1 ? 204 : 404, "");
                }
            }
            default -> send(ex, 405, "{}");
        }
    }

    private static String name(String body) {
        Matcher m = NAME.matcher(body);
        if (!m.find()) {
            throw new IllegalArgumentException("body needs a name: " + body);
        }
        return m.group(1);
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
        if (status != 204) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
        ex.close();
    }
}
