package io.venomqa.testing;

import io.venomqa.state.memory.InMemoryStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny shop API for the runner's tests: login, orders and payments kept in an
 * {@link InMemoryStore}, so an {@code InMemoryStateManager} over the same store can roll it back.
 */
public final class ShopApi implements AutoCloseable {

    public static final String PASSWORD = "s3cret-pass";
    public static final String TOKEN = "tok-9f8e7d6c5b4a";

    public final TestServer server;
    public final InMemoryStore store;
    private final Map<String, AtomicInteger> flakyCalls = new ConcurrentHashMap<>();

    public ShopApi(InMemoryStore store) throws IOException {
        this.store = store;
        this.server = new TestServer();
        server.route("POST", "/login", r -> PASSWORD.equals(r.json().path("password").asText())
                ? TestServer.Reply.ok(Map.of("token", TOKEN, "user", r.json().path("email").asText()))
                : new TestServer.Reply(401, Map.of("error", "bad credentials")));
        server.route("POST", "/orders", r -> {
            if (!("Bearer " + TOKEN).equals(r.header("Authorization"))) {
                return new TestServer.Reply(401, Map.of("error", "not logged in"));
            }
            synchronized (store) {
                List<Object> orders = orders();
                int id = orders.size() + 1;
                Map<String, Object> order = new LinkedHashMap<>();
                order.put("id", id);
                order.put("item", r.json().path("item").asText());
                order.put("status", "new");
                orders.add(order);
                store.put("orders", orders);
                return new TestServer.Reply(201, Map.of("id", id));
            }
        });
        server.route("GET", "/orders", r -> TestServer.Reply.ok(Map.of("count", orders().size(), "orders", orders())));
        server.route("POST", "/pay", r -> {
            String method = r.json().path("method").asText();
            if (method.equals("declined")) {
                return new TestServer.Reply(402, Map.of("error", "card declined"));
            }
            synchronized (store) {
                List<Object> payments = list("payments");
                payments.add(Map.of("order", r.json().path("order_id").asInt(), "method", method));
                store.put("payments", payments);
            }
            return TestServer.Reply.ok(Map.of("status", "paid", "method", method));
        });
        server.route("GET", "/payments", r -> TestServer.Reply.ok(Map.of("count", list("payments").size())));
        server.route("GET", "/slow", r -> {
            Thread.sleep(Long.parseLong(r.query().getOrDefault("ms", "1000")));
            return TestServer.Reply.ok(Map.of("slept", true));
        });
        server.route("GET", "/flaky", r -> {
            int call = flakyCalls.computeIfAbsent(r.query().get("key"), k -> new AtomicInteger()).incrementAndGet();
            int failures = Integer.parseInt(r.query().getOrDefault("failures", "2"));
            return call <= failures ? new TestServer.Reply(503, Map.of("error", "try again", "call", call))
                    : TestServer.Reply.ok(Map.of("call", call));
        });
        server.route("GET", "/status", r -> new TestServer.Reply(Integer.parseInt(r.query().get("code")),
                Map.of("code", r.query().get("code"), "detail", "x".repeat(Integer.parseInt(r.query().getOrDefault("pad", "0"))))));
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(String key) {
        Object v = store.get(key);
        return v == null ? new ArrayList<>() : new ArrayList<>((List<Object>) v);
    }

    private List<Object> orders() {
        return list("orders");
    }

    public int orderCount() {
        return orders().size();
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    @Override
    public void close() {
        server.close();
    }
}
