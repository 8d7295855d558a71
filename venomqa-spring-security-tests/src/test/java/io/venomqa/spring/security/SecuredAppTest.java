package io.venomqa.spring.security;

import io.venomqa.http.Client;
import io.venomqa.http.Multipart;
import io.venomqa.http.Response;
import io.venomqa.spring.VenomQASpringTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Security application through {@code @VenomQASpringTest}'s injected client, {@code -Dvenomqa.csrf_cookie=
 * XSRF-TOKEN} set as a user sets it (this module's surefire configuration): a form login under double-submit CSRF,
 * then an upload of a binary file with a text field and a JSON part, each test rolled back. Until 2026-12-07 a journey
 * could not read the CSRF cookie's value, so no write passed the check, and had to write form and multipart bodies by
 * hand.
 */
@SpringBootTest(classes = SecuredApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@VenomQASpringTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredAppTest {

    private static final byte[] PDF = {'%', 'P', 'D', 'F', '-', '1', '.', '7', 0, (byte) 0xff, (byte) 0x80, '\r', '\n', '-', '-'};

    @Autowired
    JdbcTemplate jdbc;

    private static void logIn(Client client) {
        client.get("/login"); // the login page: the first XSRF-TOKEN cookie
        Response login = client.request("POST", "/login")
                .form(Map.of("username", "qa", "password", SecuredApp.PASSWORD)).send();
        assertThat(login.statusCode()).as("followed to /me, logged in").isEqualTo(200);
        assertThat(login.json().get("user").asText()).isEqualTo("qa");
    }

    private static Response upload(Client client) {
        return client.request("POST", "/documents").multipart(Multipart.of().field("title", "Invoice 7 – paid")
                .part("meta", "{\"paid\":true}", "application/json").file("file", "invoice.pdf", "application/pdf", PDF))
                .send();
    }

    @Test
    @Order(1)
    @DisplayName("the injected client logs in through the form under CSRF, uploads a binary file that the application stores byte for byte; the password and token are masked in the history")
    void formLoginAndUpload(Client client) {
        logIn(client);
        Response stored = upload(client);
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        assertThat(stored.json().get("documents").asLong()).isEqualTo(1);
        Map<String, Object> row = jdbc.queryForMap("select title, filename, content_type, content, meta from documents");
        assertThat(row).containsEntry("TITLE", "Invoice 7 – paid").containsEntry("FILENAME", "invoice.pdf")
                .containsEntry("CONTENT_TYPE", "application/pdf").containsEntry("META", "{paid=true}");
        assertThat((byte[]) row.get("CONTENT")).isEqualTo(PDF);
        String sent = client.history().stream().map(x -> x.requestHeaders() + " " + x.requestBody()).toList().toString();
        assertThat(sent).doesNotContain(SecuredApp.PASSWORD).contains("password=***").contains("X-XSRF-TOKEN=***")
                .contains("(15 bytes, not UTF-8 text)");
        assertThat(client.cookie("XSRF-TOKEN")).hasValueSatisfying(token -> assertThat(sent).doesNotContain(token));
    }

    @Test
    @Order(2)
    @DisplayName("the next test starts from the database as found (the upload rolled back) and its own session")
    void rolledBackBetweenTests(Client client) {
        assertThat(client.cookies().size()).as("a client of its own: no session yet").isZero();
        logIn(client);
        assertThat(client.get("/documents/count").json().get("documents").asLong()).isZero();
        assertThat(upload(client).json().get("documents").asLong()).isEqualTo(1);
    }

    @Test
    @Order(4)
    @DisplayName("without the cookie's echo, a journey logs in as a browser does: the hidden _csrf field of Spring Security's login page, read with inputValue, sent back in the form")
    void hiddenCsrfFieldOfTheLoginPage(Client client) {
        Client plain = Client.builder(client.baseUrl()).build();
        Response page = plain.get("/login");
        String csrf = page.inputValue("_csrf").orElseThrow(() -> new AssertionError("no _csrf field in " + page.body()));
        Response login = plain.request("POST", "/login")
                .form(Map.of("username", "qa", "password", SecuredApp.PASSWORD, "_csrf", csrf)).send();
        assertThat(login.json().get("user").asText()).isEqualTo("qa");
    }

    @Test
    @Order(3)
    @DisplayName("without the CSRF header the application refuses the write: the check is real")
    void withoutTheHeaderTheWriteIsRefused(Client client) {
        logIn(client);
        Client plain = client.withBaseUrl(client.baseUrl());
        plain.get("/login");
        assertThat(plain.request("POST", "/login").header("X-XSRF-TOKEN", "not-the-token")
                .form(Map.of("username", "qa", "password", SecuredApp.PASSWORD)).send().statusCode()).isEqualTo(403);
    }
}
