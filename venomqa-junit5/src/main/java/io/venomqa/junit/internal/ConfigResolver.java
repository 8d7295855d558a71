package io.venomqa.junit.internal;

import io.venomqa.config.ConfigException;
import io.venomqa.config.VenomQAConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Puts a test class's configuration together, from weakest to strongest: the file, the code
 * settings, the {@code VENOMQA_*} environment variables, the {@code venomqa.*} system properties,
 * and finally a database container declared in the class. Not API.
 */
public final class ConfigResolver {

    /** Prefix of the system properties that override the configuration ({@code venomqa.db_url}). */
    public static final String PROPERTY_PREFIX = "venomqa.";

    private final Class<?> testClass;
    private final Settings settings;
    private final Map<String, String> environment;
    private final Properties properties;

    public ConfigResolver(Class<?> testClass, Settings settings, Map<String, String> environment, Properties properties) {
        this.testClass = testClass;
        this.settings = settings;
        this.environment = environment;
        this.properties = properties;
    }

    /**
     * The configuration, with {@code container} (may be null) as the database. A base URL given as
     * a supplier is only asked for when {@code askBaseUrl} is true: at class start the application
     * may not run yet (its port comes from a {@code @BeforeAll} method).
     */
    public VenomQAConfig resolve(ContainerDatabase container, boolean askBaseUrl) {
        VenomQAConfig base = readFile();
        VenomQAConfig.Builder b = VenomQAConfig.builder();
        base.baseUrl().ifPresent(b::baseUrl);
        base.dbUrl().ifPresent(b::dbUrl);
        base.dbBackend().ifPresent(b::dbBackend);
        b.tablesToReset(base.tablesToReset());
        b.excludeTables(base.excludeTables());
        base.checkpointStrategy().ifPresent(b::checkpointStrategy);
        base.timeout().ifPresent(b::timeout);
        base.reportDir().ifPresent(p -> b.reportDir(p.toString()));
        Map<String, Object> options = new LinkedHashMap<>(base.dbOptions());

        // Code settings.
        if (settings.baseUrl != null && (askBaseUrl || !settings.baseUrlDeferred)) {
            String url = settings.baseUrl.get();
            if (url != null && !url.isBlank()) {
                b.baseUrl(url);
            }
        }
        if (settings.dbUrl != null) {
            b.dbUrl(settings.dbUrl);
        }
        if (settings.dbBackend != null) {
            b.dbBackend(settings.dbBackend);
        }
        if (settings.checkpointStrategy != null) {
            b.checkpointStrategy(settings.checkpointStrategy);
        }
        if (settings.tablesToReset != null) {
            b.tablesToReset(settings.tablesToReset);
        }
        if (settings.excludeTables != null) {
            b.excludeTables(settings.excludeTables);
        }
        if (settings.reportDir != null) {
            b.reportDir(settings.reportDir);
        }
        options.putAll(settings.dbOptions);

        // Environment: the same three variables VenomQAConfig honours for the file, now over the code too.
        env(VenomQAConfig.ENV_BASE_URL).ifPresent(b::baseUrl);
        env(VenomQAConfig.ENV_DB_URL).ifPresent(b::dbUrl);
        env(VenomQAConfig.ENV_DB_BACKEND).ifPresent(b::dbBackend);

        // System properties: -Dvenomqa.<key>=value, -Dvenomqa.db_options.<option>=value.
        prop(VenomQAConfig.BASE_URL).ifPresent(b::baseUrl);
        prop(VenomQAConfig.DB_URL).ifPresent(b::dbUrl);
        prop(VenomQAConfig.DB_BACKEND).ifPresent(b::dbBackend);
        prop(VenomQAConfig.CHECKPOINT_STRATEGY).ifPresent(b::checkpointStrategy);
        prop(VenomQAConfig.TABLES_TO_RESET).ifPresent(v -> b.tablesToReset(split(v)));
        prop(VenomQAConfig.EXCLUDE_TABLES).ifPresent(v -> b.excludeTables(split(v)));
        prop(VenomQAConfig.REPORT_DIR).ifPresent(b::reportDir);
        prop(VenomQAConfig.TIMEOUT).ifPresent(v -> {
            // Reuse the file's duration syntax (30, 500ms, 30s, 2m) rather than a second parser.
            VenomQAConfig parsed = VenomQAConfig.loader().environment(Map.of()).parse("timeout: \"" + v.replace("\"", "") + "\"");
            parsed.timeout().ifPresent(b::timeout);
        });
        String optionPrefix = PROPERTY_PREFIX + VenomQAConfig.DB_OPTIONS + ".";
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(optionPrefix) && name.length() > optionPrefix.length()) {
                options.put(name.substring(optionPrefix.length()), properties.getProperty(name));
            }
        }

        // A container declared in the class is the most explicit choice of database there is.
        if (container != null) {
            b.dbUrl(container.jdbcUrl());
            b.dbBackend(null);
            if (container.username() != null) {
                options.put("user", container.username());
            }
            if (container.password() != null) {
                options.put("password", container.password());
            }
        }
        b.dbOptions(options);
        return b.build();
    }

    private VenomQAConfig readFile() {
        VenomQAConfig.Loader loader = VenomQAConfig.loader().environment(environment);
        if (settings.config != null) {
            java.nio.file.Path file = java.nio.file.Path.of(settings.config);
            if (Files.isRegularFile(file)) {
                return loader.load(file);
            }
            Optional<String> text = resource(settings.config);
            if (text.isPresent()) {
                return loader.parse(text.get());
            }
            throw new ConfigException("@VenomQATest(config = \"" + settings.config + "\") on " + testClass.getName()
                    + ": there is no such file (from " + java.nio.file.Path.of("").toAbsolutePath()
                    + ") and no such class path resource.");
        }
        for (String name : List.of(VenomQAConfig.FILE_NAME, VenomQAConfig.ALTERNATE_FILE_NAME)) {
            Optional<String> text = resource(name);
            if (text.isPresent()) {
                return loader.parse(text.get());
            }
        }
        return loader.loadOrEnvironment();
    }

    private Optional<String> resource(String name) {
        String path = name.startsWith("/") ? name.substring(1) : name;
        ClassLoader cl = testClass.getClassLoader() != null ? testClass.getClassLoader() : ClassLoader.getSystemClassLoader();
        try (InputStream in = cl.getResourceAsStream(path)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read class path resource " + path + ": " + e.getMessage(), e);
        }
    }

    private Optional<String> env(String name) {
        String v = environment.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    private Optional<String> prop(String key) {
        String v = properties.getProperty(PROPERTY_PREFIX + key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    private static List<String> split(String v) {
        List<String> out = new ArrayList<>();
        for (String part : v.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }
}
