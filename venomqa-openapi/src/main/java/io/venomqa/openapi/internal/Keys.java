package io.venomqa.openapi.internal;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

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

    private static final Pattern SEPARATORS = Pattern.compile("[^A-Za-z0-9]+");
    private static final Pattern CAMEL_CASE = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])");
    /**
     * {@link #foreignKey} by field name (empty: not a foreign key). Every move asks it for every field
     * of every response and body, and the names repeat; splitting them anew was a tenth of a generated
     * move's own CPU (benchmark row 15). Bounded: emptied when full, as names from responses are the API's.
     */
    private static final Map<String, String> FOREIGN_KEYS = new ConcurrentHashMap<>();
    private static final int FOREIGN_KEYS_MAX = 4096;

    private Keys() {
    }

    /** {@code customers} → {@code customer}, {@code categories} → {@code category}; lower case, letters and digits only. */
    public static String singular(String word) {
        String w = lettersAndDigits(word);
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

    /** {@code text} in lower case with only the letters a–z and digits kept (a loop: asked on every call of a move). */
    private static String lettersAndDigits(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The resource a schema name stands for: {@code CustomerResponse} → {@code customer}. */
    public static String resourceOfSchema(String schemaName) {
        String w = lettersAndDigits(schemaName);
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
        for (String part : SEPARATORS.split(name)) {
            for (String w : CAMEL_CASE.split(part)) {
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
        String known = FOREIGN_KEYS.get(name);
        if (known != null) {
            return known.isEmpty() ? null : known;
        }
        String key = foreignKeyOf(name);
        if (FOREIGN_KEYS.size() >= FOREIGN_KEYS_MAX) {
            FOREIGN_KEYS.clear();
        }
        FOREIGN_KEYS.put(name, key == null ? "" : key);
        return key;
    }

    private static String foreignKeyOf(String name) {
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
