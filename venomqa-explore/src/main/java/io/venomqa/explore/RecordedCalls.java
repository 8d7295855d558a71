package io.venomqa.explore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.venomqa.context.ExecutionContext;
import io.venomqa.core.CredentialMasker;
import io.venomqa.http.Client;
import io.venomqa.http.Response;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A violation's path as the report recorded it, turned back into moves that repeat its HTTP calls:
 * what {@code venomqa replay} runs with {@link Exploration#replay(List)}.
 *
 * <p>Each call is repeated with its method, its path and query relative to the base URL, its headers
 * and its body, with three exceptions:
 * <ul>
 *   <li>Masked values ({@code ***}: an {@code Authorization} header, an API key, a password in a body)
 *       cannot be sent again: headers and query parameters holding one are left out, and an
 *       {@link Adapter} puts the credentials back (the authentication of {@code venomqa.yaml}, or the
 *       token of the path's own login step); a body still holding one is sent as recorded, and
 *       {@link #maskedBodies()} says so.</li>
 *   <li>Ids the API handed out (a field {@code id}, {@code …Id} or {@code …_id} of a JSON response)
 *       that a later call repeats (a path segment, a query value, an id field of a JSON body, of a form
 *       or of a multipart body's text parts) are replaced
 *       by the ids the API hands out this time, so the path works where the database numbers rows
 *       differently.</li>
 *   <li>Headers the HTTP client sets itself ({@code Host}, {@code Content-Length}, {@code Connection})
 *       are not repeated.</li>
 * </ul>
 * Each move expects what the exploration's move expected ({@link MoveSummary}).
 */
public final class RecordedCalls {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CLIENT_HEADERS = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding");
    private static final int ID_DEPTH = 4;

    /**
     * What a replay adds to the recorded calls. Every method has a default that changes nothing.
     */
    public interface Adapter {
        /** The JSON body to send for a call of {@code move} (recorded, ids replaced); may put masked fields back. */
        default JsonNode body(String move, JsonNode body, ExecutionContext context) {
            return body;
        }

        /**
         * The body to send for a call of {@code move} whose recorded body is not JSON (a form's
         * {@code name=value} pairs), as recorded; may put masked fields back.
         */
        default String textBody(String move, String body, ExecutionContext context) {
            return body;
        }

        /**
         * Adds authentication to a call of {@code move}, and what else masked headers carried (its cookies): masked
         * headers and query parameters were left out.
         */
        default void authorize(String move, Client.RequestBuilder request, ExecutionContext context) {
        }

        /** After the last call of {@code move}: learn from its response as the exploration's move did (tokens, ids, facts for checks). */
        default void observe(String move, Response response, Client client, ExecutionContext context) {
        }
    }

    /**
     * One recorded call.
     *
     * @param method          HTTP method
     * @param pathAndQuery    path and query relative to the base URL
     * @param headers         request headers as recorded (masked values included)
     * @param body            request body as recorded, empty for none
     * @param status          status answered during the exploration, or {@code null}
     * @param responseBody    response body as recorded
     */
    public record Call(String method, String pathAndQuery, Map<String, String> headers, String body, Integer status,
                       String responseBody) {
        public Call {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(pathAndQuery, "pathAndQuery");
            headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            body = body == null ? "" : body;
            responseBody = responseBody == null ? "" : responseBody;
        }
    }

    /**
     * One move of the path with its calls.
     *
     * @param move  the move's name
     * @param calls its HTTP calls in order
     */
    public record Step(String move, List<Call> calls) {
        public Step {
            Objects.requireNonNull(move, "move");
            calls = List.copyOf(calls);
        }
    }

    private final List<Step> steps;
    private final Map<String, MoveSummary> summaries = new LinkedHashMap<>();
    private Adapter adapter = new Adapter() {
    };

    private RecordedCalls(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /** The calls of {@code steps}. */
    public static RecordedCalls of(List<Step> steps) {
        return new RecordedCalls(steps);
    }

    /**
     * The path of violation {@code number} (from 1, as printed) of an exploration's JSON report
     * ({@link ExplorationJson}), with the expected statuses of its moves. URLs are made relative by
     * removing the report's {@code attributes.base_url} (or, for older reports, the scheme and host).
     *
     * @throws IllegalArgumentException when the report has no such violation or is not an exploration report
     */
    public static RecordedCalls fromReport(JsonNode report, int number) {
        JsonNode violations = report.path("violations");
        if (!violations.isArray() || !report.has("states")) {
            throw new IllegalArgumentException("This is not an exploration report (no 'violations' and 'states'): write one with"
                    + " venomqa explore --report-dir DIR (explore-<name>.json).");
        }
        if (number < 1 || number > violations.size()) {
            throw new IllegalArgumentException("The report has " + violations.size() + (violations.size() == 1 ? " violation" : " violations")
                    + "; --violation takes 1" + (violations.size() > 1 ? " to " + violations.size() : "")
                    + (violations.isEmpty() ? " (there is nothing to replay)" : "") + ", not " + number + ".");
        }
        String base = report.path("attributes").path("base_url").asText("");
        List<Step> steps = new ArrayList<>();
        for (JsonNode s : violations.get(number - 1).path("path")) {
            List<Call> calls = new ArrayList<>();
            for (JsonNode x : s.path("exchanges")) {
                Map<String, String> headers = new LinkedHashMap<>();
                x.path("requestHeaders").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
                calls.add(new Call(x.path("method").asText(), relative(x.path("url").asText(), base), headers,
                        x.path("requestBody").asText(""), x.path("status").isInt() ? x.path("status").asInt() : null,
                        x.path("responseBody").asText("")));
            }
            steps.add(new Step(s.path("move").asText(), calls));
        }
        RecordedCalls rc = new RecordedCalls(steps);
        for (JsonNode m : report.path("moves")) {
            List<String> expected = new ArrayList<>();
            m.path("expectedStatuses").forEach(e -> expected.add(e.asText()));
            rc.summaries.put(m.path("name").asText(), new MoveSummary(m.path("name").asText(), m.path("description").asText(""), expected));
        }
        return rc;
    }

    /** The path and query of {@code url} relative to {@code base} (its path prefix removed when it has one). */
    static String relative(String url, String base) {
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            return url;
        }
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        String basePath = "";
        try {
            basePath = base.isEmpty() ? "" : URI.create(base).getRawPath();
        } catch (IllegalArgumentException e) {
            // a masked or odd base URL: keep the full path
        }
        if (basePath != null && basePath.length() > 1) {
            String b = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
            if (path.startsWith(b + "/")) {
                path = path.substring(b.length());
            }
        }
        return path + (u.getRawQuery() != null ? "?" + u.getRawQuery() : "");
    }

    /** Uses {@code adapter} for credentials, bodies and what moves learn. */
    public RecordedCalls adapter(Adapter adapter) {
        this.adapter = Objects.requireNonNull(adapter, "adapter");
        return this;
    }

    /** The expected statuses of a move, as the report gave them (used by {@link #moves()}). */
    public RecordedCalls expect(MoveSummary move) {
        summaries.put(move.name(), move);
        return this;
    }

    /** The recorded steps. */
    public List<Step> steps() {
        return steps;
    }

    /** The names of the path's moves, in order. */
    public List<String> moveNames() {
        return steps.stream().map(Step::move).toList();
    }

    /** Whether a recorded request body holds a masked value ({@code ***}) that the adapter may not put back. */
    public boolean maskedBodies() {
        return steps.stream().flatMap(s -> s.calls().stream()).anyMatch(c -> c.body().contains(CredentialMasker.MASK));
    }

    /**
     * One move per step, sharing the id replacements of one replay: build the moves again for each
     * replay. Each expects the statuses its exploration move expected (any status below 500 when the
     * report does not say).
     */
    public List<Move> moves() {
        Map<String, String> ids = new LinkedHashMap<>();
        List<Move> out = new ArrayList<>();
        for (Step step : steps) {
            Move.Builder b = Move.builder(step.move()).action((client, ctx) -> run(step, client, ctx, ids));
            MoveSummary summary = summaries.get(step.move());
            if (summary != null && !summary.expectedStatuses().isEmpty()) {
                b.expectStatus(java.util.stream.IntStream.rangeClosed(100, 599).filter(summary::isExpected).toArray());
            }
            out.add(b.build());
        }
        return out;
    }

    private Object run(Step step, Client client, ExecutionContext ctx, Map<String, String> ids) {
        Response last = null;
        for (Call c : step.calls()) {
            Client.RequestBuilder rb = client.request(c.method(), replacePathAndQuery(c.pathAndQuery(), ids));
            c.headers().forEach((k, v) -> {
                if (!v.contains(CredentialMasker.MASK) && !CLIENT_HEADERS.contains(k.toLowerCase(Locale.ROOT))) {
                    rb.header(k, v);
                }
            });
            if (!c.body().isEmpty()) {
                JsonNode json = parse(c.body());
                if (json != null) {
                    replaceIds(json, ids);
                    rb.body(adapter.body(step.move(), json, ctx));
                } else {
                    rb.body(adapter.textBody(step.move(), replaceTextIds(c.body(), header(c.headers(), "Content-Type"), ids), ctx));
                }
            }
            adapter.authorize(step.move(), rb, ctx);
            last = rb.send();
            learnIds(parse(c.responseBody()), parse(last.body()), ids, 0);
        }
        if (last != null) {
            adapter.observe(step.move(), last, client, ctx);
        }
        return last;
    }

    private static JsonNode parse(String text) {
        String t = text == null ? "" : text.strip();
        if (!t.startsWith("{") && !t.startsWith("[")) {
            return null;
        }
        try {
            return JSON.readTree(t);
        } catch (IOException e) {
            return null; // cut or not JSON
        }
    }

    private static boolean idField(String name) {
        return name.equals("id") || name.endsWith("Id") || name.endsWith("_id") || name.endsWith("ID");
    }

    /** Pairs the ids of the recorded response with those of the new one, field by field. */
    private static void learnIds(JsonNode recorded, JsonNode now, Map<String, String> ids, int depth) {
        if (recorded == null || now == null || depth > ID_DEPTH) {
            return;
        }
        if (recorded.isArray() && now.isArray()) {
            for (int i = 0; i < Math.min(recorded.size(), now.size()); i++) {
                learnIds(recorded.get(i), now.get(i), ids, depth + 1);
            }
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = recorded.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode n = now.get(e.getKey());
            if (n == null) {
                continue;
            }
            if (e.getValue().isValueNode() && n.isValueNode() && idField(e.getKey())) {
                String was = e.getValue().asText();
                if (!was.isEmpty() && !was.contains(CredentialMasker.MASK) && !was.equals(n.asText())) {
                    ids.put(was, n.asText());
                }
            } else if (e.getValue().isContainerNode()) {
                learnIds(e.getValue(), n, ids, depth + 1);
            }
        }
    }

    private static String replacePathAndQuery(String pathAndQuery, Map<String, String> ids) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String[] segs = path.split("/", -1);
        for (int i = 0; i < segs.length; i++) {
            segs[i] = ids.getOrDefault(segs[i], segs[i]);
        }
        StringBuilder out = new StringBuilder(String.join("/", segs));
        if (q >= 0) {
            String[] params = pathAndQuery.substring(q + 1).split("&", -1);
            for (int i = 0; i < params.length; i++) {
                int eq = params[i].indexOf('=');
                if (eq > 0) {
                    params[i] = params[i].substring(0, eq + 1) + ids.getOrDefault(params[i].substring(eq + 1), params[i].substring(eq + 1));
                }
            }
            List<String> kept = dropMasked(params);
            if (!kept.isEmpty()) {
                out.append('?').append(String.join("&", kept));
            }
        }
        return out.toString();
    }

    /** Query parameters whose value was masked (an API key) are left out: the adapter sends the real one. */
    private static List<String> dropMasked(String[] params) {
        List<String> kept = new ArrayList<>();
        for (String p : params) {
            if (!p.contains(CredentialMasker.MASK) && !p.contains("%2A%2A%2A")) {
                kept.add(p);
            }
        }
        return kept;
    }

    private static String header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /**
     * A recorded form ({@code application/x-www-form-urlencoded}) or multipart body with the id fields' values
     * replaced as {@link #replaceIds} does in JSON: a field named as an id whose whole value is an id the API
     * handed out differently this time. Any other body, and every other byte of these, as recorded.
     */
    static String replaceTextIds(String body, String contentType, Map<String, String> ids) {
        if (ids.isEmpty() || contentType == null) {
            return body;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded")) {
            String[] pairs = body.split("&", -1);
            for (int i = 0; i < pairs.length; i++) {
                int eq = pairs[i].indexOf('=');
                if (eq > 0) {
                    String name = java.net.URLDecoder.decode(pairs[i].substring(0, eq), StandardCharsets.UTF_8);
                    String value = java.net.URLDecoder.decode(pairs[i].substring(eq + 1), StandardCharsets.UTF_8);
                    if (idField(name) && ids.containsKey(value)) {
                        pairs[i] = pairs[i].substring(0, eq + 1) + java.net.URLEncoder.encode(ids.get(value), StandardCharsets.UTF_8);
                    }
                }
            }
            return String.join("&", pairs);
        }
        java.util.regex.Matcher boundary = MULTIPART_BOUNDARY.matcher(contentType);
        if (!type.startsWith("multipart/form-data") || !boundary.find()) {
            return body;
        }
        String delimiter = "--" + (boundary.group(1) != null ? boundary.group(1) : boundary.group(2));
        String[] parts = body.split(java.util.regex.Pattern.quote(delimiter), -1);
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            int headersEnd = part.indexOf("\r\n\r\n");
            int valueEnd = part.lastIndexOf("\r\n");
            if (headersEnd < 0 || valueEnd < headersEnd + 4) {
                continue;
            }
            java.util.regex.Matcher name = PART_NAME.matcher(part.substring(0, headersEnd));
            String value = part.substring(headersEnd + 4, valueEnd);
            if (name.find() && !part.substring(0, headersEnd).toLowerCase(Locale.ROOT).contains("filename=")
                    && idField(name.group(1)) && ids.containsKey(value)) {
                parts[i] = part.substring(0, headersEnd + 4) + ids.get(value) + part.substring(valueEnd);
            }
        }
        return String.join(delimiter, parts);
    }

    private static final java.util.regex.Pattern MULTIPART_BOUNDARY =
            java.util.regex.Pattern.compile("(?i);\\s*boundary=(?:\"([^\"]+)\"|([^;\\s]+))");
    private static final java.util.regex.Pattern PART_NAME =
            java.util.regex.Pattern.compile("(?i)content-disposition:[^\\r\\n]*?;\\s*name=\"([^\"]*)\"");

    private static void replaceIds(JsonNode node, Map<String, String> ids) {
        if (ids.isEmpty() || node == null) {
            return;
        }
        if (node.isArray()) {
            node.forEach(n -> replaceIds(n, ids));
            return;
        }
        if (!(node instanceof ObjectNode o)) {
            return;
        }
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode v = o.get(name);
            if (v.isValueNode() && idField(name) && ids.containsKey(v.asText())) {
                String now = ids.get(v.asText());
                o.set(name, v.isNumber() && now.matches("-?\\d{1,18}") ? JSON.getNodeFactory().numberNode(Long.parseLong(now))
                        : TextNode.valueOf(now));
            } else if (v.isContainerNode()) {
                replaceIds(v, ids);
            }
        }
    }
}
