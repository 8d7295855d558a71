package io.venomqa.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.state.memory.InMemoryStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Session cookies, as a Spring Security form login sets them: on the login's redirect. The client keeps them
 * like a browser, each client its own; the runner saves them with every checkpoint and puts them back on
 * rollback, so a path starts with the checkpoint's session whatever the path before it did.
 */
class CookiesTest {

    private HttpServer server;
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();

    /** POST /login: 302 to /home setting SESSION; GET /me and /home: 200 with a known SESSION, else 401; POST /forget: expires the cookie. */
    @BeforeEach
    void start() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            String cookie = ex.getRequestHeaders().getFirst("Cookie");
            String session = cookie == null || !cookie.startsWith("SESSION=") ? null : cookie.substring("SESSION=".length());
            switch (path) {
                case "/login" -> {
                    String id = UUID.randomUUID().toString();
                    sessions.add(id);
                    ex.getResponseHeaders().add("Set-Cookie", "SESSION=" + id + "; Path=/; HttpOnly");
                    ex.getResponseHeaders().add("Location", "/home");
                    answer(ex, 302, null);
                }
                case "/forget" -> {
                    ex.getResponseHeaders().add("Set-Cookie", "SESSION=; Path=/; Max-Age=0");
                    answer(ex, 204, null);
                }
                default -> answer(ex, session != null && sessions.contains(session) ? 200 : 401,
                        session != null && sessions.contains(session) ? "{\"user\":\"qa\",\"seen\":\"" + session + "\"}" : null);
            }
        });
        server.start();
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
        } else {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
        }
        ex.close();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    @DisplayName("a cookie set on a login's redirect is sent back; each client has its own; cookies(false) keeps none; snapshots put them back")
    void clientKeepsSessionCookies() {
        Client client = new Client(base());
        assertThat(client.post("/login", java.util.Map.of("user", "qa")).statusCode()).as("followed to /home, logged in").isEqualTo(200);
        assertThat(client.get("/me").statusCode()).isEqualTo(200);
        assertThat(client.cookies().size()).isEqualTo(1);
        String session = sessions.iterator().next();
        assertThat(client.history().toString()).as("what is recorded").doesNotContain(session);
        assertThat(client.cookies().toString()).isEqualTo("cookies [SESSION]");

        Client other = client.withBaseUrl(base());
        assertThat(other.get("/me").statusCode()).as("a copy starts without the session").isEqualTo(401);
        assertThat(client.get("/me").statusCode()).isEqualTo(200);

        Client.CookieSnapshot in = client.cookies();
        client.post("/forget");
        assertThat(client.get("/me").statusCode()).as("the cookie expired").isEqualTo(401);
        client.restoreCookies(in);
        assertThat(client.get("/me").statusCode()).isEqualTo(200);
        client.clearCookies();
        assertThat(client.get("/me").statusCode()).isEqualTo(401);

        Client none = Client.builder(base()).cookies(false).build();
        none.post("/login");
        assertThat(none.get("/me").statusCode()).isEqualTo(401);
        assertThat(none.cookies().size()).isZero();
    }

    @Test
    @DisplayName("a journey's paths each start with the checkpoint's session cookie, although the path before expired it")
    void pathsStartWithTheCheckpointsSession() {
        Client client = new Client(base());
        InMemoryStateManager manager = new InMemoryStateManager();
        Journey j = Journey.builder("session")
                .step("login", (c, ctx) -> c.post("/login"))
                .checkpoint("logged_in")
                .branch("logged_in",
                        Path.builder("forget_it")
                                .step("forget", (c, ctx) -> c.post("/forget"))
                                .step("locked_out", (c, ctx) -> c.get("/me"), s -> s.expectFailure())
                                .build(),
                        Path.builder("still_in").step("me", (c, ctx) -> c.get("/me")).build())
                .build();
        JourneyResult result = JourneyRunner.builder(client).stateManager(manager).build().run(j);
        assertThat(result.passed()).as(result.summary()).isTrue();
        assertThat(result.step("me").response().statusCode()).isEqualTo(200);
    }
}
