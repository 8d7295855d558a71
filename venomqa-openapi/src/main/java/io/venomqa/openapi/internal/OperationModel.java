package io.venomqa.openapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.venomqa.openapi.ApiOperation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One operation of a {@link Spec}: its parameters, request body and declared responses, $refs followed. */
public final class OperationModel {

    private static final Pattern TEMPLATE_PARAM = Pattern.compile("\\{([^}/]+)}");

    /** A parameter. {@code schema} is dereferenced; {@code example} is the first example found, or null. */
    /**
     * A parameter, with how an array or object value is written ({@code style}, {@code explode}: OpenAPI's defaults,
     * {@code form} and exploded in the query, {@code simple} and not exploded in the path and headers).
     */
    public record Param(String name, String in, boolean required, JsonNode schema, JsonNode example, String style,
                        boolean explode) {
        Param(String name, String in, boolean required, JsonNode schema, JsonNode example) {
            this(name, in, required, schema, example, defaultStyle(in), defaultStyle(in).equals("form"));
        }

        static String defaultStyle(String in) {
            return in.equals("query") || in.equals("cookie") ? "form" : "simple";
        }
    }

    /** A declared response: its media types (type → schema, possibly missing), headers and links. */
    public record Resp(String status, Map<String, JsonNode> content, Map<String, JsonNode> headers, Map<String, JsonNode> links) {
    }

    private final Spec spec;
    private final String path;
    private final String method;
    private final JsonNode node;
    private final ApiOperation operation;
    private final List<Param> params = new ArrayList<>();
    private final Map<String, Resp> responses = new LinkedHashMap<>();
    private final Pattern pathPattern;
    private final List<String> pathParamOrder = new ArrayList<>();
    private JsonNode bodySchema;
    private String bodyMediaType;
    private JsonNode bodyExample;
    private final Map<String, JsonNode> bodyExamples = new LinkedHashMap<>();
    private boolean bodyRequired;
    /** Whether the body is a form ({@code application/x-www-form-urlencoded}) rather than JSON. */
    private boolean bodyForm;
    /** Whether the body is {@code multipart/form-data} (a file upload) rather than JSON. */
    private boolean bodyMultipart;
    /** The multipart body's {@code encoding} object (each part's {@code contentType}), or missing. */
    private JsonNode bodyEncoding = com.fasterxml.jackson.databind.node.MissingNode.getInstance();

    OperationModel(Spec spec, String path, String method, JsonNode pathItem, JsonNode op) {
        this.spec = spec;
        this.path = path;
        this.method = method.toUpperCase(Locale.ROOT);
        this.node = op;
        List<String> tags = new ArrayList<>();
        op.path("tags").forEach(t -> tags.add(t.asText()));
        String id = op.path("operationId").asText("");
        this.operation = new ApiOperation(id.isBlank() ? this.method + " " + path : id, this.method, path, tags,
                op.path("summary").asText(""));
        Map<String, Param> byKey = new LinkedHashMap<>();
        for (JsonNode source : List.of(pathItem.path("parameters"), op.path("parameters"))) {
            for (JsonNode p0 : source) {
                JsonNode p = spec.deref(p0);
                String name = p.path("name").asText("");
                String in = p.path("in").asText("");
                if (name.isEmpty() || in.isEmpty()) {
                    continue;
                }
                JsonNode schema = spec.deref(p.path("schema"));
                JsonNode example = p.has("example") ? p.get("example") : firstExample(p.path("examples"));
                String style = p.path("style").asText(Param.defaultStyle(in));
                byKey.put(in + ":" + name, new Param(name, in, p.path("required").asBoolean(in.equals("path")), schema, example,
                        style, p.path("explode").asBoolean(style.equals("form"))));
            }
        }
        Matcher m = TEMPLATE_PARAM.matcher(path);
        StringBuilder regex = new StringBuilder("^");
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(path.substring(last, m.start()))).append("([^/]+)");
            pathParamOrder.add(m.group(1));
            if (!byKey.containsKey("path:" + m.group(1))) {
                // A template variable the document forgot to declare: still a required path parameter.
                byKey.put("path:" + m.group(1), new Param(m.group(1), "path", true, com.fasterxml.jackson.databind.node.MissingNode.getInstance(), null));
            }
            last = m.end();
        }
        regex.append(Pattern.quote(path.substring(last))).append("/?$");
        this.pathPattern = Pattern.compile(regex.toString());
        params.addAll(byKey.values());

        JsonNode body = spec.deref(op.path("requestBody"));
        if (body.isObject()) {
            bodyRequired = body.path("required").asBoolean(false);
            Map<String, JsonNode> content = Spec.fields(body.path("content"));
            for (Map.Entry<String, JsonNode> e : content.entrySet()) {
                if (isJson(e.getKey())) {
                    bodyMediaType = e.getKey();
                    JsonNode media = e.getValue();
                    bodySchema = media.path("schema");
                    bodyExample = media.has("example") ? media.get("example") : firstExample(media.path("examples"));
                    if (!media.has("example")) {
                        Spec.fields(media.path("examples")).forEach((n, ex) -> {
                            JsonNode resolved = spec.deref(ex);
                            if (resolved.has("value")) {
                                bodyExamples.put(n, resolved.get("value"));
                            }
                        });
                    }
                    break;
                }
            }
            if (bodyMediaType == null) {
                // No JSON: a form (a login's OAuth2 password grant, a classic form post) is built from its schema
                // as a JSON body would be, then sent as name=value pairs.
                for (String kind : List.of("form", "multipart")) {
                    for (Map.Entry<String, JsonNode> e : content.entrySet()) {
                        boolean match = kind.equals("form") ? isForm(e.getKey()) : isMultipart(e.getKey());
                        if (bodyMediaType == null && match && e.getValue().path("schema").isObject()) {
                            bodyMediaType = e.getKey();
                            bodyForm = kind.equals("form");
                            bodyMultipart = kind.equals("multipart");
                            JsonNode media = e.getValue();
                            bodySchema = media.path("schema");
                            bodyEncoding = media.path("encoding");
                            bodyExample = media.has("example") ? media.get("example") : firstExample(media.path("examples"));
                        }
                    }
                }
            }
            if (bodyMediaType == null && !content.isEmpty()) {
                bodyMediaType = content.keySet().iterator().next();
            }
        }
        for (Map.Entry<String, JsonNode> e : Spec.fields(op.path("responses")).entrySet()) {
            JsonNode r = spec.deref(e.getValue());
            Map<String, JsonNode> content = new LinkedHashMap<>();
            Spec.fields(r.path("content")).forEach((type, media) -> content.put(type, media.path("schema")));
            Map<String, JsonNode> links = new LinkedHashMap<>();
            Spec.fields(r.path("links")).forEach((n, l) -> links.put(n, spec.deref(l)));
            Map<String, JsonNode> headers = new LinkedHashMap<>();
            Spec.fields(r.path("headers")).forEach((n, h) -> headers.put(n.toLowerCase(Locale.ROOT), spec.deref(h)));
            responses.put(e.getKey().toUpperCase(Locale.ROOT), new Resp(e.getKey().toUpperCase(Locale.ROOT), content, headers, links));
        }
    }

    private JsonNode firstExample(JsonNode examples) {
        for (JsonNode ex : examples) {
            JsonNode e = spec.deref(ex);
            if (e.has("value")) {
                return e.get("value");
            }
        }
        return null;
    }

    /** Whether {@code mediaType} is {@code multipart/form-data} (parameters ignored). */
    public static boolean isMultipart(String mediaType) {
        String t = mediaType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        return (semi >= 0 ? t.substring(0, semi).trim() : t).equals("multipart/form-data");
    }

    /** Whether {@code mediaType} is {@code application/x-www-form-urlencoded} (parameters ignored). */
    public static boolean isForm(String mediaType) {
        String t = mediaType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        return (semi >= 0 ? t.substring(0, semi).trim() : t).equals("application/x-www-form-urlencoded");
    }

    /** Whether {@code mediaType} is JSON ({@code application/json}, {@code application/problem+json}, ...). */
    public static boolean isJson(String mediaType) {
        String t = mediaType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        if (semi >= 0) {
            t = t.substring(0, semi).trim();
        }
        return t.equals("application/json") || t.endsWith("+json") || t.equals("*/*") || t.equals("application/*");
    }

    public Spec spec() {
        return spec;
    }

    public ApiOperation operation() {
        return operation;
    }

    public String name() {
        return operation.operationId();
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public JsonNode node() {
        return node;
    }

    public List<Param> params() {
        return params;
    }

    public List<Param> params(String in) {
        return params.stream().filter(p -> p.in().equals(in)).toList();
    }

    /** Names of the path template variables, left to right. */
    public List<String> pathParamOrder() {
        return pathParamOrder;
    }

    /** Values of the template variables if {@code concretePath} matches this operation's path, else null. */
    public Map<String, String> matchPath(String concretePath) {
        Matcher m = pathPattern.matcher(concretePath);
        if (!m.matches()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < pathParamOrder.size(); i++) {
            out.put(pathParamOrder.get(i), java.net.URLDecoder.decode(m.group(i + 1), java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * The schema of the request body VenomQA builds: the JSON one, else an {@code application/x-www-form-urlencoded}
     * one ({@link #bodyForm()}), else a {@code multipart/form-data} one ({@link #bodyMultipart()}); null when the
     * operation has none of them.
     */
    public JsonNode bodySchema() {
        return bodySchema;
    }

    /** Whether {@link #bodySchema()} is a form's, sent as {@code name=value} pairs rather than as JSON. */
    public boolean bodyForm() {
        return bodyForm;
    }

    /** Whether {@link #bodySchema()} is a {@code multipart/form-data} body's, sent as parts rather than as JSON. */
    public boolean bodyMultipart() {
        return bodyMultipart;
    }

    /** The multipart body's {@code encoding} object (per part: {@code contentType}), or a missing node. */
    public JsonNode bodyEncoding() {
        return bodyEncoding;
    }

    /** The media type of the request body, or null. */
    public String bodyMediaType() {
        return bodyMediaType;
    }

    public JsonNode bodyExample() {
        return bodyExample;
    }

    /** The named {@code examples} of the JSON request body (their {@code value}s), in document order; empty with a single {@code example}. */
    public Map<String, JsonNode> bodyExamples() {
        return bodyExamples;
    }

    public boolean bodyRequired() {
        return bodyRequired;
    }

    /** Declared responses by status key as written upper-cased ({@code 200}, {@code 4XX}, {@code DEFAULT}). */
    public Map<String, Resp> responses() {
        return responses;
    }

    /** The response declared for {@code status}: exact code, then its range ({@code 4XX}), then {@code default}; or null. */
    public Resp responseFor(int status) {
        Resp r = responses.get(String.valueOf(status));
        if (r == null) {
            r = responses.get((status / 100) + "XX");
        }
        if (r == null) {
            r = responses.get("DEFAULT");
        }
        return r;
    }

    /** The 2xx responses, in document order. */
    public List<Resp> successResponses() {
        return responses.values().stream().filter(r -> r.status().startsWith("2")).toList();
    }

    /** The security requirements in force (its own, else the document's); empty means none. */
    public List<JsonNode> security() {
        return spec.security(node);
    }

    /** Whether the operation declares {@code security: []} explicitly (open even when the document is not). */
    public boolean explicitlyOpen() {
        return node.has("security") && node.get("security").isArray() && node.get("security").isEmpty();
    }

    @Override
    public String toString() {
        return operation.endpoint();
    }
}
