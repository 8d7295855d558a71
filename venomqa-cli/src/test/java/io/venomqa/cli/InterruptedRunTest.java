package io.venomqa.cli;

import io.venomqa.cli.support.InterruptedJourneys;
import io.venomqa.cli.support.RunnerChild;
import io.venomqa.testsupport.ChildJvm;
import io.venomqa.testsupport.DumpedDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, bug 3: Ctrl-C (SIGINT) or SIGTERM in the middle of a run. A real child JVM runs a
 * journey that writes through "the application's" own connection (journal strategy) or through the
 * manager's shared DataSource (savepoint strategy), prints READY from a step and waits; the test
 * signals it and then compares a full dump of the database ({@code pg_dump} of the schema,
 * {@code mariadb-dump} of the database, {@code sqlite3 .dump}: rows, identity counters, triggers,
 * VenomQA's own tables) with the one taken before the run. Before the shutdown hook the journal's
 * triggers, tables and the application's rows stayed until a later connect().
 */
@Execution(ExecutionMode.CONCURRENT) // each case has its own database, directory and child JVM
class InterruptedRunTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    /** Newest first: a child still running would hold locks that the drop waits for. */
    @AfterEach
    void stopChildrenAndDropDatabases() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    /** How the child is started: the command line, or a program using the runner as a library. */
    enum Mode { CLI, RUNNER, RUNNER_SHARED }

    // Every database under both entry points, and both signals under each (SIGINT and SIGTERM reach
    // the same shutdown hook; the full cross product cost a minute of CI for no extra path).
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            "postgresql, INT,  CLI",
            "mariadb,    TERM, CLI",
            "sqlite,     INT,  CLI",
            "postgresql, TERM, RUNNER",
            "mariadb,    INT,  RUNNER",
            "sqlite,     TERM, RUNNER",
    })
    void aSignalDuringAJournalRunPutsTheDatabaseBackAsFound(String db, String signal, Mode mode) throws Exception {
        DumpedDatabase database = DumpedDatabase.create(db, dir);
        cleanup.add(database);
        Path yaml = dir.resolve("venomqa.yaml");
        Files.writeString(yaml, "base_url: http://127.0.0.1:9\n" + database.yaml() + "checkpoint_strategy: journal\n");
        String before = database.dump();

        ChildJvm child = start(mode, yaml, database);
        String wrote = database.dump();
        assertThat(wrote).as("the run wrote before it was interrupted").isNotEqualTo(before);
        String output = child.signal(signal);

        assertThat(output).contains("venomqa: the JVM is shutting down during a run")
                .contains("venomqa: database put back as found and disconnected")
                .doesNotContain("COULD NOT");
        assertThat(database.dump()).as("full dump after SIG" + signal + "\n--- child output\n" + output).isEqualTo(before);
    }

    @Test
    void aSignalDuringASavepointRunRollsBackTheOpenTransactionAndTheSequences() throws Exception {
        DumpedDatabase database = DumpedDatabase.create("postgresql", dir);
        cleanup.add(database);
        Path yaml = dir.resolve("venomqa.yaml");
        Files.writeString(yaml, "base_url: http://127.0.0.1:9\n" + database.yaml() + "checkpoint_strategy: savepoint\n");
        String before = database.dump();

        ChildJvm child = start(Mode.RUNNER_SHARED, yaml, database);
        String output = child.signal("TERM");

        assertThat(output).contains("✓ write_more").contains("venomqa: database put back as found and disconnected");
        // The savepoint strategy restores a sequence by its next value (setval(s, 4, false)); pg_dump may have
        // shown the same state as setval(s, 3, true): compared as the value nextval() will return.
        assertThat(DumpedDatabase.withNextValues(database.dump())).as("full dump after SIGTERM\n--- child output\n" + output)
                .isEqualTo(DumpedDatabase.withNextValues(before));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"postgresql", "mariadb", "sqlite"})
    void theSavepointStrategysOpenTransactionIsDiscardedWhenTheJvmDiesWithoutCleanup(String db) throws Exception {
        DumpedDatabase database = DumpedDatabase.create(db, dir);
        cleanup.add(database);
        Path yaml = dir.resolve("venomqa.yaml");
        Files.writeString(yaml, "base_url: http://127.0.0.1:9\n" + database.yaml() + "checkpoint_strategy: savepoint\n");
        String before = database.dump();

        ChildJvm child = start(Mode.RUNNER_SHARED, yaml, database);
        String output = child.signal("KILL"); // no hook runs: only the server (or SQLite's rollback journal) can undo

        assertThat(output).contains("✓ write_more");
        // Identity counters are not transactional (PostgreSQL sequences, InnoDB AUTO_INCREMENT): after a kill -9
        // nobody is left to put them back (documented). Every row, and SQLite's counters, must be as before.
        assertThat(DumpedDatabase.withoutCounters(database.dump())).as("full dump after SIGKILL\n--- child output\n" + output)
                .isEqualTo(DumpedDatabase.withoutCounters(before));
    }

    // ---- the child JVM ------------------------------------------------------------------------

    private ChildJvm start(Mode mode, Path yaml, DumpedDatabase db) throws IOException {
        List<String> props = db.applicationProperties();
        ChildJvm child = switch (mode) {
            case CLI -> ChildJvm.start(props, VenomQACommand.class.getName(), "run", "-c", yaml.toString(),
                    "--class", InterruptedJourneys.class.getName());
            case RUNNER -> ChildJvm.start(props, RunnerChild.class.getName(), yaml.toString());
            case RUNNER_SHARED -> ChildJvm.start(props, RunnerChild.class.getName(), yaml.toString(), "shared");
        };
        cleanup.add(child);
        return child;
    }
}
