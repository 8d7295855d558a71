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
import io.venomqa.state.jdbc.spi.Finding;
import io.venomqa.state.jdbc.spi.ResetPlan;
import io.venomqa.state.spi.OptionSpec;
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
 *
 * <p>It knows no database: what to check is the backend's ({@link io.venomqa.state.jdbc.spi.JdbcDialect#diagnose},
 * {@link io.venomqa.state.jdbc.spi.CheckpointStrategyProvider#preflight}); this command prints the
 * findings, and the options the backend and strategy declare with the values in effect.
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

    @Mixin
    ClassPathOption classPath;

    @Option(names = "--skip-api", description = "Do not try to reach base_url.")
    boolean skipApi;

    private PrintWriter out;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        config.requireNamedFile(); // exit 3 like the other commands, not a "problem found" (1)
        return classPath.with(this::doctor);
    }

    private Integer doctor() {
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
        printOptions(stateConfig);
        if (!(configured instanceof JdbcStateManager)) {
            inspectOther(configured);
            return;
        }
        JdbcStateManager m = (JdbcStateManager) StateManagers.create(
                Inspection.readOnly(stateConfig, ((JdbcStateManager) configured).dialect()));
        try {
            m.connect();
        } catch (RuntimeException e) {
            String message = e.getMessage();
            problem("Cannot connect: " + message, ((JdbcStateManager) configured).dialect().connectionFailureFix(message)
                    .orElseGet(() -> connectionFix(message, stateConfig)));
            return;
        }
        try {
            inspect(m, stateConfig, strategy);
        } finally {
            m.disconnect();
        }
    }

    private void inspect(JdbcStateManager m, StateConfig stateConfig, String strategy) {
        line("server", "✓ connected: " + serverVersion(m));
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
        try {
            for (Finding f : m.diagnose(strategy, stateConfig)) {
                switch (f.severity()) {
                    case OK -> ok(f.message());
                    case WARNING -> warning(f.message());
                    case PROBLEM -> problem(f.message(), f.fix());
                }
            }
        } catch (RuntimeException e) {
            // The catalog can change under us (another run installing or removing its journal).
            warning("Could not finish checking what " + strategy + " needs: " + e.getMessage());
        }
        if (strategy.equals(JdbcStateManager.DEFAULT_CHECKPOINT_STRATEGY)) {
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

    /** The options the backend and strategy declare, with the value in effect (secrets masked). */
    private void printOptions(StateConfig stateConfig) {
        List<OptionSpec> accepted;
        try {
            accepted = StateManagers.acceptedOptions(StateManagers.provider(stateConfig), stateConfig);
        } catch (RuntimeException e) {
            return; // creating the manager succeeded, so this cannot fail for a declared provider
        }
        if (accepted.isEmpty()) {
            line("options", "(the backend declares none; they are passed on unchecked)");
            return;
        }
        out.println("options   (db_options; '*' marks a value set in the configuration)");
        List<String[]> rows = new ArrayList<>();
        for (OptionSpec o : accepted) {
            Object set = stateConfig.options().get(o.name());
            String value = set == null ? o.shownDefault()
                    : "*" + (CredentialMasker.isSecretKey(o.name()) ? CredentialMasker.MASK : String.valueOf(set));
            rows.add(new String[] {o.name(), value, o.description()});
        }
        Table.print(out, rows, "  ");
    }

    private static String serverVersion(JdbcStateManager m) {
        try {
            return m.serverVersion();
        } catch (RuntimeException e) {
            return "(could not read: " + e.getMessage() + ")";
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
