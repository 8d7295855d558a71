package io.venomqa.junit.internal;

import io.venomqa.config.VenomQAConfig;
import io.venomqa.junit.VenomQATest;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a test class asked for in code ({@code @VenomQATest} attributes or a registered extension's
 * builder): the configuration keys as a {@link VenomQAConfig} layer (unset values keep what the
 * file says), plus what only the extension knows (a base URL to ask for late, the container field,
 * isolation, console). Not API.
 */
public final class Settings {
    public String config;
    public Supplier<String> baseUrl;
    /** Whether {@link #baseUrl} is only to be asked when a client is made (a supplier given in code). */
    public boolean baseUrlDeferred;
    /** The configuration keys set in code, as a layer to put over the file. */
    public VenomQAConfig values = VenomQAConfig.builder().build();
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
        s.values = VenomQAConfig.builder().dbUrl(a.dbUrl()).dbBackend(a.dbBackend())
                .checkpointStrategy(a.checkpointStrategy())
                .tablesToReset(List.copyOf(Arrays.asList(a.tablesToReset())))
                .excludeTables(List.copyOf(Arrays.asList(a.excludeTables())))
                .build();
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
        s.values = values.overlay(over.values);
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
