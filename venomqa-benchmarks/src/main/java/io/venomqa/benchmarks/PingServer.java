package io.venomqa.benchmarks;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An in-process JDK {@link HttpServer} on a free port that answers every request with a fixed
 * JSON body of a chosen size, after an optional wait: the endpoint of row 7 and of the runner's
 * memory measurement, and (waiting, several calls at once) the workers' APIs of row 16.
 */
final class PingServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
        // delayed ACK: every request then takes ~40 ms on Linux, for VenomQA and baseline alike.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    PingServer(int bodyBytes) throws IOException {
        this(bodyBytes, 0, 2);
    }

    /** Answers after {@code waitMs}, up to {@code threads} calls at once. */
    PingServer(int bodyBytes, long waitMs, int threads) throws IOException {
        executor = Executors.newFixedThreadPool(threads);
        StringBuilder sb = new StringBuilder("{\"ok\":true,\"pad\":\"");
        while (sb.length() < bodyBytes - 2) {
            sb.append('x');
        }
        byte[] body = sb.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (waitMs > 0) {
                try {
                    Thread.sleep(waitMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
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
}
