package io.venomqa.reliability;

import io.venomqa.config.VenomQAConfig;
import io.venomqa.http.Response;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.report.ConsoleReporter;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.runner.StepResult;
import io.venomqa.state.StateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs FAILING journeys that use every kind of secret (a bearer token the API hands out, an explicit
 * {@code Authorization} header, a secret API-key header, a password in {@code db_url} coming from
 * {@code ${DB_PASSWORD}}, a password in a JSON request body that the API echoes back in an error)
 * and scans every artifact they produce for the secrets: console output, everything written to
 * System.out and System.err during the run (the SLF4J simple logger writes there, at debug level in
 * this module), the JSON, JUnit XML and HTML reports, the results' messages and stack traces, and
 * the exceptions of a state manager that cannot connect.
 */
class SecretsScanTest {

    static final String TOKEN = "tokZq81hV7cPx";
    static final String BASIC = "basicKp4Tz0Wm";
    static final String API_KEY = "apikeyRr52Jd";
    static final String DB_PASSWORD = "dbpwKx93Lm";
    static final String BODY_PASSWORD = "bodypwWq27Ns";
    static final String FORM_PASSWORD = "formpwHt64Qa";
    static final String QUERY_TOKEN = "querytokPp18Vz";
    static final String RETURNED_SECRET = "returnedSc73Lb";
    static final String COLUMN_SECRET = "columnPw55Xe";
    static final String CONTEXT_SECRET = "ctxTokGg41Ry";
    static final List<String> SECRETS = List.of(TOKEN, BASIC, API_KEY, DB_PASSWORD, BODY_PASSWORD, FORM_PASSWORD, QUERY_TOKEN,
            RETURNED_SECRET, COLUMN_SECRET, CONTEXT_SECRET);

    @TempDir
    java.nio.file.Path reports;

    private Api api;
    private TestDb db;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private StateManager currentManager;
    private PrintStream out;
    private PrintStream err;

    @BeforeEach
    void start() throws Exception {
        db = TestDb.postgres();
        db.exec("create table orders (id serial primary key, item text)",
                // Written by a step, so that the database changes in every report carry secret-looking columns.
                "create table accounts (id serial primary key, email text, password text, api_token text, profile jsonb, "
                        + "passwd text, dsn text)");
        api = new Api()
                .route("POST /login", r -> new Api.Reply(200, "{\"token\":\"" + TOKEN + "\"}"))
                // A login form, echoed back; a search whose URL carries a token
                .route("POST /form", r -> new Api.Reply(200, "{\"received\":\"" + r.body() + "\"}"))
                .route("GET /search", r -> new Api.Reply(200, "[]"))
                .route("GET /me", r -> new Api.Reply(401, "{\"error\":\"bad credentials\",\"got\":\""
                        + r.header("Authorization") + "\",\"key\":\"" + r.header("X-Api-Key") + "\"}"))
                // An API that echoes the request in its error: the password is inside a field that is not secret.
                .route("POST /pay", r -> new Api.Reply(500, "{\"error\":\"declined\",\"request\":"
                        + com.fasterxml.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(r.body())
                        + ",\"authorization\":\"" + r.header("Authorization") + "\"}"));
        out = System.out;
        err = System.err;
        System.setOut(new PrintStream(new Tee(out, captured), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err, captured), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() throws Exception {
        System.setOut(out);
        System.setErr(err);
        api.close();
        db.close();
    }

    private Journey journey() {
        return Journey.builder("secrets")
                .step("register", (client, ctx) -> {
                    // What the application would write: the row reaches the database-changes capture (issue 13, item 4).
                    try (java.sql.Connection c = ((io.venomqa.state.jdbc.JdbcStateManager) currentManager).sharedDataSource()
                            .getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                            "insert into accounts (email, password, api_token, profile, passwd, dsn) values ('qa@example.com', ?, ?, ?::jsonb, ?, ?)")) {
                        ps.setString(1, BODY_PASSWORD);
                        ps.setString(2, TOKEN);
                        // A column of JSON whose name is not secret, holding a secret field deep inside
                        ps.setString(3, "{\"name\": \"qa\", \"integrations\": [{\"api_key\": \"" + API_KEY + "\"}]}");
                        ps.setString(4, COLUMN_SECRET);
                        // a data source's URL kept in a column
                        ps.setString(5, "postgresql://app:" + COLUMN_SECRET + "@db.internal:5432/app");
                        return ps.executeUpdate();
                    }
                })
                .step("form", (client, ctx) -> client.request("POST", "/form")
                        .header("Content-Type", "application/x-www-form-urlencoded").body("user=qa&password=" + FORM_PASSWORD).send())
                .step("search", (client, ctx) -> client.get("/search?q=shoes&refresh_token=" + QUERY_TOKEN))
                .step("keys", (client, ctx) -> Map.of("user", "qa", "api_token", RETURNED_SECRET))
                .step("login", (client, ctx) -> {
                    Response r = client.post("/login", Map.of("email", "qa@example.com", "password", BODY_PASSWORD));
                    client.setAuthToken(r.json().get("token").asText());
                    return r;
                })
                .checkpoint("logged_in")
                .branch("logged_in",
                        Path.builder("explicit_header").step("me", (client, ctx) -> client.request("GET", "/me")
                                .header("Authorization", "Basic " + BASIC).header("X-Api-Key", API_KEY).send()).build(),
                        Path.builder("echoing_error").step("pay", (client, ctx) -> client.post("/pay",
                                Map.of("card", "4111", "password", BODY_PASSWORD))).build(),
                        Path.builder("context").step("quotes", (client, ctx) -> {
                            // a token the step keeps in the context, quoted by the step's own exception
                            ctx.set("session_token", CONTEXT_SECRET);
                            throw new IllegalStateException("session " + CONTEXT_SECRET + " was refused");
                        }).build(),
                        Path.builder("throws").step("explode", (client, ctx) -> {
                            // user code that puts a response carrying the token into its exception
                            Response r = client.post("/login", Map.of("password", BODY_PASSWORD));
                            throw new IllegalStateException("login answered " + r.body());
                        }).build())
                .build();
    }

    @Test
    @DisplayName("a failing journey with token, Authorization, API key, db_url password and body password leaks none of them anywhere")
    void noSecretInAnyArtifact() throws Exception {
        String yaml = """
                base_url: %s
                db_url: postgresql://postgres:${DB_PASSWORD}@127.0.0.1:5432/test
                schema: %s
                report_dir: %s
                track_changes: true
                """.formatted(api.baseUrl(), db.name, reports.resolve("ok"));
        VenomQAConfig config = VenomQAConfig.loader().environment(Map.of("DB_PASSWORD", DB_PASSWORD)).parse(yaml);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ConsoleReporter reporter = new ConsoleReporter(new PrintStream(console, true, StandardCharsets.UTF_8), false);
        JourneyRunner runner = config.runnerBuilder().listener(reporter).console().build();
        currentManager = runner.stateManager();
        JourneyResult result = runner.run(journey());
        assertThat(result.step("register").dbChanges().inserted("accounts")).as("the step's row was captured").isEqualTo(1);
        assertThat(result.failed()).isTrue();

        // A second run whose database cannot be reached (wrong port): its errors carry the URL.
        VenomQAConfig unreachable = VenomQAConfig.loader().environment(Map.of("DB_PASSWORD", DB_PASSWORD)).parse("""
                base_url: %s
                db_url: postgresql://postgres:${DB_PASSWORD}@127.0.0.1:1/test
                connection_timeout: 5s
                report_dir: %s
                """.formatted(api.baseUrl(), reports.resolve("unreachable")));
        JourneyResult noDb = unreachable.runnerBuilder().listener(reporter).build().run(journey());
        assertThat(noDb.failed()).isTrue();
        assertThat(noDb.message()).contains("could not connect").contains("postgres:***@127.0.0.1:1");

        Map<String, String> artifacts = new LinkedHashMap<>();
        artifacts.put("console", console.toString(StandardCharsets.UTF_8));
        artifacts.put("stdout+stderr (logs)", captured.toString(StandardCharsets.UTF_8));
        try (Stream<java.nio.file.Path> files = Files.walk(reports)) {
            for (java.nio.file.Path f : files.filter(Files::isRegularFile).toList()) {
                artifacts.put(reports.relativize(f).toString(), Files.readString(f));
            }
        }
        for (JourneyResult r : List.of(result, noDb)) {
            artifacts.put(r.name() + " summary", r.summary() + r.message() + r.warnings());
            for (JourneyResult.Failure f : r.failures()) {
                artifacts.put("failure " + f.location(), f.message() + "\n" + describe(f.step()));
            }
        }
        // The exception a user sees from connect(), with its causes and stack trace.
        StateManager m = unreachable.createStateManager();
        try {
            m.connect();
        } catch (RuntimeException e) {
            StringWriter sw = new StringWriter();
            e.printStackTrace(new PrintWriter(sw));
            artifacts.put("connect() exception", sw.toString());
        }
        artifacts.put("config toString", config + " " + unreachable + " " + m + " " + runner.client());

        assertThat(artifacts.keySet()).as("every artifact kind was produced")
                .anyMatch(k -> k.endsWith(".json")).anyMatch(k -> k.endsWith(".xml")).anyMatch(k -> k.endsWith(".html"))
                .contains("connect() exception");
        assertThat(artifacts.get("stdout+stderr (logs)")).as("the logger wrote to the captured streams")
                .contains("DEBUG io.venomqa");
        assertThat(artifacts.entrySet()).as("the database changes are in the JSON and HTML reports")
                .anyMatch(e -> e.getKey().endsWith(".json") && e.getValue().contains("accounts") && e.getValue().contains("api_token"))
                .anyMatch(e -> e.getKey().endsWith(".html") && e.getValue().contains("api_token"));
        assertThat(artifacts.get("console")).as("the failures are shown")
                .contains("request:  POST " + api.baseUrl() + "/pay").contains("IllegalStateException");
        List<String> leaks = new ArrayList<>();
        artifacts.forEach((name, text) -> {
            for (String secret : SECRETS) {
                int i = text.indexOf(secret);
                if (i >= 0) {
                    leaks.add(secret + " in " + name + ": …" + text.substring(Math.max(0, i - 80), Math.min(text.length(), i + 40)) + "…");
                }
            }
        });
        assertThat(leaks).as("secrets found in the artifacts").isEmpty();
    }

    private static String describe(StepResult s) {
        return s == null ? "" : s.message() + "\n" + s.stackTrace() + "\n" + s.exchanges() + "\n" + s.valueSummary();
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            synchronized (b) {
                b.write(c);
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            synchronized (b) {
                b.write(buf, off, len);
            }
        }
    }
}
