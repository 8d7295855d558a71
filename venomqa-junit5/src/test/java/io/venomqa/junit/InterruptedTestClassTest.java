package io.venomqa.junit;

import io.venomqa.junit.support.JUnitChild;
import io.venomqa.testsupport.ChildJvm;
import io.venomqa.testsupport.DumpedDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, bug 3, for the JUnit extension: a {@code @VenomQATest} class run through the JUnit
 * Platform in a real child JVM, signalled while its test waits after writing, on PostgreSQL, MariaDB
 * and SQLite. The database's full dump ({@link DumpedDatabase#dump()}) afterwards is compared with
 * the one taken before. With the journal strategy the extension's shutdown hook undoes what "the
 * application" committed and removes the triggers (before the hook the rows and triggers stayed);
 * with the savepoint strategy a killed JVM runs no hook, and the server must discard the open
 * transaction when the connection drops (SQLite's rollback journal doing the same is checked for the
 * runner by venomqa-cli's {@code InterruptedRunTest}).
 */
@Execution(ExecutionMode.CONCURRENT) // each case has its own database, directory and child JVM
class InterruptedTestClassTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    /** Newest first: a child still running would hold locks that the drop waits for. */
    @AfterEach
    void stopChildAndDropDatabase() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    @ParameterizedTest(name = "{0} SIG{1}")
    @CsvSource({"postgresql, INT", "mariadb, TERM", "sqlite, INT"})
    void aSignalDuringAJournalTestClassPutsTheDatabaseBack(String db, String signal) throws Exception {
        DumpedDatabase database = database(db);
        String before = database.dump();
        ChildJvm child = start(database, "journal");
        assertThat(database.dump()).as("the test wrote").isNotEqualTo(before);

        String output = child.signal(signal);

        assertThat(output).contains("venomqa: the JVM is shutting down during a run of the test class "
                        + "io.venomqa.junit.fixtures.InterruptedFixture")
                .contains("venomqa: database put back as found and disconnected")
                .doesNotContain("COULD NOT");
        assertThat(database.dump()).as("full dump after SIG" + signal + "\n--- child output\n" + output).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgresql", "mariadb"}) // SQLite's rollback journal: InterruptedRunTest (runner)
    void theSavepointStrategysOpenTransactionIsDiscardedWhenTheJvmIsKilled(String db) throws Exception {
        DumpedDatabase database = database(db);
        String before = database.dump();
        ChildJvm child = start(database, "savepoint");

        String output = child.signal("KILL"); // no hook runs: only the server can undo

        // Identity counters are not transactional (PostgreSQL sequences, InnoDB AUTO_INCREMENT): after a kill -9
        // nobody is left to put them back (documented). Every row must be as before.
        assertThat(DumpedDatabase.withoutCounters(database.dump())).as("full dump after SIGKILL\n--- child output\n" + output)
                .isEqualTo(DumpedDatabase.withoutCounters(before));
    }

    private DumpedDatabase database(String kind) throws Exception {
        DumpedDatabase database = DumpedDatabase.create(kind, dir);
        cleanup.add(database);
        return database;
    }

    private ChildJvm start(DumpedDatabase db, String strategy) throws Exception {
        List<String> props = new ArrayList<>(db.applicationProperties());
        props.addAll(List.of("venomqa.db_url=" + db.dbUrl(), "venomqa.checkpoint_strategy=" + strategy,
                "venomqa.test.shared=" + strategy.equals("savepoint")));
        db.dbOptions().forEach((k, v) -> props.add("venomqa.db_options." + k + "=" + v));
        ChildJvm child = ChildJvm.start(props, JUnitChild.class.getName());
        cleanup.add(child);
        return child;
    }
}
