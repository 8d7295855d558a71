package io.venomqa.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.venomqa.config.ConfigException;
import io.venomqa.core.DidYouMean;
import io.venomqa.runner.KeepResponses;
import io.venomqa.state.Durations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.venomqa.config.VenomQAConfig.RESET_BEFORE_RUN;
import static io.venomqa.config.VenomQAConfig.RESET_NEVER;

/**
 * How one configuration value is read, wherever it comes from (a {@code venomqa.yaml} node, a
 * system property): texts, table lists, {@code reset}, {@code timeout}, {@code keep_responses}.
 * Each error names where the value was and what is allowed. Not API.
 */
public final class ConfigValues {

    private ConfigValues() {
    }

    /** The single value under {@code key}, {@code null} when absent; an error for a list or mapping. */
    public static String text(ObjectNode obj, String key, String name) {
        JsonNode v = obj.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw new ConfigException(name + ": " + key + " must be a single value, not a "
                    + v.getNodeType().name().toLowerCase(Locale.ROOT) + ".");
        }
        return v.asText();
    }

    /** The table names under {@code key}: a YAML list, or one comma-separated text. */
    public static List<String> list(ObjectNode obj, String key, String name) {
        JsonNode v = obj.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (v.isArray()) {
            List<String> out = new ArrayList<>();
            for (JsonNode item : v) {
                if (!item.isValueNode() || item.isNull()) {
                    throw new ConfigException(name + ": every entry of " + key + " must be a table name.");
                }
                out.add(item.asText().strip());
            }
            return out;
        }
        if (v.isValueNode()) {
            return splitList(v.asText());
        }
        throw new ConfigException(name + ": " + key + " must be a list of table names or a comma-separated text.");
    }

    /** The non-blank parts of a comma-separated text, stripped. */
    public static List<String> splitList(String v) {
        List<String> out = new ArrayList<>();
        for (String part : v.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    /** {@code reset}: true for {@code before_run}, false for {@code never}, else an error with a suggestion. */
    public static boolean resetBeforeRun(String value, String name) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals(RESET_BEFORE_RUN)) {
            return true;
        }
        if (v.equals(RESET_NEVER)) {
            return false;
        }
        String hint = DidYouMean.nearest(v, List.of(RESET_BEFORE_RUN, RESET_NEVER))
                .map(n -> " Did you mean '" + n + "'?").orElse("");
        throw new ConfigException(name + ": reset must be '" + RESET_BEFORE_RUN + "' or '" + RESET_NEVER + "', got '"
                + value + "'." + hint);
    }

    /**
     * {@code value} as the HTTP timeout, read by the one duration reader ({@link Durations}; positive
     * only), or an error naming {@code where}.
     */
    public static Duration timeout(Object value, String where) {
        Duration d = Durations.parse(value).filter(x -> !x.isZero()).orElse(null);
        if (d == null) {
            throw new ConfigException(where + ": timeout must be a duration such as 30 (seconds), 500ms, 30s or 2m;"
                    + " got '" + value + "'.");
        }
        return d;
    }

    /** {@code value} as {@code keep_responses}, or an error naming {@code where} and the allowed values. */
    public static KeepResponses keepResponses(String value, String where) {
        try {
            return KeepResponses.fromConfig(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage(), e);
        }
    }
}
