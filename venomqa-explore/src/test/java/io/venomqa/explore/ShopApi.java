package io.venomqa.explore;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.venomqa.state.memory.InMemoryStore;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A one-order shop over HTTP with a planted sequence bug: a refund is accepted while there are
 * fewer refunds than payments, and a retried payment adds a second payment, so pay, pay, refund,
 * refund refunds twice the order's total. No single call is wrong; only that sequence is.
 * Plus three misbehaving endpoints: {@code /garbage} (200 with a body that is not JSON),
 * {@code /boom} (500) and {@code /slow} (answers after two seconds).
 */
final class ShopApi implements AutoCloseable {

    static final int TOTAL = 10;

    static {
        // without it the JDK server's separate header and body writes meet delayed ACKs: ~40 ms per call
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** Where the shop keeps its one order. */
    interface Store {
        /** status, total, payments (count), refunded (sum), or null when there is no order. */
        Map<String, Object> order() throws Exception;

        void createOrder() throws Exception;

        void addPayment() throws Exception;

        void addRefund() throws Exception;

        void setStatus(String status) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Store store;

    ShopApi(Store store) throws IOException {
        this.store = store;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String method = x.getRequestMethod();
        try {
            synchronized (this) {
                route(x, method, path);
            }
        } catch (Exception e) {
            send(x, 500, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    private void route(HttpExchange x, String method, String path) throws Exception {
        switch (method + " " + path) {
            case "GET /garbage" -> send(x, 200, "\u0001<<this is not json>>");
            case "GET /boom" -> send(x, 500, "{\"error\":\"boom\"}");
            case "GET /slow" -> {
                Thread.sleep(2000);
                send(x, 200, "{}");
            }
            case "POST /orders" -> {
                if (store.order() != null) {
                    send(x, 409, "{\"error\":\"an order exists\"}");
                } else {
                    store.createOrder();
                    send(x, 201, "{\"id\":1}");
                }
            }
            case "GET /orders/1" -> {
                Map<String, Object> o = store.order();
                send(x, o == null ? 404 : 200, o == null ? "{}" : json(o));
            }
            case "POST /orders/1/pay" -> {
                Map<String, Object> o = store.order();
                if (o == null) {
                    send(x, 404, "{}");
                } else if ("cancelled".equals(o.get("status"))) {
                    send(x, 409, "{\"error\":\"cancelled\"}");
                } else {
                    store.addPayment();
                    store.setStatus("paid");
                    send(x, 200, "{\"status\":\"paid\"}");
                }
            }
            case "POST /orders/1/refund" -> {
                Map<String, Object> o = store.order();
                if (o == null) {
                    send(x, 404, "{}");
                } else if (((Number) o.get("refunds")).intValue() >= ((Number) o.get("payments")).intValue()) {
                    // the planted bug: compares with the number of payments, not with the order's total
                    send(x, 409, "{\"error\":\"nothing to refund\"}");
                } else {
                    store.addRefund();
                    store.setStatus("refunded");
                    send(x, 200, "{\"status\":\"refunded\"}");
                }
            }
            case "POST /orders/1/cancel" -> {
                if (store.order() == null) {
                    send(x, 404, "{}");
                } else {
                    store.setStatus("cancelled");
                    send(x, 200, "{\"status\":\"cancelled\"}");
                }
            }
            default -> send(x, 404, "{\"error\":\"no route\"}");
        }
    }

    private static String json(Map<String, Object> o) {
        StringBuilder sb = new StringBuilder("{");
        o.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":")
                .append(v instanceof Number ? v.toString() : "\"" + v + "\""));
        return sb.append('}').toString();
    }

    private static void send(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** The shop's tables; ids are max + 1, so they come back with any rollback. */
    static final String[] DDL = {
            "create table orders (id integer primary key, status varchar(20) not null, total integer not null)",
            "create table payments (id integer primary key, order_id integer not null, amount integer not null)",
            "create table refunds (id integer primary key, order_id integer not null, amount integer not null)"};

    /** The shop over SQL tables, through {@code ds} (one connection per call, auto-commit). */
    static Store sql(DataSource ds) {
        return new Store() {
            @Override
            public Map<String, Object> order() throws SQLException {
                try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("select status, total, (select count(*) from payments where order_id = 1), "
                             + "(select coalesce(sum(amount), 0) from refunds where order_id = 1), "
                             + "(select count(*) from refunds where order_id = 1) from orders where id = 1")) {
                    if (!rs.next()) {
                        return null;
                    }
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("status", rs.getString(1));
                    o.put("total", rs.getInt(2));
                    o.put("payments", rs.getInt(3));
                    o.put("refunded", rs.getInt(4));
                    o.put("refunds", rs.getInt(5));
                    return o;
                }
            }

            @Override
            public void createOrder() throws SQLException {
                update("insert into orders (id, status, total) values (1, 'new', " + TOTAL + ")");
            }

            @Override
            public void addPayment() throws SQLException {
                update("insert into payments (id, order_id, amount) select coalesce(max(id), 0) + 1, 1, " + TOTAL + " from payments");
            }

            @Override
            public void addRefund() throws SQLException {
                update("insert into refunds (id, order_id, amount) select coalesce(max(id), 0) + 1, 1, " + TOTAL + " from refunds");
            }

            @Override
            public void setStatus(String status) throws SQLException {
                try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("update orders set status = ? where id = 1")) {
                    ps.setString(1, status);
                    ps.executeUpdate();
                }
            }

            private void update(String sql) throws SQLException {
                try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                    st.executeUpdate(sql);
                }
            }
        };
    }

    /** The shop in the in-memory backend's store. */
    static Store memory(InMemoryStore s) {
        return new Store() {
            @Override
            public Map<String, Object> order() {
                if (s.get("status") == null) {
                    return null;
                }
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("status", s.get("status"));
                o.put("total", TOTAL);
                o.put("payments", s.get("payments"));
                o.put("refunded", ((Integer) s.get("refunds")) * TOTAL);
                o.put("refunds", s.get("refunds"));
                return o;
            }

            @Override
            public void createOrder() {
                s.put("status", "new");
                s.put("payments", 0);
                s.put("refunds", 0);
            }

            @Override
            public void addPayment() {
                s.put("payments", (Integer) s.get("payments") + 1);
            }

            @Override
            public void addRefund() {
                s.put("refunds", (Integer) s.get("refunds") + 1);
            }

            @Override
            public void setStatus(String status) {
                s.put("status", status);
            }
        };
    }
}
