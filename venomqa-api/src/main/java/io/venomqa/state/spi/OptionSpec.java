package io.venomqa.state.spi;

import io.venomqa.state.StateConfig;
import io.venomqa.core.CredentialMasker;
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
 * ({@link #requireKnown}) and values its type does not read ({@link #requireValid}), and
 * {@code venomqa doctor} and {@code venomqa backends --options} print them. Immutable.
 *
 * @param name         the key, snake_case ({@code schema}, {@code connection_timeout})
 * @param type         how the value is read
 * @param defaultValue the default as users should read it ({@code 30s}, {@code public}), or {@code null} for "none"
 * @param description  one line saying what the option does
 * @param values       for a {@link Type#TEXT} option, the only values it accepts (compared ignoring case and
 *                     surrounding blanks); empty when any text is accepted
 */
public record OptionSpec(String name, Type type, String defaultValue, String description, List<String> values) {

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
        values = values == null ? List.of() : List.copyOf(values);
        if (!values.isEmpty() && type != Type.TEXT) {
            throw new IllegalArgumentException("option '" + name + "': only a text option lists its values, not a "
                    + type.display() + " one");
        }
    }

    /** An option whose value is any value of {@code type} (the form declarations had before {@link #values()}). */
    public OptionSpec(String name, Type type, String defaultValue, String description) {
        this(name, type, defaultValue, description, List.of());
    }

    /** A text option. */
    public static OptionSpec text(String name, String defaultValue, String description) {
        return new OptionSpec(name, Type.TEXT, defaultValue, description);
    }

    /**
     * A text option that accepts only {@code values} (compared ignoring case and surrounding blanks), such as
     * {@code journal_recovery}: {@code restore}, {@code refuse} or {@code discard}.
     */
    public static OptionSpec oneOf(String name, String defaultValue, String description, String... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("option '" + name + "': oneOf needs at least one value");
        }
        return new OptionSpec(name, Type.TEXT, defaultValue, description, List.of(values));
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
     * What a value of this option must be, as error messages say it: {@code "true or false"},
     * {@code "a duration such as 30 (seconds), 500ms, 30s or 2m"}, {@code "one of restore, refuse, discard"}.
     */
    public String expected() {
        if (!values.isEmpty()) {
            return "one of " + String.join(", ", values);
        }
        return switch (type) {
            case TEXT -> "a single text value";
            case BOOLEAN -> "true or false (also yes/no, on/off, 1/0)";
            case INTEGER -> "a whole number";
            case DURATION -> "a duration such as 30 (seconds), 500ms, 30s or 2m";
            case LIST -> "a list, or comma-separated text";
            case ANY -> "any value";
        };
    }

    /**
     * Whether {@code value} is one this option's type reads. The check reads the value with the same
     * {@code StateConfig.option…} accessor a backend reads it with, so what passes here cannot fail there
     * for its type. {@code null} (not set) is accepted: the default applies.
     */
    public boolean accepts(Object value) {
        if (value == null || type == Type.ANY) {
            return true;
        }
        StateConfig one = StateConfig.builder().option(name, value).build();
        try {
            switch (type) {
                case TEXT -> {
                    String text = one.optionString(name, null);
                    if (!values.isEmpty()) {
                        String v = text.strip().toLowerCase(Locale.ROOT);
                        return values.stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(v));
                    }
                }
                case BOOLEAN -> one.optionBoolean(name, false);
                case INTEGER -> one.optionLong(name, 0);
                case DURATION -> one.optionDuration(name, null);
                case LIST -> one.optionList(name);
                default -> {
                }
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The options of {@code config} whose value their declaration in {@code declared} does not accept, in
     * the order given; undeclared options are not looked at ({@link #unknown} finds those).
     */
    public static List<OptionSpec> invalid(StateConfig config, Collection<OptionSpec> declared) {
        List<OptionSpec> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : config.options().entrySet()) {
            declared.stream().filter(o -> o.name().equals(e.getKey())).findFirst()
                    .filter(o -> !o.accepts(e.getValue()))
                    .ifPresent(out::add);
        }
        return out;
    }

    /**
     * {@code "lock_timeout must be a duration such as 30 (seconds), 500ms, 30s or 2m, got 'soon'"}: the
     * sentence every place that refuses a value of this option uses. A secret option's value is masked.
     */
    public String invalidValueMessage(Object value) {
        String shown = CredentialMasker.isSecretKey(name) ? CredentialMasker.MASK : String.valueOf(value);
        return name + " must be " + expected() + ", got '" + shown + "'";
    }

    /**
     * Fails when an option of {@code config} has a value its declaration in {@code declared} does not
     * read (a bad value is never taken as the default, nor left for {@code connect()} to find).
     *
     * @param owner what the options belong to, for the message ({@code "db_backend 'postgresql'"})
     * @throws IllegalArgumentException naming every such option, its value (masked when secret) and what it must be
     */
    public static void requireValid(StateConfig config, Collection<OptionSpec> declared, String owner) {
        List<OptionSpec> bad = invalid(config, declared);
        if (bad.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (OptionSpec o : bad) {
            sb.append(sb.length() == 0 ? "" : " ").append("Option ").append(o.invalidValueMessage(config.options().get(o.name())))
                    .append(" (").append(owner).append(").");
        }
        sb.append(" Correct ").append(bad.size() == 1 ? "it" : "them").append(", or remove ")
                .append(bad.size() == 1 ? "it" : "them").append(" to use the default. (venomqa backends --options describes every option.)");
        throw new IllegalArgumentException(sb.toString());
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
