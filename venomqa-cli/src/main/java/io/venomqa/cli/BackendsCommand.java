package io.venomqa.cli;

import io.venomqa.state.BackendInfo;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.spi.CheckpointStrategyProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** {@code venomqa backends}: the backends found on the class path, with names, aliases and artifacts. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List the database backends (and checkpoint strategies) on the class path.",
        footer = ExitCodes.HELP_FOOTER)
public final class BackendsCommand implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<BackendInfo> backends = StateManagers.available();
        if (backends.isEmpty()) {
            out.println("No backend on the class path. Add a venomqa-backend-<name> artifact (postgres, mysql, sqlite, h2, memory).");
            out.flush();
            return ExitCodes.CONFIG;
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
        for (CheckpointStrategyProvider p : ServiceLoader.load(CheckpointStrategyProvider.class)) {
            strategies.add(p.name() + " (" + p.getClass().getName() + ")");
        }
        out.println();
        out.println("Checkpoint strategies of the SQL backends (checkpoint_strategy): " + String.join(", ", strategies));
        out.flush();
        return ExitCodes.OK;
    }
}
