package io.venomqa.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.venomqa.http.Client;
import io.venomqa.http.Response;
import io.venomqa.journey.Action;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.journey.Step;
import io.venomqa.runner.JourneyListener;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.state.StateConfig;
import io.venomqa.state.memory.InMemoryStateManager;
import io.venomqa.state.memory.InMemoryStore;
import io.venomqa.testing.ShopApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReportsTest {

    private ShopApi api;
    private InMemoryStateManager stateManager;

    @TempDir
    java.nio.file.Path dir;

    @BeforeEach
    void start() throws Exception {
        InMemoryStore store = new InMemoryStore();
        api = new ShopApi(store);
        stateManager = new InMemoryStateManager(StateConfig.builder().backend("memory").build(), store);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static final Action LOGIN = (client, ctx) -> {
        Response r = client.post("/login", Map.of("email", "qa@example.com", "password", ShopApi.PASSWORD));
        client.setAuthToken(r.json().get("token").asText());
        return r;
    };

    private static Action pay(String method) {
        return (client, ctx) -> client.post("/pay", Map.of("order_id", ctx.get("order_id"), "method", method));
    }

    private Journey journey() {
        return Journey.builder("checkout <demo>")
                .description("Pays three ways & one breaks")
                .tag("smoke")
                .step("login", LOGIN)
                .step("create_order", (client, ctx) -> {
                    Response r = client.post("/orders", Map.of("item", "book"));
                    ctx.set("order_id", r.json().get("id").asInt());
                    return r;
                })
                .checkpoint("cart_ready")
                .branch("cart_ready",
                        Path.of("card", Step.of("pay_card", pay("card"))),
                        Path.builder("paypal").description("through PayPal")
                                .step("pay_paypal", pay("paypal"))
                                .checkpoint("paid")
                                .branch("paid", Path.of("refund", Step.of("check_payments", (c, ctx) -> c.get("/payments"))))
                                .build(),
                        Path.of("declined_unexpectedly", Step.of("pay_declined", pay("declined")), Step.of("<script>alert(1)</script>", (c, ctx) -> "x")),
                        Path.of("declined_expected", Step.builder("pay_declined_ok").action(pay("declined")).expectFailure().build()))
                .step("done", (c, ctx) -> "done")
                .build();
    }

    @Test
    void writesJsonJUnitXmlAndHtmlThatParseBackToTheResult() throws Exception {
        List<java.nio.file.Path> written = new ArrayList<>();
        JourneyListener capture = new JourneyListener() {
            @Override
            public void reportsWritten(JourneyResult result, List<java.nio.file.Path> files) {
                written.addAll(files);
            }
        };
        JourneyResult result = JourneyRunner.builder(new Client(api.baseUrl())).stateManager(stateManager)
                .reportDir(dir).listener(capture).build().run(journey());

        assertThat(result.failed()).isTrue();
        assertThat(written).extracting(p -> p.getFileName().toString())
                .containsExactly("checkout_demo_.json", "TEST-venomqa-checkout_demo_.xml", "checkout_demo_.html");
        for (java.nio.file.Path f : written) {
            String text = Files.readString(f);
            assertThat(text).as(f.toString()).doesNotContain(ShopApi.TOKEN).doesNotContain(ShopApi.PASSWORD);
        }

        // JSON: the whole tree.
        JsonNode json = new ObjectMapper().readTree(written.get(0).toFile());
        assertThat(json.get("format").asText()).isEqualTo("venomqa-journey-result/1");
        assertThat(json.get("journey").asText()).isEqualTo("checkout <demo>");
        assertThat(json.get("status").asText()).isEqualTo("FAILED");
        assertThat(json.get("databaseIsolated").asBoolean()).isTrue();
        assertThat(json.get("backend").asText()).isEqualTo("memory");
        assertThat(json.at("/summary/steps/passed").asInt()).isEqualTo(7);
        assertThat(json.at("/summary/steps/failed").asInt()).isEqualTo(1);
        assertThat(json.at("/summary/steps/skipped").asInt()).isEqualTo(1);
        assertThat(json.at("/summary/paths/passed").asInt()).isEqualTo(4);
        assertThat(json.at("/summary/paths/failed").asInt()).isEqualTo(1);
        JsonNode nodes = json.get("nodes");
        assertThat(nodes).extracting(n -> n.get("type").asText()).containsExactly("step", "step", "checkpoint", "branch", "step");
        JsonNode branch = nodes.get(3);
        assertThat(branch.get("checkpoint").asText()).isEqualTo("cart_ready");
        assertThat(branch.get("paths")).extracting(p -> p.get("name").asText())
                .containsExactly("card", "paypal", "declined_unexpectedly", "declined_expected");
        assertThat(branch.at("/paths/1/nodes/2/paths/0/name").asText()).isEqualTo("refund");
        JsonNode failed = branch.at("/paths/2/nodes/0");
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        assertThat(failed.at("/exchanges/0/status").asInt()).isEqualTo(402);
        assertThat(failed.at("/exchanges/0/responseBody").asText()).contains("card declined");
        assertThat(failed.at("/exchanges/0/requestHeaders/Authorization").asText()).isEqualTo("Bearer ***");
        assertThat(branch.at("/paths/2/nodes/1/status").asText()).isEqualTo("SKIPPED");
        assertThat(nodes.get(0).at("/exchanges/0/requestBody").asText()).contains("\"password\":\"***\"");

        // JUnit XML: a test case per path, plus the main line.
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(written.get(1).toFile());
        Element suite = (Element) xml.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("name")).isEqualTo("checkout <demo>");
        assertThat(suite.getAttribute("tests")).isEqualTo("6");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        NodeList properties = xml.getElementsByTagName("property");
        java.util.Map<String, String> props = new java.util.HashMap<>();
        for (int i = 0; i < properties.getLength(); i++) {
            Element p = (Element) properties.item(i);
            props.put(p.getAttribute("name"), p.getAttribute("value"));
        }
        assertThat(props).containsEntry("backend", "memory").containsEntry("databaseIsolated", "true");
        NodeList cases = xml.getElementsByTagName("testcase");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) {
            names.add(((Element) cases.item(i)).getAttribute("name"));
        }
        assertThat(names).containsExactly("main line", "card", "paypal", "paypal > refund", "declined_unexpectedly", "declined_expected");
        Element failing = (Element) cases.item(4);
        Element failure = (Element) failing.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).startsWith("step 'pay_declined': HTTP 402 from POST http://127.0.0.1:");
        assertThat(failure.getTextContent()).contains("request:  POST " + api.baseUrl() + "/pay")
                .contains("response: 402").contains("card declined");
        assertThat(((Element) cases.item(1)).getElementsByTagName("failure").getLength()).isZero();
        assertThat(((Element) cases.item(0)).getAttribute("classname")).isEqualTo("venomqa.checkout <demo>");

        // HTML: self-contained, escaped, with the tree and the failed call.
        String html = Files.readString(written.get(2));
        assertThat(html).startsWith("<!DOCTYPE html>")
                .doesNotContain("<link").doesNotContain("<script src").doesNotContain("@import").doesNotContain("url(")
                .doesNotContain("<script>alert(1)</script>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("checkout &lt;demo&gt;")
                .contains("branch from <b>cart_ready</b>")
                .contains("path <b>declined_unexpectedly</b>")
                .contains("path <b>refund</b>")
                .contains("<details class=\"calls\" open><summary>request, response and stack trace (1 call)</summary>")
                .contains("<details class=\"calls\"><summary>HTTP calls (1 call)</summary>")
                .contains("card declined")
                .contains("Bearer ***")
                .contains("expects failure");
    }

    @Test
    void withoutAStateManagerTheHtmlSaysTheDatabaseWasNotPutBackAtAll() throws Exception {
        JourneyResult isolated = JourneyRunner.builder(new Client(api.baseUrl())).stateManager(stateManager)
                .reportDir(dir.resolve("isolated")).build().run(journey());
        JourneyResult without = JourneyRunner.builder(new Client(api.baseUrl()))
                .reportDir(dir.resolve("without")).build().run(journey());

        String withManager = Files.readString(dir.resolve("isolated/checkout_demo_.html"));
        String html = Files.readString(dir.resolve("without/checkout_demo_.html"));
        assertThat(isolated.databaseIsolated()).isTrue();
        assertThat(withManager).contains("state put back to cart_ready before each path").doesNotContain("the database not");
        assertThat(without.databaseIsolated()).isFalse();
        assertThat(withManager).contains("memory · rolled back between paths");
        assertThat(html).contains("no state manager · NOT put back between paths")
                .contains("context put back to cart_ready before each path, the database not at all")
                .contains("context put back to paid before each path, the database not at all")
                .doesNotContain("not exactly").doesNotContain("state put back");
    }

    @Test
    void skippedPathsAreSkippedTestCases() throws Exception {
        JourneyResult result = JourneyRunner.builder(new Client(api.baseUrl())).failFast(true).build().run(journey());
        String xml = new JUnitXmlReporter().render(result);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        NodeList skipped = doc.getElementsByTagName("skipped");
        assertThat(skipped.getLength()).isEqualTo(1); // declined_expected, after the failure
        assertThat(((Element) skipped.item(0)).getAttribute("message")).isEqualTo("Not run: fail-fast after step 'pay_declined' failed.");
        assertThat(((Element) doc.getElementsByTagName("testsuite").item(0)).getAttribute("skipped")).isEqualTo("1");
    }

    @Test
    void consolePrintsTheTreeWithRollbacksAndFailureDetailsWithoutSecrets() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleReporter console = new ConsoleReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        JourneyRunner.builder(new Client(api.baseUrl())).stateManager(stateManager).listener(console).build().run(journey());
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(out).doesNotContain("\u001b[").doesNotContain(ShopApi.TOKEN).doesNotContain(ShopApi.PASSWORD);
        assertThat(out.lines().map(String::stripTrailing).map(l -> l.replaceAll("\\d+ ms", "N ms")).toList()).containsSubsequence(
                "▶ journey checkout <demo> — Pays three ways & one breaks",
                "  ✓ login  N ms",
                "  ✓ create_order  N ms",
                "  ◆ checkpoint cart_ready (database + context)",
                "  ⇶ branch from cart_ready (4 paths)",
                "    ↺ rolled back to cart_ready (database + context)",
                "    ▸ path card",
                "      ✓ pay_card  N ms",
                "    ✓ path card  N ms",
                "    ↺ rolled back to cart_ready (database + context)",
                "    ▸ path paypal — through PayPal",
                "      ✓ pay_paypal  N ms",
                "      ◆ checkpoint paid (database + context)",
                "      ⇶ branch from paid (1 path)",
                "        ↺ rolled back to paid (database + context)",
                "        ▸ path refund",
                "          ✓ check_payments  N ms",
                "        ✓ path refund  N ms",
                "        ↺ rolled back to paid (database + context)",
                "      ✓ branch from paid: 1/1 paths passed  N ms",
                "    ✓ path paypal  N ms",
                "    ▸ path declined_unexpectedly",
                "      ✗ pay_declined  N ms",
                "    ✗ path declined_unexpectedly  N ms",
                "  ✗ branch from cart_ready: 3/4 paths passed  N ms",
                "  ✓ done  N ms");
        assertThat(out).contains("response: 402  {\"error\":\"card declined\"}")
                .contains("request:  POST " + api.baseUrl() + "/pay")
                .containsPattern("✓ pay_declined_ok  \\d+ ms  Failed as expected: HTTP 402 from POST")
                .containsPattern("✗ checkout <demo> FAILED  steps 7 passed, 1 failed, 1 skipped · paths 4/5 · \\d+ ms · memory");
    }

    @Test
    @org.junit.jupiter.api.DisplayName("reports written again for the same journey (after a disconnect() that did not put the database back) read as updated, not as a second 'reports:' line")
    void reportsWrittenAgainReadAsUpdated(@org.junit.jupiter.api.io.TempDir java.nio.file.Path reports) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleReporter console = new ConsoleReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        JourneyRunner runner = JourneyRunner.builder(new Client(api.baseUrl())).listener(console).reportDir(reports).build();
        io.venomqa.runner.JourneyResult r = runner.run(Journey.builder("twice").step("ok", (c, ctx) -> "x").build());
        runner.writeReports(r.databaseNotPutBack("disconnect() found other rows"));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("reports")).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("  reports: ");
        assertThat(lines.get(1)).startsWith("  reports updated (the database was not put back as found): ");
    }

    @Test
    void consoleUsesColourOnlyWhenAsked() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleReporter console = new ConsoleReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        JourneyRunner.builder(new Client(api.baseUrl())).listener(console).build()
                .run(Journey.builder("c").step("ok", (c, ctx) -> "x").build());
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("\u001b[32m✓\u001b[0m ok");
    }
}
