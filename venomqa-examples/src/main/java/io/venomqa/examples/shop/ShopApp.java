package io.venomqa.examples.shop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small shop API, the application the checkout journey tests: users, sessions, a cart, orders and
 * payments, stored through plain JDBC in whatever {@link DataSource} it is given. Served by the JDK
 * {@link HttpServer} on a free port of 127.0.0.1. Its SQL runs on SQLite, PostgreSQL and MySQL/MariaDB.
 *
 * <p>Given a VenomQA state manager's {@code sharedDataSource()}, every write it makes happens inside
 * the manager's transaction, so the runner's rollbacks undo them: that is the whole point of the demo.
 * Each request uses one connection with auto-commit off and commits at the end, as a real
 * application would.
 *
 * <pre>
 * POST /users                 {email, password, name}          → 201 {id}
 * POST /login                 {email, password}                → 200 {token}
 * GET  /products                                               → 200 [{sku, name, price_cents}]
 * GET  /products/{sku}                                         → 200 {sku, name, price_cents} | 404
 * POST /cart/items            {sku, qty}              (bearer) → 201 {cart_items}
 * GET  /cart                                          (bearer) → 200 {items, total_cents}
 * POST /orders                                        (bearer) → 201 {id, total_cents, status: pending}; empties the cart
 * GET  /orders                                        (bearer) → 200 {count, orders}
 * GET  /orders/{id}                                   (bearer) → 200 {id, status, total_cents, items}
 * POST /orders/{id}/payments  {method: card|paypal, card_number | paypal_email} (bearer)
 *                                                              → 201 {id, status: paid} | 402 declined | 409 already paid
 * POST /orders/{id}/refund                            (bearer) → 200 {status: refunded} | 409 not paid
 * GET  /stats                                                  → 200 {users, orders, payments, cart_items}
 * GET  /openapi.yaml                                           → 200 this API as an OpenAPI 3.0 document
 * </pre>
 * The card number {@value #DECLINED_CARD} is always declined.
 *
 * <p>The shop has one bug on purpose, for the exploration demo ({@code ShopExploration}): a refund
 * also marks the order's declined payment attempts as refunded, so an order paid after a declined
 * attempt is refunded more than its total. No journey of the examples takes that sequence.
 *
 * <p>And one mismatch with its own {@linkplain #OPENAPI_RESOURCE OpenAPI document}, for the
 * {@code -Popenapi-demo} ({@code OpenApiDemo}): {@code GET /products/{sku}}, which no journey calls,
 * answers {@code price_cents} as a string where the document declares an integer.
 */
public final class ShopApp implements AutoCloseable {

    /** A card number the shop always declines. */
    public static final String DECLINED_CARD = "4000000000000002";

    /** The class-path resource of the shop's OpenAPI document, served at {@code GET /openapi.yaml}. */
    public static final String OPENAPI_RESOURCE = "/io/venomqa/examples/shop/openapi.yaml";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PRODUCT = Pattern.compile("/products/([^/]+)");
    private static final Pattern ORDER = Pattern.compile("/orders/(\\d+)");
    private static final Pattern ORDER_PAYMENTS = Pattern.compile("/orders/(\\d+)/payments");
    private static final Pattern ORDER_REFUND = Pattern.compile("/orders/(\\d+)/refund");

    static {
        // Small responses otherwise wait for the client's delayed ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final DataSource dataSource;
    private final HttpServer server;
    private final ExecutorService executor;

    private ShopApp(DataSource dataSource, int port) throws IOException {
        this.dataSource = dataSource;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "shop-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Starts the shop on {@code port} (0: a free one), storing its data through {@code dataSource}. */
    public static ShopApp start(DataSource dataSource, int port) throws IOException {
        ShopApp app = new ShopApp(dataSource, port);
        app.server.start();
        return app;
    }

    /**
     * Creates the schema and the catalogue on SQLite, PostgreSQL or MySQL/MariaDB (the databases the
     * demo and its tests use); safe to run twice.
     */
    public static void createSchema(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
        boolean postgres = product.contains("postgres");
        boolean mysql = product.contains("mysql") || product.contains("mariadb");
        String id = postgres ? "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
                : mysql ? "id BIGINT AUTO_INCREMENT PRIMARY KEY" : "id INTEGER PRIMARY KEY AUTOINCREMENT";
        String key = mysql ? "VARCHAR(200)" : "TEXT"; // MySQL cannot index TEXT without a prefix length
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS users (" + id + ", email " + key + " NOT NULL UNIQUE,"
                    + " name TEXT NOT NULL, password_hash TEXT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS sessions (token " + key + " PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users(id))");
            s.execute("CREATE TABLE IF NOT EXISTS products (sku " + key + " PRIMARY KEY, name TEXT NOT NULL, price_cents INTEGER NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS cart_items (" + id + ","
                    + " user_id BIGINT NOT NULL REFERENCES users(id), sku " + key + " NOT NULL REFERENCES products(sku), qty INTEGER NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS orders (" + id + ","
                    + " user_id BIGINT NOT NULL REFERENCES users(id), total_cents BIGINT NOT NULL, status TEXT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS order_items (" + id + ","
                    + " order_id BIGINT NOT NULL REFERENCES orders(id), sku TEXT NOT NULL, qty INTEGER NOT NULL, price_cents INTEGER NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS payments (" + id + ","
                    + " order_id BIGINT NOT NULL REFERENCES orders(id), method TEXT NOT NULL, amount_cents BIGINT NOT NULL, status TEXT NOT NULL)");
            String values = " (sku, name, price_cents) VALUES ('BOOK-1', 'The Pragmatic Tester', 3500),"
                    + " ('MUG-1', 'Rollback mug', 1200), ('STICKER', 'Checkpoint sticker', 300)";
            s.execute(postgres ? "INSERT INTO products" + values + " ON CONFLICT DO NOTHING"
                    : mysql ? "INSERT IGNORE INTO products" + values : "INSERT OR IGNORE INTO products" + values);
        }
    }

    /** Base URL of the running shop. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- HTTP ------------------------------------------------------------------------------

    /** An answer: status and a JSON body. */
    private record Reply(int status, Object body) {
    }

    /** A request failed for a reason the client should see. */
    private static final class ApiError extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        ApiError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** The shop's OpenAPI document (YAML). */
    public static String openApiDocument() {
        try (var in = ShopApp.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The resource " + OPENAPI_RESOURCE + " is missing from the examples' jar.");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        if (ex.getRequestMethod().equals("GET") && ex.getRequestURI().getPath().equals("/openapi.yaml")) {
            ex.getRequestBody().readAllBytes();
            byte[] doc = openApiDocument().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/yaml");
            ex.sendResponseHeaders(200, doc.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(doc);
            }
            return;
        }
        Reply reply;
        try {
            byte[] raw = ex.getRequestBody().readAllBytes();
            JsonNode body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            reply = route(ex.getRequestMethod(), ex.getRequestURI().getPath(), body, auth);
        } catch (ApiError e) {
            reply = new Reply(e.status, Map.of("error", e.getMessage()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            reply = new Reply(400, Map.of("error", "body is not JSON"));
        } catch (Exception e) {
            reply = new Reply(500, Map.of("error", e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
        byte[] bytes = JSON.writeValueAsBytes(reply.body());
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    private Reply route(String method, String path, JsonNode body, String auth) throws Exception {
        Matcher m;
        if (method.equals("POST") && path.equals("/users")) {
            return tx(c -> createUser(c, body));
        }
        if (method.equals("POST") && path.equals("/login")) {
            return tx(c -> login(c, body));
        }
        if (method.equals("GET") && path.equals("/products")) {
            return tx(c -> new Reply(200, rows(c, "SELECT sku, name, price_cents FROM products ORDER BY sku")));
        }
        if (method.equals("GET") && (m = PRODUCT.matcher(path)).matches()) {
            String sku = m.group(1);
            return tx(c -> product(c, sku));
        }
        if (method.equals("GET") && path.equals("/stats")) {
            return tx(this::stats);
        }
        if (method.equals("POST") && path.equals("/cart/items")) {
            return tx(c -> addToCart(c, user(c, auth), body));
        }
        if (method.equals("GET") && path.equals("/cart")) {
            return tx(c -> new Reply(200, cart(c, user(c, auth))));
        }
        if (method.equals("POST") && path.equals("/orders")) {
            return tx(c -> createOrder(c, user(c, auth)));
        }
        if (method.equals("GET") && path.equals("/orders")) {
            return tx(c -> {
                List<Map<String, Object>> orders = rows(c, "SELECT id, total_cents, status FROM orders WHERE user_id = ? ORDER BY id", user(c, auth));
                return new Reply(200, Map.of("count", orders.size(), "orders", orders));
            });
        }
        if (method.equals("GET") && (m = ORDER.matcher(path)).matches()) {
            long id = Long.parseLong(m.group(1));
            return tx(c -> new Reply(200, order(c, user(c, auth), id)));
        }
        if (method.equals("POST") && (m = ORDER_PAYMENTS.matcher(path)).matches()) {
            long id = Long.parseLong(m.group(1));
            return tx(c -> pay(c, user(c, auth), id, body));
        }
        if (method.equals("POST") && (m = ORDER_REFUND.matcher(path)).matches()) {
            long id = Long.parseLong(m.group(1));
            return tx(c -> refund(c, user(c, auth), id));
        }
        throw new ApiError(404, "no route for " + method + " " + path);
    }

    @FunctionalInterface
    private interface Work {
        Reply run(Connection c) throws Exception;
    }

    /** One request, one transaction: commit on success, roll back on any error. */
    private Reply tx(Work work) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Reply r = work.run(c);
                c.commit();
                return r;
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }

    // ---- the shop --------------------------------------------------------------------------

    private Reply createUser(Connection c, JsonNode b) throws Exception {
        String email = required(b, "email");
        String password = required(b, "password");
        if (password.length() < 8) {
            throw new ApiError(400, "password must have at least 8 characters");
        }
        if (!rows(c, "SELECT id FROM users WHERE email = ?", email).isEmpty()) {
            throw new ApiError(409, "a user with that email exists");
        }
        long id = insert(c, "INSERT INTO users (email, name, password_hash) VALUES (?, ?, ?)",
                email, b.path("name").asText(email), hash(password));
        return new Reply(201, Map.of("id", id, "email", email));
    }

    private Reply login(Connection c, JsonNode b) throws Exception {
        List<Map<String, Object>> u = rows(c, "SELECT id FROM users WHERE email = ? AND password_hash = ?",
                required(b, "email"), hash(required(b, "password")));
        if (u.isEmpty()) {
            throw new ApiError(401, "wrong email or password");
        }
        String token = UUID.randomUUID().toString();
        update(c, "INSERT INTO sessions (token, user_id) VALUES (?, ?)", token, u.get(0).get("id"));
        return new Reply(200, Map.of("token", token));
    }

    private long user(Connection c, String auth) throws Exception {
        if (auth == null || !auth.startsWith("Bearer ")) {
            throw new ApiError(401, "log in first: send Authorization: Bearer <token>");
        }
        List<Map<String, Object>> s = rows(c, "SELECT user_id FROM sessions WHERE token = ?", auth.substring(7));
        if (s.isEmpty()) {
            throw new ApiError(401, "unknown or expired token");
        }
        return ((Number) s.get(0).get("user_id")).longValue();
    }

    private Reply addToCart(Connection c, long user, JsonNode b) throws Exception {
        String sku = required(b, "sku");
        int qty = b.path("qty").asInt(1);
        if (qty < 1) {
            throw new ApiError(400, "qty must be at least 1");
        }
        if (rows(c, "SELECT sku FROM products WHERE sku = ?", sku).isEmpty()) {
            throw new ApiError(404, "no product " + sku);
        }
        insert(c, "INSERT INTO cart_items (user_id, sku, qty) VALUES (?, ?, ?)", user, sku, qty);
        return new Reply(201, cart(c, user));
    }

    private Map<String, Object> cart(Connection c, long user) throws SQLException {
        List<Map<String, Object>> items = rows(c, "SELECT ci.sku, ci.qty, p.price_cents FROM cart_items ci"
                + " JOIN products p ON p.sku = ci.sku WHERE ci.user_id = ? ORDER BY ci.id", user);
        long total = 0;
        for (Map<String, Object> i : items) {
            total += ((Number) i.get("qty")).longValue() * ((Number) i.get("price_cents")).longValue();
        }
        return Map.of("items", items, "total_cents", total);
    }

    private Reply createOrder(Connection c, long user) throws Exception {
        Map<String, Object> cart = cart(c, user);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) cart.get("items");
        if (items.isEmpty()) {
            throw new ApiError(409, "the cart is empty");
        }
        long id = insert(c, "INSERT INTO orders (user_id, total_cents, status) VALUES (?, ?, 'pending')", user, cart.get("total_cents"));
        for (Map<String, Object> i : items) {
            insert(c, "INSERT INTO order_items (order_id, sku, qty, price_cents) VALUES (?, ?, ?, ?)",
                    id, i.get("sku"), i.get("qty"), i.get("price_cents"));
        }
        update(c, "DELETE FROM cart_items WHERE user_id = ?", user);
        return new Reply(201, Map.of("id", id, "total_cents", cart.get("total_cents"), "status", "pending"));
    }

    private Map<String, Object> order(Connection c, long user, long id) throws Exception {
        List<Map<String, Object>> o = rows(c, "SELECT id, total_cents, status FROM orders WHERE id = ? AND user_id = ?", id, user);
        if (o.isEmpty()) {
            throw new ApiError(404, "no order " + id);
        }
        Map<String, Object> order = new LinkedHashMap<>(o.get(0));
        order.put("items", rows(c, "SELECT sku, qty, price_cents FROM order_items WHERE order_id = ? ORDER BY id", id));
        order.put("payments", rows(c, "SELECT id, method, amount_cents, status FROM payments WHERE order_id = ? ORDER BY id", id));
        return order;
    }

    private Reply pay(Connection c, long user, long orderId, JsonNode b) throws Exception {
        Map<String, Object> order = order(c, user, orderId);
        if (!"pending".equals(order.get("status"))) {
            throw new ApiError(409, "order " + orderId + " is " + order.get("status") + ", not pending");
        }
        String method = required(b, "method");
        switch (method) {
            case "card" -> {
                String number = required(b, "card_number");
                if (number.equals(DECLINED_CARD)) {
                    // The declined attempt is kept (committed with the reply), as a real shop would.
                    insert(c, "INSERT INTO payments (order_id, method, amount_cents, status) VALUES (?, 'card', ?, 'declined')",
                            orderId, order.get("total_cents"));
                    return new Reply(402, Map.of("error", "card declined", "order_id", orderId));
                }
            }
            case "paypal" -> required(b, "paypal_email");
            default -> throw new ApiError(400, "method must be card or paypal");
        }
        long id = insert(c, "INSERT INTO payments (order_id, method, amount_cents, status) VALUES (?, ?, ?, 'paid')",
                orderId, method, order.get("total_cents"));
        update(c, "UPDATE orders SET status = 'paid' WHERE id = ?", orderId);
        return new Reply(201, Map.of("id", id, "order_id", orderId, "status", "paid", "amount_cents", order.get("total_cents")));
    }

    private Reply refund(Connection c, long user, long orderId) throws Exception {
        Map<String, Object> order = order(c, user, orderId);
        if (!"paid".equals(order.get("status"))) {
            throw new ApiError(409, "order " + orderId + " is " + order.get("status") + ", only paid orders can be refunded");
        }
        // PLANTED BUG (the exploration demo finds it; no journey covers it): every payment of the order
        // that is not refunded yet is marked refunded, the declined attempts included. Pay with a
        // declined card, retry with a good one, refund: the order is refunded twice its total.
        update(c, "UPDATE payments SET status = 'refunded' WHERE order_id = ? AND status <> 'refunded'", orderId);
        update(c, "UPDATE orders SET status = 'refunded' WHERE id = ?", orderId);
        return new Reply(200, Map.of("id", orderId, "status", "refunded"));
    }

    private Reply product(Connection c, String sku) throws Exception {
        List<Map<String, Object>> p = rows(c, "SELECT sku, name, price_cents FROM products WHERE sku = ?", sku);
        if (p.isEmpty()) {
            throw new ApiError(404, "no product " + sku);
        }
        Map<String, Object> product = new LinkedHashMap<>(p.get(0));
        // PLANTED MISMATCH (the OpenAPI demo finds it; no journey calls this operation): the price goes
        // out as a string, where the document declares an integer number of cents.
        product.put("price_cents", String.valueOf(product.get("price_cents")));
        return new Reply(200, product);
    }

    private Reply stats(Connection c) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String table : List.of("users", "orders", "payments", "cart_items")) {
            out.put(table, ((Number) rows(c, "SELECT COUNT(*) AS n FROM " + table).get(0).get("n")).longValue());
        }
        return new Reply(200, out);
    }

    // ---- JDBC helpers ----------------------------------------------------------------------

    private static List<Map<String, Object>> rows(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<Map<String, Object>> out = new ArrayList<>();
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    out.add(row);
                }
                return out;
            }
        }
    }

    private static long insert(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            bind(ps, args);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                return keys.next() ? keys.getLong(1) : -1;
            }
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    private static String required(JsonNode b, String field) throws ApiError {
        JsonNode v = b.get(field);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            throw new ApiError(400, field + " is required");
        }
        return v.asText();
    }

    private static String hash(String password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
