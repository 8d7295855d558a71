package io.venomqa.state.memory;

import io.venomqa.context.DeepCopy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A keyed state store kept in the JVM: what an application under test writes to instead of a
 * database when {@code db_backend: memory}, and what {@link InMemoryStateManager} checkpoints.
 *
 * <p>Guarantees: every method is atomic (thread-safe); values go in and come out as they are,
 * but every snapshot, restore and {@link #asMap()} is a deep copy under the rules of
 * {@link DeepCopy}, so a checkpoint cannot be changed through a value read from the store.
 *
 * <p>Stores named by {@link #named(String)} are shared by everything in the JVM that asks for the
 * same name: an application under test and a manager built from {@code db_url: memory://shop}
 * then work on one store.
 */
public final class InMemoryStore {

    private static final Map<String, InMemoryStore> NAMED = new ConcurrentHashMap<>();

    private final String name;
    private final Map<String, Object> data = new LinkedHashMap<>();
    private final Map<String, Object> initialState;

    /** A private, unnamed store starting empty. */
    public InMemoryStore() {
        this(null, Map.of());
    }

    /** A private, unnamed store starting with (a deep copy of) {@code initialState}, to which reset returns. */
    public InMemoryStore(Map<String, ?> initialState) {
        this(null, initialState);
    }

    private InMemoryStore(String name, Map<String, ?> initialState) {
        this.name = name;
        this.initialState = DeepCopy.ofMap(Objects.requireNonNull(initialState, "initialState"));
        this.data.putAll(DeepCopy.ofMap(this.initialState));
    }

    /** The JVM-wide store called {@code name}, created empty on first use. */
    public static InMemoryStore named(String name) {
        return named(name, Map.of());
    }

    /**
     * The JVM-wide store called {@code name}; when it does not exist yet it is created holding
     * {@code initialState}. An existing store keeps its content and initial state.
     */
    public static InMemoryStore named(String name, Map<String, ?> initialState) {
        Objects.requireNonNull(name, "name");
        return NAMED.computeIfAbsent(name, n -> new InMemoryStore(n, initialState));
    }

    /** Forgets the JVM-wide store called {@code name}; the next {@link #named} call creates a new one. */
    public static void dropNamed(String name) {
        NAMED.remove(name);
    }

    /** Names of the JVM-wide stores that start with {@code prefix}, sorted. */
    static java.util.List<String> namesStartingWith(String prefix) {
        return NAMED.keySet().stream().filter(n -> n.startsWith(prefix)).sorted().toList();
    }

    /**
     * A JVM-wide store called {@code name}, replacing any of that name, holding a deep copy of this
     * store's content and resetting to this store's initial state.
     */
    synchronized InMemoryStore copyAsNamed(String name) {
        InMemoryStore copy = new InMemoryStore(name, initialState);
        copy.data.clear();
        copy.data.putAll(DeepCopy.ofMap(data));
        NAMED.put(name, copy);
        return copy;
    }

    /** The store's name, or {@code null} for a private store. */
    public String name() {
        return name;
    }

    public synchronized Object put(String key, Object value) {
        return data.put(Objects.requireNonNull(key, "key"), value);
    }

    public synchronized Object get(String key) {
        return data.get(key);
    }

    public synchronized Object remove(String key) {
        return data.remove(key);
    }

    public synchronized boolean containsKey(String key) {
        return data.containsKey(key);
    }

    public synchronized int size() {
        return data.size();
    }

    /** The keys, in insertion order (a copy). */
    public synchronized Set<String> keys() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(data.keySet()));
    }

    /** A deep copy of the whole content. */
    public synchronized Map<String, Object> asMap() {
        return DeepCopy.ofMap(data);
    }

    /** Removes every key. */
    public synchronized void clear() {
        data.clear();
    }

    /** A deep copy of the initial state that a reset returns to. */
    public Map<String, Object> initialState() {
        return DeepCopy.ofMap(initialState);
    }

    synchronized Map<String, Object> snapshot() {
        return DeepCopy.ofMap(data);
    }

    synchronized void restore(Map<String, Object> snapshot) {
        data.clear();
        data.putAll(DeepCopy.ofMap(snapshot));
    }

    void resetToInitial() {
        restore(initialState);
    }

    @Override
    public synchronized String toString() {
        return "InMemoryStore[" + (name == null ? "private" : name) + ", keys=" + data.keySet() + "]";
    }
}
