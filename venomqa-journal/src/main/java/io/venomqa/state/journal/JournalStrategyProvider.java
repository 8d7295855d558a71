package io.venomqa.state.journal;

import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.spi.CheckpointStrategy;
import io.venomqa.state.jdbc.spi.CheckpointStrategyProvider;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.Finding;
import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.journal.internal.Journal;
import io.venomqa.state.journal.internal.JournalPreflight;
import io.venomqa.state.journal.internal.JournalSql;
import io.venomqa.state.journal.internal.MySqlJournalSql;
import io.venomqa.state.journal.internal.PostgresJournalSql;
import io.venomqa.state.journal.internal.SqliteJournalSql;

import io.venomqa.state.spi.OptionSpec;

import java.util.List;
import java.util.Locale;

/**
 * {@code checkpoint_strategy: journal} for the PostgreSQL, MySQL/MariaDB and SQLite backends:
 * true rollback for an application that writes through its own connections, in another process.
 * Found through {@link java.util.ServiceLoader} when {@code venomqa-journal} is on the class path.
 *
 * <p>What it guarantees, between {@code connect()} and {@code disconnect()}:
 * <ul>
 *   <li>Every insert, update and delete of a tracked table (the same selection as a reset's:
 *       every table of the schema but migration tables, VenomQA's own and {@code exclude_tables})
 *       is recorded by triggers, whichever connection or process made it, once it is committed.</li>
 *   <li>{@code rollback(n)} undoes every recorded change after {@code checkpoint(n)}, newest first,
 *       in one transaction that is itself not recorded, puts the identity counters (sequences,
 *       AUTO_INCREMENT, {@code sqlite_sequence}) back, and deletes the undone journal rows. Its cost
 *       grows with the number of rows changed since the checkpoint, not with the database size.</li>
 *   <li>{@code disconnect()} undoes everything back to {@code connect()} (or the last
 *       {@code reset()}), then removes every trigger, function and journal table it created.</li>
 *   <li>A run that died leaves its triggers and journal; the next {@code connect()} says so in the
 *       log and restores the data to that run's {@code connect()} state, or refuses with
 *       {@code journal_recovery: refuse}, or only removes the leftovers with {@code discard}.
 *       A second manager journaling the same schema at the same time is refused at
 *       {@code connect()}.</li>
 *   <li>Tables created during the run are noticed at the next checkpoint or rollback (and by
 *       {@code refreshSchema()} through {@code checkpoint}): their triggers are installed then and a
 *       warning names them, because their earlier changes were not recorded.</li>
 * </ul>
 *
 * <p>Other sessions' uncommitted writes: a trigger's journal row commits or rolls back with the
 * application's own transaction, so an uncommitted write is invisible to a rollback. A rollback
 * never waits to undo it; if that transaction commits later, its change is undone by the next
 * rollback to an earlier checkpoint, or by {@code disconnect()}. If it holds a lock on a row the
 * rollback must restore, the rollback waits for it (lock timeouts of the database apply). Take
 * checkpoints and roll back while the application is idle between requests, as journeys do.
 *
 * <p>Not restored, but detected: DDL on a tracked table (a rollback across it refuses, naming
 * the change; {@code disconnect()} restores the other tables and throws naming the altered ones),
 * {@code TRUNCATE} on MySQL/MariaDB (triggers cannot see it; the rollback fails saying so). A
 * {@code disconnect()} that cannot put the data back throws, saying what was and was not
 * restored. Application triggers on tracked tables never run during an undo: they are silenced,
 * or {@code connect()} refuses naming them. Not seen: writes with the journal's triggers bypassed.
 * See docs/journal.md.
 */
public final class JournalStrategyProvider implements CheckpointStrategyProvider {

    /** The {@code checkpoint_strategy} value. */
    public static final String NAME = "journal";

    @Override
    public String name() {
        return NAME;
    }

    /** The options the journal reads (spelled once, in {@link Journal}). */
    public static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.text(Journal.OPTION_RECOVERY, "restore", "What connect() does with a dead run's journal: restore, refuse or discard."),
            OptionSpec.duration(Journal.OPTION_LOCK_TIMEOUT, Journal.DEFAULT_LOCK_TIMEOUT.toSeconds() + "s",
                    "How long journal statements wait for another session's lock before failing."));

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    /** Privileges for the journal's schema, tables and triggers, and a dead run's leftovers; changes nothing. */
    @Override
    public List<Finding> preflight(JdbcSession session) throws java.sql.SQLException {
        return JournalPreflight.check(session);
    }

    @Override
    public boolean supports(JdbcDialect dialect) {
        return sqlFor(dialect) != null;
    }

    @Override
    public String supportedDatabases() {
        return "PostgreSQL, MySQL/MariaDB and SQLite";
    }

    @Override
    public CheckpointStrategy create(JdbcDialect dialect, StateConfig config) {
        JournalSql sql = sqlFor(dialect);
        if (sql == null) {
            throw new IllegalArgumentException("checkpoint_strategy: journal supports PostgreSQL, MySQL/MariaDB and "
                    + "SQLite, not " + dialect.displayName());
        }
        return new JournalCheckpointStrategy(sql);
    }

    static JournalSql sqlFor(JdbcDialect dialect) {
        return switch (dialect.name().toLowerCase(Locale.ROOT)) {
            case "postgresql", "postgres" -> new PostgresJournalSql();
            case "mysql", "mariadb" -> new MySqlJournalSql();
            case "sqlite" -> new SqliteJournalSql();
            default -> null;
        };
    }
}
