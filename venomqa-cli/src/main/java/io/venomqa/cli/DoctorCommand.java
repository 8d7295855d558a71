package io.venomqa.cli;

import io.venomqa.cli.internal.Inspection;
import io.venomqa.config.VenomQAConfig;
import io.venomqa.state.BackendInfo;
import io.venomqa.core.CredentialMasker;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import io.venomqa.state.spi.TestDatabaseGuard;
import io.venomqa.state.UnsafeDatabaseException;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.jdbc.spi.ResetPlan;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code venomqa doctor}: reads the configuration, connects, and says what VenomQA would do and
 * what stands in its way. It changes nothing: it inspects with the {@code savepoint} strategy
 * whatever is configured (so no journal triggers are installed) and disconnects, which rolls back.
 * Every problem is printed with what to do about it; the exit code is 1 when there is any.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check venomqa.yaml and the database, and say what to fix.",
                "Prints the backend, strategy, masked URL, server version, the tables reset would empty and those it keeps (and why), and checks what the strategy needs. Changes nothing."},
        footer = ExitCodes.HELP_FOOTER)
public final class DoctorCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--skip-api", description = "Do not try to reach base_url.")
    boolean skipApi;

    /** The MySQL backend's option for tables without transactions ({@code refuse} by default, or {@code warn}). */
    static final String NON_TRANSACTIONAL_OPTION = "non_transactional_tables";

    private PrintWriter out;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        try {
            check();
        } finally {
            summary();
            out.flush();
        }
        return problems.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private void check() {
        line("config", config.describe());
        VenomQAConfig cfg;
        try {
            cfg = config.load();
        } catch (RuntimeException e) {
            problem("The configuration cannot be read: " + e.getMessage(),
                    "Fix the file as the message says, or pass another one with -c/--config.");
            return;
        }
        checkApi(cfg);
        if (!cfg.hasDatabase()) {
            problem("No database configured: without one, checkpoints and branches roll back the context only.",
                    "Set db_url in " + VenomQAConfig.FILE_NAME + " (for example postgresql://qa:${DB_PASSWORD}@localhost:5432/qa_test),"
                            + " or " + VenomQAConfig.ENV_DB_URL + ".");
            return;
        }
        StateConfig stateConfig = cfg.toStateConfig();
        StateManager configured;
        try {
            configured = StateManagers.create(stateConfig);
        } catch (RuntimeException e) {
            line("database", String.valueOf(CredentialMasker.maskUrl(stateConfig.url())));
            problem("The backend cannot be set up: " + e.getMessage(),
                    "Correct db_backend/db_url/checkpoint_strategy, or add the missing artifact (venomqa backends lists what is there).");
            return;
        }
        BackendInfo backend = Inspection.backendOf(configured);
        line("backend", backend == null ? configured.getClass().getSimpleName() : backend.name() + " (" + backend.artifact() + ")");
        String strategy = configured instanceof JdbcStateManager j ? j.checkpointStrategy() : "(not an SQL backend)";
        line("strategy", strategy);
        line("database", String.valueOf(CredentialMasker.maskUrl(stateConfig.url())));
        if (!(configured instanceof JdbcStateManager)) {
            inspectOther(configured);
            return;
        }
        StateConfig inspectWith = Inspection.readOnly(stateConfig);
        boolean mysql = ((JdbcStateManager) configured).dialect().name().equalsIgnoreCase("mysql");
        if (mysql) {
            // The backend refuses to connect over MyISAM tables; doctor connects anyway to name them all.
            inspectWith = inspectWith.toBuilder().option(NON_TRANSACTIONAL_OPTION, "warn").build();
        }
        JdbcStateManager m = (JdbcStateManager) StateManagers.create(inspectWith);
        try {
            m.connect();
        } catch (RuntimeException e) {
            String message = e.getMessage();
            problem("Cannot connect: " + message, connectionFix(message, stateConfig));
            return;
        }
        try {
            inspect(m, stateConfig, strategy);
        } finally {
            m.disconnect();
        }
    }

    private void inspect(JdbcStateManager m, StateConfig stateConfig, String strategy) {
        line("server", "✓ connected: " + Inspection.serverVersion(m));
        line("schema", m.schemaName());
        ResetPlan plan;
        try {
            plan = m.resetPlan();
        } catch (RuntimeException e) {
            problem("reset() could not work with this configuration: " + e.getMessage(),
                    "Fix tables_to_reset / exclude_tables as the message says.");
            return;
        }
        List<String> names = Inspection.names(plan.tables());
        out.println();
        out.println("reset would empty (" + names.size() + "): " + (names.isEmpty() ? "nothing" : String.join(", ", names)));
        Map<String, String> kept = Inspection.keptTables(m, plan, stateConfig);
        out.println("reset keeps (" + kept.size() + ")" + (kept.isEmpty() ? "" : ":"));
        List<String[]> rows = new ArrayList<>();
        kept.forEach((t, why) -> rows.add(new String[] {t, why}));
        Table.print(out, rows, "  ");
        if (names.isEmpty()) {
            warning("reset() would empty no table: the schema has none outside the kept ones. Is 'schema' (db_options) right?");
        }
        out.println();
        String dialect = m.dialect().name().toLowerCase(Locale.ROOT);
        if (dialect.equals("mysql")) {
            checkInnoDb(m, Inspection.names(m.trackedTables()), "warn".equalsIgnoreCase(stateConfig.optionString(NON_TRANSACTIONAL_OPTION, null)));
        }
        if (strategy.equals("journal")) {
            try {
                checkJournal(m, dialect);
            } catch (RuntimeException e) {
                // The catalog can change under us (another run installing or removing its journal).
                warning("Could not finish checking the journal's privileges: " + e.getMessage());
            }
        } else {
            ok("savepoint: nothing to install. Your API must write through the state manager's shared DataSource"
                    + " (same JVM); for an API in another process use checkpoint_strategy: journal.");
        }
        try {
            TestDatabaseGuard.check(stateConfig, "reset");
            ok("reset allowed: the database is local or allowed in the configuration.");
        } catch (UnsafeDatabaseException e) {
            if (strategy.equals("journal")) {
                problem(e.getMessage(), "The journal installs triggers, which needs the same permission as reset: set"
                        + " db_options: {allow_remote: true} or allowed_hosts if this is a test database.");
            } else {
                warning("venomqa reset and reset() will refuse this database: " + e.getMessage());
            }
        }
    }

    private void inspectOther(StateManager configured) {
        try {
            configured.connect();
            ok("connected (" + configured.getClass().getSimpleName() + "): nothing else to check for this backend.");
        } catch (RuntimeException e) {
            problem("Cannot connect: " + e.getMessage(), "See the message above.");
        } finally {
            configured.disconnect();
        }
    }

    // ---- strategy checks ----------------------------------------------------------------------

    private void checkJournal(JdbcStateManager m, String dialect) {
        switch (dialect) {
            case "postgresql" -> checkPostgresJournal(m);
            case "mysql" -> checkMySqlJournal(m);
            case "sqlite" -> ok("journal: SQLite triggers need no privilege; the database file must be writable.");
            default -> problem("journal is not available for " + m.dialect().displayName() + ".",
                    "Use checkpoint_strategy: savepoint.");
        }
    }

    private void checkPostgresJournal(JdbcStateManager m) {
        boolean schemaExists = bool(m, "select exists(select 1 from pg_namespace where nspname = 'venomqa') as b");
        if (schemaExists) {
            if (!bool(m, "select has_schema_privilege('venomqa', 'CREATE') and has_schema_privilege('venomqa', 'USAGE') as b")) {
                problem("journal: the user may not create objects in the schema 'venomqa' (its journal lives there).",
                        "GRANT USAGE, CREATE ON SCHEMA venomqa TO " + currentUser(m) + ";");
            }
            // Another run may own the schema; read its runs only where this user may look.
            List<Map<String, Object>> runs = bool(m, "select has_schema_privilege('venomqa', 'USAGE')"
                    + " and to_regclass('venomqa.runs') is not null"
                    + " and has_table_privilege('venomqa.runs', 'SELECT') as b")
                    ? m.queryRows("select owner, started_at::text as started from venomqa.runs where schema_name = ?",
                    m.schemaName())
                    : List.of();
            for (Map<String, Object> r : runs) {
                warning("journal: a run that did not end cleanly left its journal (owner " + r.get("owner") + ", started "
                        + r.get("started") + "); the next connect restores the data to that run's start (or refuses with"
                        + " db_options: {journal_recovery: refuse}).");
            }
        } else if (!bool(m, "select has_database_privilege(current_database(), 'CREATE') as b")) {
            problem("journal: the user may not create the schema 'venomqa' that holds the journal.",
                    "GRANT CREATE ON DATABASE " + m.queryRows("select current_database() as d").get(0).get("d") + " TO "
                            + currentUser(m) + "; (or create the schema venomqa once as its owner).");
        }
        List<String> noTrigger = new ArrayList<>();
        for (var t : m.trackedTables()) {
            if (!bool(m, "select has_table_privilege(c.oid, 'TRIGGER') as b from pg_class c join pg_namespace n on"
                    + " n.oid = c.relnamespace where n.nspname = ? and c.relname = ?", m.schemaName(), t.name())) {
                noTrigger.add(m.schemaName() + "." + t.name());
            }
        }
        if (noTrigger.isEmpty()) {
            ok("journal: the user may create the journal and triggers on all " + m.trackedTables().size() + " tracked tables.");
        } else {
            problem("journal: no TRIGGER privilege on " + noTrigger + ".",
                    "GRANT TRIGGER ON " + String.join(", ", noTrigger) + " TO " + currentUser(m)
                            + "; or list them in exclude_tables (then they are not rolled back).");
        }
    }

    private void checkMySqlJournal(JdbcStateManager m) {
        boolean may = false;
        for (Map<String, Object> row : m.queryRows("show grants")) {
            String grant = String.valueOf(row.values().iterator().next()).toUpperCase(Locale.ROOT);
            if (grant.contains("ALL PRIVILEGES") || grant.contains("TRIGGER")) {
                may = true;
            }
        }
        if (may) {
            ok("journal: the user holds the TRIGGER privilege.");
        } else {
            problem("journal: the user has no TRIGGER privilege (SHOW GRANTS).",
                    "GRANT TRIGGER, CREATE, INSERT, DELETE, UPDATE ON " + m.schemaName() + ".* TO <user>;");
        }
    }

    /** Tables without transactions among those checkpoints cover (excluded ones are left alone anyway). */
    private void checkInnoDb(JdbcStateManager m, List<String> tracked, boolean userAccepts) {
        List<Map<String, Object>> rows = m.queryRows("select table_name as t, engine as e from information_schema.tables"
                + " where table_schema = database() and table_type = 'BASE TABLE' and (engine is null or engine <> 'InnoDB')");
        if (rows.isEmpty()) {
            ok("every table uses InnoDB (savepoints and rollback cover them).");
            return;
        }
        rows = rows.stream().filter(r -> tracked.stream().anyMatch(t -> t.equalsIgnoreCase(String.valueOf(r.get("t"))))).toList();
        if (rows.isEmpty()) {
            ok("every table checkpoints cover uses InnoDB (savepoints and rollback cover them).");
            return;
        }
        for (Map<String, Object> r : rows) {
            String t = String.valueOf(r.get("t"));
            if (userAccepts) {
                warning("table " + t + " uses " + r.get("e") + ": rollbacks do not undo its rows (accepted with "
                        + NON_TRANSACTIONAL_OPTION + ": warn).");
                continue;
            }
            problem("table " + t + " uses " + r.get("e") + ", which ignores transactions: rollbacks would not undo its rows.",
                    "ALTER TABLE " + t + " ENGINE=InnoDB; or list it in exclude_tables if VenomQA should leave it alone.");
        }
    }

    // ---- API ---------------------------------------------------------------------------------

    private void checkApi(VenomQAConfig cfg) {
        if (cfg.baseUrl().isEmpty()) {
            line("base_url", "(not set)");
            warning("No base_url: venomqa run needs one (base_url in the file or " + VenomQAConfig.ENV_BASE_URL + ").");
            return;
        }
        String url = cfg.baseUrl().get();
        if (skipApi) {
            line("base_url", CredentialMasker.maskUrl(url));
            return;
        }
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            line("base_url", CredentialMasker.maskUrl(url) + "  (answers: HTTP " + r.statusCode() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            line("base_url", CredentialMasker.maskUrl(url));
            warning("The API at base_url does not answer (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "). Start it before venomqa run.");
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    static String connectionFix(String message, StateConfig config) {
        String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (lower.contains("password authentication failed") || lower.contains("access denied")
                || lower.contains("authentication failed") || lower.contains("no password was provided")) {
            String url = config.url() == null ? "" : config.url();
            String scheme = url.contains("://") ? url.substring(0, url.indexOf("://")) : "postgresql";
            return "The database refused the user name or password. Correct them in db_url (keep the password out of"
                    + " the file: " + scheme + "://user:${DB_PASSWORD}@host/db) and check that the user may connect to"
                    + " that database.";
        }
        if (lower.contains("connection refused") || lower.matches("(?s).*connection to \\S+ refused.*") || lower.contains("connect timed out") || lower.contains("communications link failure")) {
            return "Nothing answers at that host and port: start the database server, or correct host and port in"
                    + " db_url (" + CredentialMasker.maskUrl(config.url()) + ").";
        }
        if (lower.contains("does not exist") || lower.contains("unknown database")) {
            return "The server answers but the database does not exist: create it, or correct its name in db_url.";
        }
        if (lower.contains("permission denied")) {
            return "The user lacks a privilege VenomQA needs (it reads the schema's tables and sequences, and writes"
                    + " the tables): GRANT what the message names to the user of db_url, or use the owner of the schema.";
        }
        if (lower.contains("check that:")) {
            return "Go through the checklist above.";
        }
        return "Read the message above; correct db_url or the database accordingly.";
    }

    private static boolean bool(JdbcStateManager m, String sql, Object... params) {
        List<Map<String, Object>> rows = m.queryRows(sql, params);
        return !rows.isEmpty() && Boolean.TRUE.equals(rows.get(0).values().iterator().next());
    }

    private static String currentUser(JdbcStateManager m) {
        return String.valueOf(m.queryRows("select current_user as u").get(0).get("u"));
    }

    private void line(String label, String value) {
        out.printf("%-9s %s%n", label, value);
    }

    private void ok(String what) {
        out.println("✓ " + what);
    }

    private void problem(String what, String fix) {
        String text = CredentialMasker.maskText(what);
        problems.add(text);
        out.println("✗ " + indentRest(text));
        out.println("  fix: " + indentRest(fix));
    }

    private void warning(String what) {
        String text = CredentialMasker.maskText(what);
        warnings.add(text);
        out.println("⚠ " + indentRest(text));
    }

    private static String indentRest(String text) {
        return text.replace("\n", "\n  ");
    }

    private void summary() {
        out.println();
        if (problems.isEmpty()) {
            out.println("No problems found" + (warnings.isEmpty() ? "." : " (" + warnings.size() + " warning"
                    + (warnings.size() == 1 ? "" : "s") + ")."));
        } else {
            out.println(problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " found; fix "
                    + (problems.size() == 1 ? "it" : "them") + " as shown above.");
        }
    }
}
