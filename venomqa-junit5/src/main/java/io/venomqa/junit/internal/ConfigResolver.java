package io.venomqa.junit.internal;

import io.venomqa.config.ConfigException;
import io.venomqa.config.VenomQAConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Puts a test class's configuration together as layers of the one model ({@link VenomQAConfig#overlay}),
 * from weakest to strongest: the file, the code settings, the {@code VENOMQA_*} environment
 * variables, the {@code venomqa.*} system properties, and finally a database container declared in
 * the class. Not API.
 */
public final class ConfigResolver {

    /** Prefix of the system properties that override the configuration ({@code venomqa.db_url}). */
    public static final String PROPERTY_PREFIX = VenomQAConfig.PROPERTY_PREFIX;

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
        VenomQAConfig code = settings.values;
        if (settings.baseUrl != null && (askBaseUrl || !settings.baseUrlDeferred)) {
            String url = settings.baseUrl.get();
            if (url != null && !url.isBlank()) {
                code = code.overlay(VenomQAConfig.builder().baseUrl(url).build());
            }
        }
        VenomQAConfig config = readFile()
                .overlay(code)
                .overlay(VenomQAConfig.fromEnvironment(environment))
                .overlayProperties(properties);
        if (container == null) {
            return config;
        }
        // A container declared in the class is the most explicit choice of database there is.
        VenomQAConfig.Builder b = config.toBuilder().dbUrl(container.jdbcUrl()).dbBackend(null);
        if (container.username() != null) {
            b.dbOption("user", container.username());
        }
        if (container.password() != null) {
            b.dbOption("password", container.password());
        }
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
}
