package io.venomqa.openapi.internal;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the selected operations know of each other: which context keys some response can fill (so a
 * parameter needing one waits for it), and which {@code GET} reads the resource at a path (for the
 * checks that read back, see a delete through and compare not-found answers).
 */
public final class ApiPlan {

    private final Spec spec;
    private final Values values;
    private final List<OperationModel> runnable;
    private final Map<String, OperationModel> getItemByTemplate = new LinkedHashMap<>();
    private final Set<String> producible = new LinkedHashSet<>();
    private final Map<String, OperationModel> byName = new LinkedHashMap<>();

    public ApiPlan(Spec spec, List<OperationModel> runnable) {
        this.spec = spec;
        this.values = new Values(spec);
        this.runnable = List.copyOf(runnable);
        for (OperationModel op : spec.operations()) {
            byName.put(op.name(), op);
        }
        for (OperationModel op : runnable) {
            if (op.method().equals("GET") && op.path().endsWith("}")) {
                getItemByTemplate.putIfAbsent(shape(op.path()), op);
            }
        }
        for (OperationModel op : runnable) {
            for (OperationModel.Resp r : op.successResponses()) {
                for (JsonNode schema : r.content().values()) {
                    JsonNode s = objectSchema(spec.deref(schema));
                    Map<String, JsonNode> props = properties(s);
                    for (String res : Keys.resourcesOf(op, schema)) {
                        Keys.keysOfObject(res, props, producible);
                    }
                }
                if (r.headers().containsKey("location")) {
                    for (OperationModel item : getItemByTemplate.values()) {
                        if (shape(item.path()).startsWith(shape(op.path()) + "/")) {
                            item.params("path").forEach(p -> producible.add(Keys.pathParam(item.path(), p.name())));
                        }
                    }
                }
                for (JsonNode link : r.links().values()) {
                    OperationModel target = byName.get(link.path("operationId").asText(""));
                    if (target != null) {
                        link.path("parameters").fieldNames().forEachRemaining(n -> producible.add(keyOf(target, n)));
                    }
                }
            }
        }
    }

    /** The schema of the objects a response holds: the object itself, the items of an array, or the single array property of a wrapper. */
    JsonNode objectSchema(JsonNode s) {
        if ("array".equals(Values.type(s))) {
            return spec.deref(s.path("items"));
        }
        return s;
    }

    /** Properties of an object schema, {@code allOf} parts merged (one level). */
    Map<String, JsonNode> properties(JsonNode s) {
        Map<String, JsonNode> out = new LinkedHashMap<>(Spec.fields(s.path("properties")));
        for (JsonNode part : s.path("allOf")) {
            out.putAll(Spec.fields(spec.deref(part).path("properties")));
        }
        return out;
    }

    public Spec spec() {
        return spec;
    }

    public Values values() {
        return values;
    }

    public List<OperationModel> runnable() {
        return runnable;
    }

    /** The operation named {@code name} (operationId or {@code METHOD /path}) in the whole document, or null. */
    public OperationModel operation(String name) {
        return byName.get(name);
    }

    /** The context key a parameter {@code name} of {@code op} reads. */
    public String keyOf(OperationModel op, String name) {
        for (OperationModel.Param p : op.params()) {
            if (p.name().equals(name) && p.in().equals("path")) {
                return Keys.pathParam(op.path(), name);
            }
        }
        String fk = Keys.foreignKey(name);
        return fk != null ? fk : Keys.pathParam(op.path(), name);
    }

    /** Whether some selected operation's response can fill {@code key}. */
    public boolean producible(String key) {
        return producible.contains(key);
    }

    /** The selected {@code GET} whose path template is exactly {@code template}, or null. */
    public OperationModel getItem(String template) {
        return getItemByTemplate.get(shape(template));
    }

    /** A template with its variable names dropped ({@code /customers/{customerId}} → {@code /customers/{}}), so templates naming one variable differently meet. */
    static String shape(String template) {
        // A loop, not a regular expression: the moves ask this of several templates on every call.
        if (template.indexOf('{') < 0) {
            return template;
        }
        StringBuilder out = new StringBuilder(template.length());
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{') {
                int j = i + 1;
                while (j < template.length() && template.charAt(j) != '}' && template.charAt(j) != '/') {
                    j++;
                }
                if (j < template.length() && template.charAt(j) == '}') {
                    out.append("{}");
                    i = j + 1;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /** The {@code GET} of the deepest resource in {@code op}'s path (a template prefix ending in a parameter), or null. */
    public OperationModel deepestItem(OperationModel op) {
        String[] segs = op.path().split("/");
        for (int n = segs.length; n > 1; n--) {
            if (segs[n - 1].startsWith("{")) {
                OperationModel g = getItem(String.join("/", java.util.Arrays.copyOf(segs, n)));
                if (g != null) {
                    return g;
                }
            }
        }
        return null;
    }

    /** The {@code GET} of one item of the collection {@code op} posts to ({@code POST /customers} → {@code GET /customers/{id}}), or null. */
    public OperationModel itemOfCollection(OperationModel op) {
        for (OperationModel g : getItemByTemplate.values()) {
            String gs = shape(g.path());
            String os = shape(op.path());
            String rest = gs.startsWith(os + "/") ? gs.substring(os.length() + 1) : null;
            if (rest != null && rest.startsWith("{") && rest.endsWith("}") && rest.indexOf('/') < 0) {
                return g;
            }
        }
        return null;
    }

    /** The context keys {@code op} cannot run without: linked path parameters, required linked query parameters and body ids. */
    public List<String> requiredKeys(OperationModel op) {
        Set<String> keys = new LinkedHashSet<>();
        for (OperationModel.Param p : op.params()) {
            String key = keyOf(op, p.name());
            if (p.in().equals("path") && producible(key)) {
                keys.add(key);
            } else if (p.in().equals("query") && p.required() && p.example() == null && !p.schema().has("default")
                    && !p.schema().has("enum") && Keys.foreignKey(p.name()) != null && producible(key)) {
                keys.add(key);
            }
        }
        JsonNode body = op.bodySchema() == null ? null : spec.deref(op.bodySchema());
        if (body != null && op.bodyExample() == null) {
            Set<String> required = new HashSet<>();
            body.path("required").forEach(r -> required.add(r.asText()));
            for (JsonNode part : body.path("allOf")) {
                spec.deref(part).path("required").forEach(r -> required.add(r.asText()));
            }
            for (String field : properties(body).keySet()) {
                String fk = Keys.foreignKey(field);
                if (required.contains(field) && fk != null && producible(fk)) {
                    keys.add(fk);
                }
            }
        }
        return new ArrayList<>(keys);
    }
}
