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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Session cookies, as a Spring Security form login sets them: on the login's redirect. The client keeps them
 * like a browser, each client its own; the runner saves them with every checkpoint and puts them back on
 * rollback, so a path starts with the checkpoint's session whatever the path before it did.
 */
class CookiesTest {

    private HttpServer server;
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();

    /**
     * POST /login: 302 to /home setting SESSION; GET /me and /home: 200 with a known SESSION, else 401; POST /forget:
     * expires the cookie; GET /echo: every Cookie header line the request had, joined by " | ".
     */
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
                case "/csrf" -> {
                    // Spring Security's CookieCsrfTokenRepository: a GET hands out XSRF-TOKEN, a POST must echo it.
                    if (ex.getRequestMethod().equals("GET")) {
                        ex.getResponseHeaders().add("Set-Cookie", "XSRF-TOKEN=tok-" + UUID.randomUUID() + "; Path=/");
                        answer(ex, 200, "{}");
                    } else {
                        String header = ex.getRequestHeaders().getFirst("X-XSRF-TOKEN");
                        boolean ok = header != null && cookie != null && cookie.contains("XSRF-TOKEN=" + header);
                        answer(ex, ok ? 200 : 403, "{\"sent\":\"" + header + "\"}");
                    }
                }
                case "/echo" -> answer(ex, 200, "{\"cookies\":\"" + String.join(" | ",
                        ex.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) + "\"}");
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
    @DisplayName("a request's own cookies are sent; one the API set of the same name is sent instead; values masked in the history; bad names and values refused")
    void requestCookies() {
        Client client = new Client(base());
        assertThat(client.request("GET", "/echo").cookie("lang", "de-DE").cookie("SESSION", "mine-1234").send().json().path("cookies").asText())
                .isEqualTo("lang=de-DE; SESSION=mine-1234");
        assertThat(client.request("GET", "/echo").header("Cookie", "a=1").cookie("lang", "fr-FR").send().json().path("cookies").asText())
                .as("added to a Cookie header of the caller's").isEqualTo("a=1; lang=fr-FR");
        client.post("/login");
        String session = sessions.iterator().next();
        assertThat(client.request("GET", "/echo").cookie("SESSION", "mine-1234").cookie("lang", "de-DE").send().json().path("cookies").asText())
                .as("the session the API gave, not the request's own value")
                .contains("SESSION=" + session).contains("lang=de-DE").doesNotContain("mine-1234");
        assertThat(client.history().toString()).doesNotContain("mine-1234").doesNotContain("de-DE").doesNotContain(session);

        Client.RequestBuilder rb = client.request("GET", "/echo");
        assertThatThrownBy(() -> rb.cookie("two words", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a cookie name");
        assertThatThrownBy(() -> rb.cookie("n", "a;b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Percent-encode");
    }

    @Test
    @DisplayName("csrfCookie echoes the API's XSRF-TOKEN as X-XSRF-TOKEN on POST, not before the API set it, not over a header of the request's own; cookie(name) reads it; both masked; refused without the client's own jar")
    void csrfCookieEchoedAsAHeader() {
        Client plain = new Client(base());
        plain.get("/csrf");
        assertThat(plain.post("/csrf").statusCode()).as("without csrfCookie the POST lacks the header").isEqualTo(403);

        Client client = Client.builder(base()).csrfCookie("XSRF-TOKEN", "X-XSRF-TOKEN").build();
        assertThat(client.post("/csrf").statusCode()).as("no cookie yet: no header").isEqualTo(403);
        assertThat(client.cookie("XSRF-TOKEN")).isEmpty();
        client.get("/csrf");
        String token = client.cookie("XSRF-TOKEN").orElseThrow();
        assertThat(token).startsWith("tok-");
        assertThat(client.post("/csrf").statusCode()).isEqualTo(200);
        assertThat(client.request("DELETE", "/csrf").send().statusCode()).isEqualTo(200);
        assertThat(client.request("POST", "/csrf").header("X-XSRF-TOKEN", "mine").send().statusCode())
                .as("the request's own header is sent, not replaced").isEqualTo(403);
        assertThat(client.history().toString()).doesNotContain(token);
        assertThat(client.withBaseUrl(base()).post("/csrf").statusCode()).as("a copy: own jar, no cookie yet").isEqualTo(403);

        assertThatThrownBy(() -> Client.builder(base()).cookies(false).csrfCookie("XSRF-TOKEN", "X-XSRF-TOKEN").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cookies(false) turns off");
    }

    @Test
    @DisplayName("csrf_cookie in venomqa.yaml (header X- and its name by default, csrf_header to name another) gives the runner's client the echo; csrf_header alone is an error")
    void csrfCookieFromTheConfiguration() {
        io.venomqa.config.VenomQAConfig config = io.venomqa.config.VenomQAConfig.loader().environment(java.util.Map.of())
                .parse("base_url: " + base() + "\ncsrf_cookie: XSRF-TOKEN\n");
        assertThat(config.csrfHeader()).contains("X-XSRF-TOKEN");
        Client client = config.createClient();
        client.get("/csrf");
        assertThat(client.post("/csrf").statusCode()).isEqualTo(200);
        assertThat(io.venomqa.config.VenomQAConfig.loader().environment(java.util.Map.of())
                .parse("base_url: " + base() + "\ncsrf_cookie: XSRF-TOKEN\ncsrf_header: X-CSRF\n").csrfHeader()).contains("X-CSRF");
        assertThatThrownBy(() -> io.venomqa.config.VenomQAConfig.loader().environment(java.util.Map.of())
                .parse("base_url: " + base() + "\ncsrf_header: X-XSRF-TOKEN\n").createClient())
                .isInstanceOf(io.venomqa.config.ConfigException.class).hasMessageContaining("csrf_cookie is not");
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
