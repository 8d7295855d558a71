package io.venomqa.openapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.venomqa.context.ExecutionContext;
import io.venomqa.explore.ExplorationConsole;
import io.venomqa.explore.ExplorationResult;
import io.venomqa.explore.Move;
import io.venomqa.explore.Strategy;
import io.venomqa.http.Client;
import io.venomqa.state.memory.InMemoryStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code application/x-www-form-urlencoded} request bodies, built from their schema as JSON ones are and sent as
 * {@code name=value} pairs: an OAuth2 password-grant login and a form post with a repeated field, against an API
 * that reads nothing but forms; the password masked in what is recorded and put back by a replay.
 */
class FormBodiesTest {

    private static final ObjectMapper MAPPER = Answers.MAPPER;
    private static final String PASSWORD = "Form-Secret-7";

    private HttpServer server;
    private InMemoryStateManager manager;
    private final List<String> forms = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Map<Integer, Map<String, Object>> subscriptions = new ConcurrentHashMap<>();
        AtomicInteger ids = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean form = "application/x-www-form-urlencoded".equals(ex.getRequestHeaders().getFirst("Content-Type"));
            if (path.equals("/token")) {
                Map<String, List<String>> f = parse(body);
                boolean ok = form && f.equals(Map.of("grant_type", List.of("password"), "username", List.of("qa"),
                        "password", List.of(PASSWORD)));
                Answers.answer(ex, ok ? 200 : 401, ok ? Map.of("access_token", "tok-123", "token_type", "bearer") : null);
                return;
            }
            if (!"Bearer tok-123".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                Answers.answer(ex, 401, null);
                return;
            }
            if (path.equals("/subscriptions") && ex.getRequestMethod().equals("POST")) {
                forms.add(body);
                Map<String, List<String>> f = parse(body);
                List<String> topics = f.getOrDefault("topics", List.of());
                boolean ok = form && f.getOrDefault("email", List.of("")).get(0).contains("@")
                        && Set.of("free", "pro").contains(f.getOrDefault("plan", List.of("")).get(0))
                        && topics.size() >= 2 && Set.of("news", "offers", "events").containsAll(topics);
                if (!ok) {
                    Answers.answer(ex, 422, Map.of("error", "bad form: " + body));
                    return;
                }
                int id = ids.incrementAndGet();
                Map<String, Object> s = new LinkedHashMap<>(Map.of("id", id, "email", f.get("email").get(0),
                        "plan", f.get("plan").get(0), "topics", topics));
                subscriptions.put(id, s);
                Answers.answer(ex, 201, s);
                return;
            }
            String[] parts = path.split("/");
            Map<String, Object> s = parts.length == 3 ? subscriptions.get(Integer.valueOf(parts[2])) : null;
            Answers.answer(ex, s == null ? 404 : 200, s);
        });
        server.start();
        manager = new InMemoryStateManager();
        manager.connect();
    }

    private static Map<String, List<String>> parse(String form) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                out.computeIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), k -> new ArrayList<>())
                        .add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @AfterEach
    void stop() {
        server.stop(0);
        manager.disconnect();
    }

    private OpenApiExploration newsletter() {
        return OpenApiExploration.from(OpenApiDocument.read(Path.of("src/test/resources/openapi/form-login.yaml")))
                .login("issueToken", Map.of("username", "qa", "password", PASSWORD));
    }

    @Test
    @DisplayName("a password-grant login and a form with a repeated field are sent as forms the API accepts: logged in, subscribed, read back, no violation")
    void formsAreSentAsForms() {
        Client client = new Client("http://127.0.0.1:" + server.getAddress().getPort());
        ExplorationResult r = newsletter().explorationBuilder(client, manager)
                .strategy(Strategy.breadthFirst()).maxDepth(3).maxSteps(40).build().run();
        assertThat(r.violations()).as(ExplorationConsole.summary(r)).isEmpty();
        assertThat(r.neverRun()).as(ExplorationConsole.summary(r)).isEmpty();
        assertThat(r.transitions()).anyMatch(t -> t.move().equals("issueToken") && t.status() == 200)
                .anyMatch(t -> t.move().equals("subscribe") && t.status() == 201)
                .anyMatch(t -> t.move().equals("getSubscription") && t.status() == 200);
        assertThat(forms).isNotEmpty().allSatisfy(f -> assertThat(parse(f).get("topics")).hasSizeGreaterThanOrEqualTo(2));
        assertThat(client.history()).filteredOn(x -> x.url().endsWith("/token")).isNotEmpty()
                .allSatisfy(x -> assertThat(x.requestBody()).contains("password=***").doesNotContain(PASSWORD));
    }

    @Test
    @DisplayName("form bodies get no invalid-body moves (a form's values are all text); a replay puts the login's masked password back into its recorded form")
    void invalidBodiesAndReplay() {
        OpenApiExploration oa = newsletter().invalidBodies(true);
        assertThat(oa.moves()).extracting(Move::name).containsExactly("issueToken", "subscribe", "getSubscription");
        String replayed = oa.replayAdapter().textBody("issueToken", "grant_type=password&username=qa&password=***",
                new ExecutionContext());
        assertThat(parse(replayed)).isEqualTo(Map.of("grant_type", List.of("password"), "username", List.of("qa"),
                "password", List.of(PASSWORD)));
        assertThat(oa.replayAdapter().textBody("subscribe", "email=a%40b.c&topics=news&topics=offers", new ExecutionContext()))
                .isEqualTo("email=a%40b.c&topics=news&topics=offers");
    }
}
