package io.venomqa.cli;

import io.venomqa.cli.support.PasswordDemandingServer;
import io.venomqa.cli.support.PgDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar target/venomqa.jar ...} in a child process, as a user runs it (bound to the
 * integration-test phase, after the jar is built).
 */
class VenomQAJarIT {

    static final Path JAR = Path.of("target", "venomqa.jar");
    static PgDatabase db;

    @TempDir
    Path dir;

    record Run(int code, String out) {
    }

    @BeforeAll
    static void start() {
        assertThat(JAR).as("the shaded jar (mvn package builds it)").exists();
        db = new PgDatabase();
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    private Run venomqa(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-jar");
        cmd.add(JAR.toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("venomqa " + String.join(" ", args) + " did not end");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void versionAndBackendsFromTheShadedJar() throws Exception {
        Run version = venomqa("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("venomqa 0.1.0-SNAPSHOT");

        Run backends = venomqa("backends");
        assertThat(backends.code()).as(backends.out()).isZero();
        // Every backend's and the journal's service file survived the merge into one jar.
        assertThat(backends.out()).contains("h2 ", "memory ", "mysql ", "postgresql ", "sqlite ",
                "journal (io.venomqa.state.journal.JournalStrategyProvider)");
    }

    @Test
    void doctorAgainstTheMachinesPostgresqlFromTheWorkingDirectory() throws Exception {
        Files.writeString(dir.resolve("venomqa.yaml"), "db_url: " + db.url + "\nexclude_tables: [countries]\n"
                + "db_options: {schema: " + db.schema + "}\n");

        Run r = venomqa("doctor", "--skip-api");

        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("backend   postgresql (io.venomqa:venomqa-backend-postgres)", "strategy  savepoint",
                        "database  " + db.url, "reset would empty (2): orders, users", "No problems found")
                .containsPattern("server    ✓ connected: PostgreSQL \\d+")
                .containsPattern("countries +listed in exclude_tables")
                // The libraries log only warnings: no INFO noise around the report.
                .doesNotContain("INFO");
    }

    @Test
    void doctorWithARefusedPasswordPrintsTheMaskedUrlAndTheFix() throws Exception {
        try (PasswordDemandingServer server = new PasswordDemandingServer()) {
            Files.writeString(dir.resolve("venomqa.yaml"), "db_url: postgresql://qa:Wrong-Pa55@127.0.0.1:" + server.port() + "/test\n");

            Run r = venomqa("doctor", "--skip-api");

            assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
            assertThat(r.out()).contains("postgresql://qa:***@127.0.0.1:" + server.port() + "/test",
                    "password authentication failed", "fix: The database refused the user name or password")
                    .doesNotContain("Wrong-Pa55");
        }
    }

    @Test
    void resetWithoutATerminalNeedsYes() throws Exception {
        Files.writeString(dir.resolve("venomqa.yaml"), "db_url: " + db.url + "\ndb_options: {schema: " + db.schema + "}\n");

        Run refused = venomqa("reset");
        assertThat(refused.code()).as(refused.out()).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.out()).contains("Pass --yes");
        assertThat(db.count("users")).isEqualTo(2);

        Run done = venomqa("reset", "--yes");
        assertThat(done.code()).as(done.out()).isZero();
        assertThat(db.count("users")).isZero();
        assertThat(db.count("flyway_schema_history")).isEqualTo(1);
    }
}
