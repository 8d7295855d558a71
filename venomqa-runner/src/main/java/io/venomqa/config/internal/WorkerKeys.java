package io.venomqa.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.venomqa.config.ConfigException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code workers} and {@code worker_apis} of a {@code venomqa.yaml}: a count of 1 or more, and
 * a list of {@code {base_url, db_url}} mappings, each key required and no other key allowed. Not API.
 */
public final class WorkerKeys {

    /** The key of the number of parallel workers. */
    public static final String WORKERS = "workers";
    /** The key of the list of running worker APIs with their databases. */
    public static final String WORKER_APIS = "worker_apis";
    /** The key of the command VenomQA starts per worker ({@code ${db_url}}, {@code ${jdbc_url}}, {@code ${port}}). */
    public static final String WORKER_COMMAND = "worker_command";
    /** The key of the URL that answers once a started worker's API is up. */
    public static final String WORKER_HEALTH_URL = "worker_health_url";
    /** The key of where a started worker's API listens. */
    public static final String WORKER_BASE_URL = "worker_base_url";
    /** The keys of one {@code worker_apis} entry. */
    public static final List<String> ENTRY_KEYS = List.of("base_url", "db_url");

    private WorkerKeys() {
    }

    /** {@code workers} as a number, {@code null} when absent. */
    public static Integer count(JsonNode value, String file) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!(value.canConvertToInt() && value.isIntegralNumber()) && !value.asText().strip().matches("\\d{1,4}")) {
            throw new ConfigException(file + ": " + WORKERS + " must be a whole number of workers (1 runs everything"
                    + " serially, as without the key); got '" + value.asText() + "'.");
        }
        return checkCount(value.isIntegralNumber() ? value.asInt() : Integer.parseInt(value.asText().strip()), file);
    }

    /** {@code n} when it is 1 or more. */
    public static int checkCount(int n, String where) {
        if (n < 1) {
            throw new ConfigException(where + ": " + WORKERS + " must be 1 or more; got " + n + ".");
        }
        return n;
    }

    /**
     * {@code value} with the worker placeholders ({@code ${db_url}}, {@code ${jdbc_url}}, {@code ${port}})
     * escaped as {@code $${…}} when {@code key} is one of the worker command's keys, so that the
     * expansion of environment variables leaves them for each worker.
     */
    public static String protectPlaceholders(String key, String value) {
        String top = key.contains(".") ? key.substring(0, key.indexOf('.')) : key.replaceAll("\\[.*", "");
        if (!List.of(WORKER_COMMAND, WORKER_HEALTH_URL, WORKER_BASE_URL).contains(top)) {
            return value;
        }
        String out = value;
        for (String name : List.of("db_url", "jdbc_url", "port")) {
            out = out.replace("${" + name + "}", "$${" + name + "}");
        }
        return out;
    }

    /** {@code worker_command}: one line (split at whitespace) or a list of arguments; empty when absent. */
    public static List<String> command(JsonNode value, String file) {
        List<String> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (value.isValueNode()) {
            for (String part : value.asText().strip().split("\\s+")) {
                if (!part.isEmpty()) {
                    out.add(part);
                }
            }
        } else if (value.isArray()) {
            for (JsonNode a : value) {
                if (!a.isValueNode() || a.isNull()) {
                    throw new ConfigException(file + ": every argument of " + WORKER_COMMAND + " must be text.");
                }
                out.add(a.asText());
            }
        } else {
            throw new ConfigException(file + ": " + WORKER_COMMAND + " must be a command line or a list of arguments.");
        }
        if (out.isEmpty()) {
            throw new ConfigException(file + ": " + WORKER_COMMAND + " is empty.");
        }
        return out;
    }

    /** {@code worker_apis} as {@code base_url}/{@code db_url} maps in order; empty when absent. */
    public static List<Map<String, String>> apis(JsonNode value, String file) {
        List<Map<String, String>> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isArray()) {
            throw new ConfigException(file + ": " + WORKER_APIS + " must be a list of {base_url, db_url} entries, one per worker.");
        }
        int i = 0;
        for (JsonNode entry : value) {
            i++;
            if (!entry.isObject()) {
                throw new ConfigException(file + ": entry " + i + " of " + WORKER_APIS + " must be a mapping with base_url and db_url.");
            }
            Map<String, String> e = new LinkedHashMap<>();
            for (String k : ENTRY_KEYS) {
                JsonNode v = entry.get(k);
                if (v == null || !v.isValueNode() || v.isNull() || v.asText().isBlank()) {
                    throw new ConfigException(file + ": entry " + i + " of " + WORKER_APIS + " has no " + k
                            + " (each worker needs its API's base_url and the db_url of its own database).");
                }
                e.put(k, v.asText().strip());
            }
            entry.fieldNames().forEachRemaining(k -> {
                if (!ENTRY_KEYS.contains(k)) {
                    throw new ConfigException(file + ": entry of " + WORKER_APIS + " has an unknown key '" + k
                            + "'; an entry has exactly " + String.join(" and ", ENTRY_KEYS) + ".");
                }
            });
            out.add(e);
        }
        if (out.isEmpty()) {
            throw new ConfigException(file + ": " + WORKER_APIS + " is empty; list one {base_url, db_url} per worker or remove it.");
        }
        return out;
    }
}
