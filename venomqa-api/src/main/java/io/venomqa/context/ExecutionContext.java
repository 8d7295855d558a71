package io.venomqa.context;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The values a journey passes from step to step (an auth token, the id of a created order) and the
 * result of every step, by step name.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Keys keep their insertion order; {@code null} values are allowed and count as present.</li>
 *   <li>{@link #snapshot()} is deep: changing a list or map stored in the context afterwards does
 *       not change what {@link #restore(ContextSnapshot)} brings back. The copy rules, and what
 *       happens to values that cannot be copied, are those of {@link DeepCopy}.</li>
 *   <li>A snapshot costs memory for the values and the mutable step results, not for every step
 *       result: results {@link DeepCopy} treats as immutable (the runner's {@code StepResult}s,
 *       strings, records) are shared between the context and all its snapshots, so a long journey
 *       with many live checkpoints grows linearly, not with steps × checkpoints.</li>
 *   <li>All methods are thread-safe (each call is atomic); iteration-style results
 *       ({@link #keys()}, {@link #toMap()}) are copies.</li>
 *   <li>{@link #toMap(boolean) toMap(true)} and {@link #fromMap(Map)} carry values and step results
 *       through a plain map, for reports or for seeding a context.</li>
 * </ul>
 */
public final class ExecutionContext {

    /**
     * The key under which {@link #toMap(boolean) toMap(true)} puts the step results (a map from step
     * name to result, in the order the steps ran) and from which {@link #fromMap(Map)} reads them.
     */
    public static final String STEP_RESULTS_KEY = "venomqa:step_results";

    private final Map<String, Object> values = new LinkedHashMap<>();
    /** The step results as the context's callers see them (mutable ones are the objects stored). */
    private final Map<String, Object> stepResults = new LinkedHashMap<>();
    /** Steps whose current result is mutable by {@link DeepCopy}'s rules: each snapshot copies those. */
    private final Set<String> mutableSteps = new LinkedHashSet<>();
    /** The same step results as an immutable log that snapshots share (see {@link StepLog}). */
    private StepLog stepLog;

    public ExecutionContext() {
    }

    /** A context holding a deep copy of {@code initial}. */
    public ExecutionContext(Map<String, ?> initial) {
        values.putAll(DeepCopy.ofMap(initial));
    }

    // ---- values --------------------------------------------------------------------------

    /** Stores {@code value} under {@code key}, replacing any earlier value. */
    public synchronized ExecutionContext set(String key, Object value) {
        values.put(Objects.requireNonNull(key, "key"), value);
        return this;
    }

    /** Same as {@link #set(String, Object)}. */
    public ExecutionContext put(String key, Object value) {
        return set(key, value);
    }

    /** The value under {@code key}, or {@code null} when absent. */
    public synchronized Object get(String key) {
        return values.get(key);
    }

    /** The value under {@code key}, or {@code defaultValue} when the key is absent. */
    public synchronized Object get(String key, Object defaultValue) {
        return values.containsKey(key) ? values.get(key) : defaultValue;
    }

    /**
     * The value under {@code key} as {@code type}. Numbers convert between {@code Integer},
     * {@code Long}, {@code Short}, {@code Byte}, {@code Double} and {@code Float} when no
     * information is lost (JSON ids often arrive as {@code Integer} and are read as {@code Long}).
     *
     * @return the value, or {@code null} when absent or {@code null}
     * @throws ClassCastException naming the key, the wanted type and the actual type
     */
    public synchronized <T> T get(String key, Class<T> type) {
        Object v = values.get(key);
        return v == null ? null : convert(key, v, type);
    }

    /**
     * The value under {@code key}, which must be present.
     *
     * @throws NoSuchElementException naming the key and the keys present
     */
    public synchronized Object getRequired(String key) {
        if (!values.containsKey(key)) {
            java.util.Optional<String> near = io.venomqa.core.DidYouMean.nearest(key, values.keySet());
            throw new NoSuchElementException("Context has no value for key '" + key + "'. Keys present: "
                    + values.keySet() + "." + near.map(n -> " Did you mean '" + n + "'?").orElse("")
                    + " Otherwise set it in an earlier step with context.set(\"" + key + "\", value).");
        }
        return values.get(key);
    }

    /** The value under {@code key} as {@code type}; it must be present. */
    public synchronized <T> T getRequired(String key, Class<T> type) {
        Object v = getRequired(key);
        return v == null ? null : convert(key, v, type);
    }

    /** Whether {@code key} is present (even with a {@code null} value). */
    public synchronized boolean contains(String key) {
        return values.containsKey(key);
    }

    /** Removes {@code key}; returns the value it had, or {@code null}. */
    public synchronized Object remove(String key) {
        return values.remove(key);
    }

    /** The keys present, in insertion order (a copy). */
    public synchronized Set<String> keys() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(values.keySet()));
    }

    /** Removes every value and every step result. */
    public synchronized void clear() {
        values.clear();
        stepResults.clear();
        mutableSteps.clear();
        stepLog = null;
    }

    /**
     * A copy of the values (not the step results), in insertion order; changing it does not change
     * the context. Same as {@code toMap(false)}.
     */
    public synchronized Map<String, Object> toMap() {
        return new LinkedHashMap<>(values);
    }

    /**
     * The values in insertion order, and with {@code includeSteps} also the step results: a map from
     * step name to result, in the order the steps ran, under {@link #STEP_RESULTS_KEY}. A copy of the
     * maps (the objects in them are the context's); {@link #fromMap(Map)} reads it back.
     *
     * @throws IllegalStateException when {@code includeSteps} is set and a value is stored under
     *                               {@link #STEP_RESULTS_KEY} itself, which would make the result ambiguous
     */
    public synchronized Map<String, Object> toMap(boolean includeSteps) {
        Map<String, Object> out = new LinkedHashMap<>(values);
        if (includeSteps) {
            if (values.containsKey(STEP_RESULTS_KEY)) {
                throw new IllegalStateException("The context has a value under '" + STEP_RESULTS_KEY + "', the key "
                        + "toMap(true) reserves for the step results; rename that value or use toMap() and stepNames().");
            }
            out.put(STEP_RESULTS_KEY, new LinkedHashMap<>(stepResults));
        }
        return out;
    }

    /**
     * A context holding a deep copy of {@code map}'s entries as values, except the entry under
     * {@link #STEP_RESULTS_KEY}, if any, which must be a map from step name to result and becomes the
     * step results (in its iteration order): the inverse of {@link #toMap(boolean) toMap(true)}.
     *
     * @throws IllegalArgumentException when the entry under {@link #STEP_RESULTS_KEY} is not a map
     *                                  with string keys
     */
    public static ExecutionContext fromMap(Map<String, ?> map) {
        Objects.requireNonNull(map, "map");
        ExecutionContext c = new ExecutionContext();
        for (Map.Entry<String, ?> e : map.entrySet()) {
            if (!STEP_RESULTS_KEY.equals(e.getKey())) {
                c.values.put(e.getKey(), DeepCopy.of(e.getValue()));
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> steps)) {
                throw new IllegalArgumentException("'" + STEP_RESULTS_KEY + "' must hold a map from step name to "
                        + "result (as toMap(true) makes it), not " + (e.getValue() == null ? "null" : e.getValue().getClass().getName()));
            }
            for (Map.Entry<?, ?> step : steps.entrySet()) {
                if (!(step.getKey() instanceof String name)) {
                    throw new IllegalArgumentException("'" + STEP_RESULTS_KEY + "' must have step names (strings) as "
                            + "keys, found " + step.getKey());
                }
                c.storeStepResult(name, DeepCopy.of(step.getValue()));
            }
        }
        return c;
    }

    // ---- step results --------------------------------------------------------------------

    /** Records the result of step {@code stepName}, replacing an earlier one of the same name. */
    public synchronized void storeStepResult(String stepName, Object result) {
        stepLog = StepLog.append(stepLog, stepName, putStepResult(Objects.requireNonNull(stepName, "stepName"), result));
        if (StepLog.length(stepLog) > 2 * stepResults.size() + 64) {
            // A step stored again and again (a retry loop) would otherwise keep every old entry alive;
            // snapshots keep the entries they already hold.
            stepLog = StepLog.of(stepResults, mutableSteps);
        }
    }

    /**
     * Replaces the result stored for step {@code stepName}, which keeps its place among the steps, and
     * lets go of the one it had: unlike {@link #storeStepResult storing} again, the context keeps no
     * reference to the replaced result (snapshots taken since keep theirs). The runner uses it to drop a
     * passing step's response once the next step has finished ({@code keep_responses: failures}).
     * Takes time in proportion to the number of results stored after that step's.
     *
     * @throws NoSuchElementException when step {@code stepName} has no result
     */
    public synchronized void replaceStepResult(String stepName, Object result) {
        if (!stepResults.containsKey(Objects.requireNonNull(stepName, "stepName"))) {
            throw new NoSuchElementException("No result for step '" + stepName + "' to replace. Steps with results: "
                    + stepResults.keySet());
        }
        stepLog = StepLog.replace(stepLog, stepName, putStepResult(stepName, result));
    }

    /** Puts {@code result} in the map and the mutable set; what the step log records for it. */
    private Object putStepResult(String stepName, Object result) {
        stepResults.put(stepName, result);
        if (DeepCopy.isShared(result)) {
            mutableSteps.remove(stepName);
            return result;
        }
        mutableSteps.add(stepName);
        return StepLog.MUTABLE;
    }

    /** The result of step {@code stepName}, or {@code null} when it has not run. */
    public synchronized Object getStepResult(String stepName) {
        return stepResults.get(stepName);
    }

    /** The result of step {@code stepName} as {@code type}, or {@code null} when it has not run. */
    public synchronized <T> T getStepResult(String stepName, Class<T> type) {
        Object v = stepResults.get(stepName);
        return v == null ? null : convert("step '" + stepName + "'", v, type);
    }

    /**
     * The result of step {@code stepName}, which must have run.
     *
     * @throws NoSuchElementException naming the step and the steps that have results
     */
    public synchronized Object getStepResultRequired(String stepName) {
        if (!stepResults.containsKey(stepName)) {
            throw new NoSuchElementException("No result for step '" + stepName + "'. Steps with results: "
                    + stepResults.keySet());
        }
        return stepResults.get(stepName);
    }

    /** Whether step {@code stepName} has a recorded result. */
    public synchronized boolean hasStepResult(String stepName) {
        return stepResults.containsKey(stepName);
    }

    /** Names of the steps with results, in the order they ran (a copy). */
    public synchronized List<String> stepNames() {
        return List.copyOf(stepResults.keySet());
    }

    // ---- snapshots -----------------------------------------------------------------------

    /**
     * A deep copy of values and step results; see {@link DeepCopy}. Step results that DeepCopy shares
     * anyway are not copied again: the snapshot shares them with the context and with earlier
     * snapshots; mutable ones are copied.
     */
    public synchronized ContextSnapshot snapshot() {
        StepLog log = stepLog;
        for (String step : mutableSteps) {
            log = StepLog.append(log, step, DeepCopy.of(stepResults.get(step)));
        }
        return new ContextSnapshot(DeepCopy.ofMap(values), log);
    }

    /**
     * Makes the context exactly what it was at {@code snapshot}: keys added since are gone, changed
     * values are back. The snapshot stays usable: restoring twice gives the same state twice.
     */
    public synchronized void restore(ContextSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        values.clear();
        values.putAll(DeepCopy.ofMap(snapshot.values()));
        stepResults.clear();
        mutableSteps.clear();
        for (Map.Entry<String, Object> e : snapshot.stepResults().entrySet()) {
            if (e.getValue() == StepLog.MUTABLE) {
                throw new IllegalStateException("Snapshot without a copy of step '" + e.getKey() + "' (a VenomQA bug)");
            }
            // The snapshot's own copies stay the snapshot's: the context works on new ones.
            Object result = DeepCopy.of(e.getValue());
            stepResults.put(e.getKey(), result);
            if (!DeepCopy.isShared(result)) {
                mutableSteps.add(e.getKey());
            }
        }
        stepLog = snapshot.stepLog();
    }

    /** An independent deep copy of this context, step results included. */
    public synchronized ExecutionContext copy() {
        ExecutionContext c = new ExecutionContext();
        c.restore(snapshot());
        return c;
    }

    /**
     * Copies the values and step results of {@code other} into this context. With
     * {@code overwrite} false, keys already present here keep their value.
     */
    public void merge(ExecutionContext other, boolean overwrite) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            return;
        }
        ContextSnapshot theirs = other.snapshot();
        synchronized (this) {
            mergeInto(values, theirs.values(), overwrite);
            for (Map.Entry<String, Object> e : theirs.stepResults().entrySet()) {
                if (overwrite || !stepResults.containsKey(e.getKey())) {
                    storeStepResult(e.getKey(), e.getValue());
                }
            }
        }
    }

    private static void mergeInto(Map<String, Object> target, Map<String, Object> source, boolean overwrite) {
        for (Map.Entry<String, Object> e : source.entrySet()) {
            if (overwrite || !target.containsKey(e.getKey())) {
                target.put(e.getKey(), e.getValue());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T convert(String key, Object v, Class<T> type) {
        Class<?> boxed = box(type);
        if (boxed.isInstance(v)) {
            return (T) v;
        }
        if (v instanceof Number n && Number.class.isAssignableFrom(boxed)) {
            Object converted = convertNumber(n, boxed);
            if (converted != null) {
                return (T) converted;
            }
        }
        throw new ClassCastException("Context value '" + key + "' is a " + v.getClass().getName()
                + " (" + abbreviate(v) + "), not a " + type.getName());
    }

    private static Object convertNumber(Number n, Class<?> target) {
        boolean integral = n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
        if (target == Long.class && integral) {
            return n.longValue();
        }
        if (target == Integer.class && integral && n.longValue() == n.intValue()) {
            return n.intValue();
        }
        if (target == Short.class && integral && n.longValue() == n.shortValue()) {
            return n.shortValue();
        }
        if (target == Byte.class && integral && n.longValue() == n.byteValue()) {
            return n.byteValue();
        }
        if (target == Double.class && (integral || n instanceof Float)) {
            return n.doubleValue();
        }
        if (target == Float.class && n instanceof Double d && d.floatValue() == d) {
            return n.floatValue();
        }
        return null;
    }

    private static Class<?> box(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        if (type == int.class) {
            return Integer.class;
        }
        if (type == long.class) {
            return Long.class;
        }
        if (type == boolean.class) {
            return Boolean.class;
        }
        if (type == double.class) {
            return Double.class;
        }
        if (type == float.class) {
            return Float.class;
        }
        if (type == short.class) {
            return Short.class;
        }
        if (type == byte.class) {
            return Byte.class;
        }
        return Character.class;
    }

    private static String abbreviate(Object v) {
        String s = String.valueOf(v);
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    @Override
    public synchronized String toString() {
        return "ExecutionContext" + values.keySet() + ", steps=" + stepResults.keySet();
    }
}
