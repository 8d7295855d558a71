package io.venomqa.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.venomqa.config.ConfigException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Expands {@code ${VAR}} in every text value of a parsed {@code venomqa.yaml}, keys of nested
 * mappings and list entries included, and reports every unset variable at once, each with the
 * dotted key that used it. A worker command's own placeholders ({@code ${port}}, …) are left for
 * the worker. Not API.
 */
public final class ConfigExpansion {

    private ConfigExpansion() {
    }

    public static void expandAll(ObjectNode obj, String name, Map<String, String> environment) {
        Expander expander = new Expander(environment);
        List<String> problems = new ArrayList<>();
        expand(obj, "", expander, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(name + ": " + String.join("\n" + name + ": ", problems));
        }
    }

    private static void expand(JsonNode node, String path, Expander expander, List<String> problems) {
        if (node instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> it = o.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (e.getValue().isTextual()) {
                    e.setValue(TextNode.valueOf(expandText(e.getValue().asText(), key, expander, problems)));
                } else {
                    expand(e.getValue(), key, expander, problems);
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                String key = path + "[" + i + "]";
                if (a.get(i).isTextual()) {
                    a.set(i, TextNode.valueOf(expandText(a.get(i).asText(), key, expander, problems)));
                } else {
                    expand(a.get(i), key, expander, problems);
                }
            }
        }
    }

    private static String expandText(String value, String key, Expander expander, List<String> problems) {
        try {
            Expander.Expansion x = expander.expand(WorkerKeys.protectPlaceholders(key, value));
            for (String var : x.missing()) {
                problems.add(key + " uses ${" + var + "}, but the environment variable " + var
                        + " is not set. Set it, or give a default: ${" + var + ":-value}.");
            }
            return x.value();
        } catch (IllegalArgumentException e) {
            problems.add(key + ": " + e.getMessage());
            return value;
        }
    }

}
