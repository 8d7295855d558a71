package io.venomqa.explore;

import com.sun.net.httpserver.HttpServer;
import io.venomqa.http.Client;
import io.venomqa.state.memory.InMemoryStateManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An API whose session lives in a cookie (a form login's, set on its redirect): the client's cookies are part of
 * each state, so a move run from the state before the login has no session, whatever other paths did first.
 */
class CookieSessionExplorationTest {

    @Test
    @DisplayName("breadth-first over login, forget-the-cookie and me: 'me' answers 200 exactly in the states reached logged in")
    void cookiesAreRestoredWithEachState() throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Set<String> sessions = ConcurrentHashMap.newKeySet();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            String cookie = ex.getRequestHeaders().getFirst("Cookie");
            String session = cookie == null || !cookie.startsWith("SESSION=") ? null : cookie.substring("SESSION=".length());
            int status;
            switch (ex.getRequestURI().getPath()) {
                case "/login" -> {
                    String id = UUID.randomUUID().toString();
                    sessions.add(id);
                    ex.getResponseHeaders().add("Set-Cookie", "SESSION=" + id + "; Path=/");
                    ex.getResponseHeaders().add("Location", "/me");
                    status = 302;
                }
                case "/forget" -> {
                    ex.getResponseHeaders().add("Set-Cookie", "SESSION=; Path=/; Max-Age=0");
                    status = 204;
                }
                default -> status = session != null && sessions.contains(session) ? 200 : 401;
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
        InMemoryStateManager manager = new InMemoryStateManager();
        manager.connect();
        try {
            Move login = Move.builder("login").action((c, ctx) -> {
                var r = c.post("/login");
                ctx.set("in", true);
                return r;
            }).build();
            Move forget = Move.builder("forget").requires("in").action((c, ctx) -> {
                var r = c.post("/forget");
                ctx.remove("in");
                return r;
            }).build();
            Move me = Move.builder("me").action((c, ctx) -> c.get("/me")).expectStatus(200, 401).build();
            ExplorationResult r = Exploration.builder().name("session")
                    .client(new Client("http://127.0.0.1:" + server.getAddress().getPort())).stateManager(manager)
                    .moves(login, forget, me)
                    .projection(StateProjection.contextKeys("in"))
                    .invariant(Invariant.of("a session exactly when logged in", o -> o.lastMove().map(Move::name)
                            .filter("me"::equals).isEmpty()
                            || o.lastResponse().orElseThrow().statusCode() == (o.context().contains("in") ? 200 : 401)))
                    .strategy(Strategy.breadthFirst()).maxDepth(4).build().run();
            assertThat(r.violations()).as(ExplorationConsole.summary(r)).isEmpty();
            assertThat(r.transitions()).filteredOn(t -> t.move().equals("me")).extracting(Transition::status)
                    .contains(200, 401);

            // Logged in by the start journey instead: every state starts with its session, the start state's too.
            io.venomqa.journey.Journey logIn = io.venomqa.journey.Journey.builder("log_in")
                    .step("login", (c, ctx) -> {
                        var resp = c.post("/login");
                        ctx.set("in", true);
                        return resp;
                    })
                    .checkpoint("logged_in").build();
            ExplorationResult fromJourney = Exploration.builder().name("session_from_journey")
                    .client(new Client("http://127.0.0.1:" + server.getAddress().getPort())).stateManager(manager)
                    .moves(forget, me)
                    .projection(StateProjection.contextKeys("in"))
                    .invariant(Invariant.of("a session exactly when logged in", o -> o.lastMove().map(Move::name)
                            .filter("me"::equals).isEmpty()
                            || o.lastResponse().orElseThrow().statusCode() == (o.context().contains("in") ? 200 : 401)))
                    .startFrom(logIn, "logged_in")
                    .strategy(Strategy.breadthFirst()).maxDepth(3).build().run();
            assertThat(fromJourney.violations()).as(ExplorationConsole.summary(fromJourney)).isEmpty();
            assertThat(fromJourney.transitions()).filteredOn(t -> t.move().equals("me") && t.from().equals("S0"))
                    .extracting(Transition::status).containsOnly(200);
        } finally {
            server.stop(0);
            manager.disconnect();
        }
    }
}
