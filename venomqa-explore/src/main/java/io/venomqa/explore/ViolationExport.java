package io.venomqa.explore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.venomqa.core.CredentialMasker;
import io.venomqa.http.HttpExchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Turns a {@link Violation}'s minimal path into Java source: a journey class with a static
 * {@code Journey build()} whose steps repeat the path's HTTP calls, and a JUnit 5 test class that runs
 * it under {@code @VenomQATest} and checks the invariant afterwards, to keep as a regression test.
 *
 * <pre>{@code
 * ViolationExport export = ViolationExport.of(result.violations().get(0))
 *         .className("com.acme.shop.RefundTwiceReproduction")
 *         .startFrom("com.acme.shop.CheckoutJourney.build()", "cart_ready")
 *         .invariants(exploration.invariants());
 * export.writeTo(Path.of("src/test/java"));   // RefundTwiceReproduction.java and RefundTwiceReproductionTest.java
 * }</pre>
 *
 * <p>What the generated journey does:
 * <ul>
 *   <li>With {@link #startFrom}, it first runs the main line of that journey (a Java expression the
 *       generated code evaluates) up to the named checkpoint, as the exploration did.</li>
 *   <li>One step per move of the path, named {@code <n>_<move>}, making the same HTTP calls: same method,
 *       path and query, same body. A value an earlier call answered in a top-level {@code id} field is
 *       not copied as a literal when a later URL uses it as a path segment: the generated code takes it
 *       from that earlier response, so the journey also works where the database hands out other ids.</li>
 *   <li>Every step but the last checks that its call answers the status it answered during the
 *       exploration: the situation is set up as found, or the step fails saying what changed (a 4xx
 *       answered as found is not a failure of the step). The last
 *       step checks, for a violation of {@value Invariant#EXPECTED_STATUS}, that the status is one the
 *       move expects ({@link #expectedStatuses}); otherwise the invariant is checked by the test.</li>
 * </ul>
 *
 * <p>The generated test fails while the bug is there and passes once it is fixed, for a violation of
 * {@value Invariant#EXPECTED_STATUS} (the last step) or of an {@link Invariant#sql SQL invariant} (the
 * test runs its query on the database after the journey, through the state manager). The check of an
 * invariant written in Java cannot be turned into source: its test only replays the path, and says so.
 *
 * <p>Calls are repeated as the client recorded them: secrets are masked ({@code ***}) and long bodies
 * cut, so a path whose requests carried a password or a body longer than the client's recording
 * limit must be completed by hand; the generated javadoc says when that is the case. The
 * {@code Authorization} header is not repeated: the client sends its own (set by the start journey's
 * login).
 */
public final class ViolationExport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JAVA_NAME = Pattern.compile("([A-Za-z_$][A-Za-z0-9_$]*\\.)*[A-Za-z_$][A-Za-z0-9_$]*");

    private final Violation violation;
    private String className;
    private String startExpression;
    private String startCheckpoint;
    private String invariantSql;
    private List<Integer> expected = List.of();

    private ViolationExport(Violation violation) {
        this.violation = Objects.requireNonNull(violation, "violation");
        this.className = "venomqa.generated.Reproduce" + camel(violation.invariant());
    }

    /** An export of {@code violation}'s path (the minimal one when it was shrunk). */
    public static ViolationExport of(Violation violation) {
        return new ViolationExport(violation);
    }

    /** The fully qualified name of the journey class (default {@code venomqa.generated.Reproduce<Invariant>}); the test is {@code <name>Test}. */
    public ViolationExport className(String qualifiedName) {
        if (qualifiedName == null || !JAVA_NAME.matcher(qualifiedName).matches()) {
            throw new IllegalArgumentException("Not a Java class name: '" + qualifiedName + "' (expected e.g. com.acme.RefundTwice).");
        }
        this.className = qualifiedName;
        return this;
    }

    /**
     * Starts the journey with the main line of {@code journeyExpression} (Java source giving a
     * {@code Journey}, e.g. {@code com.acme.CheckoutJourney.build()}) up to its checkpoint
     * {@code checkpoint}: the exploration's {@link Exploration.Builder#startFrom start}.
     */
    public ViolationExport startFrom(String journeyExpression, String checkpoint) {
        this.startExpression = Objects.requireNonNull(journeyExpression, "journeyExpression");
        this.startCheckpoint = Objects.requireNonNull(checkpoint, "checkpoint");
        return this;
    }

    /** The query of the violated invariant when it is an {@link Invariant#sql SQL invariant}: the test runs it. */
    public ViolationExport invariantSql(String query) {
        this.invariantSql = query;
        return this;
    }

    /** Takes the violated invariant's query from {@code invariants} (an exploration's) when it is an SQL one. */
    public ViolationExport invariants(List<Invariant> invariants) {
        for (Invariant i : invariants) {
            if (i.name().equals(violation.invariant()) && i.sqlQuery() != null) {
                invariantSql = i.sqlQuery();
            }
        }
        return this;
    }

    /** The statuses the last move expects ({@link Move#expectedStatuses()}), checked by the last step. */
    public ViolationExport expectedStatuses(java.util.Collection<Integer> statuses) {
        this.expected = List.copyOf(statuses);
        return this;
    }

    /** Takes the last move's expected statuses from the exploration's moves. */
    public ViolationExport moves(List<Move> moves) {
        for (Move m : moves) {
            if (m.name().equals(violation.lastMove())) {
                expected = List.copyOf(m.expectedStatuses());
            }
        }
        return this;
    }

    /** The fully qualified name of the journey class. */
    public String journeyClassName() {
        return className;
    }

    /** The fully qualified name of the test class. */
    public String testClassName() {
        return className + "Test";
    }

    /** Writes both classes under {@code sourceRoot} in their package's directories; returns the two files. */
    public List<Path> writeTo(Path sourceRoot) {
        try {
            List<Path> out = new ArrayList<>();
            for (String[] cls : new String[][] {{journeyClassName(), journeySource()}, {testClassName(), junitTestSource()}}) {
                Path file = sourceRoot.resolve(cls[0].replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, cls[1], StandardCharsets.UTF_8);
                out.add(file);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the exported classes under " + sourceRoot + ": " + e.getMessage(), e);
        }
    }

    // ---- the journey --------------------------------------------------------------------------

    /** The journey class's source. */
    public String journeySource() {
        StringBuilder s = new StringBuilder(4096);
        packageLine(s, className);
        s.append("import io.venomqa.http.Response;\n");
        if (startExpression != null) {
            s.append("import io.venomqa.journey.Checkpoint;\n");
        }
        s.append("import io.venomqa.journey.Journey;\n");
        if (startExpression != null) {
            s.append("import io.venomqa.journey.JourneyNode;\nimport io.venomqa.journey.Step;\n");
        }
        s.append("\n/**\n * Reproduces the violation of ").append(doc("'" + violation.invariant() + "' (" + violation.severity() + ")"))
                .append(" found by VenomQA's exploration:\n * ").append(doc(CredentialMasker.maskText(String.valueOf(violation.message()))))
                .append("\n *\n * <p>Path, ").append(ViolationText.pathLength(violation, "")).append(": ")
                .append(doc(ViolationText.moves(violation))).append(".\n");
        if (startExpression != null) {
            s.append(" * Starts with the main line of {@code ").append(doc(startExpression)).append("} up to checkpoint {@code ")
                    .append(doc(startCheckpoint)).append("}.\n");
        }
        if (hasMaskedOrCutBody()) {
            s.append(" *\n * <p>Some request bodies were recorded masked ({@code ***}) or cut: put the real values back before running.\n");
        }
        s.append(" *\n * <p>Generated by {@code io.venomqa.explore.ViolationExport}.\n */\n")
                .append("public final class ").append(simpleName(className)).append(" {\n\n")
                .append("    private ").append(simpleName(className)).append("() {\n    }\n\n")
                .append("    /** The reproduction as a journey. */\n")
                .append("    public static Journey build() {\n")
                .append("        Journey.Builder journey = Journey.builder(").append(lit("reproduce " + violation.invariant())).append(")\n")
                .append("                .description(").append(lit("Reproduces the violation of '" + violation.invariant()
                        + "' found by exploration: " + ViolationText.moves(violation))).append(");\n");
        if (startExpression != null) {
            s.append("        for (JourneyNode node : (").append(startExpression).append(").nodes()) {\n")
                    .append("            if (node instanceof Checkpoint c && c.name().equals(").append(lit(startCheckpoint)).append(")) {\n")
                    .append("                break;\n            }\n")
                    .append("            if (node instanceof Step step) {\n                journey.step(step);\n            }\n")
                    .append("        }\n");
        }
        Map<String, String> ids = new LinkedHashMap<>();
        List<PathStep> path = violation.path();
        for (PathStep step : path) {
            boolean last = step.index() == path.size();
            String stepName = step.index() + "_" + step.move();
            s.append("        journey.step(").append(lit(stepName)).append(", (client, ctx) -> {\n");
            List<HttpExchange> xs = step.exchanges();
            if (xs.isEmpty()) {
                s.append("            // The move '").append(comment(step.move())).append("' made no HTTP call.\n            return null;\n");
            }
            for (int i = 0; i < xs.size(); i++) {
                HttpExchange x = xs.get(i);
                String var = i == xs.size() - 1 ? "r" : "r" + (i + 1);
                s.append("            Response ").append(var).append(" = client.request(").append(lit(x.method())).append(", ")
                        .append(pathExpression(x.url(), ids)).append(")");
                if (!x.requestBody().isEmpty()) {
                    s.append("\n                    .body(").append(lit(x.requestBody())).append(")");
                }
                s.append("\n                    .send();\n");
                if (x.status() != null && (!last || i < xs.size() - 1)) {
                    s.append("            expectStatus(").append(var).append(", ").append(x.status()).append(");\n");
                }
                String id = idOf(x);
                if (id != null) {
                    String key = "export." + stepName + ".id";
                    ids.putIfAbsent(id, key);
                    s.append("            ctx.set(").append(lit(key)).append(", ").append(var).append(".json().path(\"id\").asText());\n");
                }
            }
            if (!xs.isEmpty() && last && violation.invariant().equals(Invariant.EXPECTED_STATUS) && !expected.isEmpty()) {
                s.append("            expectStatus(r");
                expected.forEach(e -> s.append(", ").append(e));
                s.append(");\n");
            }
            if (!xs.isEmpty()) {
                s.append("            return answered(r);\n");
            }
            s.append("        });\n");
        }
        s.append("        return journey.build();\n    }\n\n")
                .append("    /** The response, or for a 4xx/5xx answer (checked above) a note: the journey runner fails a step returning one. */\n")
                .append("    private static Object answered(Response r) {\n")
                .append("        return r.statusCode() < 400 ? r : \"HTTP \" + r.statusCode() + \" from \" + r.method() + \" \" + r.uri().getPath();\n")
                .append("    }\n\n")
                .append("    private static void expectStatus(Response r, int... statuses) {\n")
                .append("        for (int status : statuses) {\n            if (r.statusCode() == status) {\n                return;\n            }\n        }\n")
                .append("        throw new AssertionError(\"expected HTTP \" + java.util.Arrays.toString(statuses) + \" as during the exploration, got \"\n")
                .append("                + r.statusCode() + \" from \" + r.method() + \" \" + r.uri() + \": \" + r.body());\n    }\n}\n");
        return s.toString();
    }

    // ---- the test -----------------------------------------------------------------------------

    /** The JUnit 5 test class's source: {@code @VenomQATest}, runs the journey, then checks the invariant. */
    public String junitTestSource() {
        String journey = simpleName(className);
        String method = lowerCamel(violation.invariant());
        StringBuilder s = new StringBuilder(2048);
        packageLine(s, testClassName());
        if (invariantSql != null) {
            s.append("import io.venomqa.state.jdbc.JdbcStateManager;\n");
        }
        s.append("import io.venomqa.junit.JourneyAssertions;\nimport io.venomqa.junit.VenomQATest;\n")
                .append("import io.venomqa.runner.JourneyRunner;\nimport org.junit.jupiter.api.DisplayName;\nimport org.junit.jupiter.api.Test;\n");
        if (invariantSql != null) {
            s.append("\nimport java.util.List;\nimport java.util.Map;\n");
        }
        s.append("\n/**\n * Regression test for the violation of ").append(doc("'" + violation.invariant() + "'"))
                .append(" that VenomQA's exploration found; it runs {@link ").append(journey).append("} (the API and database of\n")
                .append(" * {@code venomqa.yaml}) and fails while the bug is there.\n");
        if (invariantSql == null && !violation.invariant().equals(Invariant.EXPECTED_STATUS)) {
            s.append(" *\n * <p>The invariant is checked in Java by the exploration and cannot be exported: this test only replays the\n")
                    .append(" * path. Add the invariant's check after the journey.\n");
        }
        s.append(" *\n * <p>Generated by {@code io.venomqa.explore.ViolationExport}.\n */\n@VenomQATest\nclass ")
                .append(simpleName(testClassName())).append(" {\n\n");
        if (invariantSql != null) {
            s.append("    /** The invariant's query: true (or 1) when it holds. */\n    static final String INVARIANT_SQL = ")
                    .append(lit(invariantSql)).append(";\n\n");
        }
        s.append("    @Test\n    @DisplayName(").append(lit(violation.invariant() + " holds after " + ViolationText.moves(violation)))
                .append(")\n    void ").append(method).append("(JourneyRunner runner")
                .append(invariantSql != null ? ", JdbcStateManager database" : "").append(") {\n")
                .append("        JourneyAssertions.assertPassed(runner.run(").append(journey).append(".build()));\n");
        if (invariantSql != null) {
            s.append("        List<Map<String, Object>> rows = database.queryRows(INVARIANT_SQL);\n")
                    .append("        Object value = rows.size() == 1 && rows.get(0).size() == 1 ? rows.get(0).values().iterator().next() : rows;\n")
                    .append("        boolean holds = Boolean.TRUE.equals(value) || value instanceof Number n && n.doubleValue() == 1.0\n")
                    .append("                || \"t\".equalsIgnoreCase(String.valueOf(value)) || \"true\".equalsIgnoreCase(String.valueOf(value));\n")
                    .append("        if (!holds) {\n            throw new AssertionError(").append(lit("invariant '" + violation.invariant() + "' violated: "))
                    .append(" + INVARIANT_SQL + \" returned \" + value);\n        }\n");
        }
        s.append("    }\n}\n");
        return s.toString();
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The URL's path and query as a Java expression, with ids of earlier responses taken from the context. */
    private static String pathExpression(String url, Map<String, String> ids) {
        String rel;
        try {
            URI u = URI.create(url);
            rel = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
                    + (u.getRawQuery() != null ? "?" + u.getRawQuery() : "");
        } catch (IllegalArgumentException e) {
            rel = url;
        }
        String[] segments = rel.split("/", -1);
        StringBuilder expr = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                literal.append('/');
            }
            String seg = segments[i];
            String key = ids.get(seg);
            if (key == null) {
                literal.append(seg);
                continue;
            }
            if (!literal.isEmpty()) {
                expr.append(expr.isEmpty() ? "" : " + ").append(lit(literal.toString()));
                literal.setLength(0);
            }
            expr.append(expr.isEmpty() ? "" : " + ").append("ctx.getRequired(").append(lit(key)).append(")");
        }
        if (!literal.isEmpty() || expr.isEmpty()) {
            expr.append(expr.isEmpty() ? "" : " + ").append(lit(literal.toString()));
        }
        return expr.toString().startsWith("ctx") ? "\"\" + " + expr : expr.toString();
    }

    /** The top-level {@code id} of a JSON object response, when it is a number or a short string. */
    private static String idOf(HttpExchange x) {
        String body = x.responseBody().strip();
        if (!body.startsWith("{")) {
            return null;
        }
        try {
            JsonNode id = JSON.readTree(body).get("id");
            if (id != null && (id.isIntegralNumber() || id.isTextual() && !id.asText().isBlank() && id.asText().length() <= 64
                    && !id.asText().contains("/"))) {
                return id.asText();
            }
        } catch (IOException | RuntimeException e) {
            return null; // cut or not JSON: the URL keeps the literal value
        }
        return null;
    }

    private boolean hasMaskedOrCutBody() {
        return violation.path().stream().flatMap(p -> p.exchanges().stream())
                .anyMatch(x -> x.requestBody().contains(CredentialMasker.MASK) || x.requestBody().contains("…"));
    }

    private static void packageLine(StringBuilder s, String qualified) {
        int dot = qualified.lastIndexOf('.');
        if (dot > 0) {
            s.append("package ").append(qualified, 0, dot).append(";\n\n");
        }
    }

    private static String simpleName(String qualified) {
        return qualified.substring(qualified.lastIndexOf('.') + 1);
    }

    /** A Java string literal. */
    static String lit(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Text safe inside a javadoc comment. */
    private static String doc(String text) {
        return text.replace("*/", "*&#47;").replace("\n", " ").replace("@", "&#64;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Text safe inside a line comment. */
    private static String comment(String text) {
        return text.replace("\n", " ").replace("\r", " ");
    }

    private static String camel(String text) {
        StringBuilder sb = new StringBuilder();
        boolean up = true;
        for (char c : text.toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 128) {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            } else {
                up = true;
            }
        }
        if (sb.isEmpty() || !Character.isLetter(sb.charAt(0))) {
            sb.insert(0, "Invariant");
        }
        return sb.toString();
    }

    private static String lowerCamel(String text) {
        String c = camel(text);
        return Character.toLowerCase(c.charAt(0)) + c.substring(1);
    }
}
