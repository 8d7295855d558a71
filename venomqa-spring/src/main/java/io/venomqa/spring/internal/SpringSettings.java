package io.venomqa.spring.internal;

import io.venomqa.config.VenomQAConfig;
import io.venomqa.spring.VenomQASpringTest;
import org.springframework.test.context.TestContextAnnotationUtils;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code @VenomQASpringTest} and the {@code -Dvenomqa.*} system properties say about the database,
 * as a value: it is part of Spring's context cache key, so two classes share a context (and a state
 * manager) only when they agree. Not API.
 *
 * <p>The layers, from weakest to strongest, as for {@code @VenomQATest} (configuration.md): the
 * annotation's attributes, then the system properties ({@link VenomQAConfig#overlayProperties}). The
 * database itself (its URL) is always the application's DataSource: {@code -Dvenomqa.db_url},
 * {@code db_backend} and {@code base_url} do not apply.
 */
public record SpringSettings(String checkpointStrategy, String dataSource, List<String> tablesToReset,
                             List<String> excludeTables, Map<String, String> options, Map<String, String> properties) {

    /** The strategy that wraps the application's DataSource. */
    public static final String SAVEPOINT = "savepoint";

    /** System properties that cannot apply under Spring: the application's DataSource and server decide. */
    static final Set<String> NOT_APPLIED = Set.of(VenomQAConfig.PROPERTY_PREFIX + "db_url",
            VenomQAConfig.PROPERTY_PREFIX + "db_backend", VenomQAConfig.PROPERTY_PREFIX + "base_url");

    /** System properties of the injected runners, not of the database: not part of the cache key. */
    static final Set<String> RUNNER_ONLY = Set.of(VenomQAConfig.PROPERTY_PREFIX + "report_dir",
            VenomQAConfig.PROPERTY_PREFIX + "keep_responses", VenomQAConfig.PROPERTY_PREFIX + VenomQAConfig.TIMEOUT,
            VenomQAConfig.PROPERTY_PREFIX + VenomQAConfig.CSRF_COOKIE, VenomQAConfig.PROPERTY_PREFIX + VenomQAConfig.CSRF_HEADER);

    public SpringSettings {
        tablesToReset = List.copyOf(tablesToReset);
        excludeTables = List.copyOf(excludeTables);
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        properties = java.util.Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    /** Settings from the annotation alone, no system properties. */
    public SpringSettings(String checkpointStrategy, String dataSource, List<String> tablesToReset, List<String> excludeTables,
                          Map<String, String> options) {
        this(checkpointStrategy, dataSource, tablesToReset, excludeTables, options, Map.of());
    }

    /** The settings of {@code testClass} (or of a class enclosing it), or {@code null} when it has no annotation. */
    public static SpringSettings of(Class<?> testClass) {
        VenomQASpringTest a = TestContextAnnotationUtils.findMergedAnnotation(testClass, VenomQASpringTest.class);
        return a == null ? null : of(a, testClass, System.getProperties());
    }

    static SpringSettings of(VenomQASpringTest a, Class<?> testClass, Properties system) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String o : a.options()) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("@VenomQASpringTest(options) on " + testClass.getName()
                        + ": each option is key=value (for example \"shared_connection_wait=5s\"), got '" + o + "'.");
            }
            options.put(o.substring(0, eq).trim(), o.substring(eq + 1).trim());
        }
        Map<String, String> properties = new TreeMap<>();
        for (String name : system.stringPropertyNames()) {
            // The runner's settings are read by the JUnit extension for each runner: no reason for a context of their own.
            if (name.startsWith(VenomQAConfig.PROPERTY_PREFIX) && !RUNNER_ONLY.contains(name)) {
                properties.put(name, system.getProperty(name));
            }
        }
        String strategy = a.checkpointStrategy().isBlank() ? SAVEPOINT : a.checkpointStrategy().trim();
        SpringSettings annotation = new SpringSettings(strategy, a.dataSource().trim(), List.of(a.tablesToReset()),
                List.of(a.excludeTables()), options, properties);
        // Read (and so checked for bad values) here already: the strategy decides whether the DataSource is wrapped.
        VenomQAConfig props = VenomQAConfig.fromProperties(annotation.applied());
        return props.checkpointStrategy().isEmpty() ? annotation : new SpringSettings(props.checkpointStrategy().get(),
                annotation.dataSource, annotation.tablesToReset, annotation.excludeTables, options, properties);
    }

    /** The {@code venomqa.*} system properties that apply under Spring (all but {@link #NOT_APPLIED}). */
    public Properties applied() {
        Properties p = new Properties();
        properties.forEach((k, v) -> {
            if (!NOT_APPLIED.contains(k)) {
                p.setProperty(k, v);
            }
        });
        return p;
    }

    /**
     * The configuration for the DataSource at {@code dbUrl}: the annotation's attributes, with the system
     * properties over them, their option names and values checked against the backend the URL selects.
     *
     * @throws io.venomqa.config.ConfigException naming a property that is not valid ({@code -Dvenomqa.track_changez})
     */
    public VenomQAConfig config(String dbUrl) {
        VenomQAConfig.Builder b = VenomQAConfig.builder().dbUrl(dbUrl).tablesToReset(tablesToReset)
                .excludeTables(excludeTables).dbOptions(options);
        if (!properties.containsKey(VenomQAConfig.PROPERTY_PREFIX + "checkpoint_strategy")) {
            b.checkpointStrategy(checkpointStrategy);
        }
        return b.build().overlayProperties(applied());
    }

    /** Whether the application's DataSource is wrapped into the manager's transaction. */
    public boolean wraps() {
        return SAVEPOINT.equalsIgnoreCase(checkpointStrategy);
    }
}
