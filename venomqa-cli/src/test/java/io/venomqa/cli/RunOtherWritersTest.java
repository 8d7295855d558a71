package io.venomqa.cli;

import com.sun.net.httpserver.HttpServer;
import io.venomqa.cli.support.Cli;
import io.venomqa.cli.support.Cli.Result;
import io.venomqa.cli.support.OwnConnectionJourneys;
import io.venomqa.cli.support.PgDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * venomqa run, explore and replay with the default savepoint strategy against an application that
 * writes through a connection of its own (as one in another process does): the journey's, the
 * exploration's or the replay's result is printed (and the reports written), then the command fails saying
 * the database was not put back and what to do, instead of passing with the row left or losing the result.
 */
class RunOtherWritersTest {

    HttpServer api;
    PgDatabase db;
    Path config;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/signup", x -> {
            x.getRequestBody().readAllBytes();
            // The "application" commits on a connection of its own, as one in another process does.
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("insert into " + db.schema + ".users (email) values ('d@example.com')");
            } catch (SQLException e) {
                throw new IOException(e);
            }
            byte[] reply = "{}".getBytes();
            x.sendResponseHeaders(200, reply.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(reply);
            }
        });
        api.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            byte[] reply = "{}".getBytes();
            x.sendResponseHeaders(200, reply.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(reply);
            }
        });
        api.start();
        db = new PgDatabase();
        OwnConnectionJourneys.database = db;
        config = dir.resolve("venomqa.yaml");
        Files.writeString(config, "base_url: http://127.0.0.1:" + api.getAddress().getPort() + "\n"
                + "db_url: " + db.url + "\ndb_options: {schema: " + db.schema + "}\n");
    }

    @AfterEach
    void stop() throws Exception {
        api.stop(0);
        db.close();
    }

    @Test
    void aRowCommittedOnTheApplicationsOwnConnectionFailsTheRunAfterItsResults() throws Exception {
        Path reports = dir.resolve("reports");
        Result r = Cli.run("run", "-c", config.toString(), "--class", "io.venomqa.cli.support.OwnConnectionJourneys",
                "--report-dir", reports.toString());

        // The journey's steps passed, but its paths did not all start from the same state: it fails, and its
        // reports, written again, no longer say the database was put back between paths.
        assertThat(r.out()).as(r.toString()).contains("1 journey: 0 passed, 1 failed");
        assertNotPutBack(r);
        Path json;
        try (var files = Files.list(reports)) {
            json = files.filter(p -> p.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
        }
        String report = Files.readString(json);
        assertThat(report).contains("\"databaseIsolated\" : false").contains("The database was NOT put back as it was found")
                .contains("table users (2 rows at connect, 3 now) differs");
        try (var files = Files.list(reports)) {
            Path html = files.filter(p -> p.getFileName().toString().endsWith(".html")).findFirst().orElseThrow();
            assertThat(Files.readString(html)).contains("NOT put back between paths").doesNotContain("rolled back between paths");
        }
    }

    @Test
    void anExplorationsResultAndReportsComeBeforeTheFailure() throws Exception {
        Path reports = dir.resolve("reports");
        Result r = Cli.run("explore", "-c", config.toString(), "--class", "io.venomqa.cli.support.OwnConnectionExplorations",
                "--report-dir", reports.toString());

        assertThat(r.out()).as(r.toString()).contains("1 exploration: 1 passed, 0 with violations");
        assertNotPutBack(r);
        try (var files = Files.list(reports)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("reports written before the failure")
                    .anyMatch(n -> n.endsWith(".html")).anyMatch(n -> n.endsWith(".json"));
        }
    }

    @Test
    void aReplaysMovesAndVerdictComeBeforeTheFailure() throws Exception {
        Path reports = dir.resolve("reports");
        Result explored = Cli.run("explore", "-c", config.toString(), "--class",
                "io.venomqa.cli.support.CommittingApiExplorations", "--report-dir", reports.toString());
        assertThat(explored.out()).as(explored.toString()).contains("1 exploration: 0 passed, 1 with violations");
        Path report;
        try (var files = Files.list(reports)) {
            report = files.filter(p -> p.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
        }

        long before = db.count("users"); // the exploration's own commits stay, reported by its disconnect

        Result r = Cli.run("replay", report.toString(), "-c", config.toString());

        assertThat(r.out()).as(r.toString())
                .contains("1. sign up")
                .contains("/signup → 200")
                .contains("STILL THERE: 'expected status' failed again")
                .doesNotContain("put back as found");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).as(r.toString())
                .contains("disconnect() could not put postgresql://")
                .contains("table users (" + before + " rows at connect, " + (before + 1) + " now) differs");
        assertThat(db.count("users")).as("the replay's commit is reported, not removed").isEqualTo(before + 1);
    }

    @Test
    void aCheckOtherWritersValueThatIsNoBooleanIsExit3BeforeAnythingRunsNotTheCheckSwitchedOff() throws Exception {
        // Before: a [WARN], the check off for the session, and a run reporting the database isolated with the row left.
        Files.writeString(config, Files.readString(config) + "check_other_writers: nope\n");

        Result r = Cli.run("run", "-c", config.toString(), "--class", "io.venomqa.cli.support.OwnConnectionJourneys");

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).as(r.toString()).contains(config + ":4: check_other_writers must be true or false"
                + " (also yes/no, on/off, 1/0), got 'nope' (an option of db_backend 'postgresql'); correct it, or remove it"
                + " to use the default (true).");
        assertThat(r.out()).as("no journey ran").doesNotContain("journey");
        assertThat(db.count("users")).isEqualTo(2);
    }

    /** Exit 1 with the disconnect's message naming the table; the row is reported, not removed. */
    private void assertNotPutBack(Result r) throws Exception {
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).as(r.toString())
                .contains("disconnect() could not put postgresql://")
                .contains("table users (2 rows at connect, 3 now) differs")
                .contains("checkpoint_strategy: journal");
        assertThat(db.count("users")).as("the row is reported, not removed").isEqualTo(3);
    }
}
