package io.venomqa.cli;

import com.sun.net.httpserver.HttpServer;
import io.venomqa.cli.support.Cli;
import io.venomqa.cli.support.Cli.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * venomqa run with {@code worker_apis}: the registered journeys' paths spread over two APIs, each
 * with a database of its own, and the printed tree, summary and exit code are those of a serial run.
 */
class RunWorkersTest {

    @TempDir
    Path dir;

    private final List<HttpServer> servers = new ArrayList<>();
    private final List<List<String>> calls = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    /** An API like RunTest's, with users of its own; returns its base URL. */
    private String api() throws IOException {
        Set<String> users = ConcurrentHashMap.newKeySet();
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String route = x.getRequestMethod() + " " + x.getRequestURI().getPath();
            seen.add(route);
            int status = switch (route) {
                case "POST /users" -> users.add(body) ? 201 : 409;
                case "POST /login" -> 200;
                default -> 500;
            };
            byte[] reply = (status == 500 ? "{\"error\":\"boom\"}" : "{}").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status, reply.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(reply);
            }
        });
        api.start();
        servers.add(api);
        calls.add(seen);
        return "http://127.0.0.1:" + api.getAddress().getPort();
    }

    private static String normalized(String out) {
        return out.replaceAll("http://127\\.0\\.0\\.1:\\d+", "http://api").replaceAll("\\d+(\\.\\d+)? ?(ms|s)\\b", "T");
    }

    @Test
    void workerApisRunThePathsOnTheirOwnApisAndPrintWhatASerialRunPrints() throws IOException {
        Path serialConfig = dir.resolve("serial.yaml");
        Files.writeString(serialConfig, "base_url: " + api() + "\ndb_url: memory://cli-w-serial\n");
        Path workerConfig = dir.resolve("venomqa.yaml");
        Files.writeString(workerConfig, "workers: 2\nworker_apis:\n"
                + "  - {base_url: " + api() + ", db_url: \"memory://cli-w-1\"}\n"
                + "  - {base_url: " + api() + ", db_url: \"memory://cli-w-2\"}\n");

        Result serial = Cli.run("run", "-c", serialConfig.toString(), "--class", "io.venomqa.cli.support.ShopJourneys");
        Result parallel = Cli.run("run", "-c", workerConfig.toString(), "--class", "io.venomqa.cli.support.ShopJourneys");

        assertThat(parallel.code()).as(parallel.toString()).isEqualTo(ExitCodes.FAILED).isEqualTo(serial.code());
        assertThat(normalized(parallel.out())).isEqualTo(normalized(serial.out()));
        assertThat(parallel.out()).contains("▸ path login", "▸ path duplicate", "2 journeys: 1 passed, 1 failed");
        // signup's first path on worker 1, its second on worker 2; each replays create_user; broken has no path.
        assertThat(calls.get(1)).containsExactly("POST /users", "POST /login", "POST /explode");
        assertThat(calls.get(2)).containsExactly("POST /users", "POST /users");
    }

    @Test
    void moreThanOneWorkerWithoutWorkerApisSaysWhatToList() throws IOException {
        Path config = dir.resolve("venomqa.yaml");
        Files.writeString(config, "base_url: " + api() + "\ndb_url: memory://cli-w-none\nworkers: 3\n");

        Result r = Cli.run("run", "-c", config.toString(), "--class", "io.venomqa.cli.support.ShopJourneys");

        assertThat(r.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("workers: 3", "worker_apis");
    }
}
