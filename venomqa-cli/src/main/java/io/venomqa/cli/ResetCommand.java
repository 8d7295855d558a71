package io.venomqa.cli;

import io.venomqa.cli.internal.Inspection;
import io.venomqa.config.ConfigException;
import io.venomqa.config.VenomQAConfig;
import io.venomqa.core.CredentialMasker;
import io.venomqa.state.ResetException;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateConnectionException;
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

import java.io.Console;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code venomqa reset}: empties the reset tables (and restarts their identities) after showing
 * them. On a terminal it asks for confirmation; elsewhere it needs {@code --yes}. A database whose
 * host is not local is refused unless the configuration allows it ({@code db_options: {allow_remote:
 * true}} or {@code allowed_hosts}), and always under {@code VENOMQA_ENV=production}.
 */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = {"Empty the reset tables, after showing them and asking for confirmation.",
                "Reset tables: tables_to_reset, else every table but exclude_tables, migration tables and VenomQA's own. Refuses a non-local database unless venomqa.yaml allows it."},
        footer = ExitCodes.HELP_FOOTER)
public final class ResetCommand implements Callable<Integer> {

    /** Asks a yes/no question; returns the answer, or null when there is nobody to ask. */
    @FunctionalInterface
    interface Confirmation {
        String ask(String question);
    }

    /** Where the question goes: the terminal when there is one (tests replace it). */
    static volatile Confirmation confirmation = question -> {
        Console console = System.console();
        return console == null ? null : console.readLine("%s", question);
    };

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Mixin
    ClassPathOption classPath;

    @Option(names = {"-y", "--yes"}, description = "Do not ask: confirm in advance (for scripts and CI).")
    boolean yes;

    @Override
    public Integer call() throws Exception {
        config.requireNamedFile();
        return classPath.with(this::reset);
    }

    private Integer reset() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        VenomQAConfig cfg = config.load();
        if (!cfg.hasDatabase()) {
            throw new ConfigException("No database configured in " + config.describe() + ": set db_url.");
        }
        StateConfig stateConfig = cfg.toStateConfig();
        if (StateManagers.create(stateConfig) instanceof JdbcStateManager configured) {
            stateConfig = Inspection.savepointOnly(stateConfig, configured.dialect());
        }
        String masked = CredentialMasker.maskUrl(stateConfig.url());
        try {
            TestDatabaseGuard.check(stateConfig, "reset");
        } catch (UnsafeDatabaseException e) {
            err.println(e.getMessage());
            err.flush();
            return ExitCodes.REFUSED;
        }
        StateManager m = StateManagers.create(stateConfig);
        try {
            m.connect();
        } catch (StateConnectionException e) {
            err.println(CredentialMasker.maskText(e.getMessage()));
            err.println("Run 'venomqa doctor' for a diagnosis.");
            err.flush();
            return ExitCodes.DATABASE;
        }
        try {
            out.println("database  " + masked);
            if (m instanceof JdbcStateManager j) {
                ResetPlan plan = j.resetPlan();
                List<String> names = Inspection.names(plan.tables());
                out.println("schema    " + j.schemaName());
                out.println("will empty (" + names.size() + "): " + (names.isEmpty() ? "nothing" : String.join(", ", names)));
                Map<String, String> kept = Inspection.keptTables(j, plan, stateConfig);
                if (!kept.isEmpty()) {
                    out.println("keeps (" + kept.size() + "):");
                    List<String[]> rows = new ArrayList<>();
                    kept.forEach((t, why) -> rows.add(new String[] {t, why}));
                    Table.print(out, rows, "  ");
                }
                if (names.isEmpty()) {
                    out.println("Nothing to empty.");
                    out.flush();
                    return ExitCodes.OK;
                }
            } else {
                out.println("will empty every table of the store");
            }
            out.flush();
            if (!yes) {
                String answer = confirmation.ask("Empty these tables of " + masked + "? Type 'yes' to go on: ");
                if (answer == null) {
                    err.println("Not confirmed: no terminal to ask on. Pass --yes to confirm in a script. Nothing was changed.");
                    err.flush();
                    return ExitCodes.REFUSED;
                }
                if (!answer.strip().equalsIgnoreCase("yes")) {
                    out.println("Not confirmed ('" + answer.strip() + "'). Nothing was changed.");
                    out.flush();
                    return ExitCodes.REFUSED;
                }
            }
            try {
                m.reset();
            } catch (UnsafeDatabaseException e) {
                err.println(e.getMessage());
                err.flush();
                return ExitCodes.REFUSED;
            } catch (ResetException e) {
                err.println("Reset failed, nothing was emptied: " + CredentialMasker.maskText(e.getMessage()));
                err.flush();
                return ExitCodes.FAILED;
            }
            out.println("Emptied. Identity counters restarted.");
            out.flush();
            return ExitCodes.OK;
        } finally {
            m.disconnect();
        }
    }
}
