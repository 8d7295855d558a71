package io.venomqa.cli;

import com.sun.net.httpserver.HttpServer;
import io.venomqa.cli.support.Cli;
import io.venomqa.cli.support.Cli.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * venomqa run with journeys from the test class path (a registered JourneyProvider, or --class),
 * against an in-test API, with the in-memory backend as state manager.
 */
class RunTest {

    HttpServer api;
    Path config;
    final Set<String> users = ConcurrentHashMap.newKeySet();

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String route = x.getRequestMethod() + " " + x.getRequestURI().getPath();
            int status = switch (route) {
                case "POST /users" -> users.add(body) ? 201 : 409;
                case "POST /login", "GET /ping" -> 200;
                default -> 500;
            };
            byte[] reply = (status == 500 ? "{\"error\":\"boom\"}" : "{}").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status, reply.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(reply);
            }
        });
        api.start();
        config = dir.resolve("venomqa.yaml");
        Files.writeString(config, "base_url: http://127.0.0.1:" + api.getAddress().getPort() + "\n"
                + "db_url: memory://cli-run\n"
                + "report_dir: " + dir.resolve("reports") + "\n");
    }

    @AfterEach
    void stop() {
        api.stop(0);
    }

    @Test
    void runsEveryRegisteredJourneyPrintsTheTreeWritesReportsAndFailsWhenOneFails() {
        Result r = Cli.run("run", "-c", config.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out())
                .contains("▶ journey signup")
                .contains("✓ create_user")
                .contains("▸ path login", "▸ path duplicate")
                .contains("✓ signup PASSED")
                .contains("▶ journey broken")
                .contains("✗ explode")
                .contains("✗ broken FAILED")
                .contains("2 journeys: 1 passed, 1 failed")
                .contains("  ✗ broken: 1 failure");
        assertThat(dir.resolve("reports/signup.json")).exists();
        assertThat(dir.resolve("reports/TEST-venomqa-broken.xml")).exists();
        assertThat(dir.resolve("reports/broken.html")).exists();
    }

    @Test
    void aConfigFileNamedWithDashCThatDoesNotExistIsSaidPlainlyWithOrWithoutClass() {
        Path missing = dir.resolve("nonexistent.yaml");
        Result registered = Cli.run("run", "-c", missing.toString());
        Result named = Cli.run("run", "-c", missing.toString(), "--class", "io.venomqa.cli.support.StaticJourneys");

        for (Result r : new Result[] {registered, named}) {
            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.CONFIG);
            assertThat(r.err()).as(r.toString()).contains("venomqa run: Configuration file " + missing + " not found (-c).")
                    .contains("leave -c out to use venomqa.yaml").doesNotContain("No journeys found", "Cannot read");
            assertThat(r.out()).doesNotContain("▶ journey");
        }
    }

    @Test
    void withoutAReportDirectoryItSaysThatNoReportsWereWrittenAndHowToGetThem() throws IOException {
        Files.writeString(config, "base_url: http://127.0.0.1:" + api.getAddress().getPort() + "\ndb_url: memory://cli-run\n");

        Result r = Cli.run("run", "-c", config.toString(), "--tag", "smoke");

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("1 journey: 1 passed, 0 failed\nNo reports written: no report directory is set. Pass"
                + " --report-dir DIR, or set report_dir: in venomqa.yaml, for JSON, JUnit XML and HTML reports.\n")
                .doesNotContain("reports: ");
        assertThat(Cli.run("run", "-c", config.toString(), "--tag", "smoke", "--report-dir", dir.resolve("r").toString()).out())
                .as("with a report directory").doesNotContain("No reports written").contains("reports: ");
    }

    @Test
    void tagsSelectJourneys() {
        Result r = Cli.run("run", "-c", config.toString(), "--tag", "smoke");

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("▶ journey signup").doesNotContain("journey broken")
                .contains("1 journey: 1 passed, 0 failed");
    }

    @Test
    void anUnknownTagIsAConfigurationErrorListingTheTags() {
        Result r = Cli.run("run", "-c", config.toString(), "--tag", "weekly");

        assertThat(r.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("No journey has the tag [weekly]. Tags found: nightly, smoke.");
    }

    @Test
    void namedClassesReplaceTheRegisteredProviders() {
        Result r = Cli.run("run", "-c", config.toString(), "--class", "io.venomqa.cli.support.StaticJourneys");

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("▶ journey health", "▶ journey ping", "2 journeys: 2 passed, 0 failed")
                .doesNotContain("journey signup");
    }

    @Test
    void failFastStopsAfterTheFirstFailingJourney() {
        Result r = Cli.run("run", "-c", config.toString(), "--class", "io.venomqa.cli.support.ShopJourneys",
                "--class", "io.venomqa.cli.support.StaticJourneys", "--fail-fast");

        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("2 journeys: 1 passed, 1 failed, 2 not run (fail-fast)").doesNotContain("journey ping");
    }

    @Test
    void listShowsWhatWouldRunWithoutRunning() {
        Result r = Cli.run("run", "--list");

        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("signup  [smoke]\nbroken  [nightly]\n");
    }

    @Test
    void anUnknownClassIsAConfigurationError() {
        Result r = Cli.run("run", "-c", config.toString(), "--class", "com.example.Nope");

        assertThat(r.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("Class com.example.Nope not found. No --class-path was given: add the jar or directory holding it with --class-path");
    }

    @Test
    void withoutBaseUrlItSaysWhatToSet() throws IOException {
        Files.writeString(config, "db_url: memory://cli-run\n");

        Result r = Cli.run("run", "-c", config.toString());

        assertThat(r.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("No base_url configured");
    }

    // ---- issue 12, bug 1: a journey that cannot be built ---------------------------------------

    @Test
    void aStaticMethodWhoseJourneyIsInvalidIsExit3WithTheValidationMessageAndNothingRuns() {
        Result r = Cli.run("run", "-c", config.toString(), "--class", "io.venomqa.cli.support.MisspelledJourneys");

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err())
                .contains("io.venomqa.cli.support.MisspelledJourneys.misspelled() failed: Invalid journey 'misspelled'")
                .contains("Did you mean 'order_created'?")
                .contains("nothing was run")
                .doesNotContain("null");
        assertThat(r.out()).doesNotContain("▶ journey");
        assertThat(users).isEmpty();
    }

    @Test
    void listShowsTheValidJourneysOfAClassWithAnInvalidOneAndExits3() {
        Result r = Cli.run("run", "--list", "--class", "io.venomqa.cli.support.MisspelledJourneys");

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.out()).isEqualTo("fine\n");
        assertThat(r.err()).contains("Did you mean 'order_created'?");
    }

    @Test
    void aStaticFieldWhoseJourneyIsInvalidIsExit3WithTheMessageNotAStackTraceAndOtherClassesStillList() {
        Result r = Cli.run("run", "--list", "--class", "io.venomqa.cli.support.MisspelledField",
                "--class", "io.venomqa.cli.support.StaticJourneys");

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err())
                .contains("Class io.venomqa.cli.support.MisspelledField could not be initialised")
                .contains("Invalid journey 'checkout'")
                .contains("Did you mean 'order_created'?")
                .doesNotContain("ExceptionInInitializerError")
                .doesNotContain("\tat ");
        assertThat(r.out()).contains("health", "ping");
    }

    @Test
    void aRegisteredProviderThatThrowsDoesNotHideTheOtherProvidersJourneys() throws IOException {
        Path extra = dir.resolve("extra");
        Files.createDirectories(extra.resolve("META-INF/services"));
        Files.writeString(extra.resolve("META-INF/services/io.venomqa.runner.JourneyProvider"),
                "io.venomqa.cli.support.MisspelledProvider\n");

        Result list = Cli.run("run", "--list", "-cp", extra.toString());
        Result run = Cli.run("run", "-c", config.toString(), "-cp", extra.toString());

        assertThat(list.code()).as(list.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(list.out()).isEqualTo("signup  [smoke]\nbroken  [nightly]\n");
        assertThat(list.err()).contains("io.venomqa.cli.support.MisspelledProvider.journeys() failed: Invalid journey 'refund'")
                .contains("Did you mean 'order_created'?");
        assertThat(run.code()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.out()).doesNotContain("▶ journey");
    }

    // ---- issue 12, bug 2: an unreachable database is exit 4 ------------------------------------

    @Test
    void anUnreachableDatabaseIsExit4WithTheMaskedUrlAndNoJourneyReportedAsFailed() throws IOException {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Files.writeString(config, "base_url: http://127.0.0.1:" + api.getAddress().getPort() + "\n"
                + "db_url: postgresql://qa:Secret-Pa55@127.0.0.1:" + closedPort + "/qa_test\n"
                + "report_dir: " + dir.resolve("reports") + "\n");

        Result r = Cli.run("run", "-c", config.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.DATABASE);
        assertThat(r.err()).contains("postgresql://qa:***@127.0.0.1:" + closedPort + "/qa_test")
                .doesNotContain("Secret-Pa55");
        assertThat(r.out()).doesNotContain("FAILED").doesNotContain("Secret-Pa55");
        assertThat(users).isEmpty();
    }

    @Test
    void aRefusedPasswordIsExit4() throws Exception {
        try (io.venomqa.cli.support.PasswordDemandingServer server = new io.venomqa.cli.support.PasswordDemandingServer()) {
            Files.writeString(config, "base_url: http://127.0.0.1:" + api.getAddress().getPort() + "\n"
                    + "db_url: postgresql://qa:Wrong-Pa55@127.0.0.1:" + server.port() + "/test\n");

            Result r = Cli.run("run", "-c", config.toString(), "--class", "io.venomqa.cli.support.StaticJourneys");

            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.DATABASE);
            assertThat(r.err()).contains("password authentication failed").doesNotContain("Wrong-Pa55");
        }
    }

    // ---- issue 12, seed: tags ignore case and suggest ------------------------------------------

    @Test
    void tagsMatchIgnoringCase() {
        Result r = Cli.run("run", "-c", config.toString(), "--tag", "SMOKE");

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("▶ journey signup").doesNotContain("journey broken");
    }

    @Test
    void aMistypedTagGetsASuggestion() {
        Result r = Cli.run("run", "-c", config.toString(), "--tag", "smok");

        assertThat(r.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("No journey has the tag [smok]. Did you mean 'smoke'? Tags found: nightly, smoke.");
    }

    // ---- issue 12, bug 7: what a newcomer without venomqa.yaml sees -----------------------------

    @Test
    void withoutAnyVenomqaYamlTheExampleToCopyKeepsItsPasswordVariable() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        String saved = System.getProperty("user.dir");
        // ConfigOption reads the working directory's file: point the loader at an empty one.
        Result r;
        System.setProperty("user.dir", empty.toString());
        try {
            r = Cli.run("reset", "--yes");
        } finally {
            System.setProperty("user.dir", saved);
        }

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("db_url: postgresql://qa:${DB_PASSWORD}@localhost:5432/qa_test")
                .doesNotContain("qa:***@");
    }

    @Test
    void theConnectionChecklistIsIndentedUnderItsMessage() throws IOException {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Files.writeString(config, "db_url: postgresql://qa:pw@127.0.0.1:" + closedPort + "/qa_test\n");

        Result r = Cli.run("reset", "--yes", "-c", config.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.DATABASE);
        assertThat(r.err()).contains("refused")
                .contains("\n  Check that:\n    1. the PostgreSQL server is running")
                .doesNotContain("\nCheck that:");
    }

    // ---- issue 12, seed: the savepoint strategy cannot reach an API in another process ----------

    @Test
    void theSavepointStrategyIsWarnedAboutOncePerRunAndJournalIsNot() throws IOException {
        String head = "base_url: http://127.0.0.1:" + api.getAddress().getPort() + "\n"
                + "db_url: sqlite:" + dir.resolve("cli.db") + "\n";
        Files.writeString(config, head);
        Result savepoint = Cli.run("run", "-c", config.toString());
        Files.writeString(config, head + "checkpoint_strategy: journal\n");
        users.clear(); // the in-test API keeps its users in memory, out of any rollback's reach
        Result journal = Cli.run("run", "-c", config.toString(), "--tag", "smoke");

        assertThat(savepoint.out()).contains("2 journeys: 1 passed, 1 failed");
        assertThat(savepoint.err().split("checkpoint_strategy is savepoint", -1)).as(savepoint.toString()).hasSize(2);
        assertThat(savepoint.err()).contains("Set checkpoint_strategy: journal");
        assertThat(journal.code()).as(journal.toString()).isEqualTo(ExitCodes.OK);
        assertThat(journal.err()).doesNotContain("checkpoint_strategy is savepoint");
    }

    // ---- issue 12, seed: "reset between journey runs" -----------------------------------------

    private int rows(Path file) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("select count(*) from items")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private Path itemsDatabase(String name) throws Exception {
        Path file = dir.resolve(name);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement st = c.createStatement()) {
            st.execute("create table items (id integer primary key autoincrement, name text)");
            st.execute("insert into items(name) values ('left over'), ('by an earlier run')");
        }
        return file;
    }

    @Test
    void resetBeforeRunInTheFileOrAsAnOptionEmptiesTheTablesBeforeTheFirstJourney() throws Exception {
        String base = "base_url: http://127.0.0.1:" + api.getAddress().getPort() + "\n";
        Path fromFile = itemsDatabase("from-file.db");
        Files.writeString(config, base + "db_url: sqlite:" + fromFile + "\nreset: before_run\n");
        Result r = Cli.run("run", "-c", config.toString(), "--tag", "smoke");

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("reset: the reset tables were emptied; checkpoint clean_state taken before the first journey.");
        assertThat(rows(fromFile)).isZero();

        users.clear();
        Path fromOption = itemsDatabase("from-option.db");
        Files.writeString(config, base + "db_url: sqlite:" + fromOption + "\n");
        Result plain = Cli.run("run", "-c", config.toString(), "--tag", "smoke");
        assertThat(rows(fromOption)).as(plain.toString()).isEqualTo(2);
        users.clear();
        Result option = Cli.run("run", "-c", config.toString(), "--tag", "smoke", "--reset");
        assertThat(option.code()).as(option.toString()).isEqualTo(ExitCodes.OK);
        assertThat(rows(fromOption)).isZero();
    }

    @Test
    void anUnknownResetValueIsAConfigurationErrorWithASuggestion() throws IOException {
        Files.writeString(config, "base_url: http://127.0.0.1:1\ndb_url: memory://x\nreset: before-run\n");

        Result r = Cli.run("run", "-c", config.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("reset must be 'before_run' or 'never', got 'before-run'. Did you mean 'before_run'?");
    }
}
