package io.venomqa.spring;

import io.venomqa.spring.fixtures.KilledRunFixtures;
import io.venomqa.spring.support.SpringTestChild;
import io.venomqa.spring.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test JVM killed with SIGKILL in the middle of a {@code @VenomQASpringTest} method (no shutdown hook, no
 * context close), on PostgreSQL, with real child JVMs running the test class through the JUnit Platform
 * ({@link KilledRunFixtures}). With {@code journal} the application's commits stay until the next run, whose
 * connect finds the dead run's journal, says so, and puts every row and sequence back. With {@code savepoint}
 * there is nothing to recover: the server discards the open transaction and its locks when the connection
 * dies; only the sequences stay advanced (nextval is not transactional; docs/spring.md).
 */
@Execution(ExecutionMode.CONCURRENT) // each case has its own schema and child JVMs
class KilledTestJvmTest {

    private static final List<String> APP_TABLES = List.of("audit_log", "flyway_schema_history", "notifications", "orders", "products");

    private final TestDatabase db = TestDatabase.newPostgresSchema();

    @AfterEach
    void drop() throws SQLException {
        db.destroy();
    }

    @Test
    void aJournalRunKilledMidTestIsRecoveredByTheNextRun() throws Exception {
        Child first = Child.start(db, KilledRunFixtures.Journal.class, "writeThenWait");
        String asFound = first.awaitReady();
        assertThat(db.committedState()).as("the application committed for real").contains("[3,plum,4]").isNotEqualTo(asFound);
        assertThat(count("select count(*) from information_schema.triggers where event_object_schema = '" + db.name() + "'"))
                .as("the journal's triggers").isPositive();
        first.kill();

        Child next = Child.start(db, KilledRunFixtures.Journal.class, "startFromTheMigratedRows");
        String output = next.awaitExit();
        assertThat(output).as(output).contains("TESTS SUCCEEDED 1 FAILED 0")
                .contains("A VenomQA journal run that did not disconnect")
                .contains("Restoring the data to that run's connect() state")
                .containsPattern("Recovered .*: \\d+ journaled changes undone, counters restored, leftovers removed");
        assertThat(db.committedState()).as("rows and next ids after the next run").isEqualTo(asFound);
        assertThat(count("select count(*) from information_schema.triggers where event_object_schema = '" + db.name() + "'"))
                .as("triggers left").isZero();
        assertThat(tables()).as("tables of the schema").isEqualTo(APP_TABLES);
    }

    @Test
    void aSavepointRunKilledMidTestLeavesNoRowNorLockBehind() throws Exception {
        Child first = Child.start(db, KilledRunFixtures.Savepoint.class, "writeThenWait");
        String asFound = first.awaitReady();
        assertThat(rows(db.committedState())).as("nothing committed while the test runs").isEqualTo(rows(asFound));
        first.kill();

        // The order locked product 1's row inside the open transaction: once the server has discarded it, another
        // session can take the lock at once (lock_timeout turns a lock still held into an error, not a hang).
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("set lock_timeout = '10s'");
            assertThat(st.executeUpdate("update products set stock = stock where id = 1")).isEqualTo(1);
            c.rollback();
        }
        String after = db.committedState();
        assertThat(rows(after)).as("rows after the kill").isEqualTo(rows(asFound));
        assertThat(after).as("sequences stay advanced after a kill -9").contains("next id products_id_seq=4");
        assertThat(tables()).isEqualTo(APP_TABLES);
    }

    private static String rows(String state) {
        return state.lines().filter(l -> !l.startsWith("next id ")).collect(Collectors.joining("\n"));
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<String> tables() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "select table_name from information_schema.tables where table_schema = '" + db.name() + "' order by 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** A child JVM running one test method of a fixture class; its output is collected line by line. */
    private record Child(Process process, StringBuilder seen, CompletableFuture<Void> ready, CompletableFuture<Void> reader) {

        static Child start(TestDatabase db, Class<?> fixture, String method) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
            // The build's options for test JVMs (set by Surefire; C1 alone: a Spring Boot start is mostly class loading).
            String options = System.getProperty("venomqa.test.child_jvm_options", "-XX:TieredStopAtLevel=1").trim();
            if (!options.isEmpty()) {
                cmd.addAll(List.of(options.split("\\s+")));
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "-D" + TestDatabase.SCHEMA_PROPERTY + "=" + db.name(),
                    SpringTestChild.class.getName(), fixture.getName(), method));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            StringBuilder seen = new StringBuilder();
            CompletableFuture<Void> ready = new CompletableFuture<>();
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        synchronized (seen) {
                            seen.append(line).append('\n');
                        }
                        if (line.equals("READY")) {
                            ready.complete(null);
                        }
                    }
                } catch (IOException e) {
                    // the child is gone
                }
                ready.complete(null);
            });
            return new Child(p, seen, ready, reader);
        }

        /** Waits for READY and returns the committed state the child printed before writing. */
        String awaitReady() throws Exception {
            try {
                ready.get(120, TimeUnit.SECONDS);
            } finally {
                if (!output().contains("READY\n")) {
                    process.destroyForcibly();
                }
            }
            assertThat(output()).as("the child got ready\n--- child output\n" + output()).contains("READY\n");
            return output().lines().filter(l -> l.startsWith("AS-FOUND|")).map(l -> l.substring("AS-FOUND|".length()))
                    .collect(Collectors.joining("\n"));
        }

        void kill() throws Exception {
            assertThat(new ProcessBuilder("kill", "-KILL", Long.toString(process.pid())).start().waitFor()).isZero();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the child died").isTrue();
            assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
            reader.get(10, TimeUnit.SECONDS);
        }

        String awaitExit() throws Exception {
            try {
                assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the child ended").isTrue();
                reader.get(10, TimeUnit.SECONDS);
            } finally {
                process.destroyForcibly();
            }
            return output();
        }

        String output() {
            synchronized (seen) {
                return seen.toString();
            }
        }
    }
}
