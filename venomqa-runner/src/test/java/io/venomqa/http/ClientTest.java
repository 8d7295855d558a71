package io.venomqa.http;

import com.fasterxml.jackson.core.type.TypeReference;
import io.venomqa.core.VenomQAException;
import io.venomqa.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientTest {

    record Item(String sku, int qty) {
    }

    private TestServer server;

    @BeforeEach
    void start() throws IOException {
        server = new TestServer();
        TestServer.Handler echo = r -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("method", r.method());
            out.put("path", r.path());
            out.put("query", r.query());
            out.put("auth", String.valueOf(r.header("Authorization")));
            out.put("contentType", String.valueOf(r.header("Content-Type")));
            out.put("trace", String.valueOf(r.header("X-Trace")));
            out.put("body", r.body());
            return TestServer.Reply.ok(out);
        };
        for (String m : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
            server.route(m, "/api/echo", echo);
        }
        server.route("GET", "/api/text", r -> TestServer.Reply.ok("plain words"));
        server.route("GET", "/api/big", r -> TestServer.Reply.ok(Map.of("data", "y".repeat(10_000))));
        server.route("POST", "/api/login", r -> TestServer.Reply.ok(Map.of("access_token", "returned-token-123", "user", "qa")));
        server.route("GET", "/api/slow", r -> {
            Thread.sleep(10_000);
            return TestServer.Reply.ok("late");
        });
        server.route("GET", "/api/items", r -> TestServer.Reply.ok(List.of(Map.of("sku", "A", "qty", 1), Map.of("sku", "B", "qty", 2))));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyMethodSendsJsonBodiesQueryParametersAndDefaultHeaders() {
        Client client = Client.builder(server.baseUrl() + "/api/").header("X-Trace", "t-1").build();

        Response get = client.get("/echo", Map.of("q", "a b&c", "page", 2));
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.isSuccess()).isTrue();
        assertThat(get.json().get("query").get("q").asText()).isEqualTo("a b&c");
        assertThat(get.json().get("query").get("page").asText()).isEqualTo("2");
        assertThat(get.json().get("trace").asText()).isEqualTo("t-1");
        assertThat(get.header("content-type")).isEqualTo("application/json");

        Response post = client.post("echo", Map.of("sku", "BOOK-1", "qty", 2));
        assertThat(post.json().get("method").asText()).isEqualTo("POST");
        assertThat(post.json().get("contentType").asText()).isEqualTo("application/json");
        assertThat(post.json().get("body").asText()).isIn("{\"sku\":\"BOOK-1\",\"qty\":2}", "{\"qty\":2,\"sku\":\"BOOK-1\"}");

        assertThat(client.put("/echo", new Item("C", 3)).json().get("body").asText()).isEqualTo("{\"sku\":\"C\",\"qty\":3}");
        assertThat(client.patch("/echo", "{\"raw\":true}").json().get("body").asText()).isEqualTo("{\"raw\":true}");
        assertThat(client.delete("/echo").json().get("method").asText()).isEqualTo("DELETE");
        assertThat(client.delete("/echo", Map.of("force", true)).json().get("query").get("force").asText()).isEqualTo("true");
        Response multi = client.request("GET", "/echo").query("tag", List.of("x", "y")).header("X-Trace", "override").send();
        assertThat(multi.json().get("query").get("tag").asText()).isEqualTo("x,y");
        assertThat(multi.json().get("trace").asText()).isEqualTo("override");
        assertThat(client.history()).hasSize(7);
    }

    @Test
    void responsesReadAsTreesTypesAndText() {
        Client client = new Client(server.baseUrl());
        List<Item> items = client.get("/api/items").json(new TypeReference<List<Item>>() {
        });
        assertThat(items).containsExactly(new Item("A", 1), new Item("B", 2));
        Item[] array = client.get("/api/items").json(Item[].class);
        assertThat(array).hasSize(2);
        Response text = client.get("/api/text");
        assertThat(text.body()).isEqualTo("plain words");
        assertThatThrownBy(text::json).isInstanceOf(VenomQAException.class)
                .hasMessageStartingWith("Response of GET " + server.baseUrl() + "/api/text (status 200) is not JSON")
                .hasMessageEndingWith("Body: plain words");
        Response missing = client.get("/api/nowhere");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.isSuccess()).isFalse();
    }

    @Test
    void bearerTokenIsSentButMaskedEverywhereItIsRecorded() {
        Client client = new Client(server.baseUrl());
        Response login = client.post("/api/login", Map.of("user", "qa", "password", "hunter2-password"));
        assertThat(login.json().get("access_token").asText()).isEqualTo("returned-token-123"); // the action sees it all
        client.setAuthToken("abc-secret-token");
        Response echo = client.get("/api/echo");

        assertThat(echo.json().get("auth").asText()).isEqualTo("Bearer abc-secret-token");
        HttpExchange loginX = client.history().get(0);
        assertThat(loginX.requestBody()).contains("\"password\":\"***\"").doesNotContain("hunter2");
        assertThat(loginX.responseBody()).contains("\"access_token\":\"***\"").doesNotContain("returned-token-123");
        HttpExchange echoX = client.lastExchange();
        assertThat(echoX.requestHeaders()).containsEntry("Authorization", "Bearer ***");
        // The server echoed the token back in a field that does not look secret: masked as a known secret.
        assertThat(echoX.responseBody()).doesNotContain("abc-secret-token").contains("Bearer ***");
        assertThat(client.toString()).doesNotContain("abc-secret-token").contains("auth=Bearer ***");
        assertThat(client.mask("token abc-secret-token here")).isEqualTo("token *** here");
        client.clearAuthToken();
        assertThat(client.get("/api/echo").json().get("auth").asText()).isEqualTo("null");
    }

    @Test
    void secretFieldValuesSentOrReceivedAreMaskedWhereverTheyReappear() {
        Client client = new Client(server.baseUrl());
        // The echo answers the raw body inside a field called "body", which is not secret.
        client.post("/api/echo", Map.of("user", "qa", "password", "Sent-Pass-77"));
        assertThat(client.lastExchange().responseBody()).doesNotContain("Sent-Pass-77").contains("***");
        assertThat(client.mask("an error quoting Sent-Pass-77")).isEqualTo("an error quoting ***");
        // A token the API hands out is masked from then on, although the client never sends it.
        client.post("/api/login", Map.of("user", "qa"));
        assertThat(client.mask("got returned-token-123")).isEqualTo("got ***");
        client.post("/api/echo", "{\"note\":\"returned-token-123\"}");
        assertThat(client.lastExchange().requestBody()).doesNotContain("returned-token-123");
        assertThat(client.lastExchange().responseBody()).doesNotContain("returned-token-123");
        // Only text values of secret keys, and never OAuth's token_type: "Bearer" stays readable.
        client.post("/api/echo", Map.of("token_type", "Bearer", "password_length", 12));
        assertThat(client.mask("Bearer 12")).isEqualTo("Bearer 12");
        // Bodies without any secret-looking name are not parsed; a name spelled with a backslash-u escape still is.
        client.post("/api/echo", "{\"pass\\u0077ord\":\"Escaped-Pass-5\"}");
        assertThat(client.lastExchange().requestBody()).doesNotContain("Escaped-Pass-5");
        assertThat(client.lastExchange().responseBody()).doesNotContain("Escaped-Pass-5");
        client.post("/api/echo", "{\"note\":\"plain words\"}");
        assertThat(client.lastExchange().requestBody()).isEqualTo("{\"note\":\"plain words\"}");
    }

    @Test
    void formBodiesAndSecretQueryParametersAreMaskedAndTheirValuesRememberedForEchoes() {
        Client client = new Client(server.baseUrl());
        client.request("POST", "/api/echo").header("Content-Type", "application/x-www-form-urlencoded")
                .body("user=qa&password=Form-Pass-9%21&keep=1").send();
        assertThat(client.lastExchange().requestBody()).isEqualTo("user=qa&password=***&keep=1");
        assertThat(client.lastExchange().responseBody()).doesNotContain("Form-Pass-9");
        assertThat(client.mask("echoed Form-Pass-9!")).isEqualTo("echoed ***");
        // JSON under a media type of its own (application/vnd.api+json, merge-patch+json): its secrets are remembered too.
        client.request("POST", "/api/echo").header("Content-Type", "application/vnd.api+json; charset=utf-8")
                .body("{\"data\":{\"attributes\":{\"password\":\"Vnd-Pass-4\"}}}").send();
        assertThat(client.lastExchange().requestBody()).doesNotContain("Vnd-Pass-4");
        assertThat(client.lastExchange().responseBody()).doesNotContain("Vnd-Pass-4");
        assertThat(client.mask("echoed Vnd-Pass-4")).isEqualTo("echoed ***");
        client.get("/api/echo?refresh_token=Query-Tok-8&page=2");
        assertThat(client.lastExchange().url()).contains("refresh_token=***").contains("page=2").doesNotContain("Query-Tok-8");
        assertThat(client.lastExchange().responseBody()).as("the echo of the query").doesNotContain("Query-Tok-8");
        client.post("/api/echo", Map.of("raw", "{\"password\": \"Inner-Pass-6\"}"));
        assertThat(client.lastExchange().requestBody()).as("JSON held as a string").doesNotContain("Inner-Pass-6").contains("***");
        client.request("POST", "/api/echo").header("Content-Type", "application/x-www-form-urlencoded").body("a=1&b=2").send();
        assertThat(client.lastExchange().requestBody()).isEqualTo("a=1&b=2");
    }

    @Test
    void historyIsBoundedInEntriesAndBodySize() {
        Client client = Client.builder(server.baseUrl()).historyLimit(3).maxRecordedBodyChars(200).build();
        Response big = client.get("/api/big");
        assertThat(big.body()).hasSizeGreaterThan(10_000);           // the response keeps everything
        HttpExchange x = client.lastExchange();
        assertThat(x.responseBody()).startsWith("{\"data\":\"yyy").contains("… [cut: ").hasSizeLessThan(260);
        for (int i = 0; i < 5; i++) {
            client.get("/api/echo", Map.of("i", i));
        }
        assertThat(client.history()).hasSize(3);
        assertThat(client.recordedCount()).isEqualTo(6);
        assertThat(client.historySince(5)).extracting(HttpExchange::url)
                .containsExactly(server.baseUrl() + "/api/echo?i=4");
        assertThat(client.historySince(0)).hasSize(3);
    }

    @Test
    void timeoutsAndConnectionRefusedAreClearFailuresNamingTheUrl() throws IOException {
        Client client = Client.builder(server.baseUrl()).timeout(Duration.ofSeconds(30)).build();
        assertThatThrownBy(() -> client.request("GET", "/api/slow").timeout(Duration.ofMillis(200)).send())
                .isInstanceOf(HttpRequestException.class)
                .hasMessage("GET " + server.baseUrl() + "/api/slow got no response within 200 ms."
                        + " Raise timeout: in venomqa.yaml (such as timeout: 60s, or -Dvenomqa.timeout=60s),"
                        + " or Client.builder().timeout(…) / request(…).timeout(…) in code; or check why the API is slow.");
        assertThat(client.lastExchange().error()).isEqualTo("timed out after 200 ms");

        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Client dead = new Client("http://user:pw-in-url@127.0.0.1:" + port);
        assertThatThrownBy(() -> dead.post("/x", Map.of("a", 1)))
                .isInstanceOf(HttpRequestException.class)
                .hasMessageStartingWith("POST http://user:***@127.0.0.1:" + port + "/x failed: connection refused")
                .hasMessageNotContaining("pw-in-url")
                .satisfies(e -> assertThat(((HttpRequestException) e).exchange().url()).doesNotContain("pw-in-url"));
    }

    @Test
    void badBaseUrlsAndRelativePathsWithoutOneAreRejected() {
        assertThatThrownBy(() -> new Client("localhost:8080")).hasMessage("Base URL must start with http:// or https://: 'localhost:8080'");
        Client noBase = Client.builder(null).build();
        assertThatThrownBy(() -> noBase.get("/x")).hasMessageContaining("'/x' is not an absolute URL and the client has no base URL");
        assertThat(noBase.get(server.baseUrl() + "/api/text").body()).isEqualTo("plain words");
    }

    @Test
    void basePathIsTheBaseUrlsRawPathWithoutItsTrailingSlash() {
        assertThat(Client.builder("http://localhost:8080/api/v%31/").build().basePath()).isEqualTo("/api/v%31");
        assertThat(Client.builder("http://localhost:8080").build().basePath()).isEmpty();
        assertThat(Client.builder(null).build().basePath()).isNull();
    }
}
