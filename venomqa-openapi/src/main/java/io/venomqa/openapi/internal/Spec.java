package io.venomqa.openapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A resolved OpenAPI document as a JSON tree (the same shape for 3.0 and 3.1), with the operations
 * read out of it. Local {@code $ref}s stay in the tree (so circular schemas stay finite) and are
 * followed by {@link #deref}.
 */
public final class Spec {

    static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final int MAX_REF_HOPS = 64;

    private final JsonNode root;
    private final boolean v31;
    private final List<OperationModel> operations;

    private Spec(JsonNode root, boolean v31) {
        this.root = root;
        this.v31 = v31;
        List<OperationModel> ops = new ArrayList<>();
        JsonNode paths = root.path("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode item = deref(e.getValue());
            for (String m : METHODS) {
                JsonNode op = item.get(m);
                if (op != null && op.isObject()) {
                    ops.add(new OperationModel(this, e.getKey(), m, item, op));
                }
            }
        }
        this.operations = Collections.unmodifiableList(ops);
    }

    public static Spec of(JsonNode root, boolean v31) {
        return new Spec(root, v31);
    }

    public JsonNode root() {
        return root;
    }

    /** Whether the document is OpenAPI 3.1 (JSON Schema 2020-12) rather than 3.0. */
    public boolean v31() {
        return v31;
    }

    public List<OperationModel> operations() {
        return operations;
    }

    /** The node a local {@code $ref} points to (followed until a node without one), or the node itself. */
    public JsonNode deref(JsonNode node) {
        JsonNode n = node;
        for (int i = 0; i < MAX_REF_HOPS && n != null && n.isObject() && n.has("$ref"); i++) {
            String ref = n.get("$ref").asText();
            if (!ref.startsWith("#")) {
                return n;
            }
            JsonNode target = root.at(ref.substring(1));
            if (target.isMissingNode()) {
                return MissingNode.getInstance();
            }
            n = target;
        }
        return n == null ? MissingNode.getInstance() : n;
    }

    /** The schemas of {@code components}, for validators that resolve {@code #/components/schemas/...}. */
    public JsonNode components() {
        return root.path("components");
    }

    /** The last name of a {@code $ref} ({@code #/components/schemas/Customer} → {@code Customer}), or null. */
    public static String refName(JsonNode node) {
        if (node != null && node.isObject() && node.has("$ref")) {
            String ref = node.get("$ref").asText();
            return ref.substring(ref.lastIndexOf('/') + 1);
        }
        return null;
    }

    /** The security requirements that apply to {@code op}: its own, else the document's; empty when none. */
    List<JsonNode> security(JsonNode op) {
        JsonNode s = op.has("security") ? op.get("security") : root.path("security");
        List<JsonNode> out = new ArrayList<>();
        s.forEach(out::add);
        return out;
    }

    /** Map view of an object node's fields, in order. */
    static Map<String, JsonNode> fields(JsonNode node) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue()));
        }
        return m;
    }
}
