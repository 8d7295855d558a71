package io.venomqa.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.venomqa.state.memory.InMemoryStore;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API of {@code customers.yaml} over the JDK's HTTP server, its data in an {@link InMemoryStore}
 * (so the memory backend rolls it back). Correct unless given bugs, each planted for one check.
 */
final class TestApi implements AutoCloseable {

    /** One planted bug per check. */
    enum Bug {
        /** PATCH /customers/{id} answers 500. */
        SERVER_ERROR,
        /** PATCH /customers/{id} answers 418 (not declared). */
        UNDECLARED_STATUS,
        /** GET /customers/{id} returns the id as a string. */
        SCHEMA_MISMATCH,
        /** POST /customers answers 201 but stores nothing. */
        NOT_READABLE,
        /** DELETE /customers/{id} answers 204 but keeps the customer. */
        DELETE_KEEPS,
        /** POST /customers/{id}/orders answers 404 although the customer exists. */
        ORDERS_NOT_FOUND,
        /** GET /customers/{id} counts the visit in a row of the store (a read that writes). */
        GET_WRITES,
        /** POST /customers takes a name shorter than the document's minLength 2. */
        SHORT_NAME_ACCEPTED
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern CUSTOMER = Pattern.compile("^/customers/([^/]+)$");
    private static final Pattern ORDERS = Pattern.compile("^/customers/([^/]+)/orders$");
    private static final Pattern ORDER = Pattern.compile("^/orders/([^/]+)$");

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final InMemoryStore store;
    private final Set<Bug> bugs;
    private final String requiredToken;

    TestApi(InMemoryStore store, Set<Bug> bugs, String requiredToken) throws IOException {
        this.store = store;
        this.bugs = bugs.isEmpty() ? EnumSet.noneOf(Bug.class) : EnumSet.copyOf(bugs);
        this.requiredToken = requiredToken;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            String query = ex.getRequestURI().getQuery();
            byte[] in = ex.getRequestBody().readAllBytes();
            if (path.equals("/login") && method.equals("POST")) {
                JsonNode b = MAPPER.readTree(in);
                if ("qa".equals(b.path("user").asText()) && "secret".equals(b.path("password").asText())) {
                    send(ex, 200, Map.of("token", requiredToken == null ? "t" : requiredToken));
                } else {
                    send(ex, 401, Map.of("message", "bad credentials"));
                }
                return;
            }
            if (requiredToken != null && !("Bearer " + requiredToken).equals(ex.getRequestHeaders().getFirst("Authorization"))
                    && !(query != null && query.contains("key=" + requiredToken))
                    && !("key=" + requiredToken).equals(ex.getRequestHeaders().getFirst("Cookie"))) {
                send(ex, 401, Map.of("message", "unauthorized"));
                return;
            }
            synchronized (store) {
                route(ex, method, path, in);
            }
        }
    }

    private void route(HttpExchange ex, String method, String path, byte[] in) throws IOException {
        Matcher m;
        if (path.equals("/customers") && method.equals("POST")) {
            JsonNode b = MAPPER.readTree(in);
            if (!b.path("name").isTextual() || (b.get("name").asText().length() < 2 && !bugs.contains(Bug.SHORT_NAME_ACCEPTED))) {
                send(ex, 400, Map.of("message", "name is required, 2 characters or more"));
                return;
            }
            int id = next("customer");
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", id);
            c.put("name", b.get("name").asText());
            c.put("email", b.path("email").asText("none@example.com"));
            if (!bugs.contains(Bug.NOT_READABLE)) {
                store.put("customer:" + id, c);
            }
            ex.getResponseHeaders().add("Location", "/customers/" + id);
            send(ex, 201, c);
        } else if (path.equals("/customers") && method.equals("GET")) {
            List<Object> all = new ArrayList<>();
            new TreeMap<>(store.asMap()).forEach((k, v) -> {
                if (k.startsWith("customer:")) {
                    all.add(v);
                }
            });
            send(ex, 200, all);
        } else if ((m = CUSTOMER.matcher(path)).matches()) {
            String key = "customer:" + m.group(1);
            @SuppressWarnings("unchecked")
            Map<String, Object> c = (Map<String, Object>) store.get(key);
            switch (method) {
                case "GET" -> {
                    if (c != null && bugs.contains(Bug.GET_WRITES)) {
                        Object n = store.get("visits:" + m.group(1));
                        store.put("visits:" + m.group(1), n == null ? 1 : ((Number) n).intValue() + 1);
                    }
                    if (c == null) {
                        send(ex, 404, Map.of("message", "no customer " + m.group(1)));
                    } else if (bugs.contains(Bug.SCHEMA_MISMATCH)) {
                        Map<String, Object> wrong = new LinkedHashMap<>(c);
                        wrong.put("id", String.valueOf(c.get("id")));
                        send(ex, 200, wrong);
                    } else {
                        send(ex, 200, c);
                    }
                }
                case "PATCH" -> {
                    if (bugs.contains(Bug.SERVER_ERROR)) {
                        send(ex, 500, Map.of("message", "NullPointerException"));
                    } else if (bugs.contains(Bug.UNDECLARED_STATUS)) {
                        send(ex, 418, Map.of("message", "teapot"));
                    } else if (c == null) {
                        send(ex, 404, Map.of("message", "no customer"));
                    } else {
                        Map<String, Object> copy = new LinkedHashMap<>(c);
                        JsonNode b = MAPPER.readTree(in);
                        int length = b.path("name").asText("").length();
                        if (!b.path("name").isTextual() || length < 1 || length > 40) {
                            send(ex, 400, Map.of("message", "name: 1 to 40 characters"));
                            return;
                        }
                        copy.put("name", b.get("name").asText());
                        store.put(key, copy);
                        send(ex, 200, copy);
                    }
                }
                case "DELETE" -> {
                    if (c == null) {
                        send(ex, 404, Map.of("message", "no customer"));
                    } else {
                        if (!bugs.contains(Bug.DELETE_KEEPS)) {
                            store.remove(key);
                        }
                        send(ex, 204, null);
                    }
                }
                default -> send(ex, 405, Map.of("message", "method not allowed"));
            }
        } else if ((m = ORDERS.matcher(path)).matches() && method.equals("POST")) {
            if (store.get("customer:" + m.group(1)) == null || bugs.contains(Bug.ORDERS_NOT_FOUND)) {
                send(ex, 404, Map.of("message", "no customer"));
                return;
            }
            JsonNode b = MAPPER.readTree(in);
            JsonNode amount = b.path("amount");
            if (!amount.canConvertToExactIntegral() || amount.asInt() < 1 || amount.asInt() > 1000 || b.size() != 1) {
                send(ex, 400, Map.of("message", "amount: an integer from 1 to 1000, and nothing else"));
                return;
            }
            int id = next("order");
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", id);
            o.put("customerId", Integer.parseInt(m.group(1)));
            o.put("amount", b.path("amount").asInt());
            store.put("order:" + id, o);
            send(ex, 201, o);
        } else if ((m = ORDER.matcher(path)).matches() && method.equals("GET")) {
            Object o = store.get("order:" + m.group(1));
            send(ex, o == null ? 404 : 200, o == null ? Map.of("message", "no order") : o);
        } else {
            send(ex, 404, Map.of("message", "no route " + method + " " + path));
        }
    }

    private int next(String what) {
        Object n = store.get("seq:" + what);
        int v = n == null ? 1 : ((Number) n).intValue() + 1;
        store.put("seq:" + what, v);
        return v;
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
