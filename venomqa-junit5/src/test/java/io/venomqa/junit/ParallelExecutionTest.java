package io.venomqa.junit;

import io.venomqa.junit.fixtures.Env;
import io.venomqa.junit.fixtures.ParallelFixtures;
import io.venomqa.junit.support.Kit;
import io.venomqa.junit.support.PgSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Issue 20 item 12: JUnit's parallel execution (classes and methods concurrent, four threads),
 * through EngineTestKit. {@code @VenomQATest} classes on different databases run at the same time,
 * classes on one database take turns and methods of a class run one at a time; classes that only
 * register a built extension and still run concurrently on one database are refused with a clear
 * error, never left to undo each other's work; the database is as found afterwards.
 */
class ParallelExecutionTest {

    @BeforeEach
    void clean() {
        PgSchema.clearSystemProperties();
        ParallelFixtures.reset();
    }

    @AfterEach
    void clearProperties() {
        PgSchema.clearSystemProperties();
    }

    private static EngineExecutionResults runInParallel(Class<?>... classes) {
        var kit = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4");
        for (Class<?> c : classes) {
            kit = kit.selectors(selectClass(c));
        }
        return kit.execute();
    }

    @Test
    @DisplayName("@VenomQATest classes on different databases run at the same time")
    void differentDatabasesRunInParallel() {
        var results = runInParallel(ParallelFixtures.OwnDatabaseA.class, ParallelFixtures.OwnDatabaseB.class);
        Kit.assertNoContainerFailure(results);
        Kit.assertNoTestFailure(results); // each waits at a barrier only the other one can open
        results.testEvents().assertStatistics(s -> s.succeeded(2));
    }

    @Test
    @DisplayName("@VenomQATest classes on one database take turns, and a class's methods run one at a time")
    void oneDatabaseTakesTurns() {
        var results = runInParallel(ParallelFixtures.SharedDatabaseA.class, ParallelFixtures.SharedDatabaseB.class);
        Kit.assertNoContainerFailure(results);
        Kit.assertNoTestFailure(results);
        results.testEvents().assertStatistics(s -> s.succeeded(4));
        assertThat(ParallelFixtures.mostInside.get()).as("tests on one database at the same time").isEqualTo(1);
    }

    @Test
    @DisplayName("the lock is named after the database (URL and schema), hashed: never the URL itself")
    void lockNames() {
        var locks = new io.venomqa.junit.internal.DatabaseLocks();
        String a = key(locks, ParallelFixtures.OwnDatabaseA.class);
        assertThat(a).startsWith("io.venomqa.database:").doesNotContain("parallel_a");
        assertThat(key(locks, ParallelFixtures.OwnDatabaseB.class)).isNotEqualTo(a);
        String shared = key(locks, ParallelFixtures.SharedDatabaseA.class);
        assertThat(key(locks, ParallelFixtures.SharedDatabaseB.class)).isEqualTo(shared);
        System.setProperty("venomqa.db_options.schema", "other");
        assertThat(key(locks, ParallelFixtures.SharedDatabaseA.class)).as("another schema, another lock")
                .isNotEqualTo(shared);
    }

    private static String key(io.venomqa.junit.internal.DatabaseLocks locks, Class<?> c) {
        return locks.provideForClass(c).iterator().next().getKey();
    }

    @Test
    @DisplayName("two built-extension classes on one PostgreSQL schema at once: the second is refused, naming both")
    void builtClassesOnOneSchemaAreRefused() throws Exception {
        try (PgSchema db = new PgSchema()) {
            Env.db = db;
            db.exportAsSystemProperties(null);
            var results = runInParallel(ParallelFixtures.BuiltClassA.class, ParallelFixtures.BuiltClassB.class);
            List<Event> failed = results.containerEvents().failed().list();
            assertThat(failed).as("exactly one class refused").hasSize(1);
            String message = String.valueOf(Kit.throwable(failed.get(0)).getMessage());
            assertThat(message).contains("BuiltClassA").contains("BuiltClassB").contains("same database")
                    .contains("@VenomQATest").contains("schema " + db.schema).doesNotContain("deadlock");
            Kit.assertNoTestFailure(results);
            results.testEvents().assertStatistics(s -> s.succeeded(1));
            assertThat(db.committedUsers()).as("the database as found").containsExactly("seed");
        }
    }

    @Test
    @DisplayName("concurrent methods of a built-extension class: the second is refused, the first sees only its own rows")
    void concurrentMethodsAreRefused() throws Exception {
        try (PgSchema db = new PgSchema()) {
            Env.db = db;
            db.exportAsSystemProperties(null);
            var results = runInParallel(ParallelFixtures.BuiltMethods.class);
            Kit.assertNoContainerFailure(results);
            List<Event> failed = results.testEvents().failed().list();
            assertThat(failed).as("exactly one method refused").hasSize(1);
            assertThat(Kit.throwable(failed.get(0))).hasMessageContaining("one at a time")
                    .hasMessageContaining("@Execution(ExecutionMode.SAME_THREAD)");
            results.testEvents().assertStatistics(s -> s.succeeded(1));
            assertThat(db.committedUsers()).containsExactly("seed");
        }
    }
}
