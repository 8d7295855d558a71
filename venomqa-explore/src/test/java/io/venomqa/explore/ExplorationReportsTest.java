package io.venomqa.explore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTML, JUnit XML and Java exports of a result built by hand (the engine is not involved). */
class ExplorationReportsTest {

    @TempDir
    Path dir;

    @Test
    void htmlIsSelfContainedDrawsTheGraphListsThePathAndEscapesAndMasks() {
        String html = ExplorationHtml.render(SampleResults.withViolation());

        assertThat(html).doesNotContain("http://cdn", "https://", "<script src", "<link ")
                .contains("<svg", "data-state=\"S4\"", "class=\"state bad\"", "<tspan class=\"loop\">↻</tspan>1")
                .contains("create_order → pay_card → refund") // how to reach S4, in the state's title
                .contains("shrunk from 6", "×2", "CRITICAL")
                .contains("POST</b> http://127.0.0.1:4321/orders/7/payments") // the runner's exchange rendering
                .contains("2 of 3 (state, move) pairs tried")
                .contains("PRECONDITION_NEVER_TRUE: requires shipped")
                .contains("few states — add context keys to the projection");
        assertThat(html).doesNotContain("<script>alert(1)", "s3cret", "hunter2", "refunded </script>", "<never>")
                .contains("&lt;script&gt;alert(1)", "qa:***@db", "password=***", "refunds &lt;never&gt; exceed");
        // Every state the graph draws sits in its depth's column: S2 and S3 share depth 2.
        assertThat(html).containsPattern("data-state=\"S2\"[^>]*><title>[^<]*</title><rect x=\"320\" y=\"20\"")
                .containsPattern("data-state=\"S3\"[^>]*><title>[^<]*</title><rect x=\"320\" y=\"74\"");
    }

    @Test
    void junitXmlHasOneTestCasePerInvariantFailedWithThePath() throws Exception {
        Path file = ExplorationJUnitXml.write(SampleResults.withViolation(), dir);
        assertThat(file.getFileName().toString()).isEqualTo("TEST-venomqa-explore-shop_demo_.xml");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        NodeList cases = doc.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(3);
        Element failed = (Element) cases.item(0);
        assertThat(failed.getAttribute("name")).isEqualTo(SampleResults.INVARIANT);
        assertThat(failed.getAttribute("classname")).isEqualTo("venomqa.explore.shop <demo>");
        Element failure = (Element) failed.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).startsWith("CRITICAL " + SampleResults.INVARIANT + " (x2) after 'refund' in S4");
        assertThat(failure.getTextContent()).contains("path: 4 moves (shrunk from 6)", "1. create_order",
                "POST http://127.0.0.1:4321/orders/7/payments → 402", "request:  {\"method\":\"card\"", "4. refund {password=***}")
                .doesNotContain("s3cret", "hunter2");
        assertThat(((Element) cases.item(1)).getElementsByTagName("failure").getLength()).isZero();
        assertThat(((Element) doc.getElementsByTagName("testsuite").item(0)).getAttribute("failures")).isEqualTo("1");
    }

    @Test
    void writeAllWritesTheThreeReports() {
        List<Path> files = ExplorationReports.writeAll(SampleResults.withViolation(), dir);
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("explore-shop_demo_.json", "TEST-venomqa-explore-shop_demo_.xml", "explore-shop_demo_.html");
        files.forEach(f -> assertThat(f).isNotEmptyFile());
    }

    @Test
    void exportedJourneyRepeatsTheCallsTakesIdsFromResponsesAndCompiles() throws Exception {
        Violation v = SampleResults.withViolation().violations().get(0);
        ViolationExport export = ViolationExport.of(v).className("com.example.repro.RefundTwice")
                .startFrom("com.example.repro.Start.journey()", "cart_ready");
        String src = export.journeySource();

        assertThat(src).contains("public static Journey build()", "journey.step(\"1_create_order\"",
                "client.request(\"POST\", \"/orders\")",
                "client.request(\"POST\", \"/orders/\" + ctx.getRequired(\"export.1_create_order.id\") + \"/payments\")",
                ".body(\"{\\\"method\\\":\\\"card\\\",\\\"card_number\\\":\\\"4000000000000002\\\"}\")",
                "expectStatus(r, 402);", "c.name().equals(\"cart_ready\")");
        // The last step is judged by the invariant, not by the status seen during the exploration.
        assertThat(src.substring(src.indexOf("4_refund"))).doesNotContain("expectStatus(r, 200)");

        Path root = dir.resolve("src");
        export.writeTo(root);
        Path start = root.resolve("com/example/repro/Start.java");
        Files.writeString(start, """
                package com.example.repro;
                import io.venomqa.journey.Journey;
                public final class Start {
                    public static Journey journey() {
                        return Journey.builder("start").step("login", (client, ctx) -> null).checkpoint("cart_ready").build();
                    }
                }
                """);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code = javac.run(null, null, errors, "-d", dir.resolve("classes").toString(), "-classpath",
                System.getProperty("java.class.path"), start.toString(),
                root.resolve("com/example/repro/RefundTwice.java").toString());
        assertThat(code).as(errors.toString()).isZero();
        assertThat(dir.resolve("classes/com/example/repro/RefundTwice.class")).exists();
    }
}
