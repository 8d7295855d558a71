package io.venomqa.context;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The copy rules of {@link ExecutionContext#snapshot()} and the in-memory backend, in one place.
 *
 * <ul>
 *   <li>Immutable values are shared: {@code null}, strings, boxed primitives, {@link BigDecimal},
 *       {@link BigInteger}, enums.</li>
 *   <li>Containers are copied recursively: {@link Map} becomes a {@link LinkedHashMap},
 *       {@link List} and other collections an {@link ArrayList}, {@link Set} a {@link LinkedHashSet}
 *       (iteration order kept), arrays a new array of the same component type, {@link Optional} a new Optional.</li>
 *   <li>{@link Copyable} values are copied with their own {@link Copyable#deepCopy()}.</li>
 *   <li>Jackson trees ({@code com.fasterxml.jackson.databind.JsonNode}, and Jackson 3's
 *       {@code tools.jackson.databind.JsonNode}: an {@code ObjectNode} or {@code ArrayNode} is mutable)
 *       are copied with their own {@code deepCopy()}, found by class name so that this module needs no
 *       Jackson dependency.</li>
 *   <li>Any other object is <b>shared by reference</b>: {@link UUID}, {@link URI},
 *       {@code java.time} values and records of immutable values are safe that way; for a mutable
 *       object of another type VenomQA cannot know how to copy it, so mutating it after a snapshot
 *       also changes what the snapshot restores. Store such values as maps and lists, or implement
 *       {@link Copyable}.</li>
 *   <li>A structure nested deeper than {@value #MAX_DEPTH} levels (a cycle, in practice) is
 *       rejected with an {@link IllegalArgumentException}.</li>
 * </ul>
 */
public final class DeepCopy {

    /** Deepest nesting copied before a structure is taken for a cycle. */
    public static final int MAX_DEPTH = 256;

    /** An application type that knows how to deep-copy itself. */
    public interface Copyable {
        /** A copy sharing no mutable state with this object. */
        Object deepCopy();
    }

    private DeepCopy() {
    }

    /** A deep copy of {@code value} under the rules above. */
    public static Object of(Object value) {
        return copy(value, 0);
    }

    /** A deep copy of a map, as a new {@link LinkedHashMap}. */
    public static Map<String, Object> ofMap(Map<String, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>(Math.max(16, (int) (map.size() / 0.75f) + 1));
        for (Map.Entry<String, ?> e : map.entrySet()) {
            out.put(e.getKey(), copy(e.getValue(), 1));
        }
        return out;
    }

    private static Object copy(Object v, int depth) {
        if (v == null || v instanceof String || v instanceof Number && isImmutableNumber(v)
                || v instanceof Boolean || v instanceof Character || v instanceof Enum<?>) {
            return v;
        }
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("Value nested deeper than " + MAX_DEPTH
                    + " levels (does it contain itself?); it cannot be copied into a snapshot");
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>(Math.max(16, (int) (m.size() / 0.75f) + 1));
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(copy(e.getKey(), depth + 1), copy(e.getValue(), depth + 1));
            }
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(copy(o, depth + 1));
            }
            return out;
        }
        if (v instanceof Set<?> s) {
            Set<Object> out = new LinkedHashSet<>(Math.max(16, (int) (s.size() / 0.75f) + 1));
            for (Object o : s) {
                out.add(copy(o, depth + 1));
            }
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object o : c) {
                out.add(copy(o, depth + 1));
            }
            return out;
        }
        if (v.getClass().isArray()) {
            int n = Array.getLength(v);
            Object out = Array.newInstance(v.getClass().getComponentType(), n);
            if (v.getClass().getComponentType().isPrimitive()) {
                System.arraycopy(v, 0, out, 0, n);
            } else {
                for (int i = 0; i < n; i++) {
                    Array.set(out, i, copy(Array.get(v, i), depth + 1));
                }
            }
            return out;
        }
        if (v instanceof Optional<?> o) {
            return o.map(x -> copy(x, depth + 1));
        }
        if (v instanceof Copyable c) {
            return c.deepCopy();
        }
        Method jsonCopy = JSON_NODE_COPY.get(v.getClass());
        if (jsonCopy != null) {
            return copyJsonNode(jsonCopy, v);
        }
        // Immutable by contract, or not copyable: shared (see the class documentation).
        return v;
    }

    /**
     * Whether {@link #of} would hand back {@code value} itself: the immutable values and the objects
     * VenomQA cannot copy. Such values may be shared between a context and its snapshots.
     */
    static boolean isShared(Object v) {
        if (v == null || v instanceof String || v instanceof Number && isImmutableNumber(v)
                || v instanceof Boolean || v instanceof Character || v instanceof Enum<?>) {
            return true;
        }
        return !(v instanceof Map<?, ?> || v instanceof Collection<?> || v.getClass().isArray()
                || v instanceof Optional<?> || v instanceof Copyable || JSON_NODE_COPY.get(v.getClass()) != null);
    }

    /** Jackson 2's and Jackson 3's tree base classes, by name: this module must not depend on Jackson. */
    private static final Set<String> JSON_NODE_CLASSES =
            Set.of("com.fasterxml.jackson.databind.JsonNode", "tools.jackson.databind.JsonNode");

    /** Per class: the public {@code JsonNode.deepCopy()} when the class is a Jackson tree node, else null. */
    private static final ClassValue<Method> JSON_NODE_COPY = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                if (JSON_NODE_CLASSES.contains(c.getName())) {
                    try {
                        return c.getMethod("deepCopy");
                    } catch (NoSuchMethodException e) {
                        return null;
                    }
                }
            }
            return null;
        }
    };

    private static Object copyJsonNode(Method deepCopy, Object node) {
        try {
            return deepCopy.invoke(node);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot copy the Jackson tree " + node.getClass().getName() + ": " + e, e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("Copying the Jackson tree failed: " + cause, cause);
        }
    }

    private static boolean isImmutableNumber(Object v) {
        return v instanceof Integer || v instanceof Long || v instanceof Double || v instanceof Float
                || v instanceof Short || v instanceof Byte || v instanceof BigDecimal || v instanceof BigInteger;
    }
}
