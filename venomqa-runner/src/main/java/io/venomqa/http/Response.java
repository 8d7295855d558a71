package io.venomqa.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.venomqa.http.internal.Redactor;
import io.venomqa.core.VenomQAException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The response to one {@link Client} call: status, headers and the full body. Immutable.
 *
 * <p>{@link #isSuccess()} means a status below 400 (and at least 200), the same rule the runner
 * uses to pass a step. {@link #json()} parses the body on each call, so callers may change the
 * returned tree freely.
 */
public final class Response {

    private final String method;
    private final URI uri;
    private final int statusCode;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final Duration duration;
    private final HttpExchange exchange;
    private final ObjectMapper mapper;

    /** A response as the client builds it; public so tests and custom clients can make one. */
    public Response(String method, URI uri, int statusCode, Map<String, List<String>> headers, byte[] body,
                    Duration duration, HttpExchange exchange, ObjectMapper mapper) {
        this(method, uri, statusCode, headers, duration, exchange, mapper, body == null ? null : body.clone());
    }

    /**
     * The client's own: {@code body} is a fresh array nobody else holds, so it is kept without the
     * defensive copy (one body-sized copy less per call).
     */
    static Response received(String method, URI uri, int statusCode, Map<String, List<String>> headers, byte[] body,
                             Duration duration, HttpExchange exchange, ObjectMapper mapper) {
        return new Response(method, uri, statusCode, headers, duration, exchange, mapper, body);
    }

    private Response(String method, URI uri, int statusCode, Map<String, List<String>> headers, Duration duration,
                     HttpExchange exchange, ObjectMapper mapper, byte[] ownedBody) {
        this.method = Objects.requireNonNull(method, "method");
        this.uri = Objects.requireNonNull(uri, "uri");
        this.statusCode = statusCode;
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
        }
        this.headers = java.util.Collections.unmodifiableMap(h);
        this.body = ownedBody == null ? new byte[0] : ownedBody;
        this.duration = duration == null ? Duration.ZERO : duration;
        this.exchange = exchange;
        this.mapper = mapper == null ? new ObjectMapper() : mapper;
    }

    /** The HTTP status code. */
    public int statusCode() {
        return statusCode;
    }

    /** Whether the status is 2xx or 3xx: below 400, the runner's rule for a passing step. */
    public boolean isSuccess() {
        return statusCode >= 200 && statusCode < 400;
    }

    /** The body as UTF-8 text (empty when there was none). */
    public String body() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body's bytes (a copy). */
    public byte[] bodyBytes() {
        return body.clone();
    }

    /** The first value of header {@code name} (case-insensitive), or {@code null} when absent. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every header with all its values; names compare case-insensitively. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /**
     * The body parsed as JSON.
     *
     * @throws VenomQAException when the body is not JSON, quoting the start of the body
     */
    public JsonNode json() {
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new VenomQAException(notJson("the body is empty"));
            }
            return node;
        } catch (java.io.IOException e) {
            throw new VenomQAException(notJson(e.getMessage()), e);
        }
    }

    /** The body read as {@code type} with the client's Jackson mapper. */
    public <T> T json(Class<T> type) {
        try {
            return mapper.readValue(body, type);
        } catch (java.io.IOException e) {
            throw new VenomQAException(notJson("cannot read it as " + type.getName() + ": " + e.getMessage()), e);
        }
    }

    /** The body read as a generic type, such as {@code new TypeReference<List<Order>>() {}}. */
    public <T> T json(TypeReference<T> type) {
        try {
            return mapper.readValue(body, type);
        } catch (java.io.IOException e) {
            throw new VenomQAException(notJson("cannot read it as " + type.getType() + ": " + e.getMessage()), e);
        }
    }

    /**
     * The value of the HTML form field {@code name} in this response's body: the {@code value} of the first
     * {@code <input name="…">} of that name, or else the {@code content} of a {@code <meta name="…">} (where Spring
     * Security's docs put the CSRF token for scripts), with its character references decoded ({@code &amp;}); empty when
     * there is none. How a journey reads the hidden CSRF token of a server-rendered form: Spring Security's default
     * login page holds {@code <input name="_csrf" type="hidden" value="…">}. A token read so is not masked by itself:
     * pass it to {@link Client#addSecret} if it must not show in reports.
     */
    public java.util.Optional<String> inputValue(String name) {
        Objects.requireNonNull(name, "name");
        String html = body();
        java.util.Optional<String> meta = java.util.Optional.empty();
        java.util.regex.Matcher tag = HTML_TAG.matcher(html);
        while (tag.find()) {
            Map<String, String> attributes = new java.util.HashMap<>();
            java.util.regex.Matcher a = HTML_ATTRIBUTE.matcher(tag.group(2));
            while (a.find()) {
                String value = a.group(3) != null ? a.group(3) : a.group(4) != null ? a.group(4) : a.group(5);
                attributes.putIfAbsent(a.group(1).toLowerCase(Locale.ROOT), value == null ? "" : value);
            }
            if (!name.equals(attributes.get("name") == null ? null : unescape(attributes.get("name")))) {
                continue;
            }
            if (tag.group(1).equalsIgnoreCase("input")) {
                return java.util.Optional.of(unescape(attributes.getOrDefault("value", "")));
            }
            if (meta.isEmpty() && attributes.containsKey("content")) {
                meta = java.util.Optional.of(unescape(attributes.get("content")));
            }
        }
        return meta;
    }

    private static final java.util.regex.Pattern HTML_TAG =
            java.util.regex.Pattern.compile("<(input|meta)\\b([^>]*)>", java.util.regex.Pattern.CASE_INSENSITIVE);
    private static final java.util.regex.Pattern HTML_ATTRIBUTE =
            java.util.regex.Pattern.compile("([A-Za-z_:][-A-Za-z0-9_:.]*)\\s*(=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'=<>`]+)))?");

    private static final java.util.regex.Pattern CHARACTER_REFERENCE =
            java.util.regex.Pattern.compile("&(#[0-9]+|#[xX][0-9a-fA-F]+|amp|lt|gt|quot|apos);");

    /** {@code text} with the character references a server writes in an attribute decoded. */
    private static String unescape(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        java.util.regex.Matcher m = CHARACTER_REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String ref = m.group(1);
            String c = switch (ref) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                default -> codePoint(ref);
            };
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(c == null ? m.group() : c));
        }
        return m.appendTail(out).toString();
    }

    /** The character of a numeric reference ({@code #38}, {@code #x26}); null for one that names no character. */
    private static String codePoint(String ref) {
        try {
            int cp = ref.startsWith("#x") || ref.startsWith("#X") ? Integer.parseInt(ref.substring(2), 16)
                    : Integer.parseInt(ref.substring(1));
            return Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : null;
        } catch (NumberFormatException tooLong) {
            return null;
        }
    }

    /** The HTTP method of the request. */
    public String method() {
        return method;
    }

    /** The URL requested. */
    public URI uri() {
        return uri;
    }

    /** Time from sending the request to reading the whole body. */
    public Duration duration() {
        return duration;
    }

    /** The call as recorded in the client's history (masked, bodies cut), or {@code null} for a hand-made response. */
    public HttpExchange exchange() {
        return exchange;
    }

    private String notJson(String why) {
        String start = Redactor.truncate(body(), 200);
        return "Response of " + method + " " + (exchange != null ? exchange.url() : uri) + " (status " + statusCode
                + ") is not JSON: " + why + ". Body: " + (start.isEmpty() ? "(empty)" : start);
    }

    @Override
    public String toString() {
        String ct = header("content-type");
        return "Response[" + method + " " + (exchange != null ? exchange.url() : uri) + " → " + statusCode
                + (ct != null ? ", " + ct.toLowerCase(Locale.ROOT) : "") + ", " + body.length + " bytes]";
    }
}
