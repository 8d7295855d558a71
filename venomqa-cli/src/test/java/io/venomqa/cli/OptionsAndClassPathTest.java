package io.venomqa.cli;

import io.venomqa.cli.support.Cli;
import io.venomqa.cli.support.Cli.Result;
import io.venomqa.cli.support.PgDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 items 4, 5 and 6 as a user meets them: a misspelt option is an error with a suggestion
 * (not "No problems found"), doctor/reset/backends see a custom backend given with -cp, and a
 * missing PostgreSQL role is named as such.
 */
class OptionsAndClassPathTest {

    static PgDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        db = new PgDatabase();
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    private Path config(String yaml) throws IOException {
        Path f = dir.resolve("venomqa.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void doctorRejectsAnUnknownOptionNamingTheNearestDeclaredOne() throws Exception {
        Result typo = Cli.run("doctor", "--skip-api", "-c", config("db_url: " + db.url + "\ndb_options:\n  sheme: "
                + db.schema + "\n").toString());
        assertThat(typo.code()).as(typo.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(typo.out()).contains("unknown option 'sheme' for db_backend 'postgresql', did you mean 'schema'?")
                .doesNotContain("No problems found");

        Result bogus = Cli.run("doctor", "--skip-api", "-c", config("db_url: " + db.url + "\nbogus_option: 42\n").toString());
        assertThat(bogus.code()).as(bogus.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(bogus.out()).contains("unknown key 'bogus_option'").doesNotContain("No problems found");

        Result strategy = Cli.run("doctor", "--skip-api", "-c", config("db_url: " + db.url + "\ndb_options:\n"
                + "  checkpoint_stratgy: journal\n").toString());
        assertThat(strategy.out()).contains("did you mean 'checkpoint_strategy'?");
        assertThat(strategy.code()).isEqualTo(ExitCodes.FAILED);
    }

    @Test
    void anUnknownOptionIsNamedWithItsLineAndAnotherStrategysOptionSaysWhichStrategyHasIt() throws Exception {
        Path f = config("db_url: " + db.url + "\nbase_url: http://127.0.0.1:9\ndb_options:\n  schema: " + db.schema
                + "\n  sheme: x\n  lock_timout: 5s\nlock_timeout: 5s\n");
        Result r = Cli.run("doctor", "--skip-api", "-c", f.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains(f + ":5: db_options: unknown option 'sheme' for db_backend 'postgresql', did you mean 'schema'?")
                .contains(f + ":6: db_options: unknown option 'lock_timout' for db_backend 'postgresql': 'lock_timeout' is an "
                        + "option of checkpoint_strategy 'journal', not of 'savepoint' (set checkpoint_strategy: journal to use it")
                .contains(f + ":7: unknown key 'lock_timeout': 'lock_timeout' is an option of checkpoint_strategy 'journal'");
    }

    @Test
    void runRefusesAMisspeltOptionWithExitThree() throws Exception {
        Result r = Cli.run("run", "--class", "io.venomqa.cli.support.StaticJourneys", "-c",
                config("base_url: http://127.0.0.1:9\ndb_url: " + db.url + "\ndb_options:\n  sheme: x\n").toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("did you mean 'schema'?");
    }

    @Test
    void doctorListsTheDeclaredOptionsWithTheValuesInEffect() throws Exception {
        Result r = Cli.run("doctor", "--skip-api", "-c", config("db_url: " + db.url + "\ncheckpoint_strategy: journal\n"
                + "db_options:\n  schema: " + db.schema + "\n  journal_recovery: refuse\n").toString());
        assertThat(r.out()).as(r.toString())
                .containsPattern("schema +\\*" + db.schema)
                .containsPattern("journal_recovery +\\*refuse")
                .containsPattern("lock_timeout +30s")
                .containsPattern("connection_timeout +30s")
                .contains("journal: the user may create the journal and triggers");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void backendsOptionsPrintsEveryDeclaration() {
        Result r = Cli.run("backends", "--options");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("db_backend postgresql:", "checkpoint_strategy journal:", "db_backend mysql:")
                .containsPattern("schema +text +public +The schema whose tables are tracked and reset\\.")
                .containsPattern("journal_recovery +text +restore")
                .containsPattern("non_transactional_tables +text +fail")
                .containsPattern("allow_remote +boolean +false");
    }

    @Test
    void aMissingPostgresRoleIsNamedAsSuch() throws Exception {
        String role = "vq_no_role_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String url = "postgresql://" + role + "@" + db.host + ":" + db.port + "/" + db.database;
        Result r = Cli.run("doctor", "--skip-api", "-c", config("db_url: " + url + "\n").toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("has no user (role) '" + role + "'", "CREATE ROLE " + role)
                .doesNotContain("the database does not exist");
    }

    @Test
    void doctorResetAndBackendsSeeACustomBackendGivenWithClassPath() throws Exception {
        Path classes = compileCustomBackend();
        Path f = config("db_url: custom://shop\ndb_options:\n  colour: blue\n");

        Result without = Cli.run("doctor", "--skip-api", "-c", f.toString());
        assertThat(without.code()).isEqualTo(ExitCodes.FAILED);

        Result doctor = Cli.run("doctor", "--skip-api", "-cp", classes.toString(), "-c", f.toString());
        assertThat(doctor.code()).as(doctor.toString()).isEqualTo(ExitCodes.OK);
        assertThat(doctor.out()).contains("connected").containsPattern("colour +\\*blue");

        Result typo = Cli.run("doctor", "--skip-api", "-cp", classes.toString(), "-c",
                config("db_url: custom://shop\ndb_options:\n  color: blue\n").toString());
        assertThat(typo.out()).as(typo.toString()).contains("did you mean 'colour'?");

        Result backends = Cli.run("backends", "--options", "-cp", classes.toString());
        assertThat(backends.out()).as(backends.toString()).containsPattern("custom +- +")
                .contains("db_backend custom:").containsPattern("colour +text +red");

        Result reset = Cli.run("reset", "--yes", "-cp", classes.toString(), "-c", config("db_url: custom://shop\nallow_remote: true\n").toString());
        assertThat(reset.code()).as(reset.toString()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void aClassGivenWithoutItsPackageOrWithATypoIsSuggested() throws Exception {
        Path classes = compileCustomBackend();
        Path jar = dir.resolve("custom.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.jar.JarEntry("acme/CustomProvider.class"));
            out.write(Files.readAllBytes(classes.resolve("acme/CustomProvider.class")));
            out.closeEntry();
        }
        Path f = config("db_url: memory://suggest\nbase_url: http://127.0.0.1:1\n");

        Result noPackage = Cli.run("run", "-c", f.toString(), "-cp", classes.toString(), "--class", "CustomProvider");
        assertThat(noPackage.code()).as(noPackage.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(noPackage.err()).contains("Class CustomProvider not found. Did you mean acme.CustomProvider? "
                + "Add the jar or directory holding it with --class-path.");

        Result typo = Cli.run("explore", "-c", f.toString(), "-cp", jar.toString(), "--class", "acme.CustomProvidr");
        assertThat(typo.code()).as(typo.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(typo.err()).contains("Class acme.CustomProvidr not found. Did you mean acme.CustomProvider?");

        Result nothingNear = Cli.run("run", "-c", f.toString(), "--class", "com.example.Nope");
        assertThat(nothingNear.err()).contains("Class com.example.Nope not found. No --class-path was given")
                .doesNotContain("Did you mean");
    }

    /** A provider in a directory that is not on the test class path: db_backend custom, option colour. */
    private Path compileCustomBackend() throws IOException {
        Path src = dir.resolve("src/acme/CustomProvider.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                package acme;

                import io.venomqa.state.StateConfig;
                import io.venomqa.state.StateManager;
                import io.venomqa.state.memory.InMemoryStateManager;
                import io.venomqa.state.spi.OptionSpec;
                import io.venomqa.state.spi.StateManagerProvider;
                import java.util.List;
                import java.util.Set;

                public final class CustomProvider implements StateManagerProvider {
                    public String name() { return "custom"; }
                    public Set<String> aliases() { return Set.of(); }
                    public boolean acceptsUrl(String url) { return url.startsWith("custom://"); }
                    public List<OptionSpec> options() { return List.of(OptionSpec.text("colour", "red", "A colour.")); }
                    public StateManager create(StateConfig config) {
                        return new InMemoryStateManager(StateConfig.builder().backend("memory").build());
                    }
                }
                """);
        Path out = dir.resolve("classes");
        Files.createDirectories(out.resolve("META-INF/services"));
        Files.writeString(out.resolve("META-INF/services/io.venomqa.state.spi.StateManagerProvider"), "acme.CustomProvider\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int code = javac.run(null, null, null, "-d", out.toString(), "-cp", System.getProperty("java.class.path"), src.toString());
        assertThat(code).as("compiling the custom backend").isZero();
        return out;
    }
}
