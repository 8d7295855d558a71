package io.venomqa.openapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Client;
import io.venomqa.http.Form;
import io.venomqa.http.Multipart;
import io.venomqa.http.Response;
import io.venomqa.journey.Action;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The action of one operation's move: fills the parameters (values seen earlier, else the
 * document's example, default, enum or a generated value), builds the body from the schema,
 * authenticates, sends, and then learns from the response what later moves need (ids by name and
 * schema, the {@code Location} header, OpenAPI links), leaving the facts the checks read under
 * {@link Keys#LAST}. Everything it keeps is in the context, so it is restored with the state.
 */
public final class OperationAction implements Action {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> TOKEN_FIELDS = List.of("token", "access_token", "accessToken", "jwt", "id_token", "idToken");
    private static final Set<String> SKIPPED_HEADERS = Set.of("authorization", "content-type", "accept", "content-length");
    private static final int DELETED_KEPT = 5;

    /** The login part: the body fields the user gave and where the token is in the answer. */
    public record LoginSpec(Map<String, Object> body, String tokenField) {
    }

    private final ApiPlan plan;
    private final OperationModel op;
    private final Requests requests;
    private final LoginSpec login;
    private final String moveName;
    private final JsonNode example;
    private final InvalidBodies.InvalidBody invalid;
    /** The resources a 2xx answer of each status teaches about: fixed by the document, so worked out once. */
    private final Map<Integer, Set<String>> resourcesByStatus = new java.util.concurrent.ConcurrentHashMap<>();

    public OperationAction(ApiPlan plan, OperationModel op, Requests requests, LoginSpec login) {
        this(plan, op, requests, login, op.name(), op.bodyExample(), null);
    }

    /**
     * The action of move {@code moveName}, sending {@code example} as the body (one move per named
     * example), or, with {@code invalid}, that body broken by {@code invalid}'s rule.
     */
    public OperationAction(ApiPlan plan, OperationModel op, Requests requests, LoginSpec login, String moveName, JsonNode example,
                           InvalidBodies.InvalidBody invalid) {
        this.plan = plan;
        this.op = op;
        this.requests = requests;
        this.login = login;
        this.moveName = moveName;
        this.example = example;
        this.invalid = invalid;
    }

    /** The name of the move this action is for. */
    public String moveName() {
        return moveName;
    }

    /** The operation this action calls. */
    public OperationModel operation() {
        return op;
    }

    @Override
    public Object execute(Client client, ExecutionContext ctx) {
        Values values = plan.values();
        Map<String, String> pathValues = new LinkedHashMap<>();
        for (OperationModel.Param p : op.params("path")) {
            Object v = known(ctx, plan.keyOf(op, p.name()), p.schema());
            pathValues.put(p.name(), simple(v != null ? v : fallback(p), p.explode()));
        }
        String url = op.path();
        for (Map.Entry<String, String> e : pathValues.entrySet()) {
            url = url.replace("{" + e.getKey() + "}", URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        Client.RequestBuilder rb = client.request(op.method(), url);
        for (OperationModel.Param p : op.params("query")) {
            Object v = known(ctx, plan.keyOf(op, p.name()), p.schema());
            if (v == null && (p.required() || p.example() != null || p.schema().has("default"))) {
                v = fallback(p);
            }
            if (v != null) {
                query(rb, p, v);
            }
        }
        for (OperationModel.Param p : op.params("header")) {
            if (p.required() && !SKIPPED_HEADERS.contains(p.name().toLowerCase(java.util.Locale.ROOT))) {
                rb.header(p.name(), simple(fallback(p), p.explode()));
            }
        }
        cookies(rb, ctx);
        requests.authorize(rb, ctx, op);
        Object body = body(ctx, values);
        String broken = null;
        if (invalid != null) {
            java.util.Optional<Object> b = invalid.apply().apply(java.util.Optional.ofNullable(body));
            if (b.isPresent()) {
                body = b.get();
                broken = invalid.description();
            }
        }
        if (body != null && op.bodyForm()) {
            rb.header("Content-Type", op.bodyMediaType()).body(formEncoded(body));
        } else if (body != null && op.bodyMultipart()) {
            rb.multipart(multipart(body));
        } else if (body != null) {
            String declared = op.bodyMediaType();
            if (declared != null && OperationModel.isJson(declared) && !declared.contains("*")) {
                // The type the document declares (application/merge-patch+json, application/vnd.api+json):
                // an API that consumes only that type answers 415 to application/json.
                rb.header("Content-Type", declared);
            }
            rb.json(body);
        }
        Response r = rb.send();
        learn(r, ctx, client, pathValues, broken);
        return r;
    }

    /**
     * Learns from {@code r}, a response to this operation sent by someone else (a replay of a recorded
     * call), what {@link #execute} would have learnt: ids, the login token, the facts the checks read.
     */
    public void observe(Response r, ExecutionContext ctx, Client client) {
        Map<String, String> pathValues = r.uri() == null ? null : op.matchPath(stripBase(r.uri().getRawPath(), client));
        // A recorded call repeats the body as it was sent: broken, for an invalid-body move.
        learn(r, ctx, client, pathValues == null ? Map.of() : pathValues, invalid == null ? null : invalid.description());
    }

    /** The body this operation would send: for the login operation, the user's fields over {@code body}'s. */
    public JsonNode loginBody(JsonNode body) {
        if (login == null || !(body instanceof com.fasterxml.jackson.databind.node.ObjectNode o)) {
            return body;
        }
        com.fasterxml.jackson.databind.node.ObjectNode merged = o.deepCopy();
        login.body().forEach((k, v) -> merged.set(k, MAPPER.valueToTree(v)));
        return merged;
    }

    /**
     * {@code form}, a recorded form body of this login operation (its password masked), with the login's
     * configured fields put back; any other body as it is.
     */
    public String loginForm(String form) {
        if (login == null || !op.bodyForm()) {
            return form;
        }
        Map<String, Object> fields = new LinkedHashMap<>(Form.decode(form));
        fields.putAll(login.body());
        return formEncoded(fields);
    }

    private Object known(ExecutionContext ctx, String key, JsonNode schema) {
        Object v = ctx.get(key);
        return v != null && plan.values().compatible(v, schema) ? v : null;
    }

    private Object fallback(OperationModel.Param p) {
        if (p.example() != null && !p.example().isNull()) {
            return JsonValues.toJava(p.example());
        }
        return plan.values().value(p.schema(), null);
    }

    /**
     * Adds query parameter {@code p} with value {@code v} as its {@code style} writes it: an array as the name
     * repeated ({@code form}, exploded: the default), joined by commas ({@code form} not exploded), spaces
     * ({@code spaceDelimited}) or bars ({@code pipeDelimited}); an object as its properties
     * ({@code form}, exploded), {@code name=k1,v1,k2,v2} ({@code form}) or {@code name[k1]=v1} ({@code deepObject}).
     */
    static void query(Client.RequestBuilder rb, OperationModel.Param p, Object v) {
        if (v instanceof List<?> items) {
            String separator = switch (p.style()) {
                case "spaceDelimited" -> " ";
                case "pipeDelimited" -> "|";
                default -> p.explode() ? null : ",";
            };
            if (separator == null) {
                rb.query(p.name(), items);
            } else {
                rb.query(p.name(), join(items, separator));
            }
        } else if (v instanceof Map<?, ?> fields) {
            if (p.style().equals("deepObject")) {
                fields.forEach((k, x) -> rb.query(p.name() + "[" + k + "]", scalar(x)));
            } else if (p.explode()) {
                fields.forEach((k, x) -> rb.query(String.valueOf(k), scalar(x)));
            } else {
                rb.query(p.name(), simple(v, false));
            }
        } else {
            rb.query(p.name(), v);
        }
    }

    /**
     * {@code v} in OpenAPI's {@code simple} style (path and header parameters): an array joined by commas, an
     * object as {@code k1,v1,k2,v2} ({@code k1=v1,k2=v2} exploded), anything else as its text.
     */
    /**
     * Adds the operation's cookie parameters: those required, and those whose value the exploration knows. A replay
     * calls it too: the recorded {@code Cookie} header is masked, so it is not sent again.
     */
    public void cookies(Client.RequestBuilder rb, ExecutionContext ctx) {
        for (OperationModel.Param p : op.params("cookie")) {
            Object v = known(ctx, plan.keyOf(op, p.name()), p.schema());
            if (v == null && p.required()) {
                v = fallback(p);
            }
            if (v != null) {
                rb.cookie(p.name(), cookieValue(simple(v, false)));
            }
        }
    }

    /** {@code value} as a cookie can carry it: percent-encoded where it holds what a cookie value cannot. */
    static String cookieValue(String value) {
        boolean plain = value.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f && ch != '"' && ch != ',' && ch != ';' && ch != '\\');
        return plain ? value : URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String simple(Object v, boolean explode) {
        if (v instanceof List<?> items) {
            return join(items, ",");
        }
        if (v instanceof Map<?, ?> fields) {
            java.util.StringJoiner out = new java.util.StringJoiner(",");
            fields.forEach((k, x) -> {
                if (explode) {
                    out.add(k + "=" + scalar(x));
                } else {
                    out.add(String.valueOf(k)).add(String.valueOf(scalar(x)));
                }
            });
            return out.toString();
        }
        return String.valueOf(v);
    }

    private static String join(List<?> items, String separator) {
        java.util.StringJoiner out = new java.util.StringJoiner(separator);
        items.forEach(x -> out.add(String.valueOf(scalar(x))));
        return out.toString();
    }

    /** A value nested in an array or object parameter: as it is when scalar, else its JSON text. */
    private static Object scalar(Object x) {
        return x instanceof Map || x instanceof List ? MAPPER.valueToTree(x).toString() : x;
    }

    @SuppressWarnings("unchecked")
    private Object body(ExecutionContext ctx, Values values) {
        if (op.bodySchema() == null) {
            return null;
        }
        Object body;
        if (example != null) {
            body = JsonValues.toJava(example);
        } else {
            body = values.value(op.bodySchema(), field -> {
                String fk = Keys.foreignKey(field);
                return fk == null ? null : ctx.get(fk);
            });
        }
        if (login != null && body instanceof Map<?, ?> m) {
            Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) m);
            merged.putAll(login.body());
            body = merged;
        }
        return body;
    }

    /**
     * {@code body} as {@code multipart/form-data} parts: a file part ({@code filename="<name>.bin"}, the part's
     * declared {@code contentType}, else its {@code contentMediaType}, else {@code application/octet-stream}) for a
     * property of {@code format: binary} or {@code byte}, with a {@code contentMediaType}, or whose {@code encoding}
     * names a content type other than text; an object as JSON ({@code application/json}); anything else as text. An
     * array gives one part per item; a file part the schema does not require is sent too (an upload is for its file).
     * The generated contents are text.
     */
    Multipart multipart(Object body) {
        if (!(body instanceof Map<?, ?> given)) {
            throw new IllegalStateException("A multipart body must be an object of named parts, the schema gave " + body);
        }
        JsonNode properties = plan.spec().deref(op.bodySchema()).path("properties");
        Map<String, Object> fields = new LinkedHashMap<>();
        given.forEach((k, v) -> fields.put(String.valueOf(k), v));
        // The file is what an upload is for: sent even when the schema does not require it.
        properties.fieldNames().forEachRemaining(n -> {
            if (!fields.containsKey(n) && fileMediaType(n, properties) != null) {
                fields.put(n, "venomqa test file");
            }
        });
        Multipart out = Multipart.of();
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            String name = f.getKey();
            String file = fileMediaType(name, properties);
            for (Object item : f.getValue() instanceof List<?> l ? l : java.util.Collections.singletonList(f.getValue())) {
                if (item == null) {
                    continue;
                }
                boolean structured = item instanceof Map || item instanceof List;
                String text = structured ? MAPPER.valueToTree(item).toString() : String.valueOf(item);
                out = file != null ? out.file(name, name + ".bin", file, text.getBytes(StandardCharsets.UTF_8))
                        : structured ? out.part(name, text, "application/json") : out.field(name, text);
            }
        }
        return out;
    }

    /**
     * The content type of part {@code name} when it is a file ({@code format: binary} or {@code byte}, a
     * {@code contentMediaType}, or an {@code encoding} naming a type that is neither text nor JSON), else null.
     */
    private String fileMediaType(String name, JsonNode properties) {
        JsonNode schema = plan.spec().deref(properties.path(name));
        JsonNode item = schema.path("type").asText("").equals("array") ? plan.spec().deref(schema.path("items")) : schema;
        String declared = op.bodyEncoding().path(name).path("contentType").asText("");
        String media = !declared.isEmpty() ? declared.split(",")[0].strip() : item.path("contentMediaType").asText("");
        String format = item.path("format").asText("");
        if (format.equals("binary") || format.equals("byte")) {
            return media.isEmpty() ? "application/octet-stream" : media;
        }
        return media.isEmpty() || media.startsWith("text/") || OperationModel.isJson(media) ? null : media;
    }

    /**
     * {@code body} as {@code application/x-www-form-urlencoded}: each property {@code name=value}, UTF-8 and
     * percent-encoded; an array repeats its name once per item (OpenAPI's default for forms, {@code style: form,
     * explode: true}); a nested object is sent as its JSON text; absent and null properties are left out.
     */
    static String formEncoded(Object body) {
        if (!(body instanceof Map<?, ?> fields)) {
            throw new IllegalStateException("A form body must be an object of named fields, the schema gave " + body);
        }
        Map<String, Object> texts = new LinkedHashMap<>();
        fields.forEach((k, v) -> texts.put(String.valueOf(k), (v instanceof List<?> l ? l : java.util.Collections.singletonList(v))
                .stream().map(item -> item instanceof Map<?, ?> ? MAPPER.valueToTree(item).toString() : item).toList()));
        return Form.encode(texts);
    }

    // ---- learning --------------------------------------------------------------------------

    private void learn(Response r, ExecutionContext ctx, Client client, Map<String, String> pathValues, String invalidBody) {
        int status = r.statusCode();
        boolean ok = status >= 200 && status < 300;
        String concretePath = r.uri() == null ? op.path() : stripBase(r.uri().getRawPath(), client);
        JsonNode json = ok ? ResponseValidator.parse(r.body()) : null;
        boolean write = !op.method().equals("GET") && !op.method().equals("HEAD");
        if (ok && login != null) {
            String token = token(json);
            if (token != null) {
                client.addSecret(token);
                ctx.set(Keys.TOKEN, token);
            }
        }
        if (ok && json != null) {
            JsonNode first = firstObject(json);
            if (first != null) {
                boolean override = write && json.isObject();
                for (String res : resourcesByStatus.computeIfAbsent(status, this::resourcesOf)) {
                    learnObject(ctx, res, first, override);
                }
            }
        }
        if (ok) {
            String location = r.header("Location");
            if (location != null) {
                learnLocation(ctx, client, location);
            }
            OperationModel.Resp declared = op.responseFor(status);
            if (declared != null) {
                learnLinks(ctx, declared, json, r, pathValues);
            }
        }
        Map<String, Object> last = new LinkedHashMap<>();
        last.put("move", moveName);
        last.put("operation", op.name());
        last.put("call", op.method() + " " + concretePath);
        last.put("status", status);
        if (invalidBody != null) {
            last.put("invalidBody", invalidBody);
        }
        OperationModel item = plan.deepestItem(op);
        if (item != null && item != op) {
            // the item's path is the first segments of this call's path (its variables may be named differently)
            String[] segs = concretePath.split("/");
            last.put("item", String.join("/", java.util.Arrays.copyOf(segs, Math.min(segs.length, item.path().split("/").length))));
            last.put("deletesItem", op.method().equals("DELETE") && item.path().equals(op.path()));
        }
        List<String> deleted = new ArrayList<>(deletedList(ctx));
        if (ok && op.method().equals("DELETE") && plan.getItem(op.path()) != null) {
            deleted.remove(concretePath);
            deleted.add(concretePath);
            while (deleted.size() > DELETED_KEPT) {
                deleted.remove(0);
            }
        } else if (ok && (op.method().equals("PUT") || op.method().equals("POST"))) {
            deleted.remove(concretePath); // an upsert brings it back
        }
        ctx.set(Keys.DELETED, deleted);
        if (ok && op.method().equals("POST")) {
            String created = created(r, ctx, client);
            if (created != null) {
                last.put("created", created);
            }
        }
        ctx.set(Keys.LAST, last);
    }

    private Set<String> resourcesOf(int status) {
        OperationModel.Resp declared = op.responseFor(status);
        JsonNode schema = declared == null || declared.content().isEmpty() ? null : declared.content().values().iterator().next();
        return Keys.resourcesOf(op, schema);
    }

    @SuppressWarnings("unchecked")
    public static List<String> deletedList(ExecutionContext ctx) {
        Object d = ctx.get(Keys.DELETED);
        return d instanceof List<?> l ? (List<String>) l : List.of();
    }

    private String created(Response r, ExecutionContext ctx, Client client) {
        String location = r.header("Location");
        if (location != null) {
            String p = stripBase(URI.create(client.baseUrl()).resolve(location).getRawPath(), client);
            if (plan.getItem(templateOf(p)) != null) {
                return p;
            }
        }
        OperationModel item = plan.itemOfCollection(op);
        if (item == null) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (OperationModel.Param p : item.params("path")) {
            Object v = ctx.get(plan.keyOf(item, p.name()));
            if (v == null) {
                return null;
            }
            values.put(p.name(), String.valueOf(v));
        }
        return concretePath(item, values);
    }

    private String templateOf(String concrete) {
        for (OperationModel op2 : plan.runnable()) {
            if (op2.method().equals("GET") && op2.matchPath(concrete) != null) {
                return op2.path();
            }
        }
        return "";
    }

    static String concretePath(OperationModel op, Map<String, String> values) {
        String url = op.path();
        for (Map.Entry<String, String> e : values.entrySet()) {
            url = url.replace("{" + e.getKey() + "}", URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return url;
    }

    /** The path of {@code rawPath} relative to the client's base URL (its path prefix removed). */
    static String stripBase(String rawPath, Client client) {
        String basePath = client.basePath();
        if (basePath != null && !basePath.isEmpty() && !basePath.equals("/")) {
            String b = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
            if (rawPath.startsWith(b + "/")) {
                return rawPath.substring(b.length());
            }
        }
        return rawPath;
    }

    private String token(JsonNode json) {
        if (json == null) {
            return null;
        }
        if (login.tokenField() != null) {
            JsonNode t = login.tokenField().startsWith("/") ? json.at(login.tokenField()) : json.path(login.tokenField());
            return t.isValueNode() ? t.asText() : null;
        }
        for (String f : TOKEN_FIELDS) {
            if (json.path(f).isTextual()) {
                return json.get(f).asText();
            }
        }
        return null;
    }

    private static JsonNode firstObject(JsonNode json) {
        if (json.isObject()) {
            return json;
        }
        if (json.isArray() && !json.isEmpty() && json.get(0).isObject()) {
            return json.get(0);
        }
        return null;
    }

    private static void learnObject(ExecutionContext ctx, String resource, JsonNode obj, boolean override) {
        obj.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (v.isValueNode() && !v.isNull()) {
                Object value = JsonValues.toJava(v);
                put(ctx, Keys.PREFIX + resource + "." + e.getKey().toLowerCase(java.util.Locale.ROOT), value, override);
                String fk = Keys.foreignKey(e.getKey());
                if (fk != null) {
                    put(ctx, fk, value, false);
                }
            } else if (v.isObject()) {
                v.fields().forEachRemaining(n -> {
                    if (n.getValue().isValueNode() && !n.getValue().isNull()) {
                        put(ctx, Keys.PREFIX + Keys.singular(e.getKey()) + "." + n.getKey().toLowerCase(java.util.Locale.ROOT),
                                JsonValues.toJava(n.getValue()), false);
                    }
                });
            }
        });
    }

    private static void put(ExecutionContext ctx, String key, Object value, boolean override) {
        if (override || !ctx.contains(key)) {
            ctx.set(key, value);
        }
    }

    private void learnLocation(ExecutionContext ctx, Client client, String location) {
        String p;
        try {
            p = stripBase(URI.create(client.baseUrl()).resolve(location).getRawPath(), client);
        } catch (IllegalArgumentException e) {
            return; // a Location that is not a URI teaches nothing
        }
        for (OperationModel other : plan.runnable()) {
            if (!other.pathParamOrder().isEmpty()) {
                Map<String, String> vals = other.matchPath(p);
                if (vals != null) {
                    vals.forEach((name, v) -> ctx.set(Keys.pathParam(other.path(), name), number(v)));
                    return;
                }
            }
        }
    }

    /** A path value as a number when it is one, so it compares with the ids bodies carry. */
    private static Object number(String v) {
        if (v.matches("-?\\d{1,18}")) {
            long l = Long.parseLong(v);
            return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (Object) (int) l : (Object) l;
        }
        return v;
    }

    private void learnLinks(ExecutionContext ctx, OperationModel.Resp declared, JsonNode json, Response r, Map<String, String> pathValues) {
        for (JsonNode link : declared.links().values()) {
            OperationModel target = plan.operation(link.path("operationId").asText(""));
            if (target == null) {
                continue;
            }
            link.path("parameters").fields().forEachRemaining(e -> {
                Object v = evaluate(e.getValue(), json, r, pathValues);
                if (v != null) {
                    ctx.set(plan.keyOf(target, e.getKey().replaceFirst("^(path|query|header|cookie)\\.", "")), v);
                }
            });
        }
    }

    /** A runtime expression of a link ({@code $response.body#/id}, {@code $response.header.Location}, {@code $request.path.id}) or a constant. */
    private static Object evaluate(JsonNode expr, JsonNode json, Response r, Map<String, String> pathValues) {
        if (!expr.isTextual()) {
            return JsonValues.toJava(expr);
        }
        String x = expr.asText();
        if (x.startsWith("$response.body")) {
            if (json == null) {
                return null;
            }
            String ptr = x.contains("#") ? x.substring(x.indexOf('#') + 1) : "";
            JsonNode v = json.at(ptr);
            return v.isValueNode() && !v.isNull() ? JsonValues.toJava(v) : null;
        }
        if (x.startsWith("$response.header.")) {
            return r.header(x.substring("$response.header.".length()));
        }
        if (x.startsWith("$request.path.")) {
            return pathValues.get(x.substring("$request.path.".length()));
        }
        return x.startsWith("$") ? null : x;
    }
}
