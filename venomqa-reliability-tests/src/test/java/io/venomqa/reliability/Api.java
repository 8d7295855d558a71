package io.venomqa.reliability;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/** A small HTTP API on a free port of 127.0.0.1 whose routes are lambdas; {@link #close()} stops it for good. */
final class Api implements AutoCloseable {

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** What a route sees. */
    record Request(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** A status and a raw body (sent as application/json). */
    record Reply(int status, String body) {
    }

    @FunctionalInterface
    interface Route {
        Reply handle(Request r) throws Exception;
    }

    private final HttpServer server;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();

    Api() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "test-api");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", ex -> {
            Reply reply;
            try {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Route route = routes.get(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
                reply = route == null ? new Reply(404, "{\"error\":\"no route\"}")
                        : route.handle(new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                        ex.getRequestHeaders(), body));
            } catch (Exception e) {
                reply = new Reply(500, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    Api route(String methodAndPath, Route route) {
        routes.put(methodAndPath, route);
        return this;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
