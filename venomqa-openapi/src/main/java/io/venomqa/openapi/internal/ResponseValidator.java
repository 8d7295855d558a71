package io.venomqa.openapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.KeywordFactory;
import com.networknt.schema.keyword.NonValidationKeyword;
import com.networknt.schema.keyword.UnknownKeywordFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates response bodies against the schemas the document declares, with a real JSON Schema
 * validator (networknt): JSON Schema 2020-12 for OpenAPI 3.1; for 3.0, draft 4 after turning the
 * 3.0 dialect into plain JSON Schema ({@code nullable} → a {@code null} type). {@code $ref}s into
 * {@code components} resolve because every schema is validated inside a document that carries the
 * components. Properties marked {@code writeOnly} are not required in a response. Compiled schemas
 * are cached per (operation, status, media type).
 *
 * <p>The validator's dialect is JSON Schema's plus, as keywords that validate nothing, {@code components}
 * (where the wrapper carries the document's schemas) and the keywords an OpenAPI Schema Object adds
 * ({@code discriminator}, {@code example}, …, and {@code x-} extensions): a valid document gets no
 * "Unknown keyword" warning from the validator, while a keyword unknown to OpenAPI still does.
 */
public final class ResponseValidator {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Spec spec;
    private final SchemaRegistry registry;
    private final JsonNode components;
    private final Map<String, Schema> cache = new ConcurrentHashMap<>();

    public ResponseValidator(Spec spec) {
        this.spec = spec;
        this.registry = SchemaRegistry.withDefaultDialect(dialect(spec.v31()));
        JsonNode c = spec.components().deepCopy();
        this.components = spec.v31() ? forResponses(c) : forResponses(from30(c));
    }

    /**
     * Keywords of an OpenAPI Schema Object (3.0 and 3.1) that plain JSON Schema of that version does not
     * define and that say nothing a response is checked against; {@code components} holds the schemas
     * {@code $ref}s point to.
     */
    static final List<String> OPENAPI_KEYWORDS = List.of("components", "discriminator", "example", "externalDocs", "xml",
            "readOnly", "writeOnly", "deprecated");

    /** JSON Schema draft 4 (OpenAPI 3.0) or 2020-12 (3.1), knowing {@link #OPENAPI_KEYWORDS} and {@code x-} extensions. */
    static Dialect dialect(boolean v31) {
        Dialect base = v31 ? Dialects.getDraft202012() : Dialects.getDraft4();
        KeywordFactory extensions = (name, context) -> name.startsWith("x-") ? new NonValidationKeyword(name)
                : UnknownKeywordFactory.getInstance().getKeyword(name, context);
        return Dialect.builder(base).keywords(keywords -> OPENAPI_KEYWORDS.forEach(k -> keywords.putIfAbsent(k,
                new NonValidationKeyword(k)))).unknownKeywordFactory(extensions).build();
    }

    /** What is wrong with {@code body} for {@code schema} (declared at {@code cacheKey}); empty when it validates. */
    public List<String> validate(String cacheKey, JsonNode schema, JsonNode body) {
        Schema compiled = cache.computeIfAbsent(cacheKey, k -> compile(schema));
        List<String> out = new ArrayList<>();
        for (Error e : compiled.validate(body)) {
            out.add(e.toString());
        }
        return out;
    }

    private Schema compile(JsonNode schema) {
        JsonNode s = schema.deepCopy();
        if (!spec.v31()) {
            s = from30(s);
        }
        s = forResponses(s);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.putArray("allOf").add(s);
        root.set("components", components);
        return registry.getSchema(root);
    }

    /** Whether the response's {@code Content-Type} is one of the declared media types (wildcards allowed). */
    public static boolean contentTypeMatches(String actual, Iterable<String> declared) {
        String a = base(actual);
        for (String d : declared) {
            String b = base(d);
            if (b.equals(a) || b.equals("*/*") || (b.endsWith("/*") && a.startsWith(b.substring(0, b.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    private static String base(String mediaType) {
        String t = mediaType == null ? "" : mediaType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        return (semi >= 0 ? t.substring(0, semi) : t).trim();
    }

    /** OpenAPI 3.0's {@code nullable} → JSON Schema; everything else of 3.0 is draft-4 compatible or ignored. */
    static JsonNode from30(JsonNode node) {
        if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (int i = 0; i < a.size(); i++) {
                a.set(i, from30(a.get(i)));
            }
            return a;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode o = (ObjectNode) node;
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            e.setValue(from30(e.getValue()));
        }
        if (o.path("nullable").asBoolean(false)) {
            o.remove("nullable");
            if (o.has("$ref")) {
                ObjectNode ref = JsonNodeFactory.instance.objectNode().put("$ref", o.get("$ref").asText());
                ObjectNode nul = JsonNodeFactory.instance.objectNode().put("type", "null");
                ObjectNode any = JsonNodeFactory.instance.objectNode();
                any.putArray("anyOf").add(ref).add(nul);
                return any;
            }
            if (o.path("type").isTextual()) {
                String t = o.get("type").asText();
                o.putArray("type").add(t).add("null");
            }
            if (o.path("enum").isArray()) {
                ((ArrayNode) o.get("enum")).addNull();
            }
        }
        return o;
    }

    /** Drops {@code writeOnly} properties from {@code required}: a response need not carry them. */
    static JsonNode forResponses(JsonNode node) {
        if (node.isArray()) {
            node.forEach(ResponseValidator::forResponses);
            return node;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode o = (ObjectNode) node;
        o.fields().forEachRemaining(e -> forResponses(e.getValue()));
        if (o.path("required").isArray() && o.path("properties").isObject()) {
            ArrayNode kept = JsonNodeFactory.instance.arrayNode();
            for (JsonNode r : o.get("required")) {
                JsonNode p = o.get("properties").path(r.asText());
                if (!p.path("writeOnly").asBoolean(false)) {
                    kept.add(r);
                }
            }
            o.set("required", kept);
            if (kept.isEmpty()) {
                o.remove("required");
            }
        }
        return o;
    }

    /** Parses a body as JSON, or null when it is not JSON. */
    public static JsonNode parse(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }
}
