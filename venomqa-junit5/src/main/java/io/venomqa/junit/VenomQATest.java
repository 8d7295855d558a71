package io.venomqa.junit;

import io.venomqa.junit.internal.DatabaseLocks;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test class with VenomQA: one state manager for the class, a rollback after every test
 * method, and {@code StateManager}, {@code Client}, {@code ExecutionContext}, {@code JourneyRunner}
 * and {@code VenomQAConfig} as test parameters. Same as {@code @ExtendWith(VenomQAExtension.class)}
 * plus the settings below; see {@link VenomQAExtension} for what is guaranteed.
 *
 * <p>Every attribute left empty keeps the value of {@code venomqa.yaml}. Where a value comes from,
 * from weakest to strongest: {@code venomqa.yaml} (the {@link #config() named file or resource},
 * else {@code venomqa.yaml} on the test class path, else in the working directory), these
 * attributes (and a {@link VenomQAExtension#builder() registered extension}'s settings), the
 * environment ({@code VENOMQA_BASE_URL}, {@code VENOMQA_DB_URL}, {@code VENOMQA_DB_BACKEND}), and
 * system properties ({@code -Dvenomqa.db_url=...}, {@code -Dvenomqa.db_options.schema=...}).
 *
 * <p>Under JUnit's parallel execution, the class takes a read-write {@link ResourceLock} named
 * after its database (URL and {@code schema} option, as configured when JUnit discovers the class):
 * classes on different databases or schemas run in parallel, classes on the same one take turns,
 * and the methods of a class run one at a time, because they share one state manager and one stack
 * of checkpoints. A database known only at run time (set with {@link VenomQAExtension#builder()} or a
 * Testcontainers field) cannot name the lock: such classes share one lock (or lock their container
 * field), and two classes that still end up on one database at the same time fail with an error
 * naming both. See docs/junit-cli.md.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(VenomQAExtension.class)
@ResourceLock(providers = DatabaseLocks.class)
public @interface VenomQATest {

    /** A configuration file (path) or class path resource to read instead of {@code venomqa.yaml}. */
    String config() default "";

    /** {@code base_url}: where the API under test listens. */
    String baseUrl() default "";

    /** {@code db_url}: the database to roll back (its password is never printed). */
    String dbUrl() default "";

    /** {@code db_backend}, when {@code db_url} does not tell it. */
    String dbBackend() default "";

    /** {@code checkpoint_strategy}: {@code savepoint} (API in this JVM) or {@code journal} (API in another process). */
    String checkpointStrategy() default "";

    /** {@code tables_to_reset}; empty keeps the file's. */
    String[] tablesToReset() default {};

    /** {@code exclude_tables}; empty keeps the file's. */
    String[] excludeTables() default {};

    /**
     * The static field holding the {@code JdbcDatabaseContainer} to use as the database, when the
     * class has more than one. With exactly one such static field it is used without naming it.
     */
    String container() default "";

    /**
     * {@code reset}: {@code before_run} empties the reset tables once, when the class starts, and then
     * checkpoints {@code clean_state} (the tests' own checkpoints come after it); {@code never} does
     * not; empty keeps the file's ({@code reset: before_run} in {@code venomqa.yaml}; default never).
     */
    String reset() default "";

    /** Whether each test method is rolled back to the state it started from (default: true). */
    boolean isolation() default true;

    /** Whether injected runners print the journey tree to standard output (default: true). */
    boolean console() default true;
}
