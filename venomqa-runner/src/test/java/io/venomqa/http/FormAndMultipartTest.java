package io.venomqa.http;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Form and multipart bodies as journeys send them: a form login, a file upload with a JSON part and binary bytes. */
class FormAndMultipartTest {

    private HttpServer server;
    private final AtomicReference<String> type = new AtomicReference<>();
    private final AtomicReference<byte[]> body = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            type.set(ex.getRequestHeaders().getFirst("Content-Type"));
            body.set(ex.getRequestBody().readAllBytes());
            byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Client client() {
        return new Client("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    @DisplayName("form(): fields in order, encoded, a list repeated, nulls left out; the form's content type; the password masked in the history")
    void formBody() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("username", "qa user");
        fields.put("password", "Form-Secret-99");
        fields.put("tags", List.of("a&b", "ü"));
        fields.put("skip", null);
        Client client = client();
        client.request("POST", "/login").form(fields).send();
        assertThat(type.get()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(new String(body.get(), StandardCharsets.UTF_8))
                .isEqualTo("username=qa+user&password=Form-Secret-99&tags=a%26b&tags=%C3%BC");
        assertThat(client.history().get(0).requestBody()).contains("password=***").doesNotContain("Form-Secret-99");
        assertThat(Form.encode(Map.of())).isEmpty();
    }

    @Test
    @DisplayName("inputValue(): a form field's value from a server-rendered page (the hidden _csrf of Spring Security's login page), attributes in any order and quoting, references decoded; a meta tag's content; empty when absent")
    void inputValueFromHtml() {
        String page = "<html><head><meta name=\"_csrf\" content=\"meta-token\"/></head><body>"
                + "<form method=\"post\" action=\"/login\"><INPUT type='text' name='username'>"
                + "<input type=\"hidden\" value=\"a&amp;b&#x3d;c&#61;&#99999999999;\" name=\"_csrf\" />"
                + "<input name=other value=plain disabled></form></body></html>";
        Response r = new Response("GET", java.net.URI.create("http://x/login"), 200, Map.of(), page.getBytes(StandardCharsets.UTF_8),
                null, null, null);
        assertThat(r.inputValue("_csrf")).contains("a&b=c=&#99999999999;");
        assertThat(r.inputValue("username")).contains("");
        assertThat(r.inputValue("other")).contains("plain");
        assertThat(r.inputValue("missing")).isEmpty();
        Response metaOnly = new Response("GET", java.net.URI.create("http://x/"), 200, Map.of(),
                "<meta content='m1' name='_csrf'>".getBytes(StandardCharsets.UTF_8), null, null, null);
        assertThat(metaOnly.inputValue("_csrf")).contains("m1");
    }

    @Test
    @DisplayName("multipart(): text field, JSON part and binary file as parts, in order, bytes exact; the same parts give the same boundary; names with quotes escaped; bad input refused")
    void multipartBody() {
        byte[] pdf = {'%', 'P', 'D', 'F', 0, (byte) 0xff, (byte) 0x80, '\r', '\n', '-', '-'};
        Multipart parts = Multipart.of().field("title", "Invoice 7 – paid").part("meta", "{\"n\":1}", "application/json")
                .file("file", "in\"voice.pdf", "application/pdf", pdf);
        Client client = client();
        client.request("POST", "/documents").multipart(parts).send();
        String boundary = type.get().substring("multipart/form-data; boundary=".length());
        assertThat(type.get()).isEqualTo(parts.contentType()).startsWith("multipart/form-data; boundary=venomqa-");
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nInvoice 7 – paid\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n"
                + "{\"n\":1}\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"in%22voice.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] expected = new byte[head.length + pdf.length + tail.length];
        System.arraycopy(head, 0, expected, 0, head.length);
        System.arraycopy(pdf, 0, expected, head.length, pdf.length);
        System.arraycopy(tail, 0, expected, head.length + pdf.length, tail.length);
        assertThat(body.get()).isEqualTo(expected);
        assertThat(parts.bytes()).isEqualTo(expected);
        assertThat(client.history().get(0).requestBody()).as("the binary file shown by its size, the rest as sent")
                .contains("name=\"title\"\r\n\r\nInvoice 7 – paid\r\n", "{\"n\":1}",
                        "Content-Type: application/pdf\r\n\r\n(11 bytes, not UTF-8 text)\r\n--" + boundary + "--")
                .doesNotContain("\uFFFD");
        client.request("POST", "/raw").body(pdf).send();
        assertThat(client.history().get(1).requestBody()).isEqualTo("(11 bytes, not UTF-8 text)");
        client.request("POST", "/documents").multipart(Multipart.of().file("notes", "notes.txt", "text/plain",
                "plain text".getBytes(StandardCharsets.UTF_8))).send();
        assertThat(client.history().get(2).requestBody()).contains("\r\n\r\nplain text\r\n");

        Multipart same = Multipart.of().field("title", "Invoice 7 – paid").part("meta", "{\"n\":1}", "application/json")
                .file("file", "in\"voice.pdf", "application/pdf", pdf);
        assertThat(same.contentType()).isEqualTo(parts.contentType());
        assertThat(Multipart.of().field("title", "other").contentType()).isNotEqualTo(parts.contentType());
        assertThat(parts.size()).isEqualTo(3);
        assertThat(parts.toString()).isEqualTo("Multipart[title, meta, file (file in\"voice.pdf, 11 bytes)]");

        assertThatThrownBy(() -> Multipart.of().field("", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a name");
        assertThatThrownBy(() -> Multipart.of().part("a", "x", "text/plain\r\nX-Evil: 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a content type");
    }
}
