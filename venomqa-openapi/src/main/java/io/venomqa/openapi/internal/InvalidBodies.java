package io.venomqa.openapi.internal;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Ways to break a request body's schema, one rule each, for the moves that check that the API
 * refuses what its document forbids. Each is applied to the valid body the move would have sent,
 * so that exactly one rule is broken and everything else (ids seen earlier, examples) stays valid;
 * the same schema always gives the same invalid bodies, so a path replays exactly.
 *
 * <p>From an object schema (its {@code allOf} parts merged), at most one of each kind:
 * <ul>
 *   <li>{@code missing-P}: the first required property left out;</li>
 *   <li>{@code type-P}: the first typed property sent as a value of a type its schema does not allow
 *       (a number as text that is not a number, text as an object), never one that common
 *       deserializers coerce into the declared type;</li>
 *   <li>{@code range-P}: the first property with an enum, bound or length sent just outside it;</li>
 *   <li>{@code extra-property}: an undeclared property where {@code additionalProperties} is false.</li>
 * </ul>
 * A schema that is not an object gives {@code type-body} (the body as a value of another type).
 */
public final class InvalidBodies {

    /** The property added by {@code extra-property}. */
    static final String EXTRA_PROPERTY = "venomqaUnexpected";

    /**
     * One invalid body: the name that ends the move's name, what is wrong (for messages), and how it
     * is made from the valid body (empty when that body does not have the shape the rule needs).
     */
    public record InvalidBody(String name, String description, UnaryOperator<Optional<Object>> apply) {
    }

    private InvalidBodies() {
    }

    /** The invalid bodies of {@code bodySchema}, in the order of the class comment; empty when nothing can be broken. */
    public static List<InvalidBody> of(Spec spec, JsonNode bodySchema) {
        JsonNode schema = spec.deref(bodySchema);
        if (schema == null || schema.isMissingNode() || schema.isBoolean()) {
            return List.of();
        }
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        Set<String> required = new LinkedHashSet<>();
        boolean closed = collect(spec, schema, properties, required);
        String type = Values.type(schema);
        if (properties.isEmpty() && !"object".equals(type)) {
            return type == null ? List.of() : wrongType(Set.of(type))
                    .map(w -> List.of(new InvalidBody("type-body", "the body sent as " + w.what() + " where the schema says " + type,
                            valid -> Optional.of(w.value()))))
                    .orElse(List.of());
        }
        List<InvalidBody> out = new ArrayList<>();
        required.stream().filter(properties::containsKey).findFirst().ifPresent(p -> out.add(new InvalidBody("missing-" + p,
                "required property '" + p + "' left out", valid -> withMap(valid, m -> m.remove(p)))));
        for (Map.Entry<String, JsonNode> e : ordered(properties, required)) {
            Set<String> types = types(e.getValue());
            Optional<Wrong> wrong = types.isEmpty() ? Optional.empty() : wrongType(types);
            if (wrong.isPresent()) {
                String p = e.getKey();
                Wrong w = wrong.get();
                out.add(new InvalidBody("type-" + p, "'" + p + "' sent as " + w.what() + " where the schema says "
                        + String.join(" or ", types), valid -> withMap(valid, m -> m.put(p, w.value()))));
                break;
            }
        }
        for (Map.Entry<String, JsonNode> e : ordered(properties, required)) {
            Optional<Outside> outside = outside(e.getValue());
            if (outside.isPresent()) {
                String p = e.getKey();
                Outside o = outside.get();
                out.add(new InvalidBody("range-" + p, "'" + p + "' = " + o.shown() + ", " + o.why(),
                        valid -> withMap(valid, m -> m.put(p, o.value()))));
                break;
            }
        }
        if (closed) {
            out.add(new InvalidBody("extra-property", "an undeclared property '" + EXTRA_PROPERTY + "' (additionalProperties: false)",
                    valid -> withMap(valid, m -> m.put(EXTRA_PROPERTY, true))));
        }
        return out;
    }

    /** Gathers the properties (read-only ones left out) and required names; true when extra properties are forbidden. */
    private static boolean collect(Spec spec, JsonNode schema, Map<String, JsonNode> properties, Set<String> required) {
        boolean closed = schema.path("additionalProperties").isBoolean() && !schema.get("additionalProperties").asBoolean();
        for (JsonNode part : schema.path("allOf")) {
            JsonNode p = spec.deref(part);
            if (p != null && p.isObject()) {
                closed |= collect(spec, p, properties, required);
            }
        }
        Spec.fields(schema.path("properties")).forEach((name, prop) -> {
            JsonNode p = spec.deref(prop);
            if (p != null && !p.path("readOnly").asBoolean(false)) {
                properties.put(name, p);
            }
        });
        schema.path("required").forEach(r -> required.add(r.asText()));
        return closed;
    }

    /** Required properties first (an API must read them), then the others, each group in document order. */
    private static List<Map.Entry<String, JsonNode>> ordered(Map<String, JsonNode> properties, Set<String> required) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        properties.entrySet().stream().filter(e -> required.contains(e.getKey())).forEach(out::add);
        properties.entrySet().stream().filter(e -> !required.contains(e.getKey())).forEach(out::add);
        return out;
    }

    private static Set<String> types(JsonNode schema) {
        Set<String> out = new LinkedHashSet<>();
        JsonNode t = schema.path("type");
        if (t.isTextual()) {
            out.add(t.asText());
        } else if (t.isArray()) {
            t.forEach(x -> out.add(x.asText()));
        }
        if (schema.path("nullable").asBoolean(false)) {
            out.add("null");
        }
        return out;
    }

    private record Wrong(String what, Object value) {
    }

    /** A value of none of {@code types}, chosen so that no common deserializer coerces it into one of them. */
    private static Optional<Wrong> wrongType(Set<String> types) {
        // Text that is no number or boolean: refused for numbers and booleans even by lenient parsers.
        // For text itself, an object: Jackson and friends coerce numbers to strings, never objects.
        List<Wrong> candidates = List.of(
                new Wrong("text that is not a number", "venomqa-not-a-number"),
                new Wrong("an object", Map.of("venomqa", "not text")),
                new Wrong("a list", List.of("venomqa")));
        for (Wrong w : candidates) {
            String jsonType = w.value() instanceof String ? "string" : w.value() instanceof Map ? "object" : "array";
            if (!types.contains(jsonType)) {
                return Optional.of(w);
            }
        }
        return Optional.empty();
    }

    private record Outside(Object value, String shown, String why) {
    }

    /** A value just outside the first constraint the property has: enum, minimum, maximum, minLength, maxLength. */
    private static Optional<Outside> outside(JsonNode s) {
        Set<String> types = types(s);
        boolean integer = types.contains("integer");
        boolean numeric = integer || types.contains("number");
        JsonNode en = s.path("enum");
        if (en.isArray() && !en.isEmpty() && types.contains("string")) {
            return Optional.of(new Outside("venomqa-not-in-enum", "\"venomqa-not-in-enum\"", "not one of its enum values"));
        }
        if (en.isArray() && !en.isEmpty() && numeric) {
            double max = Double.NEGATIVE_INFINITY;
            for (JsonNode v : en) {
                max = Math.max(max, v.asDouble());
            }
            Object v = integer ? (Object) ((long) Math.floor(max) + 1) : (Object) (max + 1);
            return Optional.of(new Outside(v, String.valueOf(v), "not one of its enum values"));
        }
        if (numeric) {
            // OpenAPI 3.1 (JSON Schema) writes exclusive bounds as numbers, 3.0 as booleans beside minimum/maximum.
            if (s.path("exclusiveMinimum").isNumber()) {
                return bound(s.get("exclusiveMinimum").asDouble(), true, true, integer);
            }
            if (s.has("minimum")) {
                return bound(s.get("minimum").asDouble(), true, s.path("exclusiveMinimum").asBoolean(false), integer);
            }
            if (s.path("exclusiveMaximum").isNumber()) {
                return bound(s.get("exclusiveMaximum").asDouble(), false, true, integer);
            }
            if (s.has("maximum")) {
                return bound(s.get("maximum").asDouble(), false, s.path("exclusiveMaximum").asBoolean(false), integer);
            }
        }
        if (types.contains("string") && s.path("format").asText("").isEmpty() && !s.has("pattern")) {
            // Formats and patterns decide which characters are valid: padding with 'x' would break them first.
            if (s.path("minLength").asInt(0) > 0) {
                int n = s.get("minLength").asInt() - 1;
                return Optional.of(new Outside("x".repeat(n), text(n), "shorter than its minLength " + (n + 1)));
            }
            if (s.has("maxLength")) {
                int n = s.get("maxLength").asInt() + 1;
                return Optional.of(new Outside("x".repeat(n), text(n), "longer than its maxLength " + (n - 1)));
            }
        }
        return Optional.empty();
    }

    /** The nearest value on the wrong side of a bound: below a minimum, at an exclusive one, and so on. */
    private static Optional<Outside> bound(double bound, boolean low, boolean exclusive, boolean integer) {
        double d = exclusive ? bound : low ? bound - 1 : bound + 1;
        Object v = !integer ? (Object) d
                : (Object) (exclusive ? (long) (low ? Math.floor(bound) : Math.ceil(bound))
                        : low ? (long) Math.ceil(bound) - 1 : (long) Math.floor(bound) + 1);
        String why = exclusive ? (low ? "not above its exclusive minimum " : "not below its exclusive maximum ")
                : (low ? "below its minimum " : "above its maximum ");
        return Optional.of(new Outside(v, String.valueOf(v), why + format(bound)));
    }

    private static String text(int length) {
        return length <= 12 ? "\"" + "x".repeat(length) + "\"" : "a text of " + length + " characters";
    }

    private static String format(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    @SuppressWarnings("unchecked")
    private static Optional<Object> withMap(Optional<Object> valid, java.util.function.Consumer<Map<String, Object>> change) {
        if (valid.isEmpty() || !(valid.get() instanceof Map<?, ?> m)) {
            return Optional.empty();
        }
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
        change.accept(copy);
        return Optional.of(copy);
    }
}
