package io.venomqa.cli;

import io.venomqa.config.ConfigException;
import io.venomqa.report.ReportMerge;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code venomqa merge-reports <dirs…> --out DIR}: puts the report directories of the shards of a
 * suite ({@code venomqa run --shard i/n} on several machines) into one directory, as one run over
 * every journey would have written it (see {@link ReportMerge}). Exits 0 when merged, whatever the
 * journeys' results (the JUnit XML carries those to the CI system); 3 when the directories overlap
 * or one holds no journey report.
 */
@Command(name = "merge-reports", mixinStandardHelpOptions = true,
        description = {"Merge the report directories of the shards of a suite (venomqa run --shard i/n) into one.",
                "Every journey must be in exactly one directory; its JSON, HTML and JUnit XML files are copied unchanged."},
        footer = ExitCodes.HELP_FOOTER)
public final class MergeReportsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "The shards' report directories.")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the merged reports.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        ReportMerge.Summary summary;
        try {
            summary = ReportMerge.merge(dirs, out);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        List<String> failed = summary.failed();
        w.println("merged " + dirs.size() + " report director" + (dirs.size() == 1 ? "y" : "ies") + " into " + out + ": "
                + summary.journeys().size() + " journeys, " + (summary.journeys().size() - failed.size()) + " passed, "
                + failed.size() + " failed (" + summary.filesCopied() + " files)");
        for (String name : failed) {
            w.println("  ✗ " + name);
        }
        w.flush();
        return ExitCodes.OK;
    }
}
