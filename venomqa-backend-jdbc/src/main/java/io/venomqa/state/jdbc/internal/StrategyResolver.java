package io.venomqa.state.jdbc.internal;

import io.venomqa.state.jdbc.spi.CheckpointStrategyProvider;
import io.venomqa.state.jdbc.spi.JdbcDialect;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Finds the provider of the {@code checkpoint_strategy} a manager is configured with: the dialect's
 * own providers first, then those found with {@link ServiceLoader} that support the dialect, then
 * the built-in {@code savepoint}. An unknown or unavailable name is an error saying what to do. Not API.
 */
public final class StrategyResolver {

    private static final String JOURNAL = "journal";
    private static final String JOURNAL_ARTIFACT = "io.venomqa:venomqa-journal";

    private StrategyResolver() {
    }

    /**
     * The provider of strategy {@code requested} for {@code dialect}.
     *
     * @throws IllegalArgumentException naming the valid strategies, or the artifact to add
     */
    public static CheckpointStrategyProvider resolve(JdbcDialect dialect, String requested) {
        String name = requested.trim().toLowerCase(Locale.ROOT);
        Map<String, CheckpointStrategyProvider> unsupported = new LinkedHashMap<>();
        Map<String, CheckpointStrategyProvider> available = available(dialect, unsupported);
        CheckpointStrategyProvider found = available.get(name);
        if (found != null) {
            return found;
        }
        CheckpointStrategyProvider other = unsupported.get(name);
        if (other != null) {
            // It is on the class path, just not for this database: "add the artifact" would send the user
            // looking for a dependency they already have.
            String supported = other.supportedDatabases();
            throw new IllegalArgumentException("checkpoint_strategy '" + name + "' does not support the "
                    + dialect.displayName() + " backend" + (supported == null ? "" : ": it supports " + supported + " only")
                    + " (" + other.getClass().getName() + " is on the class path). Use checkpoint_strategy: savepoint "
                    + "(the default) with " + dialect.displayName() + "; for an application running in this JVM, give it "
                    + "the manager's sharedDataSource() so its writes are covered.");
        }
        if (name.equals(JOURNAL)) {
            throw new IllegalArgumentException("checkpoint_strategy 'journal' is not available for the "
                    + dialect.displayName() + " backend: " + (journalOnClassPath()
                    ? "the journal supports PostgreSQL, MySQL/MariaDB and SQLite only."
                    : "add " + JOURNAL_ARTIFACT + " to the class path (it supports PostgreSQL, MySQL/MariaDB and SQLite).")
                    + " Or use checkpoint_strategy: savepoint (the default); for an application running in this JVM, give "
                    + "it the manager's sharedDataSource() so its writes are covered.");
        }
        Set<String> valid = new LinkedHashSet<>(available.keySet());
        Set<String> known = new LinkedHashSet<>(valid);
        known.add(JOURNAL);
        String typo = io.venomqa.core.DidYouMean.nearest(name, known).map(n -> " Did you mean '" + n + "'?").orElse("");
        throw new IllegalArgumentException("Unknown checkpoint_strategy '" + name + "'. Valid values for the "
                + dialect.displayName() + " backend: " + String.join(", ", valid)
                + (valid.contains(JOURNAL) ? "" : " (journal: add " + JOURNAL_ARTIFACT + ")") + "." + typo);
    }

    /**
     * The strategies available to {@code dialect}, by name: its own, those registered with
     * {@link ServiceLoader} that support it, and the built-in {@code savepoint}.
     */
    public static Map<String, CheckpointStrategyProvider> available(JdbcDialect dialect) {
        return available(dialect, new LinkedHashMap<>());
    }

    private static Map<String, CheckpointStrategyProvider> available(JdbcDialect dialect,
                                                                     Map<String, CheckpointStrategyProvider> unsupported) {
        Map<String, CheckpointStrategyProvider> available = new LinkedHashMap<>();
        for (CheckpointStrategyProvider p : dialect.checkpointStrategies()) {
            available.putIfAbsent(p.name().toLowerCase(Locale.ROOT), p);
        }
        for (CheckpointStrategyProvider p : loaded()) {
            if (p.supports(dialect)) {
                available.putIfAbsent(p.name().toLowerCase(Locale.ROOT), p);
            } else {
                unsupported.putIfAbsent(p.name().toLowerCase(Locale.ROOT), p);
            }
        }
        available.putIfAbsent(SavepointCheckpointStrategy.NAME, SavepointCheckpointStrategy.PROVIDER);
        return available;
    }

    /** Registered strategies: this library's loader, then the context loader (a class path added at run time, venomqa -cp). */
    private static List<CheckpointStrategyProvider> loaded() {
        List<CheckpointStrategyProvider> out = new java.util.ArrayList<>();
        Set<ClassLoader> loaders = new LinkedHashSet<>();
        loaders.add(StrategyResolver.class.getClassLoader());
        if (Thread.currentThread().getContextClassLoader() != null) {
            loaders.add(Thread.currentThread().getContextClassLoader());
        }
        for (ClassLoader loader : loaders) {
            ServiceLoader.load(CheckpointStrategyProvider.class, loader).forEach(out::add);
        }
        return out;
    }

    /** Whether any provider of the journal strategy is on the class path, whatever dialects it supports. */
    private static boolean journalOnClassPath() {
        for (CheckpointStrategyProvider p : loaded()) {
            if (p.name().equalsIgnoreCase(JOURNAL)) {
                return true;
            }
        }
        return false;
    }
}
