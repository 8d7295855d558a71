package io.venomqa.junit.internal;

import io.venomqa.config.VenomQAConfig;
import io.venomqa.core.CredentialMasker;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What keeps JUnit's parallel execution from running two users of one checkpoint stack, or two
 * state managers on one database, at the same time. Not API.
 *
 * <ul>
 *   <li>{@link #databaseKey}: one name per database (URL and {@code schema} option), hashed so no
 *       password reaches JUnit's lock names. {@code @VenomQATest} classes take it as a JUnit resource
 *       lock ({@link DatabaseLocks}), so classes on one database take turns and the others run in
 *       parallel.</li>
 *   <li>{@link #claim}: at run time, a JVM-wide claim of the database by the class that connected
 *       its manager. A second class on the same database while the first still runs (classes that
 *       register only {@code VenomQAExtension.builder()}, without the lock) is refused with an
 *       error naming both, instead of two managers undoing each other's work (PostgreSQL's
 *       {@code setval} handing out ids the other used, deadlocks).</li>
 *   <li>{@link MethodSlot}: one test method of a class at a time; a second one started concurrently
 *       (JUnit's {@code mode.default = concurrent} on a class without {@code @VenomQATest}) is
 *       refused before it touches the database, instead of both sharing one transaction and seeing
 *       each other's rows.</li>
 * </ul>
 */
public final class ConcurrentUse {

    /** Prefix of the lock names; the rest is a hash of the database. */
    public static final String LOCK_PREFIX = "io.venomqa.database:";

    private static final Map<String, Class<?>> CLAIMS = new ConcurrentHashMap<>();

    private ConcurrentUse() {
    }

    /** The database {@code config} points at, as a lock name; {@code null} when it has none. */
    public static String databaseKey(VenomQAConfig config) {
        if (!config.hasDatabase() || config.dbUrl().isEmpty()) {
            return null;
        }
        Object schema = config.dbOptions().get("schema");
        String identity = config.dbUrl().get().trim() + "\u0000" + (schema == null ? "" : schema.toString().trim());
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return LOCK_PREFIX + HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A class's hold on its database, released when the class is done. */
    public static final class Claim implements AutoCloseable {
        private final String key;
        private final Class<?> owner;

        private Claim(String key, Class<?> owner) {
            this.key = key;
            this.owner = owner;
        }

        @Override
        public void close() {
            if (key != null) {
                CLAIMS.remove(key, owner);
            }
        }
    }

    /**
     * Claims {@code config}'s database for {@code testClass} until the claim is closed.
     *
     * @throws ExtensionConfigurationException when another test class holds it now
     */
    public static Claim claim(VenomQAConfig config, Class<?> testClass) {
        String key = databaseKey(config);
        if (key == null) {
            return new Claim(null, testClass);
        }
        Class<?> holder = CLAIMS.putIfAbsent(key, testClass);
        if (holder != null && holder != testClass) {
            throw new ExtensionConfigurationException("VenomQA cannot run " + testClass.getName() + " now: "
                    + holder.getName() + " is running on the same database (" + CredentialMasker.maskText(config.maskedDbUrl())
                    + schemaText(config) + ") at the same time, under JUnit's parallel execution. Two state managers on one "
                    + "database undo each other's work (a rollback restores sequences the other class is using; their "
                    + "transactions lock each other's rows). Either give each class its own database or schema "
                    + "(VenomQAExtension.builder().dbOption(\"schema\", ...) or db_url), or let JUnit run them one after the "
                    + "other: annotate both classes with @VenomQATest (it takes a JUnit resource lock per database, also "
                    + "next to a @RegisterExtension field) or with the same @ResourceLock.");
        }
        return new Claim(key, testClass);
    }

    private static String schemaText(VenomQAConfig config) {
        Object schema = config.dbOptions().get("schema");
        return schema == null ? "" : ", schema " + schema;
    }

    /** The test method of one class running now; a second one at the same time is refused. */
    public static final class MethodSlot {
        private final AtomicReference<String[]> running = new AtomicReference<>();

        /**
         * Takes the slot for the test {@code id} (named {@code displayName} in messages).
         *
         * @throws ExtensionConfigurationException when another test method of the class holds it
         */
        public void enter(Class<?> testClass, String id, String displayName) {
            String[] mine = {id, displayName};
            if (!running.compareAndSet(null, mine)) {
                String[] other = running.get();
                throw new ExtensionConfigurationException("VenomQA runs the test methods of " + testClass.getName()
                        + " one at a time, but JUnit started " + displayName + " while "
                        + (other == null ? "another test" : other[1]) + " was still running: they share one state "
                        + "manager and its checkpoints, so each would see and roll back the other's rows. Annotate the "
                        + "class with @VenomQATest (also allowed next to a @RegisterExtension field) or with "
                        + "@Execution(ExecutionMode.SAME_THREAD); classes can still run in parallel.");
            }
        }

        /** Gives the slot back if {@code id} holds it. */
        public void exit(String id) {
            String[] now = running.get();
            if (now != null && Objects.equals(now[0], id)) {
                running.compareAndSet(now, null);
            }
        }
    }
}
