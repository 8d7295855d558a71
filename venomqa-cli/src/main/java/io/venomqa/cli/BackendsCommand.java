package io.venomqa.cli;

import io.venomqa.state.BackendInfo;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.spi.CheckpointStrategyProvider;
import io.venomqa.state.spi.TestDatabaseGuard;
import io.venomqa.state.spi.OptionSpec;
import io.venomqa.state.spi.StateManagerProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * {@code venomqa backends}: the backends found on the class path, with names, aliases and
 * artifacts, the checkpoint strategies, and with {@code --options} every option they declare.
 */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List the database backends (and checkpoint strategies) on the class path.",
        footer = ExitCodes.HELP_FOOTER)
public final class BackendsCommand implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClassPathOption classPath;

    @Option(names = "--options", description = "Also list the options each backend and strategy reads (name, type, default, description).")
    boolean options;

    @Option(names = "--markdown", description = "With --options: print the option tables as Markdown (as the README holds them).")
    boolean markdown;

    @Override
    public Integer call() throws Exception {
        return classPath.with(this::list);
    }

    private Integer list() {
        PrintWriter out = spec.commandLine().getOut();
        List<BackendInfo> backends = StateManagers.available();
        if (backends.isEmpty()) {
            out.println("No backend on the class path. Add a venomqa-backend-<name> artifact (postgres, mysql, sqlite, h2, memory).");
            out.flush();
            return ExitCodes.CONFIG;
        }
        if (options && markdown) {
            List<CheckpointStrategyProvider> strategyProviders = new ArrayList<>();
            ServiceLoader.load(CheckpointStrategyProvider.class).forEach(strategyProviders::add);
            out.print(markdown(strategyProviders));
            out.flush();
            return ExitCodes.OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "ALIASES", "ARTIFACT"});
        for (BackendInfo b : backends) {
            String aliases = b.aliases().isEmpty() ? "-" : String.join(", ", new TreeSet<>(b.aliases()));
            rows.add(new String[] {b.name(), aliases, b.artifact()});
        }
        out.println("Backends (db_backend: name or alias; or let db_url tell it):");
        Table.print(out, rows, "  ");
        List<String> strategies = new ArrayList<>();
        strategies.add("savepoint (built in, default)");
        List<CheckpointStrategyProvider> strategyProviders = new ArrayList<>();
        for (CheckpointStrategyProvider p : ServiceLoader.load(CheckpointStrategyProvider.class)) {
            strategies.add(p.name() + " (" + p.getClass().getName() + ")");
            strategyProviders.add(p);
        }
        out.println();
        out.println("Checkpoint strategies of the SQL backends (checkpoint_strategy): " + String.join(", ", strategies));
        if (options) {
            printOptions(out, strategyProviders);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void printOptions(PrintWriter out, List<CheckpointStrategyProvider> strategies) {
        out.println();
        out.println("Options (under db_options in venomqa.yaml, or at its top level; an unknown one is an error):");
        List<StateManagerProvider> providers = new ArrayList<>(StateManagers.providers());
        providers.sort(Comparator.comparing(StateManagerProvider::name));
        for (StateManagerProvider p : providers) {
            List<OptionSpec> declared = p.options();
            out.println();
            if (declared.isEmpty()) {
                out.println("db_backend " + p.name() + ": declares no options (its options are not checked)");
            } else {
                out.println("db_backend " + p.name() + ":");
                printTable(out, declared);
            }
        }
        for (CheckpointStrategyProvider s : strategies) {
            if (!s.options().isEmpty()) {
                out.println();
                out.println("checkpoint_strategy " + s.name() + ":");
                printTable(out, s.options());
            }
        }
        out.println();
        out.println("Every backend (the safety guard of reset and the journal):");
        printTable(out, TestDatabaseGuard.OPTIONS);
    }

    /**
     * The option tables in Markdown, one per backend, strategy and the guard, in a stable order:
     * the README's section is this text, and a test fails when they differ.
     */
    static String markdown(List<CheckpointStrategyProvider> strategies) {
        StringBuilder md = new StringBuilder();
        List<StateManagerProvider> providers = new ArrayList<>(StateManagers.providers());
        providers.sort(Comparator.comparing(StateManagerProvider::name));
        for (StateManagerProvider p : providers) {
            if (!p.options().isEmpty()) {
                markdownTable(md, "`db_backend: " + p.name() + "`", p.options());
            }
        }
        List<CheckpointStrategyProvider> sorted = new ArrayList<>(strategies);
        sorted.sort(Comparator.comparing(CheckpointStrategyProvider::name));
        for (CheckpointStrategyProvider s : sorted) {
            if (!s.options().isEmpty()) {
                markdownTable(md, "`checkpoint_strategy: " + s.name() + "` (in addition)", s.options());
            }
        }
        markdownTable(md, "every backend (the safety guard)", TestDatabaseGuard.OPTIONS);
        return md.toString();
    }

    private static void markdownTable(StringBuilder md, String title, List<OptionSpec> options) {
        md.append("\n").append(title).append(":\n\n| option | type | default | what it does |\n| --- | --- | --- | --- |\n");
        for (OptionSpec o : options) {
            md.append("| `").append(o.name()).append("` | ").append(o.type().display()).append(" | ")
                    .append(o.shownDefault().replace("|", "\\|")).append(" | ").append(o.description().replace("|", "\\|"))
                    .append(" |\n");
        }
    }

    /** NAME, TYPE, DEFAULT, DESCRIPTION rows, shared with {@code doctor}. */
    static void printTable(PrintWriter out, List<OptionSpec> options) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "TYPE", "DEFAULT", "DESCRIPTION"});
        for (OptionSpec o : options) {
            rows.add(new String[] {o.name(), o.type().display(), o.shownDefault(), o.description()});
        }
        Table.print(out, rows, "  ");
    }
}
