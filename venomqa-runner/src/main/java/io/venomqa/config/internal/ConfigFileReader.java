package io.venomqa.config.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.venomqa.config.ConfigException;
import io.venomqa.config.VenomQAConfig;
import io.venomqa.core.CredentialMasker;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.venomqa.config.VenomQAConfig.BASE_URL;
import static io.venomqa.config.VenomQAConfig.CHECKPOINT_STRATEGY;
import static io.venomqa.config.VenomQAConfig.DB_BACKEND;
import static io.venomqa.config.VenomQAConfig.DB_OPTIONS;
import static io.venomqa.config.VenomQAConfig.DB_URL;
import static io.venomqa.config.VenomQAConfig.EXCLUDE_TABLES;
import static io.venomqa.config.VenomQAConfig.KEEP_RESPONSES;
import static io.venomqa.config.VenomQAConfig.KNOWN_KEYS;
import static io.venomqa.config.VenomQAConfig.OPENAPI;
import static io.venomqa.config.VenomQAConfig.REPORT_DIR;
import static io.venomqa.config.VenomQAConfig.RESET;
import static io.venomqa.config.VenomQAConfig.TABLES_TO_RESET;
import static io.venomqa.config.VenomQAConfig.TIMEOUT;
import static io.venomqa.config.VenomQAConfig.WORKERS;
import static io.venomqa.config.VenomQAConfig.WORKER_APIS;
import static io.venomqa.config.VenomQAConfig.WORKER_BASE_URL;
import static io.venomqa.config.VenomQAConfig.WORKER_COMMAND;
import static io.venomqa.config.VenomQAConfig.WORKER_HEALTH_URL;

/**
 * Reads the text of a {@code venomqa.yaml} into a {@link VenomQAConfig.Builder}: parses the YAML,
 * expands {@code ${VAR}}s, reads VenomQA's own keys and collects every other top-level key and the
 * {@code db_options} as backend options, remembering which came from where so that
 * {@link ConfigOptionCheck} can name unknown ones. Not API: {@link VenomQAConfig.Loader} is.
 */
public final class ConfigFileReader {

    /**
     * What a file said: its values, and the names of the backend options it set at the top level and
     * under {@code db_options}, still to be checked against the chosen backend.
     */
    public record Parsed(VenomQAConfig.Builder builder, Set<String> topLevel, Set<String> nested, YAMLFactory yaml) {
    }

    private ConfigFileReader() {
    }

    /**
     * Reads {@code text}; {@code name} is how errors name the file.
     *
     * @throws ConfigException for YAML that is not valid, a value of the wrong shape, or an unset variable
     */
    public static Parsed read(String text, String name, Map<String, String> environment) {
        YAMLFactory yaml = new YAMLFactory();
        ObjectMapper mapper = new ObjectMapper(yaml);
        ObjectNode obj = root(text, name, mapper);
        ConfigExpansion.expandAll(obj, name, environment);
        VenomQAConfig.Builder b = VenomQAConfig.builder();
        b.baseUrl(ConfigValues.text(obj, BASE_URL, name));
        b.dbUrl(ConfigValues.text(obj, DB_URL, name));
        b.dbBackend(ConfigValues.text(obj, DB_BACKEND, name));
        b.tablesToReset(ConfigValues.list(obj, TABLES_TO_RESET, name));
        b.excludeTables(ConfigValues.list(obj, EXCLUDE_TABLES, name));
        b.checkpointStrategy(ConfigValues.text(obj, CHECKPOINT_STRATEGY, name));
        b.reportDir(ConfigValues.text(obj, REPORT_DIR, name));
        Integer workers = WorkerKeys.count(obj.get(WORKERS), name);
        if (workers != null) {
            b.workers(workers);
        }
        b.workerApis(WorkerKeys.apis(obj.get(WORKER_APIS), name));
        b.workerCommand(WorkerKeys.command(obj.get(WORKER_COMMAND), name));
        b.workerHealthUrl(ConfigValues.text(obj, WORKER_HEALTH_URL, name));
        b.workerBaseUrl(ConfigValues.text(obj, WORKER_BASE_URL, name));
        String reset = ConfigValues.text(obj, RESET, name);
        if (reset != null) {
            b.resetBeforeRun(ConfigValues.resetBeforeRun(reset, name));
        }
        String keep = ConfigValues.text(obj, KEEP_RESPONSES, name);
        if (keep != null) {
            b.keepResponses(ConfigValues.keepResponses(keep, name));
        }
        b.csrfCookie(ConfigValues.text(obj, VenomQAConfig.CSRF_COOKIE, name));
        b.csrfHeader(ConfigValues.text(obj, VenomQAConfig.CSRF_HEADER, name));
        JsonNode t = obj.get(TIMEOUT);
        if (t != null && !t.isNull()) {
            b.timeout(ConfigValues.timeout(t.isNumber() ? t.numberValue() : t.asText(), name));
        }
        // Every other top-level key is a backend option, checked later against the declarations.
        Set<String> topLevel = new LinkedHashSet<>();
        Map<String, Object> options = new LinkedHashMap<>();
        obj.fieldNames().forEachRemaining(k -> {
            if (!KNOWN_KEYS.contains(k)) {
                topLevel.add(k);
                JsonNode v = obj.get(k);
                if (v != null && !v.isNull()) {
                    options.put(k, mapper.convertValue(v, Object.class));
                }
            }
        });
        Set<String> nested = Set.of();
        JsonNode opts = obj.get(DB_OPTIONS);
        if (opts != null && !opts.isNull()) {
            if (!opts.isObject()) {
                throw new ConfigException(name + ": db_options must be a mapping of backend options (schema: public, ...).");
            }
            Map<String, Object> map = mapper.convertValue(opts, new TypeReference<LinkedHashMap<String, Object>>() {
            });
            nested = map.keySet();
            options.putAll(map);
        }
        b.dbOptions(options);
        JsonNode oa = obj.get(OPENAPI);
        if (oa != null && !oa.isNull()) {
            if (!oa.isObject()) {
                throw new ConfigException(name + ": " + OPENAPI + " must be a mapping (document: openapi.yaml, auth: ..., checks: ...).");
            }
            b.openapi(mapper.convertValue(oa, new TypeReference<LinkedHashMap<String, Object>>() {
            }));
        }
        return new Parsed(b, topLevel, nested, yaml);
    }

    /** The top-level mapping of {@code text}; an empty one for an empty file. */
    private static ObjectNode root(String text, String name, ObjectMapper mapper) {
        JsonNode root;
        try {
            root = text.isBlank() ? mapper.createObjectNode() : mapper.readTree(text);
        } catch (IOException e) {
            throw new ConfigException(name + " is not valid YAML: " + CredentialMasker.maskText(e.getMessage()), e);
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            root = mapper.createObjectNode();
        }
        if (!root.isObject()) {
            throw new ConfigException(name + " must be a mapping of keys (base_url: ..., db_url: ...), not a "
                    + root.getNodeType().name().toLowerCase(Locale.ROOT) + ".");
        }
        return (ObjectNode) root;
    }
}
