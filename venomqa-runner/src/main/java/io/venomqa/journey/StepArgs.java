package io.venomqa.journey;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The arguments given to one {@link Step} with {@link Step.Builder#arg(String, Object)}, as seen by
 * an {@link ArgsAction}. Immutable; keys keep the order in which they were given.
 */
public final class StepArgs {

    private static final StepArgs EMPTY = new StepArgs(Map.of());

    private final Map<String, Object> values;

    private StepArgs(Map<String, Object> values) {
        this.values = values;
    }

    /** Arguments holding a copy of {@code values} ({@code null} values are not allowed). */
    public static StepArgs of(Map<String, ?> values) {
        if (values == null || values.isEmpty()) {
            return EMPTY;
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "argument name"),
                Objects.requireNonNull(v, () -> "value of argument '" + k + "'")));
        return new StepArgs(Collections.unmodifiableMap(copy));
    }

    /** No arguments. */
    public static StepArgs empty() {
        return EMPTY;
    }

    /** The value of {@code name}, or {@code null} when not given. */
    public Object get(String name) {
        return values.get(name);
    }

    /** The value of {@code name}, or {@code defaultValue} when not given. */
    public Object get(String name, Object defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    /**
     * The value of {@code name}, which must have been given.
     *
     * @throws NoSuchElementException naming the argument and the arguments given
     */
    public Object getRequired(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new NoSuchElementException("Step argument '" + name + "' was not given. Arguments given: "
                    + values.keySet() + ". Add it with .arg(\"" + name + "\", value) on the step.");
        }
        return v;
    }

    /** The value of {@code name} as {@code type}; it must have been given. */
    public <T> T get(String name, Class<T> type) {
        Object v = getRequired(name);
        if (!type.isInstance(v)) {
            throw new ClassCastException("Step argument '" + name + "' is a " + v.getClass().getName()
                    + ", not a " + type.getName());
        }
        return type.cast(v);
    }

    /** The value of {@code name} as text ({@code toString()} of whatever was given); it must have been given. */
    public String getString(String name) {
        return String.valueOf(getRequired(name));
    }

    /** Whether {@code name} was given. */
    public boolean contains(String name) {
        return values.containsKey(name);
    }

    /** Whether no argument was given. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The arguments as an unmodifiable map. */
    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepArgs other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
