package io.venomqa.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.venomqa.examples.shop.ShopApp;
import io.venomqa.openapi.Check;
import io.venomqa.openapi.OpenApiDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code -Popenapi-demo}: the shop explored from the OpenAPI document it publishes finds the planted
 * refund bug and the planted schema mismatch, and nothing else (no false positive on the shop's
 * correct operations, its GETs writing nothing); the reports are written and the SQLite file is as found.
 */
class OpenApiDemoTest {

    @TempDir
    Path dir;

    @Test
    void demoFindsBothPlantedProblemsAndNothingElse() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = OpenApiDemo.run(dir, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);

        assertThat(code).as(printed).isZero();
        assertThat(printed).contains("FOUND the planted refund bug.", "FOUND the planted schema mismatch of GET /products/{sku}.",
                "createOrder → payOrder:declined → payOrder:card → refundOrder",
                "/price_cents: string found, integer expected");
        JsonNode report = new ObjectMapper().readTree(dir.resolve("reports/explore-shop.json").toFile());
        List<String> found = new ArrayList<>();
        report.path("violations").forEach(v -> found.add(v.path("invariant").asText() + " after " + v.path("lastMove").asText()));
        assertThat(found).containsExactlyInAnyOrder("response matches schema after getProduct",
                "refunds never exceed the order total after refundOrder");
        // Every path names the moves it needs and reproduces: getProduct's sku comes from listProducts, a read.
        report.path("violations").forEach(v -> assertThat(v.path("reproduced").asBoolean()).as(v.toString()).isTrue());
        assertThat(printed).contains("path (2 calls): listProducts → getProduct");
        List<Integer> safeChecks = new ArrayList<>();
        report.path("invariants").forEach(i -> {
            if (i.path("name").asText().equals(Check.SAFE_METHOD_WRITES.invariantName())) {
                safeChecks.add(i.path("checks").asInt());
            }
        });
        assertThat(printed).doesNotContain("could not run");
        assertThat(safeChecks).as("the GETs were judged on their tracked changes").singleElement()
                .satisfies(n -> assertThat(n).isPositive());
        assertThat(report.path("attributes").path("openapi.document").asText()).endsWith("/openapi.yaml");
        assertThat(Files.readString(dir.resolve("reports/explore-shop.json"))).doesNotContain("correct-horse-1");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("shop.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select (select count(*) from users) + (select count(*) from sessions)"
                     + " + (select count(*) from orders) + (select count(*) from payments) + (select count(*) from cart_items)")) {
            rs.next();
            assertThat(rs.getInt(1)).as("rows left by the exploration").isZero();
        }
    }

    @Test
    void theDocumentIsAValidOpenApi30DocumentOfEveryRoute() {
        OpenApiDocument doc = OpenApiDocument.parse(ShopApp.openApiDocument(), "openapi.yaml");
        assertThat(doc.version()).startsWith("3.0");
        assertThat(doc.problems()).isEmpty();
        assertThat(doc.operations()).hasSize(12);
    }
}
