package io.venomqa.state.spi;

import io.venomqa.state.StateConfig;
import io.venomqa.core.DidYouMean;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One option a backend or a checkpoint strategy reads from {@link StateConfig#options()}, as it
 * declares it (the way OpenTelemetry's autoconfigure SPI lists its properties): the name written in
 * {@code venomqa.yaml}, its type, its default as shown to users, and a one-line description.
 *
 * <p>Declarations are the single place where an option's name is spelled: the code that reads the
 * option uses {@link #name()}, configuration loading rejects names no declaration has
 * ({@link #requireKnown}), and {@code venomqa doctor} and {@code venomqa backends --options} print
 * them. Immutable.
 *
 * @param name         the key, snake_case ({@code schema}, {@code connection_timeout})
 * @param type         how the value is read
 * @param defaultValue the default as users should read it ({@code 30s}, {@code public}), or {@code null} for "none"
 * @param description  one line saying what the option does
 */
public record OptionSpec(String name, Type type, String defaultValue, String description) {

    /** How an option's value is read (see the {@code StateConfig.option…} accessors). */
    public enum Type {
        /** Text; numbers and booleans are accepted as their text. */
        TEXT,
        /** {@code true}/{@code false} (also {@code yes/no/on/off/1/0}). */
        BOOLEAN,
        /** A whole number. */
        INTEGER,
        /** A number of seconds, or {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code PT30S}. */
        DURATION,
        /** A YAML list, or comma-separated text. */
        LIST,
        /** Any YAML value, handed to the backend as it is. */
        ANY;

        /** The lower-case name shown in listings. */
        public String display() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public OptionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        if (name.isBlank()) {
            throw new IllegalArgumentException("option name must not be blank");
        }
    }

    /** A text option. */
    public static OptionSpec text(String name, String defaultValue, String description) {
        return new OptionSpec(name, Type.TEXT, defaultValue, description);
    }

    /** A boolean option. */
    public static OptionSpec bool(String name, String defaultValue, String description) {
        return new OptionSpec(name, Type.BOOLEAN, defaultValue, description);
    }

    /** A whole-number option. */
    public static OptionSpec integer(String name, String defaultValue, String description) {
        return new OptionSpec(name, Type.INTEGER, defaultValue, description);
    }

    /** A duration option. */
    public static OptionSpec duration(String name, String defaultValue, String description) {
        return new OptionSpec(name, Type.DURATION, defaultValue, description);
    }

    /** A list option. */
    public static OptionSpec list(String name, String defaultValue, String description) {
        return new OptionSpec(name, Type.LIST, defaultValue, description);
    }

    /** An option of any shape. */
    public static OptionSpec any(String name, String defaultValue, String description) {
        return new OptionSpec(name, Type.ANY, defaultValue, description);
    }

    /** The default as shown in listings: the value, or {@code -} when there is none. */
    public String shownDefault() {
        return defaultValue == null || defaultValue.isBlank() ? "-" : defaultValue;
    }

    /**
     * The option names of {@code config} that none of {@code declared} has, in the order given.
     */
    public static List<String> unknown(StateConfig config, Collection<OptionSpec> declared) {
        return unknown(config.options().keySet(), declared);
    }

    /** The names among {@code given} that none of {@code declared} has, in the order given. */
    public static List<String> unknown(Collection<String> given, Collection<OptionSpec> declared) {
        List<String> out = new ArrayList<>();
        for (String key : given) {
            if (declared.stream().noneMatch(o -> o.name().equals(key))) {
                out.add(key);
            }
        }
        return out;
    }

    /** The declared name nearest to a misspelt {@code typed} one, if it looks like a typo of it. */
    public static Optional<String> nearest(String typed, Collection<String> candidates) {
        return DidYouMean.nearest(typed.toLowerCase(Locale.ROOT), candidates);
    }

    /**
     * Fails when {@code config} has an option none of {@code declared} has.
     *
     * @param owner what the options belong to, for the message ({@code "the postgresql backend with checkpoint_strategy savepoint"})
     * @throws IllegalArgumentException naming every unknown option, the nearest declared name
     *                                  ("did you mean 'schema'?") and the declared names
     */
    public static void requireKnown(StateConfig config, Collection<OptionSpec> declared, String owner) {
        List<String> unknown = unknown(config, declared);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(unknownMessage(unknown, declared, owner));
        }
    }

    /**
     * The message for options that are not declared: one sentence per unknown name with a
     * suggestion, then the declared names. Shared by every place that reports an unknown option.
     */
    public static String unknownMessage(List<String> unknown, Collection<OptionSpec> declared, String owner) {
        List<String> names = declared.stream().map(OptionSpec::name).distinct().sorted().toList();
        StringBuilder sb = new StringBuilder();
        for (String k : unknown) {
            sb.append(sb.length() == 0 ? "" : " ").append("Unknown option '").append(k).append("' for ").append(owner);
            sb.append(nearest(k, names).map(n -> ": did you mean '" + n + "'?").orElse("."));
        }
        sb.append(" Options ").append(owner).append(" reads: ").append(String.join(", ", names))
                .append(". (venomqa backends --options describes them.)");
        return sb.toString();
    }

    /** {@code declared} without repeated names (the first declaration of a name wins), in order. */
    public static List<OptionSpec> distinct(Collection<OptionSpec> declared) {
        Map<String, OptionSpec> byName = new LinkedHashMap<>();
        for (OptionSpec o : declared) {
            byName.putIfAbsent(o.name(), o);
        }
        return List.copyOf(byName.values());
    }
}
