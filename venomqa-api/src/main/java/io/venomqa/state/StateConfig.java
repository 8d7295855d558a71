package io.venomqa.state;

import io.venomqa.core.CredentialMasker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable configuration of one {@link StateManager}: which backend, which database, which
 * tables a reset empties, and backend options such as {@code checkpoint_strategy}.
 *
 * <pre>{@code
 * StateConfig config = StateConfig.builder()
 *         .backend("postgresql")
 *         .url("postgresql://qa:secret@localhost:5432/qa_test")
 *         .tablesToReset(List.of("users", "orders"))
 *         .excludeTables(List.of("migrations"))
 *         .option("checkpoint_strategy", "savepoint")
 *         .build();
 * }</pre>
 *
 * {@link #fromMap(Map)} reads the snake_case keys of {@code venomqa.yaml}. {@link #toString()}
 * masks the password of the URL and every option whose key looks secret.
 */
public final class StateConfig {

    /** Key of the backend name in {@code venomqa.yaml}. */
    public static final String KEY_BACKEND = "db_backend";
    /** Key of the database URL in {@code venomqa.yaml}. */
    public static final String KEY_URL = "db_url";
    /** Key of the tables a reset empties. */
    public static final String KEY_TABLES_TO_RESET = "tables_to_reset";
    /** Key of the tables a reset never empties. */
    public static final String KEY_EXCLUDE_TABLES = "exclude_tables";

    private final String backend;
    private final String url;
    private final List<String> tablesToReset;
    private final List<String> excludeTables;
    private final Map<String, Object> options;

    private StateConfig(Builder b) {
        this.backend = b.backend;
        this.url = b.url;
        this.tablesToReset = List.copyOf(b.tablesToReset);
        this.excludeTables = List.copyOf(b.excludeTables);
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(b.options));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder().backend(backend).url(url).tablesToReset(tablesToReset).excludeTables(excludeTables);
        b.options.putAll(options);
        return b;
    }

    /**
     * Reads a configuration from the snake_case keys of {@code venomqa.yaml}: {@code db_backend},
     * {@code db_url}, {@code tables_to_reset}, {@code exclude_tables}; every other key becomes an
     * option ({@code checkpoint_strategy}, {@code schema}, {@code connection_timeout}, …).
     * Table lists may be YAML lists or comma-separated strings.
     *
     * @throws IllegalArgumentException naming the key whose value has the wrong type
     */
    public static StateConfig fromMap(Map<String, ?> map) {
        Objects.requireNonNull(map, "map");
        Builder b = builder();
        for (Map.Entry<String, ?> e : map.entrySet()) {
            String key = Objects.requireNonNull(e.getKey(), "configuration keys must not be null");
            Object value = e.getValue();
            switch (key) {
                case KEY_BACKEND -> b.backend(string(key, value));
                case KEY_URL -> b.url(string(key, value));
                case KEY_TABLES_TO_RESET -> b.tablesToReset(stringList(key, value));
                case KEY_EXCLUDE_TABLES -> b.excludeTables(stringList(key, value));
                default -> {
                    if (value != null) {
                        b.option(key, value);
                    }
                }
            }
        }
        return b.build();
    }

    /** The backend name or alias ({@code postgresql}, {@code mysql}, …), or {@code null} to infer it from the URL. */
    public String backend() {
        return backend;
    }

    /** The database URL as given, password included; print {@link #maskedUrl()} instead. */
    public String url() {
        return url;
    }

    /** The URL with its password replaced by {@code ***}. */
    public String maskedUrl() {
        return CredentialMasker.maskUrl(url);
    }

    /** Tables a reset empties; empty means every table of the schema but the excluded ones. */
    public List<String> tablesToReset() {
        return tablesToReset;
    }

    /** Tables a reset never empties, in addition to migration tables and VenomQA's own. */
    public List<String> excludeTables() {
        return excludeTables;
    }

    /** Every backend option, in the order given. */
    public Map<String, Object> options() {
        return options;
    }

    /** The raw value of option {@code key}, if set. */
    public Optional<Object> option(String key) {
        return Optional.ofNullable(options.get(key));
    }

    /** Option {@code key} as text; numbers and booleans are turned into text. */
    public String optionString(String key, String defaultValue) {
        Object v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof CharSequence || v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        throw wrongType(key, "a text value", v);
    }

    /** Option {@code key} as an integer; numeric text is accepted. */
    public int optionInt(String key, int defaultValue) {
        long v = optionLong(key, defaultValue);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Option '" + key + "' is out of range for an integer: " + v);
        }
        return (int) v;
    }

    /** Option {@code key} as a long; numeric text is accepted. */
    public long optionLong(String key, long defaultValue) {
        Object v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof CharSequence s) {
            try {
                return Long.parseLong(s.toString().trim());
            } catch (NumberFormatException e) {
                throw wrongType(key, "a whole number", v);
            }
        }
        throw wrongType(key, "a whole number", v);
    }

    /** Option {@code key} as a boolean; {@code true/false/yes/no/on/off/1/0} text is accepted. */
    public boolean optionBoolean(String key, boolean defaultValue) {
        Object v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw wrongType(key, "true or false", v);
        };
    }

    /**
     * Option {@code key} as a duration: a number is seconds; text may be {@code 500ms}, {@code 30s},
     * {@code 2m}, {@code 1h} or an ISO-8601 duration ({@code PT30S}).
     */
    public Duration optionDuration(String key, Duration defaultValue) {
        Object v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        return Durations.parse(v).orElseThrow(() -> wrongType(key, "a duration such as 30, '30s', '500ms' or '2m'", v));
    }

    /** Option {@code key} as a list of text; a comma-separated string is split. */
    public List<String> optionList(String key) {
        Object v = options.get(key);
        return v == null ? List.of() : stringList(key, v);
    }

    private static String string(String key, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof CharSequence) {
            return value.toString();
        }
        throw wrongType(key, "a text value", value);
    }

    private static List<String> stringList(String key, Object value) {
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (value instanceof CharSequence s) {
            for (String part : s.toString().split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
            return out;
        }
        if (value instanceof Collection<?> c) {
            for (Object o : c) {
                if (!(o instanceof CharSequence)) {
                    throw wrongType(key, listWhat(key), value);
                }
                out.add(o.toString().trim());
            }
            return out;
        }
        throw wrongType(key, listWhat(key), value);
    }

    /** What a list option holds, for its error message ({@code allowed_hosts} holds hosts, not tables). */
    private static String listWhat(String key) {
        return key.contains("table") ? "a list of table names" : key.contains("host") ? "a list of host names"
                : key.contains("database") ? "a list of database names or patterns" : "a list of values";
    }

    private static IllegalArgumentException wrongType(String key, String expected, Object value) {
        String shown = CredentialMasker.isSecretKey(key) ? CredentialMasker.MASK : String.valueOf(value);
        return new IllegalArgumentException("Configuration key '" + key + "' must be " + expected + ", got "
                + value.getClass().getSimpleName() + " '" + shown + "'");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateConfig c && Objects.equals(backend, c.backend) && Objects.equals(url, c.url)
                && tablesToReset.equals(c.tablesToReset) && excludeTables.equals(c.excludeTables)
                && options.equals(c.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(backend, url, tablesToReset, excludeTables, options);
    }

    @Override
    public String toString() {
        Map<String, Object> shownOptions = new LinkedHashMap<>();
        options.forEach((k, v) -> shownOptions.put(k, CredentialMasker.isSecretKey(k) ? CredentialMasker.MASK : v));
        return "StateConfig{backend=" + backend + ", url=" + maskedUrl() + ", tablesToReset=" + tablesToReset
                + ", excludeTables=" + excludeTables + ", options=" + shownOptions + "}";
    }

    /** Builds a {@link StateConfig}; every setter returns the builder. */
    public static final class Builder {
        private String backend;
        private String url;
        private List<String> tablesToReset = List.of();
        private List<String> excludeTables = List.of();
        private final Map<String, Object> options = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder backend(String backend) {
            this.backend = backend == null || backend.isBlank() ? null : backend.trim();
            return this;
        }

        public Builder url(String url) {
            this.url = url == null || url.isBlank() ? null : url.trim();
            return this;
        }

        public Builder tablesToReset(List<String> tables) {
            this.tablesToReset = checkedNames("tablesToReset", tables);
            return this;
        }

        public Builder excludeTables(List<String> tables) {
            this.excludeTables = checkedNames("excludeTables", tables);
            return this;
        }

        /** Sets one backend option; a {@code null} value removes it. */
        public Builder option(String key, Object value) {
            Objects.requireNonNull(key, "option key");
            if (value == null) {
                options.remove(key);
            } else {
                options.put(key, value);
            }
            return this;
        }

        /** Sets several backend options. */
        public Builder options(Map<String, ?> values) {
            values.forEach(this::option);
            return this;
        }

        public StateConfig build() {
            return new StateConfig(this);
        }

        private static List<String> checkedNames(String what, List<String> tables) {
            if (tables == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>(tables.size());
            for (String t : tables) {
                if (t == null || t.isBlank()) {
                    throw new IllegalArgumentException(what + " must not contain null or blank table names: " + tables);
                }
                out.add(t.trim());
            }
            return out;
        }
    }
}
