package io.venomqa.cli;

import io.venomqa.config.ConfigException;
import io.venomqa.state.BackendNotFoundException;
import io.venomqa.core.CredentialMasker;
import io.venomqa.state.StateConnectionException;
import io.venomqa.state.UnsafeDatabaseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The {@code venomqa} command: {@code backends}, {@code doctor}, {@code explore}, {@code journal-sql}, {@code replay}, {@code reset}, {@code run}. Every
 * command has {@code --help}; exit codes are those of {@link ExitCodes}, whatever goes wrong: an
 * exception a command does not handle itself is printed as one masked line (no stack trace, no
 * password) and mapped to its code.
 */
@Command(name = "venomqa", mixinStandardHelpOptions = true, versionProvider = VenomQACommand.Version.class,
        description = "Test HTTP APIs with journeys, checkpoints, branches and true database rollback.",
        subcommands = {BackendsCommand.class, DoctorCommand.class, ExploreCommand.class, JournalSqlCommand.class,
                MergeReportsCommand.class, ReplayCommand.class, ResetCommand.class,
                RunCommand.class,
                CommandLine.HelpCommand.class},
        footer = ExitCodes.HELP_FOOTER)
public final class VenomQACommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with VenomQA's exit codes and error handling (what tests execute). */
    public static CommandLine commandLine() {
        // picocli already answers invalid input with 2 (ExitCodes.USAGE).
        CommandLine cl = new CommandLine(new VenomQACommand());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            int code = codeOf(e);
            // Continuation lines (an example, a checklist) are indented under the "venomqa <command>:" line.
            commandLine.getErr().println("venomqa " + commandLine.getCommandName() + ": "
                    + CredentialMasker.maskText(String.valueOf(e.getMessage())).replace("\n", "\n  "));
            return code;
        });
        return cl;
    }

    /**
     * A command-line value that the options' types accept but the command does not ({@code --max-steps -1},
     * {@code --shard 3/2}, options that do not go together): reported as picocli reports its own usage
     * errors, exit 2 ({@link ExitCodes#USAGE}). The message names the option as it is typed.
     */
    static CommandLine.ParameterException usageError(CommandLine.Model.CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    static int codeOf(Throwable e) {
        if (e instanceof ConfigException || e instanceof BackendNotFoundException || e instanceof IllegalArgumentException) {
            return ExitCodes.CONFIG;
        }
        if (e instanceof StateConnectionException) {
            return ExitCodes.DATABASE;
        }
        if (e instanceof UnsafeDatabaseException) {
            return ExitCodes.REFUSED;
        }
        return ExitCodes.FAILED;
    }

    @Override
    public void run() {
        // "venomqa" alone: show what there is.
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = VenomQACommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"venomqa " + p.getProperty("version", "(unknown version)"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
