package io.venomqa.cli;

import io.venomqa.config.VenomQAConfig;
import io.venomqa.core.DatabaseUrl;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.journal.JournalStrategyProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code venomqa journal-sql}: prints the SQL an administrator runs once so that VenomQA's login
 * needs only the least privileges for {@code checkpoint_strategy: journal} (docs/security.md).
 * Connects to nothing and changes nothing.
 */
@Command(name = "journal-sql", mixinStandardHelpOptions = true,
        description = {"Print the SQL an administrator runs once to install the journal (PostgreSQL) or grant VenomQA's user what the journal needs (MySQL/MariaDB).",
                "The database kind comes from --database, else from db_url in venomqa.yaml. Connects to nothing."},
        footer = ExitCodes.HELP_FOOTER)
public final class JournalSqlCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--role", required = true, paramLabel = "NAME",
            description = "VenomQA's login, which is granted what a run needs (MySQL: user or user@host).")
    String role;

    @Option(names = "--database", paramLabel = "KIND", description = "postgresql, mysql, mariadb or sqlite (default: from db_url).")
    String database;

    @Override
    public Integer call() {
        config.requireNamedFile();
        String kind = database;
        String dbName = null;
        if (kind == null) {
            VenomQAConfig cfg = config.load();
            if (!cfg.hasDatabase()) {
                throw new IllegalArgumentException("No database configured: pass --database postgresql|mysql|sqlite, or set "
                        + "db_url in " + VenomQAConfig.FILE_NAME + ".");
            }
            StateManager m = StateManagers.create(cfg.toStateConfig());
            if (!(m instanceof JdbcStateManager j)) {
                throw new IllegalArgumentException("The journal is for SQL databases; db_url names another backend.");
            }
            kind = j.dialect().name();
            dbName = DatabaseUrl.parse(cfg.toStateConfig().url()).database();
        }
        spec.commandLine().getOut().print(JournalStrategyProvider.administratorSql(kind, role, dbName));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
