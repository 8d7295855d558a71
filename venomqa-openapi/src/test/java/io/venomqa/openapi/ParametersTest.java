package io.venomqa.openapi;

import com.sun.net.httpserver.HttpServer;
import io.venomqa.explore.ExplorationConsole;
import io.venomqa.explore.ExplorationResult;
import io.venomqa.explore.Strategy;
import io.venomqa.http.Client;
import io.venomqa.state.memory.InMemoryStateManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Array and object parameters written as their {@code style} and {@code explode} say (OpenAPI 3's serialization). */
class ParametersTest {

    @Test
    @DisplayName("query arrays exploded, comma- and pipe-joined, objects exploded and as deepObject, arrays in a header and the path, a required cookie: each as declared")
    void styles() throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String query = ex.getRequestURI().getRawQuery();
            seen.add(ex.getRequestURI().getRawPath() + (query == null ? "" : " ? " + URLDecoder.decode(query, StandardCharsets.UTF_8))
                    + " | X-Ids: " + ex.getRequestHeaders().getFirst("X-Ids") + " | Cookie: " + ex.getRequestHeaders().getFirst("Cookie"));
            byte[] b = "{}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        InMemoryStateManager manager = new InMemoryStateManager();
        manager.connect();
        try {
            OpenApiExploration oa = OpenApiExploration.from(OpenApiDocument.read(Path.of("src/test/resources/openapi/parameters.yaml")));
            Client client = new Client("http://127.0.0.1:" + server.getAddress().getPort());
            ExplorationResult r = oa.explorationBuilder(client, manager)
                    .strategy(Strategy.breadthFirst()).maxDepth(1).maxSteps(10).build().run();
            assertThat(r.violations()).as(ExplorationConsole.summary(r)).isEmpty();
            assertThat(seen).contains(
                    "/search ? ids=3,5&tags=red&tags=red&filter[floor]=2&filter[kind]=suite&sort=name|-date&size=20&number=1 | X-Ids: 1,2"
                            + " | Cookie: tenant=acme%20corp",
                    "/rooms/1%2C2 | X-Ids: null | Cookie: null");

            // A replay sends the recorded call without its Cookie header (masked): the adapter adds the cookie again.
            seen.clear();
            Client.RequestBuilder replayed = client.request("GET", "/search");
            oa.replayAdapter().authorize("search", replayed, new io.venomqa.context.ExecutionContext());
            replayed.send();
            assertThat(seen).singleElement().asString().endsWith(" | Cookie: tenant=acme%20corp");
        } finally {
            server.stop(0);
            manager.disconnect();
        }
    }
}
