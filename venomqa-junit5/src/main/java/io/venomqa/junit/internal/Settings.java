package io.venomqa.junit.internal;

import io.venomqa.junit.VenomQATest;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a test class asked for in code ({@code @VenomQATest} attributes or a registered extension's
 * builder). {@code null} and empty mean "not set": keep what the file says. Not API.
 */
public final class Settings {
    public String config;
    public Supplier<String> baseUrl;
    /** Whether {@link #baseUrl} is only to be asked when a client is made (a supplier given in code). */
    public boolean baseUrlDeferred;
    public String dbUrl;
    public String dbBackend;
    public String checkpointStrategy;
    public List<String> tablesToReset;
    public List<String> excludeTables;
    public final Map<String, Object> dbOptions = new LinkedHashMap<>();
    public String reportDir;
    public String container;
    public Boolean isolation;
    /** {@code before_run} or {@code never}; null keeps the file's {@code reset}. */
    public String reset;
    public Boolean console;

    /** The settings of an annotation. */
    public static Settings of(VenomQATest a) {
        Settings s = new Settings();
        if (a == null) {
            return s;
        }
        s.config = blank(a.config());
        String base = blank(a.baseUrl());
        s.baseUrl = base == null ? null : () -> base;
        s.dbUrl = blank(a.dbUrl());
        s.dbBackend = blank(a.dbBackend());
        s.checkpointStrategy = blank(a.checkpointStrategy());
        s.tablesToReset = a.tablesToReset().length == 0 ? null : List.copyOf(Arrays.asList(a.tablesToReset()));
        s.excludeTables = a.excludeTables().length == 0 ? null : List.copyOf(Arrays.asList(a.excludeTables()));
        s.container = blank(a.container());
        s.isolation = a.isolation();
        s.reset = blank(a.reset());
        s.console = a.console();
        return s;
    }

    /** {@code this} with every value that {@code over} sets replaced by it. */
    public Settings overriddenBy(Settings over) {
        Settings s = new Settings();
        s.config = pick(over.config, config);
        s.baseUrl = pick(over.baseUrl, baseUrl);
        s.baseUrlDeferred = over.baseUrl != null ? over.baseUrlDeferred : baseUrlDeferred;
        s.dbUrl = pick(over.dbUrl, dbUrl);
        s.dbBackend = pick(over.dbBackend, dbBackend);
        s.checkpointStrategy = pick(over.checkpointStrategy, checkpointStrategy);
        s.tablesToReset = pick(over.tablesToReset, tablesToReset);
        s.excludeTables = pick(over.excludeTables, excludeTables);
        s.dbOptions.putAll(dbOptions);
        s.dbOptions.putAll(over.dbOptions);
        s.reportDir = pick(over.reportDir, reportDir);
        s.container = pick(over.container, container);
        s.isolation = pick(over.isolation, isolation);
        s.reset = pick(over.reset, reset);
        s.console = pick(over.console, console);
        return s;
    }

    private static <T> T pick(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }

    static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
