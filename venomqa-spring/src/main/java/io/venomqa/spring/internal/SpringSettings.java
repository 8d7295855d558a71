package io.venomqa.spring.internal;

import io.venomqa.spring.VenomQASpringTest;
import org.springframework.test.context.TestContextAnnotationUtils;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code @VenomQASpringTest} says about the database, as a value: it is part of Spring's
 * context cache key, so two classes share a context (and a state manager) only when they agree.
 * Not API.
 */
public record SpringSettings(String checkpointStrategy, String dataSource, List<String> tablesToReset,
                             List<String> excludeTables, Map<String, String> options) {

    /** The strategy that wraps the application's DataSource. */
    public static final String SAVEPOINT = "savepoint";

    public SpringSettings {
        tablesToReset = List.copyOf(tablesToReset);
        excludeTables = List.copyOf(excludeTables);
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** The settings of {@code testClass} (or of a class enclosing it), or {@code null} when it has no annotation. */
    public static SpringSettings of(Class<?> testClass) {
        VenomQASpringTest a = TestContextAnnotationUtils.findMergedAnnotation(testClass, VenomQASpringTest.class);
        return a == null ? null : of(a, testClass);
    }

    static SpringSettings of(VenomQASpringTest a, Class<?> testClass) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String o : a.options()) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("@VenomQASpringTest(options) on " + testClass.getName()
                        + ": each option is key=value (for example \"shared_connection_wait=5s\"), got '" + o + "'.");
            }
            options.put(o.substring(0, eq).trim(), o.substring(eq + 1).trim());
        }
        String strategy = a.checkpointStrategy().isBlank() ? SAVEPOINT : a.checkpointStrategy().trim();
        return new SpringSettings(strategy, a.dataSource().trim(), List.of(a.tablesToReset()),
                List.of(a.excludeTables()), options);
    }

    /** Whether the application's DataSource is wrapped into the manager's transaction. */
    public boolean wraps() {
        return SAVEPOINT.equalsIgnoreCase(checkpointStrategy);
    }
}
