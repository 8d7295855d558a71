package io.venomqa.openapi.internal;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Values built from a schema, valid by construction and deterministic (the same schema always gives
 * the same value, so a path replays exactly): the example when the document gives one, else the
 * default, else the first enum value, else a value of the type that honours format, minimum/maximum,
 * length and item counts. Objects get their required properties (and those with an example);
 * {@code allOf} is merged, the first branch of {@code oneOf}/{@code anyOf} is taken. A schema that
 * refers back to itself stops after {@value #MAX_DEPTH} levels.
 */
public final class Values {

    static final int MAX_DEPTH = 6;

    private final Spec spec;

    public Values(Spec spec) {
        this.spec = spec;
    }

    /** The first JSON type the schema allows ({@code type}, or the first non-null of a 3.1 type array), or null. */
    public static String type(JsonNode schema) {
        JsonNode t = schema.path("type");
        if (t.isTextual()) {
            return t.asText();
        }
        if (t.isArray()) {
            for (JsonNode x : t) {
                if (!"null".equals(x.asText())) {
                    return x.asText();
                }
            }
        }
        if (!schema.path("types").isMissingNode()) {
            for (JsonNode x : schema.path("types")) {
                if (!"null".equals(x.asText())) {
                    return x.asText();
                }
            }
        }
        if (schema.has("properties")) {
            return "object";
        }
        if (schema.has("items")) {
            return "array";
        }
        return null;
    }

    /** Whether a value seen in a response may fill a parameter of this schema (type and enum agree). */
    public boolean compatible(Object value, JsonNode schema0) {
        JsonNode schema = spec.deref(schema0);
        if (value == null || value instanceof Map || value instanceof List) {
            return false;
        }
        JsonNode en = schema.path("enum");
        if (en.isArray() && !en.isEmpty()) {
            boolean found = false;
            for (JsonNode e : en) {
                found |= e.asText().equals(String.valueOf(value));
            }
            if (!found) {
                return false;
            }
        }
        String type = type(schema);
        if (type == null) {
            return true;
        }
        return switch (type) {
            case "integer" -> value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger
                    || String.valueOf(value).matches("-?\\d+");
            case "number" -> value instanceof Number || String.valueOf(value).matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
            case "boolean" -> value instanceof Boolean || "true".equals(value) || "false".equals(value);
            default -> true;
        };
    }

    /** A value for {@code schema}; {@code known} may supply a value by property name (ids seen earlier), else null. */
    public Object value(JsonNode schema, Function<String, Object> known) {
        return value(schema, known, 0, Set.of());
    }

    private Object value(JsonNode schema0, Function<String, Object> known, int depth, Set<String> seenRefs) {
        String refName = schema0 != null && schema0.has("$ref") ? schema0.get("$ref").asText() : null;
        JsonNode schema = spec.deref(schema0);
        if (schema == null || schema.isMissingNode() || schema.isBoolean()) {
            return "x";
        }
        if (refName != null) {
            if (seenRefs.contains(refName) && depth >= 1) {
                // A circular $ref: stop here rather than recurse forever (the parent makes it optional or empty).
                return null;
            }
            Set<String> s = new java.util.HashSet<>(seenRefs);
            s.add(refName);
            seenRefs = s;
        }
        if (schema.has("example")) {
            return JsonValues.toJava(schema.get("example"));
        }
        if (schema.path("examples").isArray() && !schema.path("examples").isEmpty()) {
            return JsonValues.toJava(schema.path("examples").get(0));
        }
        if (schema.has("default") && !schema.get("default").isNull()) {
            return JsonValues.toJava(schema.get("default"));
        }
        if (schema.has("const")) {
            return JsonValues.toJava(schema.get("const"));
        }
        if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
            for (JsonNode e : schema.path("enum")) {
                if (!e.isNull()) {
                    return JsonValues.toJava(e);
                }
            }
        }
        if (schema.has("allOf")) {
            Map<String, Object> merged = new LinkedHashMap<>();
            Object other = null;
            for (JsonNode part : schema.get("allOf")) {
                Object v = value(part, known, depth + 1, seenRefs);
                if (v instanceof Map<?, ?> m) {
                    m.forEach((k, x) -> merged.put(String.valueOf(k), x));
                } else if (v != null) {
                    other = v;
                }
            }
            if (schema.has("properties")) {
                Object own = object(schema, known, depth, seenRefs);
                if (own instanceof Map<?, ?> m) {
                    m.forEach((k, x) -> merged.put(String.valueOf(k), x));
                }
            }
            return merged.isEmpty() && other != null ? other : merged;
        }
        for (String combinator : List.of("oneOf", "anyOf")) {
            if (schema.path(combinator).isArray() && !schema.path(combinator).isEmpty()) {
                for (JsonNode branch : schema.get(combinator)) {
                    if (!"null".equals(type(spec.deref(branch)))) {
                        return value(branch, known, depth + 1, seenRefs);
                    }
                }
            }
        }
        String type = type(schema);
        if (type == null) {
            return "x";
        }
        return switch (type) {
            case "object" -> object(schema, known, depth, seenRefs);
            case "array" -> array(schema, known, depth, seenRefs);
            case "integer" -> integer(schema);
            case "number" -> number(schema);
            case "boolean" -> Boolean.TRUE;
            case "null" -> null;
            default -> string(schema);
        };
    }

    private Object object(JsonNode schema, Function<String, Object> known, int depth, Set<String> seenRefs) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (depth >= MAX_DEPTH) {
            return out;
        }
        Set<String> required = new java.util.HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        for (Map.Entry<String, JsonNode> e : Spec.fields(schema.path("properties")).entrySet()) {
            JsonNode prop = spec.deref(e.getValue());
            if (prop.path("readOnly").asBoolean(false)) {
                continue;
            }
            Object k = known == null ? null : known.apply(e.getKey());
            boolean wanted = required.contains(e.getKey()) || prop.has("example") || e.getValue().has("example");
            if (k != null && compatible(k, prop)) {
                out.put(e.getKey(), k);
            } else if (wanted) {
                Object v = value(e.getValue(), known, depth + 1, seenRefs);
                if (v != null || required.contains(e.getKey())) {
                    out.put(e.getKey(), v);
                }
            }
        }
        return out;
    }

    private Object array(JsonNode schema, Function<String, Object> known, int depth, Set<String> seenRefs) {
        List<Object> out = new ArrayList<>();
        int n = Math.max(1, schema.path("minItems").asInt(0));
        if (schema.has("maxItems")) {
            n = Math.min(n, schema.get("maxItems").asInt());
        }
        if (depth >= MAX_DEPTH && schema.path("minItems").asInt(0) == 0) {
            return out;
        }
        for (int i = 0; i < n; i++) {
            Object v = value(schema.path("items"), known, depth + 1, seenRefs);
            if (v == null) {
                break;
            }
            out.add(v);
        }
        return out;
    }

    private static Object integer(JsonNode s) {
        long min = s.has("minimum") ? (long) Math.ceil(s.get("minimum").asDouble()) : 1;
        if (s.path("exclusiveMinimum").isNumber()) {
            min = (long) Math.floor(s.get("exclusiveMinimum").asDouble()) + 1;
        } else if (s.path("exclusiveMinimum").asBoolean(false) && s.has("minimum")) {
            min = min + 1;
        }
        long max = s.has("maximum") ? (long) Math.floor(s.get("maximum").asDouble()) : Long.MAX_VALUE;
        if (s.path("exclusiveMaximum").isNumber()) {
            max = (long) Math.ceil(s.get("exclusiveMaximum").asDouble()) - 1;
        } else if (s.path("exclusiveMaximum").asBoolean(false) && s.has("maximum")) {
            max = max - 1;
        }
        long v = Math.min(Math.max(min, 1), max);
        if (s.has("multipleOf") && s.get("multipleOf").asLong() > 0) {
            long m = s.get("multipleOf").asLong();
            v = ((v + m - 1) / m) * m;
        }
        return v;
    }

    private static Object number(JsonNode s) {
        double min = s.has("minimum") ? s.get("minimum").asDouble() : 1.0;
        if (s.path("exclusiveMinimum").isNumber()) {
            min = s.get("exclusiveMinimum").asDouble() + 0.5;
        } else if (s.path("exclusiveMinimum").asBoolean(false)) {
            min = min + 0.5;
        }
        double max = s.has("maximum") ? s.get("maximum").asDouble() : Double.MAX_VALUE;
        if (s.path("exclusiveMaximum").isNumber()) {
            max = s.get("exclusiveMaximum").asDouble() - 0.5;
        }
        return Math.min(Math.max(min, 1.0), max);
    }

    private static Object string(JsonNode s) {
        String format = s.path("format").asText("");
        String v = switch (format) {
            case "email" -> "venomqa@example.com";
            case "uuid" -> "00000000-0000-4000-8000-000000000001";
            case "date" -> "2024-01-15";
            case "date-time" -> "2024-01-15T10:00:00Z";
            case "time" -> "10:00:00Z";
            case "uri", "url" -> "https://example.com/venomqa";
            case "hostname" -> "example.com";
            case "ipv4" -> "192.0.2.1";
            case "ipv6" -> "2001:db8::1";
            case "byte" -> "dmVub21xYQ==";
            case "password" -> "Secret-123";
            default -> s.has("pattern") ? patternValue(s.get("pattern").asText()) : "venomqa";
        };
        int minLength = s.path("minLength").asInt(0);
        int maxLength = s.path("maxLength").asInt(Integer.MAX_VALUE);
        StringBuilder sb = new StringBuilder(v);
        while (sb.length() < minLength) {
            sb.append('x');
        }
        if (sb.length() > maxLength) {
            sb.setLength(Math.max(maxLength, 0));
        }
        return sb.toString();
    }

    /** A value for the simplest patterns ({@code ^[A-Z]{3}$}, {@code ^\d+$}); "venomqa" when the pattern is beyond that. */
    private static String patternValue(String pattern) {
        String p = pattern.replaceAll("^\\^|\\$$", "");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\[[^\\]]+]|\\\\d|\\\\w|[A-Za-z0-9-])(\\{(\\d+)(,\\d*)?}|\\+|\\*)?$").matcher(p);
        String candidate = "venomqa";
        if (m.matches()) {
            String unit = m.group(1);
            int n = m.group(3) != null ? Integer.parseInt(m.group(3)) : 1;
            char c = unit.equals("\\d") ? '1' : unit.equals("\\w") ? 'a' : unit.startsWith("[") ? firstOfClass(unit) : unit.charAt(0);
            candidate = String.valueOf(c).repeat(Math.max(n, 1));
        }
        try {
            if (java.util.regex.Pattern.compile(pattern).matcher(candidate).find()) {
                return candidate;
            }
        } catch (RuntimeException e) {
            // An invalid pattern: nothing valid can be built, send the plain value.
        }
        return candidate;
    }

    private static char firstOfClass(String cls) {
        String inner = cls.substring(1, cls.length() - 1);
        return inner.isEmpty() ? 'a' : inner.charAt(0) == '\\' && inner.length() > 1 ? (inner.charAt(1) == 'd' ? '1' : 'a') : inner.charAt(0);
    }
}
