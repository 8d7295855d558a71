package io.venomqa.config.internal;

import com.fasterxml.jackson.databind.node.TextNode;
import io.venomqa.config.VenomQAConfig;

import io.venomqa.config.ConfigException;
import io.venomqa.core.DidYouMean;
import io.venomqa.runner.Shard;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import static io.venomqa.config.VenomQAConfig.BASE_URL;
import static io.venomqa.config.VenomQAConfig.CHECKPOINT_STRATEGY;
import static io.venomqa.config.VenomQAConfig.DB_BACKEND;
import static io.venomqa.config.VenomQAConfig.DB_OPTIONS;
import static io.venomqa.config.VenomQAConfig.DB_URL;
import static io.venomqa.config.VenomQAConfig.ENV_BASE_URL;
import static io.venomqa.config.VenomQAConfig.ENV_DB_BACKEND;
import static io.venomqa.config.VenomQAConfig.ENV_DB_URL;
import static io.venomqa.config.VenomQAConfig.EXCLUDE_TABLES;
import static io.venomqa.config.VenomQAConfig.KEEP_RESPONSES;
import static io.venomqa.config.VenomQAConfig.PROPERTY_PREFIX;
import static io.venomqa.config.VenomQAConfig.REPORT_DIR;
import static io.venomqa.config.VenomQAConfig.RESET;
import static io.venomqa.config.VenomQAConfig.TABLES_TO_RESET;
import static io.venomqa.config.VenomQAConfig.TIMEOUT;
import static io.venomqa.config.VenomQAConfig.WORKERS;

/**
 * The configuration layers that are not a file: the {@code VENOMQA_*} environment variables and the
 * {@code venomqa.*} system properties, each read into a builder that sets only what the source
 * sets, for {@link VenomQAConfig#overlay}. Not API: {@link VenomQAConfig#fromEnvironment} and
 * {@link VenomQAConfig#fromProperties} are.
 */
public final class ConfigLayers {

    private ConfigLayers() {
    }

    /** What {@link VenomQAConfig#fromEnvironment} reads. */
    public static VenomQAConfig.Builder environment(Map<String, String> environment) {
        VenomQAConfig.Builder b = VenomQAConfig.builder();
        env(environment, ENV_BASE_URL).ifPresent(b::baseUrl);
        env(environment, ENV_DB_URL).ifPresent(b::dbUrl);
        env(environment, ENV_DB_BACKEND).ifPresent(b::dbBackend);
        return b;
    }

    /** The keys {@link VenomQAConfig#fromProperties} reads as {@code venomqa.<key>}, besides {@code venomqa.db_options.*}. */
    public static final List<String> PROPERTY_KEYS = List.of(BASE_URL, DB_URL, DB_BACKEND, CHECKPOINT_STRATEGY,
            TABLES_TO_RESET, EXCLUDE_TABLES, REPORT_DIR, RESET, KEEP_RESPONSES, WORKERS, TIMEOUT,
            VenomQAConfig.CSRF_COOKIE, VenomQAConfig.CSRF_HEADER);

    /** What {@link VenomQAConfig#fromProperties} reads. */
    public static VenomQAConfig.Builder properties(Properties properties) {
        refuseUnread(properties);
        VenomQAConfig.Builder b = VenomQAConfig.builder();
        prop(properties, BASE_URL).ifPresent(b::baseUrl);
        prop(properties, DB_URL).ifPresent(b::dbUrl);
        prop(properties, DB_BACKEND).ifPresent(b::dbBackend);
        prop(properties, CHECKPOINT_STRATEGY).ifPresent(b::checkpointStrategy);
        prop(properties, TABLES_TO_RESET).ifPresent(v -> b.tablesToReset(ConfigValues.splitList(v)));
        prop(properties, EXCLUDE_TABLES).ifPresent(v -> b.excludeTables(ConfigValues.splitList(v)));
        prop(properties, REPORT_DIR).ifPresent(b::reportDir);
        prop(properties, RESET).ifPresent(v -> b.resetBeforeRun(
                ConfigValues.resetBeforeRun(v, "-D" + PROPERTY_PREFIX + RESET)));
        prop(properties, KEEP_RESPONSES).ifPresent(v -> b.keepResponses(
                ConfigValues.keepResponses(v, "-D" + PROPERTY_PREFIX + KEEP_RESPONSES)));
        prop(properties, WORKERS).ifPresent(v -> b.workers(WorkerKeys.count(TextNode.valueOf(v),
                "-D" + PROPERTY_PREFIX + WORKERS)));
        prop(properties, TIMEOUT).ifPresent(v -> b.timeout(ConfigValues.timeout(v, "-D" + PROPERTY_PREFIX + TIMEOUT)));
        prop(properties, VenomQAConfig.CSRF_COOKIE).ifPresent(b::csrfCookie);
        prop(properties, VenomQAConfig.CSRF_HEADER).ifPresent(b::csrfHeader);
        // As in the file: a top-level option first, so that the same option under db_options wins.
        for (String key : topLevelOptions(properties)) {
            b.dbOption(key, properties.getProperty(PROPERTY_PREFIX + key));
        }
        for (String key : nestedOptions(properties)) {
            b.dbOption(key, properties.getProperty(PROPERTY_PREFIX + DB_OPTIONS + "." + key));
        }
        return b;
    }

    /**
     * System properties named {@code venomqa.*} that are not configuration: read elsewhere ({@code venomqa.shard} by
     * JUnit's journey sharding, {@code venomqa.shutdown_timeout} by the shutdown cleanup). Names with a further dot
     * ({@code venomqa.state.provider}, {@code venomqa.test.*}) are not configuration either.
     */
    static final List<String> OTHER_PROPERTIES = List.of(Shard.SYSTEM_PROPERTY, PROPERTY_PREFIX + "shutdown_timeout");

    /**
     * The backend options set as {@code venomqa.<option>}, as a top-level key of the file sets them: every
     * {@code venomqa.<name>} without a further dot that is neither a key of {@link #PROPERTY_KEYS} nor one of
     * {@link #OTHER_PROPERTIES}, with a value that is not blank.
     */
    public static Set<String> topLevelOptions(Properties properties) {
        Set<String> out = new TreeSet<>();
        for (String name : properties.stringPropertyNames()) {
            if (!name.startsWith(PROPERTY_PREFIX) || OTHER_PROPERTIES.contains(name)) {
                continue;
            }
            String key = name.substring(PROPERTY_PREFIX.length());
            if (!key.isEmpty() && !key.contains(".") && !VenomQAConfig.KNOWN_KEYS.contains(key)
                    && !properties.getProperty(name).isBlank()) {
                out.add(key);
            }
        }
        return out;
    }

    /** The backend options set as {@code venomqa.db_options.<option>}. */
    public static Set<String> nestedOptions(Properties properties) {
        String optionPrefix = PROPERTY_PREFIX + DB_OPTIONS + ".";
        Set<String> out = new TreeSet<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(optionPrefix) && name.length() > optionPrefix.length()) {
                out.add(name.substring(optionPrefix.length()));
            }
        }
        return out;
    }

    /**
     * A {@code venomqa.<key>} property that would be silently ignored is an error: a configuration key
     * only the file can hold ({@code openapi}, the {@code worker_*} keys), or a near miss of a key that is
     * read ({@code venomqa.db_ulr}). Any other {@code venomqa.<name>} is a backend option
     * ({@link #topLevelOptions}), whose name is checked once the backend is known
     * ({@link VenomQAConfig#overlayProperties}); names with a further dot ({@code venomqa.test.*}) are left alone.
     */
    private static void refuseUnread(Properties properties) {
        for (String name : new TreeSet<>(properties.stringPropertyNames())) {
            if (!name.startsWith(PROPERTY_PREFIX) || name.startsWith(PROPERTY_PREFIX + DB_OPTIONS + ".")) {
                continue;
            }
            String key = name.substring(PROPERTY_PREFIX.length());
            if (PROPERTY_KEYS.contains(key) || OTHER_PROPERTIES.contains(name)) {
                continue;
            }
            if (VenomQAConfig.KNOWN_KEYS.contains(key)) {
                throw new ConfigException("-D" + name + " is not read: '" + key + "' can only be set in venomqa.yaml."
                        + " System properties set " + String.join(", ", PROPERTY_KEYS) + ", and backend options as <option> or"
                        + " db_options.<option>.");
            }
            if (key.contains(".") || ConfigOptionCheck.anyBackendsOptions().stream().anyMatch(o -> o.name().equals(key))) {
                continue; // not configuration, or an option (checked against the chosen backend later)
            }
            Optional<String> near = DidYouMean.nearest(key, PROPERTY_KEYS);
            if (near.isPresent()) {
                throw new ConfigException("-D" + name + " is not a VenomQA setting. Did you mean -D" + PROPERTY_PREFIX
                        + near.get() + "?");
            }
        }
    }

    private static Optional<String> env(Map<String, String> environment, String name) {
        String v = environment.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    private static Optional<String> prop(Properties properties, String key) {
        String v = properties.getProperty(PROPERTY_PREFIX + key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }
}
