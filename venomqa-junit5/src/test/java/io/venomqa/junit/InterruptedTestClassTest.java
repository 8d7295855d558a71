package io.venomqa.junit;

import io.venomqa.junit.support.JUnitChild;
import io.venomqa.junit.support.PgSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, bug 3, for the JUnit extension: Ctrl-C (SIGINT) while a {@code @VenomQATest} class runs
 * with the journal strategy on PostgreSQL, in a real child JVM. The extension's shutdown hook must
 * undo what the test's "application" committed and remove the triggers: the schema's full
 * {@code pg_dump} afterwards equals the one before. Before the hook the rows and triggers stayed.
 */
class InterruptedTestClassTest {

    final PgSchema db = new PgSchema();

    @AfterEach
    void drop() throws Exception {
        db.close();
    }

    @Test
    void ctrlCDuringAJournalTestClassPutsTheDatabaseBack() throws Exception {
        String before = dump();
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        URI server = URI.create(db.url);
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dvenomqa.db_url=" + db.url, "-Dvenomqa.db_options.schema=" + db.schema,
                "-Dvenomqa.checkpoint_strategy=journal",
                "-Dvenomqa.test.app_jdbc=jdbc:postgresql://" + server.getHost() + ":" + server.getPort() + server.getPath()
                        + "?user=" + server.getUserInfo().split(":")[0] + "&currentSchema=" + db.schema,
                JUnitChild.class.getName()).redirectErrorStream(true).start();
        StringBuilder seen = new StringBuilder();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (seen) {
                        seen.append(line).append('\n');
                    }
                    if (line.equals("READY")) {
                        ready.complete(null);
                    }
                }
            } catch (java.io.IOException e) {
                // gone
            }
            ready.complete(null);
        });
        try {
            ready.get(60, TimeUnit.SECONDS);
            synchronized (seen) {
                assertThat(seen.toString()).as("the child got ready").contains("READY\n");
            }
            assertThat(dump()).as("the test wrote").isNotEqualTo(before);
            assertThat(new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor()).isZero();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child ended").isTrue();
            reader.get(10, TimeUnit.SECONDS);
        } finally {
            p.destroyForcibly();
        }
        String output = seen.toString();
        assertThat(output).contains("venomqa: the JVM is shutting down during a run of the test class "
                        + "io.venomqa.junit.fixtures.InterruptedFixture")
                .contains("venomqa: database put back as found and disconnected");
        assertThat(dump()).as("pg_dump after SIGINT\n--- child output\n" + output).isEqualTo(before);
    }

    /** pg_dump of the schema, rows of each table sorted (an undone UPDATE may change the physical order). */
    private String dump() throws Exception {
        URI server = URI.create(db.url);
        Process p = new ProcessBuilder("pg_dump", "-h", server.getHost(), "-p", Integer.toString(server.getPort()),
                "-U", server.getUserInfo().split(":")[0], "--schema=" + db.schema, "--no-owner", server.getPath().substring(1))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("pg_dump").isZero();
        StringBuilder out = new StringBuilder();
        List<String> rows = null;
        for (String line : dump.split("\n", -1)) {
            if (line.startsWith("\\restrict ") || line.startsWith("\\unrestrict ")) {
                continue; // a random key per dump (pg_dump 15.14+), not part of the database
            }
            if (rows != null && !line.equals("\\.")) {
                rows.add(line);
                continue;
            }
            if (rows != null) {
                rows.stream().sorted().forEach(r -> out.append(r).append('\n'));
                rows = null;
            }
            out.append(line).append('\n');
            if (line.startsWith("COPY ") && line.endsWith("FROM stdin;")) {
                rows = new ArrayList<>();
            }
        }
        return out.toString();
    }
}
