package io.venomqa.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.journey.Step;
import io.venomqa.report.ConsoleReporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo as the README runs it: the shop on SQLite, the checkout journey, the reports, the exit code. */
class CheckoutDemoTest {

    @TempDir
    java.nio.file.Path dir;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private int run(Journey journey) throws Exception {
        return CheckoutDemo.run(dir, new ConsoleReporter(out, false), out, journey);
    }

    @Test
    void checkoutPassesEveryPathStartsFromTheSameDatabaseStateAndTheReportsAreWritten() throws Exception {
        int code = run(CheckoutJourney.build());
        String printed = bytes.toString(StandardCharsets.UTF_8);

        assertThat(code).as(printed).isZero();
        assertThat(printed)
                .contains("Isolation: every path started from the same database state"
                        + " {\"users\":1,\"orders\":0,\"payments\":0,\"cart_items\":2} (card, paypal, declined_card)")
                .contains("↺ rolled back to cart_ready (database + context)")
                .contains("⇶ branch from paid (2 paths)")
                .contains("✓ pay_declined")
                .containsPattern("✓ checkout PASSED  steps 22 passed, 0 failed, 0 skipped · paths 5/5");

        java.nio.file.Path reports = dir.resolve("reports");
        JsonNode json = new ObjectMapper().readTree(reports.resolve("checkout.json").toFile());
        assertThat(json.get("status").asText()).isEqualTo("PASSED");
        assertThat(json.at("/summary/paths/passed").asInt()).isEqualTo(5);
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(reports.resolve("TEST-venomqa-checkout.xml").toFile());
        assertThat(xml.getElementsByTagName("testcase").getLength()).isEqualTo(6);
        assertThat(xml.getElementsByTagName("failure").getLength()).isZero();
        assertThat(Files.readString(reports.resolve("checkout.html"))).contains("path <b>pay_twice</b>");

        // Every path created order 1: the AUTOINCREMENT counter was rolled back with the rows.
        assertThat(json.toString()).contains("/orders/1/payments").doesNotContain("/orders/2/");
        // The manager disconnected: the file holds the schema and catalogue only, as before the run.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("shop.db"));
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM orders) + (SELECT COUNT(*) FROM payments),"
                             + " (SELECT COUNT(*) FROM products)")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
            assertThat(rs.getInt(2)).isEqualTo(3);
        }
    }

    @Test
    void aFailingJourneyMakesTheDemoExitWithOne() throws Exception {
        Journey broken = Journey.builder("checkout")
                .step("register", (client, ctx) -> client.post("/users", Map.of("email", "b@example.com", "password", "long enough")))
                .checkpoint("registered")
                .branch("registered",
                        Path.of("card", Step.of(CheckoutJourney.statsStep("card"), (client, ctx) -> client.get("/stats")),
                                Step.of("order_without_login", (client, ctx) -> client.post("/orders"))),  // 401
                        Path.of("paypal", Step.of(CheckoutJourney.statsStep("paypal"), (client, ctx) -> client.get("/stats"))))
                .build();

        int code = run(broken);
        String printed = bytes.toString(StandardCharsets.UTF_8);

        assertThat(code).isEqualTo(1);
        assertThat(printed).contains("✗ order_without_login").contains("response: 401")
                .contains("FAILED: 1 failure(s)")
                .contains("Isolation: every path started from the same database state {\"users\":1,\"orders\":0");
    }
}
