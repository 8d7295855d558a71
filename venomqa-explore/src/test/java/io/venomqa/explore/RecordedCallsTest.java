package io.venomqa.explore;

import com.sun.net.httpserver.HttpServer;
import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Client;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replay takes the ids the API hands out this time also where a recorded form or multipart body repeats one: an
 * API that numbers orders from a counter nothing resets answers the replayed create with another id than the
 * recorded one, and the replayed form and upload must name that one.
 */
class RecordedCallsTest {

    private static final String BOUNDARY = "venomqa-1a2b-boundary";

    @Test
    @DisplayName("ids in a recorded form and in a multipart body's text parts are replaced by this run's; other fields, files and bytes as recorded")
    void formAndMultipartIdsReplaced() throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        AtomicInteger next = new AtomicInteger(41);
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] answer = ex.getRequestURI().getPath().equals("/orders")
                    ? ("{\"id\":" + next.incrementAndGet() + "}").getBytes(StandardCharsets.UTF_8) : "{}".getBytes(StandardCharsets.UTF_8);
            if (!ex.getRequestURI().getPath().equals("/orders")) {
                bodies.add(body);
            }
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        server.start();
        try {
            String multipart = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"orderId\"\r\n\r\n7\r\n"
                    + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n7\r\n"
                    + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"orderId.txt\"\r\n"
                    + "Content-Type: text/plain\r\n\r\n7\r\n--" + BOUNDARY + "--\r\n";
            RecordedCalls calls = RecordedCalls.of(List.of(
                    new RecordedCalls.Step("create", List.of(new RecordedCalls.Call("POST", "/orders", Map.of(), "", 200, "{\"id\":7}"))),
                    new RecordedCalls.Step("pay", List.of(new RecordedCalls.Call("POST", "/payments",
                            Map.of("Content-Type", "application/x-www-form-urlencoded"), "order_id=7&amount=7&note=order+7", 200, "{}"))),
                    new RecordedCalls.Step("upload", List.of(new RecordedCalls.Call("POST", "/attachments",
                            Map.of("Content-Type", "multipart/form-data; boundary=" + BOUNDARY), multipart, 200, "{}")))));
            Client client = new Client("http://127.0.0.1:" + server.getAddress().getPort());
            ExecutionContext ctx = new ExecutionContext();
            for (Move m : calls.moves()) {
                m.execute(client, ctx);
            }
            assertThat(bodies).containsExactly("order_id=42&amount=7&note=order+7", multipart.replaceFirst("\r\n\r\n7\r\n", "\r\n\r\n42\r\n"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    @DisplayName("a quoted boundary, an id field in another case of header, a body of another type: each handled as its type says")
    void boundaryQuotedAndOtherTypes() {
        Map<String, String> ids = Map.of("7", "42");
        String part = "--b 1\r\ncontent-disposition: form-data; name=\"customer_id\"\r\n\r\n7\r\n--b 1--\r\n";
        assertThat(RecordedCalls.replaceTextIds(part, "multipart/form-data; boundary=\"b 1\"", ids))
                .isEqualTo(part.replace("\r\n\r\n7\r\n", "\r\n\r\n42\r\n"));
        assertThat(RecordedCalls.replaceTextIds("id=7", "text/plain", ids)).isEqualTo("id=7");
        assertThat(RecordedCalls.replaceTextIds("id=7&x=", "application/x-www-form-urlencoded; charset=UTF-8", ids))
                .isEqualTo("id=42&x=");
    }
}
