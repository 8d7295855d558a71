package io.venomqa.openapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON tree as plain Java values — the same values {@code ObjectMapper.convertValue(node, Object.class)}
 * gives (maps in field order, lists, strings, booleans, the node's own number type, null) — built by
 * walking the tree. Moves do this for every example and every response field they learn from, and
 * {@code convertValue}'s serialize-and-read round trip was most of a generated move's own cost
 * (benchmark row 15).
 */
final class JsonValues {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonValues() {
    }

    static Object toJava(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() || node.isDouble()) {
            return node.numberValue();
        }
        if (node.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> out.put(e.getKey(), toJava(e.getValue())));
            return out;
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>(node.size());
            node.forEach(n -> out.add(toJava(n)));
            return out;
        }
        return MAPPER.convertValue(node, Object.class); // decimals, floats, binary: rare, keep Jackson's answer
    }
}
