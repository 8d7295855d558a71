package io.venomqa.cli.support;

import com.sun.net.httpserver.HttpServer;
import io.venomqa.state.memory.InMemoryStore;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A wallet API for {@code venomqa explore} tests, keeping its balance in a named in-memory store
 * (the one {@code db_url: memory://<store>} checkpoints). {@code POST /withdraw} has a planted bug:
 * it accepts a withdrawal from a balance of 0, which makes the balance negative; {@code POST
 * /safe/withdraw} is the correct one. Deposits stop at 20, so the state graph is small.
 */
public final class WalletApi implements AutoCloseable {

    /** The step of every deposit and withdrawal. */
    public static final int AMOUNT = 10;

    private final HttpServer server;
    private final String store = "cli-wallet-" + UUID.randomUUID().toString().substring(0, 8);

    public WalletApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            InMemoryStore s = InMemoryStore.named(store);
            int status;
            String body;
            synchronized (s) {
                int balance = s.get("balance") instanceof Integer b ? b : 0;
                String route = x.getRequestMethod() + " " + x.getRequestURI().getPath();
                status = switch (route) {
                    case "POST /deposit" -> balance < 2 * AMOUNT ? 200 : 409;
                    case "POST /withdraw" -> balance >= 0 ? 200 : 409; // the planted bug: >= 0, not >= AMOUNT
                    case "POST /safe/withdraw" -> balance >= AMOUNT ? 200 : 409;
                    case "GET /balance" -> 200;
                    default -> 404;
                };
                if (status == 200 && route.equals("POST /deposit")) {
                    balance += AMOUNT;
                    s.put("balance", balance);
                } else if (status == 200 && route.endsWith("/withdraw")) {
                    balance -= AMOUNT;
                    s.put("balance", balance);
                }
                body = "{\"balance\":" + balance + "}";
            }
            byte[] reply = body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(status, reply.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(reply);
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The name of the in-memory store holding the balance: {@code db_url: memory://<this>}. */
    public String store() {
        return store;
    }

    @Override
    public void close() {
        server.stop(0);
        InMemoryStore.dropNamed(store);
    }
}
