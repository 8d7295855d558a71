package io.venomqa.explore;

import com.sun.net.httpserver.HttpServer;
import io.venomqa.state.memory.InMemoryStore;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The README's exploration example's API, in this JVM, its cart in an in-memory store:
 * {@code POST /cart/items} adds an item (up to 2), {@code DELETE /cart/items} removes one, with a
 * planted bug: it answers 200 on an empty cart and the count goes below 0.
 */
final class CartApi implements AutoCloseable {

    private final HttpServer server;

    CartApi(InMemoryStore store) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/cart", x -> {
            x.getRequestBody().readAllBytes();
            int status;
            int count;
            synchronized (store) {
                count = store.get("cart_items") instanceof Integer n ? n : 0;
                status = switch (x.getRequestMethod() + " " + x.getRequestURI().getPath()) {
                    case "POST /cart/items" -> count < 2 ? 201 : 409;
                    case "DELETE /cart/items" -> 200; // the bug: no check for an empty cart
                    case "GET /cart" -> 200;
                    default -> 404;
                };
                if (status == 201) {
                    store.put("cart_items", ++count);
                } else if (x.getRequestMethod().equals("DELETE") && status == 200) {
                    store.put("cart_items", --count);
                }
            }
            byte[] body = ("{\"count\":" + count + "}").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(status, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
