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
 *   <li>Only the triggers write the journal, and only VenomQA's login reads it (PostgreSQL:
 *       {@code SECURITY DEFINER} functions with a fixed {@code search_path}, nothing granted to
 *       {@code PUBLIC}; MySQL/MariaDB: triggers defined by VenomQA's user). The undo applies only
 *       entries of tables this run installed triggers on, from its own range, with trustworthy
 *       images; anything else is logged and ignored. A trigger dropped, disabled or replaced
 *       during the run fails the next checkpoint or rollback, never a partial undo. See
 *       docs/security.md.</li>
 *   <li>Tables created during the run (or moved or renamed into the schema) are noticed at the next
 *       checkpoint or rollback (and by {@code refreshSchema()} through {@code checkpoint}): their triggers
 *       are installed then and a warning names them, because their earlier changes were not recorded.
 *       VenomQA never drops a table: a rollback (or tree restore) to a checkpoint taken before such a
 *       table existed fails with a {@code RollbackException} naming it, nothing undone, when the table
 *       still holds rows after the undo, and {@code disconnect()} puts the rest back and then throws
 *       naming it. Tables created and dropped again, and ones the undo leaves empty, are fine.</li>
 *   <li>PostgreSQL: {@code connect()} refuses restored sequences with {@code CACHE} above 1, naming them:
 *       {@code setval} cannot reach the values the application's sessions have cached.</li>
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
            OptionSpec.oneOf(Journal.OPTION_RECOVERY, "restore", "What connect() does with a dead run's journal: restore, refuse or discard.",
                    "restore", "refuse", "discard"),
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

    /**
     * The SQL an administrator runs once so that VenomQA's own login needs no more than the least
     * privileges (see docs/security.md), as one script with comments: on PostgreSQL the journal's
     * schema, tables and {@code SECURITY DEFINER} trigger functions, nothing granted to
     * {@code PUBLIC}, and to {@code role} exactly what a run needs; on MySQL/MariaDB the grant of
     * the privileges VenomQA's user needs on {@code database} (the journal's two tables are created
     * and dropped by each run); on SQLite nothing (no users).
     *
     * @param dialect  {@code postgresql}, {@code mysql}/{@code mariadb} or {@code sqlite}
     * @param role     VenomQA's login (PostgreSQL role, MySQL {@code user} or {@code user@host})
     * @param database the tested database (MySQL/MariaDB), or null for a placeholder
     * @throws IllegalArgumentException for another dialect
     */
    public static String administratorSql(String dialect, String role, String database) {
        String d = dialect.toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder();
        switch (d) {
            case "postgresql", "postgres" -> {
                b.append("-- VenomQA journal for PostgreSQL: run once per database, as the role that is to own the journal\n")
                        .append("-- (the tracked tables' owner role is a good choice; it must be able to read the tables,\n")
                        .append("-- because the TRUNCATE trigger copies their rows). The trigger functions run with that\n")
                        .append("-- role's rights (SECURITY DEFINER, fixed search_path), so applications need no right on\n")
                        .append("-- schema venomqa; nothing is granted to PUBLIC. VenomQA's role then needs no CREATE on the\n")
                        .append("-- database, but must still own the tracked tables or be a member of their owner role\n")
                        .append("-- (PostgreSQL lets only a table's owner drop a trigger).\n");
                for (String st : PostgresJournalSql.installStatements(role)) {
                    b.append(st).append(";\n");
                }
            }
            case "mysql", "mariadb" -> {
                String user = role;
                String host = "%";
                int at = role.lastIndexOf('@');
                if (at > 0) {
                    user = role.substring(0, at);
                    host = role.substring(at + 1);
                }
                String db = database == null || database.isBlank() ? "your_test_database" : database;
                b.append("-- VenomQA journal for MySQL/MariaDB: each run creates its tables venomqa_journal and venomqa_run\n")
                        .append("-- and its triggers in the tested database, and drops them at disconnect(): nothing to\n")
                        .append("-- pre-install. The triggers run as their definer (VenomQA's user), so the application's\n")
                        .append("-- user needs no right on them. VenomQA's user needs these privileges on that database only\n")
                        .append("-- (PROCESS, global and optional, lets the journal notice a TRUNCATE it cannot undo;\n")
                        .append("-- LOCK TABLES lets an undo on MariaDB keep the application's writes out while it runs, so\n")
                        .append("-- that a background job committing meanwhile makes it wait instead of refusing it):\n")
                        .append("GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, TRIGGER, LOCK TABLES ON `")
                        .append(db.replace("`", "``")).append("`.* TO '").append(user.replace("'", "''")).append("'@'")
                        .append(host.replace("'", "''")).append("';\n")
                        .append("-- Do not grant database-wide rights on it to other users: whoever may write any table of\n")
                        .append("-- that database may also write venomqa_journal.\n")
                        .append("-- The application's own triggers on journaled tables are wrapped for the run so that they\n")
                        .append("-- skip the undo (MariaDB), and put back at disconnect(): one whose definer is another user\n")
                        .append("-- needs SET USER (MariaDB 10.5.2+) for VenomQA's user, or must test @venomqa_replaying itself.\n");
            }
            case "sqlite" -> b.append("-- SQLite has no users: whoever may write the database file may write everything in it,\n")
                    .append("-- the journal included. Nothing to install or grant.\n");
            default -> throw new IllegalArgumentException("checkpoint_strategy: journal supports postgresql, mysql/mariadb "
                    + "and sqlite, not '" + dialect + "'");
        }
        return b.toString();
    }

    static JournalSql sqlFor(JdbcDialect dialect) {
        return switch (dialect.name().toLowerCase(Locale.ROOT)) {
            case "postgresql", "postgres" -> new PostgresJournalSql();
            case "mysql", "mariadb" -> new MySqlJournalSql(dialect);
            case "sqlite" -> new SqliteJournalSql(dialect);
            default -> null;
        };
    }
}
