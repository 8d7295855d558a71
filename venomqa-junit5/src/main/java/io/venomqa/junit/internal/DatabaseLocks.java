package io.venomqa.junit.internal;

import io.venomqa.config.VenomQAConfig;
import io.venomqa.junit.VenomQATest;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.Field;
import java.util.Set;

/**
 * The JUnit resource lock of a {@code @VenomQATest} class: its database, read-write. JUnit then runs
 * classes on one database one after the other and the others in parallel, and runs the methods of
 * a class (which share one state manager) one at a time, because a node holding a read-write lock
 * runs its children in its own thread. Not API.
 *
 * <p>Computed when JUnit discovers the class, from the annotation, {@code venomqa.yaml}, the
 * environment and system properties. What only exists at run time (a database set with
 * {@code VenomQAExtension.builder()}, a Testcontainers container) cannot be known then: a class
 * with a container field locks that field (its own database); a class whose database cannot be
 * resolved locks {@link #UNKNOWN}, which all such classes share. A mismatch is still caught when
 * the classes run ({@link ConcurrentUse#claim}).
 */
public final class DatabaseLocks implements ResourceLocksProvider {

    /** The lock of classes whose database is not known at discovery. */
    public static final String UNKNOWN = ConcurrentUse.LOCK_PREFIX + "unknown";

    @Override
    public Set<Lock> provideForClass(Class<?> testClass) {
        return Set.of(new Lock(keyOf(testClass), ResourceAccessMode.READ_WRITE));
    }

    static String keyOf(Class<?> testClass) {
        try {
            return containerKey(testClass);
        } catch (LinkageError e) {
            // A field type that does not load: the class fails on its own when it runs; lock safely meanwhile.
            return UNKNOWN;
        }
    }

    private static String containerKey(Class<?> testClass) {
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                // By the declared type only: reading the field would initialise the class during discovery.
                if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) && ContainerFinder.isJdbcContainer(f.getType())) {
                    return ConcurrentUse.LOCK_PREFIX + "container:" + f.getDeclaringClass().getName() + "." + f.getName();
                }
            }
        }
        try {
            Settings settings = Settings.of(AnnotationSupport.findAnnotation(testClass, VenomQATest.class).orElse(null));
            VenomQAConfig config = new ConfigResolver(testClass, settings, System.getenv(), System.getProperties())
                    .resolve(null, false);
            String key = ConcurrentUse.databaseKey(config);
            return key == null ? UNKNOWN : key;
        } catch (RuntimeException e) {
            // The class reports its configuration error when it runs; here, the safe lock.
            return UNKNOWN;
        }
    }
}
