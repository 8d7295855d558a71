package io.venomqa.openapi.internal;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How values seen in responses meet the parameters that need them: both sides are named by a
 * context key {@code oa:<resource>.<field>}. A path parameter {@code {id}} after {@code /customers}
 * and a parameter {@code customerId} anywhere are {@code oa:customer.id}; the {@code id} of a
 * {@code Customer} returned by {@code POST /customers} is {@code oa:customer.id}, and so is the
 * {@code customerId} field of an order.
 */
public final class Keys {

    /** Prefix of every context key this module writes. */
    public static final String PREFIX = "oa:";
    /** Context key of the last operation's facts (a map), for the checks. */
    public static final String LAST = PREFIX + "last";
    /** Context key of the resource paths deleted so far (a list, most recent last). */
    public static final String DELETED = PREFIX + "deleted";
    /** Context key of the token a login move stored. */
    public static final String TOKEN = PREFIX + "token";

    private static final Set<String> ID_WORDS = Set.of("id", "uuid", "key", "code", "slug", "number", "no", "ref", "sku");
    private static final List<String> SCHEMA_SUFFIXES = List.of("response", "dto", "resource", "model", "view", "details",
            "detail", "read", "out", "output", "entity", "representation");

    private Keys() {
    }

    /** {@code customers} → {@code customer}, {@code categories} → {@code category}; lower case, letters and digits only. */
    public static String singular(String word) {
        String w = word.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (w.endsWith("ies") && w.length() > 3) {
            return w.substring(0, w.length() - 3) + "y";
        }
        if (w.endsWith("sses") || w.endsWith("shes") || w.endsWith("ches") || w.endsWith("xes")) {
            return w.substring(0, w.length() - 2);
        }
        if (w.endsWith("s") && !w.endsWith("ss") && w.length() > 1) {
            return w.substring(0, w.length() - 1);
        }
        return w;
    }

    /** The resource a schema name stands for: {@code CustomerResponse} → {@code customer}. */
    public static String resourceOfSchema(String schemaName) {
        String w = schemaName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        for (String s : SCHEMA_SUFFIXES) {
            if (w.endsWith(s) && w.length() > s.length()) {
                w = w.substring(0, w.length() - s.length());
                break;
            }
        }
        return singular(w);
    }

    /** camelCase, snake_case and kebab-case split into lower-case words. */
    static List<String> words(String name) {
        List<String> out = new ArrayList<>();
        for (String part : name.split("[^A-Za-z0-9]+")) {
            for (String w : part.split("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")) {
                if (!w.isEmpty()) {
                    out.add(w.toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    /**
     * The key of a field named {@code name} that refers to another resource ({@code customerId} →
     * {@code oa:customer.id}), or null when the name is not of that form.
     */
    public static String foreignKey(String name) {
        List<String> w = words(name);
        if (w.size() >= 2 && ID_WORDS.contains(w.get(w.size() - 1))) {
            return PREFIX + singular(String.join("", w.subList(0, w.size() - 1))) + "." + w.get(w.size() - 1);
        }
        return null;
    }

    /** The key of path parameter {@code name} of the operation on {@code path}. */
    public static String pathParam(String path, String name) {
        String fk = foreignKey(name);
        if (fk != null) {
            return fk;
        }
        String resource = segmentBefore(path, "{" + name + "}");
        return PREFIX + (resource == null ? "param" : singular(resource)) + "." + name.toLowerCase(Locale.ROOT);
    }

    /** The static segment just before {@code token} in {@code path}, or null. */
    static String segmentBefore(String path, String token) {
        String[] segs = path.split("/");
        for (int i = 0; i < segs.length; i++) {
            if (segs[i].equals(token)) {
                for (int j = i - 1; j >= 0; j--) {
                    if (!segs[j].isEmpty() && !segs[j].startsWith("{")) {
                        return segs[j];
                    }
                }
                return null;
            }
        }
        return null;
    }

    /** The resources a response of {@code op} describes: its schema's name and the path's collection. */
    public static Set<String> resourcesOf(OperationModel op, JsonNode schema) {
        Set<String> out = new LinkedHashSet<>();
        String ref = Spec.refName(schema);
        if (ref == null && schema != null) {
            ref = Spec.refName(schema.path("items"));
        }
        if (ref != null) {
            out.add(resourceOfSchema(ref));
        }
        String[] segs = op.path().split("/");
        for (int i = segs.length - 1; i >= 0; i--) {
            if (!segs[i].isEmpty() && !segs[i].startsWith("{")) {
                out.add(singular(segs[i]));
                break;
            }
        }
        return out;
    }

    /** The keys a JSON object of {@code resource} gives: {@code oa:resource.field} for scalars, foreign keys by name. */
    public static void keysOfObject(String resource, Map<String, JsonNode> properties, Set<String> out) {
        for (String field : properties.keySet()) {
            out.add(PREFIX + resource + "." + field.toLowerCase(Locale.ROOT));
            String fk = foreignKey(field);
            if (fk != null) {
                out.add(fk);
            }
        }
    }
}
