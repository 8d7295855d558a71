package io.venomqa.state.mysql.internal;

import io.venomqa.state.spi.ActiveCheckpoint;
import io.venomqa.state.StateConfig;
import io.venomqa.state.CheckpointException;
import io.venomqa.core.VenomQAException;
import io.venomqa.state.RollbackException;
import io.venomqa.state.jdbc.spi.CheckpointStrategy;
import io.venomqa.state.jdbc.spi.CheckpointStrategyProvider;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.TableInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code savepoint} strategy as MySQL and MariaDB need it: InnoDB savepoints, plus what the
 * generic strategy cannot know. Internal: select it with {@code checkpoint_strategy: savepoint}
 * (the default).
 * <ul>
 *   <li>{@link #onConnect}: tables whose engine ignores transactions (MyISAM, Aria, MEMORY, …)
 *       would silently keep their changes through a rollback, so they fail the connect, naming
 *       them (option {@code non_transactional_tables: warn} logs instead).</li>
 *   <li>{@link #rollback}: warning 1196 ("Some non-transactional changed tables couldn't be rolled
 *       back": the run's transaction changed a non-transactional table connect() did not see, in another
 *       database or created during the run, or created a temporary table) fails the rollback with a
 *       {@link RollbackException} after rolling back what it can, and {@code disconnect()} likewise
 *       (option {@code non_transactional_tables: warn} logs instead); error 1305 (savepoint does not exist) means something committed the
 *       transaction behind the manager's back (DDL, {@code START TRANSACTION}, {@code LOCK TABLES},
 *       a deadlock rollback…): reported as {@link SavepointsLostException}.</li>
 *   <li>{@link #beforeReset}: logs how many checkpoints the reset ends, because the reset's
 *       {@code TRUNCATE} commits implicitly.</li>
 *   <li>{@link #onDisconnect}: a base savepoint set at connect (and after each reset) tells whether
 *       the transaction was committed behind the manager's back (DDL through
 *       {@code sharedDataSource()} with no checkpoint active); disconnect then warns that the
 *       database is not as connect found it instead of saying nothing, and the manager's comparison
 *       of the tables as found ({@code MySQLDialect.tableDigests}) fails it where rows were kept
 *       (by such a commit, in a non-transactional table, or by another connection).</li>
 * </ul>
 * AUTO_INCREMENT counters and MariaDB sequences are not restored by a rollback (see {@code MySQLStateManager}):
 * setting one is DDL, which commits. The tracked tables' AUTO_INCREMENT counters are put back as {@code connect()}
 * (or the last reset) found them at {@code disconnect()}, after the run's transaction was rolled back, once the
 * manager's comparison found the tracked tables as they were ({@link #afterFoundAsFound}), and after a lost
 * connection ({@link #afterLostConnection}): InnoDB never sets one at or below the largest id a row holds, so
 * this cannot make an insert collide. MariaDB sequences are left alone: reading one's next value takes it, and
 * moving one back could hand out again a value another session took.
 */
public final class MySQLSavepointStrategy implements CheckpointStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(MySQLSavepointStrategy.class);

    /** The option value, the same as the generic strategy's: this one replaces it for MySQL. */
    public static final String NAME = "savepoint";

    /** Option and values deciding what to do about non-transactional tables. */
    public static final String OPTION_NON_TRANSACTIONAL = "non_transactional_tables";

    /** MySQL error: SAVEPOINT … does not exist. */
    static final int ER_SP_DOES_NOT_EXIST = 1305;
    /** MySQL warning: Some non-transactional changed tables couldn't be rolled back. */
    static final int WARN_NOT_COMPLETE_ROLLBACK = 1196;

    /** Provider returned by the MySQL dialect, found before the generic {@code savepoint} strategy. */
    public static final CheckpointStrategyProvider PROVIDER = new CheckpointStrategyProvider() {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public CheckpointStrategy create(JdbcDialect dialect, StateConfig config) {
            return new MySQLSavepointStrategy(nonTransactionalPolicy(config));
        }

        @Override
        public String toString() {
            return "MySQL savepoint strategy";
        }
    };

    /** Savepoint set at connect and after each reset; not a checkpoint identifier (those are {@code venomqa_sp_N}). */
    static final String BASE_SAVEPOINT = "venomqa_base";

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /**
     * Appended to every savepoint name this strategy sends ({@code venomqa_sp_3_k2x9q1mz7}), new at each
     * connect. The shared connection refuses the reserved names as text, but MySQL and MariaDB also run
     * statements built at run time ({@code SET @q = CONCAT('SAVE', 'POINT venomqa_sp_1'); EXECUTE IMMEDIATE @q},
     * or {@code PREPARE s FROM @q}), which no reading of the text can see: such a savepoint replaced the
     * checkpoint's (MySQL keeps one savepoint per name), and the next rollback stopped at it and said OK. With
     * a name the application cannot know, its savepoint is just another one. Refusing EXECUTE and PREPARE
     * of a variable would break applications that build their SQL, and MySQL cannot list a session's
     * savepoints, so a rollback could not tell afterwards whose savepoint it went back to; this costs
     * nothing per statement or checkpoint.
     */
    private String suffix = "";
    /** The session's settings at each checkpoint, put back by a rollback: MySQL's SET is not undone by one. */
    private final io.venomqa.state.jdbc.spi.SessionSettings settings = new io.venomqa.state.jdbc.spi.SessionSettings();

    private final boolean failOnNonTransactional;
    /**
     * The tracked tables' next AUTO_INCREMENT values as connect() or the last reset left them, by table; emptied
     * when the transaction was committed behind our back.
     */
    private Map<String, Long> found = Map.of();
    /** Active savepoints, oldest first: identifier → checkpoint name, for messages. */
    private final Map<String, String> active = new LinkedHashMap<>();

    MySQLSavepointStrategy(boolean failOnNonTransactional) {
        this.failOnNonTransactional = failOnNonTransactional;
    }

    /**
     * Reads option {@value #OPTION_NON_TRANSACTIONAL}: {@code true} for {@code fail} (the default),
     * {@code false} for {@code warn}.
     *
     * @throws IllegalArgumentException for any other value, naming the option
     */
    public static boolean nonTransactionalPolicy(StateConfig config) {
        String v = config.optionString(OPTION_NON_TRANSACTIONAL, "fail").trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "fail", "error" -> true;
            case "warn", "ignore" -> false;
            default -> throw new IllegalArgumentException("Option '" + OPTION_NON_TRANSACTIONAL + "' must be 'fail' (default) or 'warn', got '" + v + "'");
        };
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onConnect(JdbcSession session) throws SQLException {
        active.clear();
        suffix = "_" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
        settings.onConnect(session);
        found = autoIncrements(session); // a read, before the run writes
        Map<String, String> engines = nonTransactionalTables(session);
        if (engines.isEmpty()) {
            markBase(session);
            return;
        }
        String list = engines.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", "));
        if (failOnNonTransactional) {
            throw new NonTransactionalTablesException("Tables of database '" + session.schemaName() + "' use a storage engine without transactions: "
                    + list + ". A rollback could not undo their changes, so checkpoints would restore only part of the state. "
                    + "Convert them (ALTER TABLE <name> ENGINE=InnoDB), list them in exclude_tables if VenomQA should leave them alone, "
                    + "or set option " + OPTION_NON_TRANSACTIONAL + ": warn to go on anyway.");
        }
        LOG.warn("Tables of database '{}' use a storage engine without transactions: {}. Rollbacks will not undo their changes "
                + "({}: warn).", session.schemaName(), list, OPTION_NON_TRANSACTIONAL);
        markBase(session);
    }

    /**
     * One round trip at connect and after each reset: without it, an implicit commit with no
     * checkpoint active would go unnoticed, and disconnect() would claim nothing of the run stayed.
     */
    private void markBase(JdbcSession session) throws SQLException {
        try (Statement s = session.connection().createStatement()) {
            s.execute("SAVEPOINT " + BASE_SAVEPOINT + suffix);
        }
    }

    /** Base tables checkpoints cover whose engine does not support transactions: name → engine. */
    public static Map<String, String> nonTransactionalTables(JdbcSession session) throws SQLException {
        Set<String> tracked = session.trackedTables().stream().map(TableInfo::name).collect(Collectors.toSet());
        Map<String, String> out = new LinkedHashMap<>();
        allNonTransactionalTables(session).forEach((table, engine) -> {
            if (tracked.contains(table)) {
                out.put(table, engine);
            }
        });
        return out;
    }

    /**
     * Every base table of the schema whose engine does not support transactions, tracked or not:
     * name → engine. The one query of this check (connect() and doctor share it).
     */
    public static Map<String, String> allNonTransactionalTables(JdbcSession session) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps = session.connection().prepareStatement(
                "SELECT t.TABLE_NAME, t.ENGINE FROM information_schema.TABLES t"
                        + " LEFT JOIN information_schema.ENGINES e ON e.ENGINE = t.ENGINE"
                        + " WHERE t.TABLE_SCHEMA = ? AND t.TABLE_TYPE IN " + io.venomqa.state.mysql.MySQLDialect.BASE_TABLE_TYPES
                        + " AND (e.TRANSACTIONS IS NULL OR e.TRANSACTIONS <> 'YES') ORDER BY t.TABLE_NAME")) {
            ps.setString(1, session.schemaName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), String.valueOf(rs.getString(2)));
                }
            }
        }
        return out;
    }

    @Override
    public void checkpoint(JdbcSession session, ActiveCheckpoint checkpoint) throws SQLException {
        // The identifier is generated (venomqa_sp_N): the user's name never reaches SQL.
        LOG.debug("SAVEPOINT {} stands for checkpoint '{}'", sql(checkpoint), checkpoint.name());
        try (Statement s = session.connection().createStatement()) {
            s.execute("SAVEPOINT " + sql(checkpoint));
        }
        settings.checkpoint(session, checkpoint.identifier());
        active.put(checkpoint.identifier(), checkpoint.name());
    }

    @Override
    public void rollback(JdbcSession session, ActiveCheckpoint target, List<ActiveCheckpoint> discarded) throws SQLException {
        SQLWarning incomplete;
        try (Statement s = session.connection().createStatement()) {
            s.execute("ROLLBACK TO SAVEPOINT " + sql(target));
            incomplete = incompleteRollback(s);
        } catch (SQLException e) {
            throw lostIfMissing(e, session, target, "roll back to");
        }
        for (ActiveCheckpoint cp : discarded) {
            active.remove(cp.identifier());
        }
        settings.forget(discarded.stream().map(ActiveCheckpoint::identifier).toList());
        // SET foreign_key_checks = 0 or sql_mode = '' of the application would outlive the rollback (and let the next
        // path write what the checkpoint's session refused): the settings go back with the rows.
        settings.rollback(session, target.identifier());
        if (incomplete != null) {
            String what = "Rollback to checkpoint '" + target.name() + "'";
            if (!failOnNonTransactional) {
                LOG.warn("{} could not undo changes to non-transactional tables (MyISAM or similar): the state is not exactly "
                        + "the checkpoint's ({}: warn). {}", what, OPTION_NON_TRANSACTIONAL, incomplete.getMessage());
                return;
            }
            List<String> gone = discarded.stream().map(ActiveCheckpoint::name).toList();
            throw new RollbackException(what + " on " + session.maskedUrl() + " is not exact: " + notUndone()
                    + (gone.isEmpty() ? "" : " The checkpoints taken after it (" + String.join(", ", gone) + ") are gone.")
                    + " " + remedy(), new SQLException(incomplete.getMessage(), incomplete.getSQLState(),
                    incomplete.getErrorCode()));
        }
    }

    /** The savepoint's name in SQL: the generated identifier and this connection's {@link #suffix}. */
    private String sql(ActiveCheckpoint cp) {
        return cp.identifier() + suffix;
    }

    /** The server's warning 1196 on {@code s}'s last statement, or null. */
    private static SQLWarning incompleteRollback(Statement s) throws SQLException {
        for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
            if (w.getErrorCode() == WARN_NOT_COMPLETE_ROLLBACK) {
                return w;
            }
        }
        return null;
    }

    /** What warning 1196 means for the state, for the messages of rollback and disconnect. */
    private static String notUndone() {
        return "the server answered with warning 1196 (\"Some non-transactional changed tables couldn't be rolled "
                + "back\"): during the run, the manager's transaction (sharedDataSource()) changed a table whose storage "
                + "engine ignores transactions (MyISAM, Aria, MEMORY, ...), which connect() did not see because it lives in "
                + "another database or was created or converted during the run, or it created or dropped a temporary "
                + "table. Such changes stay whatever is rolled back, so the tables of the tracked database (InnoDB) were "
                + "rolled back but those changes were not.";
    }

    /** What to do about warning 1196. */
    private static String remedy() {
        return "Keep such tables out of the run: convert them (ALTER TABLE <name> ENGINE=InnoDB), or let the "
                + "application write them through a connection of its own, not through sharedDataSource(); create "
                + "temporary tables before connect(). The server flags every later rollback of this run's transaction the "
                + "same way: call reset() or disconnect() and connect() again to start over, after removing what those "
                + "changes left by hand. Option " + OPTION_NON_TRANSACTIONAL + ": warn accepts such rollbacks with a "
                + "warning instead.";
    }

    @Override
    public void release(JdbcSession session, ActiveCheckpoint target, List<ActiveCheckpoint> released) throws SQLException {
        // RELEASE SAVEPOINT also removes every savepoint set after it (MySQL and MariaDB).
        try (Statement s = session.connection().createStatement()) {
            s.execute("RELEASE SAVEPOINT " + sql(target));
        } catch (SQLException e) {
            throw lostIfMissing(e, session, target, "release");
        }
        for (ActiveCheckpoint cp : released) {
            active.remove(cp.identifier());
        }
        settings.forget(released.stream().map(ActiveCheckpoint::identifier).toList());
    }

    private SQLException lostIfMissing(SQLException e, JdbcSession session, ActiveCheckpoint target, String what) {
        if (e.getErrorCode() != ER_SP_DOES_NOT_EXIST) {
            return e;
        }
        List<String> names = new ArrayList<>(active.values());
        active.clear();
        settings.clear();
        throw new SavepointsLostException("Could not " + what + " checkpoint '" + target.name() + "' on " + session.maskedUrl()
                + ": the server no longer has its savepoint, so the transaction holding every checkpoint ended behind "
                + "VenomQA's back. In MySQL/MariaDB that happens on the manager's connection (for instance through "
                + "sharedDataSource()) in two ways: a statement that commits implicitly (DDL such as CREATE/ALTER/DROP/"
                + "TRUNCATE/RENAME, START TRANSACTION or BEGIN, COMMIT, SET autocommit=1, LOCK TABLES) made the run's "
                + "writes so far permanent; a deadlock (error 1213) rolled all of them back. Every checkpoint is lost: "
                + names + ". Run DDL before connect(), not through sharedDataSource(), and retry deadlocked work; "
                + "call reset() or reconnect to start over.", e);
    }

    @Override
    public void beforeReset(JdbcSession session) throws SQLException {
        if (!active.isEmpty()) {
            LOG.info("reset() on {} ends the active checkpoints {}: MySQL's TRUNCATE commits implicitly, and the contract "
                    + "clears checkpoints on reset", session.maskedUrl(), new ArrayList<>(active.values()));
        }
        // No rollback here: the reset commits what the run wrote before it (the jdbc core's contract,
        // and in MySQL TRUNCATE's implicit commit would do it anyway).
        active.clear();
        settings.clear();
    }

    @Override
    public void afterReset(JdbcSession session) throws SQLException {
        // No commit: the manager has just committed the reset (or rolled it back after a failure);
        // a second one would only cost a round trip (benchmark row 3).
        active.clear();
        found = autoIncrements(session); // the reset restarted the counters it emptied: the new "as found"
        markBase(session); // what the reset committed is the new "as found"
    }

    @Override
    public void onDisconnect(JdbcSession session) throws SQLException {
        active.clear();
        SQLWarning incomplete = null;
        try (Statement s = session.connection().createStatement()) {
            // Harmless when it works: disconnect rolls everything back anyway.
            s.execute("ROLLBACK TO SAVEPOINT " + BASE_SAVEPOINT + suffix);
            incomplete = incompleteRollback(s);
        } catch (SQLException e) {
            if (e.getErrorCode() != ER_SP_DOES_NOT_EXIST) {
                throw e;
            }
            found = Map.of(); // rows committed meanwhile hold the ids: InnoDB keeps the counters past them anyway
            LOG.warn("disconnect() could not put {} back as connect() found it: the run's transaction was committed behind "
                    + "VenomQA's back by a statement that commits implicitly in MySQL/MariaDB (DDL such as CREATE/ALTER/"
                    + "DROP/TRUNCATE/RENAME, ANALYZE/OPTIMIZE TABLE, GRANT, a procedure that commits) on the manager's "
                    + "connection, usually through sharedDataSource(). What the run wrote before that statement is "
                    + "permanent; only what it wrote after was rolled back. Run DDL before connect() (or call reset() "
                    + "after it), not through sharedDataSource().", session.maskedUrl());
        }
        session.connection().rollback();
        if (incomplete != null && failOnNonTransactional) {
            // The rows of the tracked (InnoDB) tables are rolled back; the manager closes the connection after this.
            throw new RollbackException("disconnect() could not put " + session.maskedUrl() + " back as connect() found it: "
                    + notUndone() + " If the only such statements were CREATE/DROP TEMPORARY TABLE, closing the connection "
                    + "ends those tables and nothing else is left." + (found.isEmpty() ? "" : " The AUTO_INCREMENT "
                    + "counters the run moved were not put back either (that needs the tables as connect() found them).")
                    + " " + remedy());
        }
    }

    /**
     * Where closing the connection does not put everything back: the AUTO_INCREMENT counters the run moved, which
     * {@link #afterFoundAsFound} puts back. Null when there are none to put back (a rollback is all disconnect needs).
     */
    @Override
    public String leftAfterFailedDisconnect() {
        if (found.isEmpty()) {
            return null;
        }
        return "What the run wrote to the tracked (InnoDB) tables through the manager's connection was rolled back when "
                + "the connection closed, but the AUTO_INCREMENT counters it moved were not put back: the next inserts get "
                + "other ids than after connect(). Remove the cause above, then set them back by hand (ALTER TABLE <table> "
                + "AUTO_INCREMENT = <n>) or recreate the database before the next run.";
    }

    /**
     * The tracked tables are as connect() found them: the AUTO_INCREMENT counters the run moved go back too
     * ({@link #restoreAutoIncrements}).
     */
    @Override
    public void afterFoundAsFound(JdbcSession session) throws SQLException {
        restoreAutoIncrements(session, "disconnect()");
    }

    /** The server rolled the run's rows back with the lost connection: the counters it moved go back on the new one. */
    @Override
    public void afterLostConnection(JdbcSession fresh) throws SQLException {
        restoreAutoIncrements(fresh, "disconnect() after the lost connection");
    }

    @Override
    public String leftAfterLostConnection() {
        return "What the run wrote through the lost connection was rolled back by the server, but the AUTO_INCREMENT "
                + "counters and MariaDB sequences it moved stay where the run left them: only the ids the next inserts "
                + "get differ from a run that was not interrupted.";
    }

    /** Wait for another session's metadata lock on a table, in seconds: the restore is not worth holding the application up. */
    static final int RESTORE_LOCK_WAIT_SECONDS = 1;

    /**
     * {@code ALTER TABLE … AUTO_INCREMENT} for each tracked table whose counter moved since {@link #found}. The
     * ALTER waits for the metadata lock of every transaction that has read the table, and the application's new
     * queries on it queue behind the waiting ALTER: each waits at most {@value #RESTORE_LOCK_WAIT_SECONDS} s (the
     * server's {@code lock_wait_timeout} is a day on MariaDB; the session ends right after, so the setting is not
     * put back), and a table that stayed locked keeps the counter the run left, which a warning names. The
     * MariaDB sequences are not touched (see the class comment).
     */
    private void restoreAutoIncrements(JdbcSession session, String when) throws SQLException {
        if (found.isEmpty()) {
            return;
        }
        Map<String, Long> now = autoIncrements(session);
        List<String> locked = new ArrayList<>();
        try (Statement s = session.connection().createStatement()) {
            boolean bounded = false;
            for (Map.Entry<String, Long> e : found.entrySet()) {
                Long current = now.get(e.getKey());
                if (current == null || current.equals(e.getValue())) {
                    continue; // dropped since, or not moved
                }
                if (!bounded) {
                    s.execute("set session lock_wait_timeout = " + RESTORE_LOCK_WAIT_SECONDS);
                    bounded = true;
                }
                try {
                    // DDL: commits (nothing of the run is left to commit: its transaction was rolled back).
                    s.execute("alter table " + session.dialect().quote(e.getKey()) + " auto_increment = " + e.getValue());
                } catch (SQLException failed) {
                    // The rows are as found whatever happens here: a counter left moved only changes the next ids.
                    locked.add(e.getKey() + (failed.getErrorCode() == ER_LOCK_WAIT_TIMEOUT ? " (another session held it, "
                            + "an open transaction that read or wrote it, for more than " + RESTORE_LOCK_WAIT_SECONDS + " s)"
                            : failed.getErrorCode() == ER_TABLEACCESS_DENIED ? " (the user may not ALTER it)"
                            : " (" + failed.getMessage() + ")"));
                }
            }
        }
        session.connection().commit();
        if (!locked.isEmpty()) {
            LOG.warn("{} left the AUTO_INCREMENT counters of {} on {} where the run left them, so the next inserts get "
                    + "other ids than this run's did; the rows are as connect() found them.", when, String.join(", ", locked),
                    session.maskedUrl());
        }
    }

    /** MySQL's {@code ER_LOCK_WAIT_TIMEOUT}. */
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    /** MySQL's {@code ER_TABLEACCESS_DENIED_ERROR}: the user lacks ALTER on the table. */
    private static final int ER_TABLEACCESS_DENIED = 1142;

    /**
     * The next AUTO_INCREMENT value of each tracked table that has one, read live (the dialect set
     * {@code information_schema_stats_expiry} to 0 where MySQL 8 caches it): a read, nothing taken or written.
     */
    private static Map<String, Long> autoIncrements(JdbcSession session) throws SQLException {
        java.util.Set<String> tracked = new java.util.HashSet<>();
        session.trackedTables().forEach(t -> tracked.add(t.name()));
        Map<String, Long> out = new LinkedHashMap<>();
        try (Statement s = session.connection().createStatement(); ResultSet rs = s.executeQuery(
                "select table_name, auto_increment from information_schema.tables where table_schema = database() "
                        + "and table_type in ('BASE TABLE', 'SYSTEM VERSIONED') and auto_increment is not null "
                        + "order by table_name")) {
            while (rs.next()) {
                if (tracked.contains(rs.getString(1))) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** The transaction that held the savepoints ended without VenomQA: every checkpoint is gone. */
    public static final class SavepointsLostException extends CheckpointException {
        private static final long serialVersionUID = 1L;

        SavepointsLostException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** {@code connect()} found tables a rollback could not undo. */
    public static final class NonTransactionalTablesException extends VenomQAException {
        private static final long serialVersionUID = 1L;

        NonTransactionalTablesException(String message) {
            super(message);
        }
    }
}
