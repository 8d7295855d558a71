package io.venomqa.cli;

import com.sun.net.httpserver.HttpServer;
import io.venomqa.cli.support.Cli;
import io.venomqa.cli.support.Cli.Result;
import io.venomqa.cli.support.PasswordDemandingServer;
import io.venomqa.cli.support.PgDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** venomqa doctor against the machine's PostgreSQL, a server that refuses the password, and no server. */
class DoctorTest {

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

    /** The database URL with a password that trust auth ignores but that must never be printed. */
    private static String urlWithPassword() {
        return db.url.replace(db.user + "@", db.user + ":Hunter2-secret@");
    }

    @Test
    void aCorrectConfigurationGetsAFullReportAndExitZero() throws Exception {
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/", x -> {
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        api.start();
        try {
            Path f = config("base_url: http://127.0.0.1:" + api.getAddress().getPort() + "\n"
                    + "db_url: " + urlWithPassword() + "\n"
                    + "exclude_tables: [countries]\n"
                    + "db_options:\n  schema: " + db.schema + "\n");

            Result r = Cli.run("doctor", "-c", f.toString());

            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
            assertThat(r.out())
                    .contains("config    " + f.toAbsolutePath())
                    .contains("base_url  http://127.0.0.1:" + api.getAddress().getPort() + "  (answers: HTTP 204)")
                    .contains("backend   postgresql (io.venomqa:venomqa-backend-postgres)")
                    .contains("strategy  savepoint")
                    .contains("database  " + db.url.replace(db.user + "@", db.user + ":***@"))
                    .containsPattern("server    ✓ connected: PostgreSQL \\d+")
                    .contains("schema    " + db.schema)
                    .contains("reset would empty (2): orders, users")
                    .containsPattern("countries +listed in exclude_tables")
                    .containsPattern("flyway_schema_history +migration table \\(always kept\\)")
                    .contains("✓ savepoint: nothing to install")
                    .contains("✓ reset allowed")
                    .contains("No problems found.")
                    .doesNotContain("Hunter2-secret");
        } finally {
            api.stop(0);
        }
        // It changed nothing.
        assertThat(db.count("users")).isEqualTo(2);
    }

    @Test
    void anApplicationTableNamedLikeVenomQAsOwnIsNamedAsSuch() throws Exception {
        Path file = dir.resolve("shop_test.db");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement st = c.createStatement()) {
            st.execute("create table items (id integer primary key)");
            st.execute("create table venomqa_orders (id integer primary key)");
        }
        Path f = config("db_url: sqlite:///" + file + "\n");

        Result r = Cli.run("doctor", "--skip-api", "-c", f.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("reset would empty (1): items")
                .containsPattern("venomqa_orders +named like VenomQA's own tables \\(venomqa_\\*\\) but not one: kept out, "
                        + "never rolled back by the journal; rename it");
    }

    @Test
    void tablesToResetAreExplainedAndAMissingApiIsOnlyAWarning() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        Path f = config("base_url: http://127.0.0.1:" + freePort + "\n"
                + "db_url: " + db.url + "\n"
                + "tables_to_reset: [users, orders]\n"
                + "db_options: {schema: " + db.schema + "}\n");

        Result r = Cli.run("doctor", "-c", f.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).containsPattern("countries +not listed in tables_to_reset")
                .contains("⚠ The API at base_url does not answer")
                .contains("No problems found (1 warning).");
    }

    @Test
    void sequenceTheRoleMayNotSetIsAProblemWithTheGrantToRun() throws Exception {
        String role = "vqcli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        db.exec("create role " + role + " login",
                "grant usage on schema " + db.schema + " to " + role,
                "grant select, insert, update, delete on all tables in schema " + db.schema + " to " + role,
                "grant usage, select on all sequences in schema " + db.schema + " to " + role);
        try {
            Path f = config("db_url: postgresql://" + role + "@" + db.host + ":" + db.port + "/" + db.database + "\n"
                    + "db_options: {schema: " + db.schema + "}\n");

            Result r = Cli.run("doctor", "--skip-api", "-c", f.toString());

            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(r.out()).contains("may not set sequences " + db.schema + ".")
                    .contains("GRANT UPDATE ON SEQUENCE " + db.schema + ".users_id_seq TO " + role + ";")
                    .contains("fix: Run the GRANT statements of the message as the sequences' owner");
        } finally {
            db.exec("drop owned by " + role, "drop role " + role);
        }
    }

    @Test
    void journalWithoutTriggerPrivilegesIsAProblemWithTheGrantToRun() throws Exception {
        String role = "vqcli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        db.exec("create role " + role + " login",
                "grant usage on schema " + db.schema + " to " + role,
                "grant select, insert, update, delete on all tables in schema " + db.schema + " to " + role,
                // UPDATE too: without it connect() refuses the sequences first (sequenceTheRoleMayNotSetIsAProblemWithTheGrantToRun)
                "grant usage, select, update on all sequences in schema " + db.schema + " to " + role);
        try {
            Path f = config("db_url: postgresql://" + role + "@" + db.host + ":" + db.port + "/" + db.database + "\n"
                    + "checkpoint_strategy: journal\n"
                    + "db_options: {schema: " + db.schema + "}\n");

            Result r = Cli.run("doctor", "--skip-api", "-c", f.toString());

            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(r.out()).contains("strategy  journal")
                    // Whether the shared server has a 'venomqa' schema right now (other runs journaling)
                    // decides which of the two messages; either way this user may not create the journal.
                    .contains("✗ journal: the user may not create")
                    .contains("✗ journal: the user does not own [" + db.schema + ".countries, " + db.schema + ".orders, "
                            + db.schema + ".users]: PostgreSQL lets only a table's owner drop a trigger")
                    .contains("fix: The tables belong to a superuser: give them an owner role of their own")
                    .contains("GRANT app_owner TO " + role + ";")
                    .containsPattern("\\d problems? found; fix");
        } finally {
            db.exec("drop owned by " + role, "drop role " + role);
        }
    }

    @Test
    void journalForTheOwnerHasNoProblem() throws Exception {
        Path f = config("db_url: " + db.url + "\ncheckpoint_strategy: journal\ndb_options: {schema: " + db.schema + "}\n");

        Result r = Cli.run("doctor", "--skip-api", "-c", f.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("✓ journal: the user may create the journal and triggers on all 3 tracked tables.");
        // Inspecting installed nothing: no trigger on the schema's tables.
        assertThat(db.column("select tgname from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n"
                + " on n.oid = c.relnamespace where not t.tgisinternal and n.nspname = '" + db.schema + "'")).isEmpty();
    }

    @Test
    void aRefusedPasswordShowsTheMaskedUrlAndTheFix() throws Exception {
        try (PasswordDemandingServer server = new PasswordDemandingServer()) {
            String url = "postgresql://qa:Wrong-Pa55@127.0.0.1:" + server.port() + "/test";
            Path f = config("db_url: " + url + "\n");

            Result r = Cli.run("doctor", "--skip-api", "-c", f.toString());

            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(server.received).containsExactly("Wrong-Pa55"); // the driver really offered it
            assertThat(r.out())
                    .contains("database  postgresql://qa:***@127.0.0.1:" + server.port() + "/test")
                    .contains("✗ Cannot connect")
                    .contains("password authentication failed for user \"qa\"")
                    .contains("fix: The database refused the user name or password")
                    .contains("1 problem found")
                    .doesNotContain("Wrong-Pa55");
        }
    }

    @Test
    void nothingListeningIsExplained() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        Path f = config("db_url: postgresql://qa:s3cr3t@127.0.0.1:" + freePort + "/test\n");

        Result r = Cli.run("doctor", "--skip-api", "-c", f.toString());

        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("postgresql://qa:***@127.0.0.1:" + freePort + "/test")
                .contains("fix: Nothing answers at that host and port")
                .doesNotContain("s3cr3t");
    }

    @Test
    void anUnknownBackendNamesTheArtifactToAdd() throws Exception {
        Path f = config("db_backend: postgress\ndb_url: " + db.url + "\n");

        Result r = Cli.run("doctor", "--skip-api", "-c", f.toString());

        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("✗ The backend cannot be set up: Unknown db_backend 'postgress'")
                .contains("venomqa backends lists what is there");
    }

    @Test
    void anOptionValueItsTypeDoesNotReadIsAProblemWithItsLineFoundBeforeConnecting() throws Exception {
        // Before: "No problems found." here, and venomqa run failing with exit 4 ("database unreachable") after connecting.
        Path f = config("db_url: " + db.url + "\ncheckpoint_strategy: journal\ndb_options:\n  schema: " + db.schema
                + "\n  lock_timeout: soon\n  journal_recovery: whatever\n  connection_timeout: never\n");

        Result r = Cli.run("doctor", "--skip-api", "-c", f.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        String owner = " (an option of db_backend 'postgresql' with checkpoint_strategy 'journal'); correct it, or remove it"
                + " to use the default";
        assertThat(r.out())
                .contains("✗ The configuration cannot be read: " + f + ":5: db_options: lock_timeout must be a duration such"
                        + " as 30 (seconds), 500ms, 30s or 2m, got 'soon'" + owner + " (30s).")
                .contains(f + ":6: db_options: journal_recovery must be one of restore, refuse, discard, got 'whatever'"
                        + owner + " (restore).")
                .contains(f + ":7: db_options: connection_timeout must be a duration such as 30 (seconds), 500ms, 30s or 2m,"
                        + " got 'never'" + owner + " (30s).")
                .contains("fix: Fix the file as the message says")
                .doesNotContain("add the missing artifact")
                .doesNotContain("No problems found")
                .contains("1 problem found");

        Result run = Cli.run("run", "-c", f.toString());
        assertThat(run.code()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains(f + ":5: db_options: lock_timeout must be a duration");
    }

    @Test
    void aBrokenOrMissingFileIsAProblem() throws Exception {
        Path f = config("db_ulr: postgresql://x@localhost/y\n");
        Result typo = Cli.run("doctor", "-c", f.toString());
        assertThat(typo.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(typo.out()).contains("unknown key 'db_ulr', did you mean 'db_url'?");

        // A file named with -c that does not exist is not a problem of the file: exit 3, as run, explore and reset.
        Result missing = Cli.run("doctor", "-c", dir.resolve("nope.yaml").toString());
        assertThat(missing.code()).as(missing.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(missing.err()).contains("venomqa doctor: Configuration file " + dir.resolve("nope.yaml") + " not found (-c).");
    }
}
