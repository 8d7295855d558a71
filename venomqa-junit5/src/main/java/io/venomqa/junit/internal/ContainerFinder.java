package io.venomqa.junit.internal;

import org.junit.platform.commons.support.ModifierSupport;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a Testcontainers {@code JdbcDatabaseContainer} among a test class's static fields by class
 * <em>name</em>, so that this class links and runs without Testcontainers on the class path. Only
 * when a field's class really is such a container (so Testcontainers is there) is
 * {@link TestcontainersBridge} loaded to read it. Not API.
 */
public final class ContainerFinder {

    /** The Testcontainers base class of JDBC containers (not referenced as a type on purpose). */
    public static final String JDBC_CONTAINER_CLASS = "org.testcontainers.containers.JdbcDatabaseContainer";

    private ContainerFinder() {
    }

    /** The database of the container the class declares (or {@code fieldName} names), or null when none. */
    public static ContainerDatabase find(Class<?> testClass, String fieldName) {
        List<Field> statics = new ArrayList<>();
        List<Field> instances = new ArrayList<>();
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (fieldName != null && !f.getName().equals(fieldName)) {
                    continue;
                }
                Object value = ModifierSupport.isStatic(f) ? read(f) : null;
                boolean container = isJdbcContainer(value != null ? value.getClass() : f.getType());
                if (container) {
                    (ModifierSupport.isStatic(f) ? statics : instances).add(f);
                }
            }
        }
        if (statics.isEmpty() && !instances.isEmpty()) {
            throw new IllegalStateException("The JdbcDatabaseContainer field '" + instances.get(0).getName() + "' of "
                    + testClass.getName() + " is not static. VenomQA connects one state manager per test class, so the"
                    + " container must live as long as the class: declare it 'static' (@Container static ...).");
        }
        if (statics.isEmpty()) {
            if (fieldName != null) {
                throw new IllegalStateException("@VenomQATest(container = \"" + fieldName + "\"): " + testClass.getName()
                        + " has no static JdbcDatabaseContainer field of that name.");
            }
            return null;
        }
        if (statics.size() > 1) {
            throw new IllegalStateException(testClass.getName() + " has " + statics.size()
                    + " static JdbcDatabaseContainer fields (" + statics.stream().map(Field::getName).toList()
                    + "); name the one VenomQA should use: @VenomQATest(container = \"" + statics.get(0).getName() + "\").");
        }
        Field f = statics.get(0);
        Object value = read(f);
        if (value == null) {
            throw new IllegalStateException("The container field '" + f.getName() + "' of " + testClass.getName()
                    + " is null when VenomQA needs it; initialise it where it is declared.");
        }
        // Only here is a Testcontainers type touched, and only because the field's class is one.
        return TestcontainersBridge.describe(value, f.getName());
    }

    /** Whether {@code type} is, or extends, Testcontainers' JdbcDatabaseContainer (by name). */
    public static boolean isJdbcContainer(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(JDBC_CONTAINER_CLASS)) {
                return true;
            }
        }
        return false;
    }

    /** Whether Testcontainers' JDBC module is visible to {@code loader}. */
    public static boolean testcontainersPresent(ClassLoader loader) {
        try {
            Class.forName(JDBC_CONTAINER_CLASS, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static Object read(Field f) {
        try {
            f.setAccessible(true);
            return f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Cannot read static field '" + f.getName() + "' of "
                    + f.getDeclaringClass().getName() + ": " + e, e);
        }
    }
}
