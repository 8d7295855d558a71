package io.venomqa.examples;

import io.venomqa.http.Client;
import io.venomqa.http.HttpRequestException;
import io.venomqa.examples.shop.ShopProcess;
import io.venomqa.runner.WorkerCommand;
import io.venomqa.runner.Workers;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManagers;
import io.venomqa.state.WorkerSet;
import io.venomqa.testsupport.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ctrl-C (SIGINT) or SIGTERM during a run on workers: a child JVM ({@link WorkersChild}) makes two
 * workers from a shop database of the test's own, runs a journey whose paths wait, and is signalled
 * while they wait. The shutdown hook must stop the workers' APIs (the shop processes it started)
 * and drop every worker database. And {@code kill -9}, which runs no hook: the copies and the worker
 * processes stay, and the next run that makes workers from the same database drops the copies (and, when
 * it starts worker processes, stops the processes left running first).
 */
class InterruptedWorkersTest {

    @TempDir
    java.nio.file.Path dir;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    /** Newest first: a child still running holds the copies that the database's drop removes. */
    @AfterEach
    void stopChildrenAndDropDatabases() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    // Each database once, each signal, and both kinds of worker API; processes on SQLite (cheap copies),
    // in-JVM shops on the servers.
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            "SQLITE,     INT,  processes",
            "POSTGRESQL, TERM, copies",
            "MARIADB,    INT,  copies",
    })
    void aSignalStopsTheWorkersApisAndDropsEveryCopy(ShopDatabase.Kind kind, String signal, String mode) throws Exception {
        ShopDatabase db = database(kind);
        ChildJvm child = start(db, mode);
        List<String> urls = workerUrls(child.output());
        assertThat(urls).hasSize(2);
        List<String> copies = db.copies();
        assertThat(copies).hasSize(2);

        String output = child.signal(signal);

        assertThat(output).contains("venomqa: the JVM is shutting down during a run of 2 parallel worker(s); stopping the"
                + " workers' APIs and dropping their databases").contains("venomqa: done (stopping the workers' APIs")
                .doesNotContain("COULD NOT");
        assertThat(db.copies()).as("worker databases after SIG" + signal + "\n--- child output\n" + output).isEmpty();
        for (String u : urls) {
            assertThatThrownBy(() -> new Client(u).get("/stats")).as(u).isInstanceOf(HttpRequestException.class);
        }
        // A worker process would name its copy in its command line (${jdbc_url}).
        assertThat(processesNaming(copies)).isEmpty();
        assertThat(db.userAndOrderRows()).as("the database under test is only copied").isZero();
    }

    // A file lock and a server's session lock; MariaDB's GET_LOCK is released the same way as PostgreSQL's advisory lock.
    @ParameterizedTest
    @EnumSource(value = ShopDatabase.Kind.class, names = {"SQLITE", "POSTGRESQL"})
    void copiesLeftByAKilledRunAreDroppedByTheNextRun(ShopDatabase.Kind kind) throws Exception {
        ShopDatabase db = database(kind);
        ChildJvm child = start(db, "copies");
        List<String> left = db.copies();
        String output = child.signal("KILL"); // no hook runs
        assertThat(db.copies()).as("kill -9 leaves the copies\n--- child output\n" + output).containsExactlyElementsOf(left);

        List<String> dropped = nextRunDrops(db.config());

        assertThat(dropped).containsExactlyInAnyOrderElementsOf(left.stream().map(n -> n.replaceFirst("\\.db$", "")).toList());
        assertThat(db.copies()).isEmpty();
    }

    /**
     * {@code kill -9} of a run whose workers are processes: the OS leaves them running (they still
     * answer), and the next run that starts worker processes stops them before making its own.
     */
    @org.junit.jupiter.api.Test
    void processesLeftByAKilledRunAreStoppedByTheNextRun() throws Exception {
        ShopDatabase db = database(ShopDatabase.Kind.SQLITE);
        ChildJvm child = start(db, "processes");
        List<String> urls = workerUrls(child.output());
        List<String> copies = db.copies();
        assertThat(urls).hasSize(2);
        try {
            child.signal("KILL");
            for (String u : urls) {
                assertThat(new Client(u).get("/stats").statusCode()).as("%s still runs after kill -9", u).isEqualTo(200);
            }
            assertThat(processesNaming(copies)).as("the worker processes, found by their copies' names").hasSize(2);

            StateManager source = StateManagers.create(db.config().toBuilder().option("allow_remote", true)
                    .option("checkpoint_strategy", "journal").build());
            try (Workers next = Workers.commands(source, 1, WorkerCommand.of(ShopProcess.command("${jdbc_url}", db.user(),
                    "${port}")).healthUrl("http://127.0.0.1:${port}/stats"))) {
                assertThat(next.size()).isEqualTo(1);
                for (String u : urls) {
                    assertThatThrownBy(() -> new Client(u).get("/stats")).as(u).isInstanceOf(HttpRequestException.class);
                }
                assertThat(processesNaming(copies)).isEmpty();
            }
            assertThat(db.copies()).as("the leftover copies are dropped too, and the new one on close").isEmpty();
        } finally {
            processesNaming(copies).forEach(ProcessHandle::destroyForcibly); // never leave them to the next test
        }
    }

    /** Processes whose command line names one of {@code copies} (as a worker's {@code ${jdbc_url}} does). */
    private static List<ProcessHandle> processesNaming(List<String> copies) {
        return ProcessHandle.allProcesses().filter(p -> copies.stream().anyMatch(c -> commandLine(p).contains(c))).toList();
    }

    /** The whole command line: {@code ProcessHandle.Info.commandLine()} stops at 4 096 characters, before a long class path ends. */
    private static String commandLine(ProcessHandle p) {
        try {
            return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", Long.toString(p.pid()), "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (java.io.IOException | RuntimeException e) {
            return p.info().commandLine().orElse(""); // ended meanwhile, or not Linux
        }
    }

    /**
     * What the next run's {@code create(1)} drops. The server releases a killed session's lock when it
     * sees the connection end, a moment after the process is gone: until then the copies belong to a
     * live run and are rightly kept, so this tries again (at most 20 times).
     */
    private static List<String> nextRunDrops(StateConfig config) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try (WorkerSet next = StateManagers.create(config).workerDatabases().orElseThrow().create(1)) {
                if (!next.droppedLeftovers().isEmpty() || attempt == 20) {
                    return next.droppedLeftovers();
                }
            }
            Thread.sleep(100);
        }
    }

    private ShopDatabase database(ShopDatabase.Kind kind) throws Exception {
        ShopDatabase db = ShopDatabase.create(kind, dir);
        cleanup.add(db);
        return db;
    }

    private ChildJvm start(ShopDatabase db, String mode) throws Exception {
        StateConfig c = db.config();
        ChildJvm child = ChildJvm.start(List.of(), WorkersChild.class.getName(), c.backend(), c.url(), mode, db.user());
        cleanup.add(child);
        return child;
    }

    private static List<String> workerUrls(String output) {
        return output.lines().filter(l -> l.startsWith("WORKER ")).map(l -> l.substring(7)).toList();
    }
}
