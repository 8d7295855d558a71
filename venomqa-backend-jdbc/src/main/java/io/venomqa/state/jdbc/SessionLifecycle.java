package io.venomqa.state.jdbc;

import io.venomqa.core.VenomQAException;
import io.venomqa.state.RollbackException;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateConnectionException;
import io.venomqa.state.jdbc.internal.ConnectionSession;
import io.venomqa.state.jdbc.internal.OtherWriters;
import io.venomqa.state.jdbc.internal.RollbackVerifier;
import io.venomqa.state.jdbc.internal.SqlFailures;
import io.venomqa.state.jdbc.spi.CheckpointStrategyProvider;
import io.venomqa.state.jdbc.spi.ConnectionSpec;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * Opens and closes the one session of a {@link JdbcStateManager}: connect, prepare the session
 * (schema, dialect settings, auto-commit off, the strategy's start), and on disconnect let the
 * strategy put the database back, roll back and close, ending disconnected whatever failed.
 */
final class SessionLifecycle {

    // The manager's logger: what users configured for JdbcStateManager keeps covering these messages.
    private static final Logger LOG = LoggerFactory.getLogger(JdbcStateManager.class);

    private final StateConfig config;
    private final JdbcDialect dialect;
    private final ConnectionSpec spec;
    private final CheckpointStrategyProvider strategyProvider;
    private final SessionCalls calls;

    SessionLifecycle(StateConfig config, JdbcDialect dialect, ConnectionSpec spec,
                     CheckpointStrategyProvider strategyProvider, SessionCalls calls) {
        this.config = config;
        this.dialect = dialect;
        this.spec = spec;
        this.strategyProvider = strategyProvider;
        this.calls = calls;
    }

    /**
     * A new, prepared session; {@code safetyCheck} is the manager's guard against destroying data
     * outside a test database.
     *
     * @throws StateConnectionException with the masked URL and the dialect's checklist
     */
    ConnectionSession open(Consumer<String> safetyCheck) {
        Connection c;
        try {
            c = dialect.openConnection(spec);
        } catch (SQLException | RuntimeException e) {
            throw new StateConnectionException("Could not connect to " + dialect.displayName() + " at "
                    + spec.displayUrl() + ": " + calls.scrub(e.getMessage()) + SqlFailures.unknownHost(e) + "\n"
                    // indented, so that the checklist reads as part of this message wherever it is printed
                    + dialect.connectionChecklist(spec).indent(2).stripTrailing(), calls.scrubbed(e));
        }
        try {
            String schemaName = dialect.resolveSchema(c, config);
            dialect.initializeConnection(c, schemaName, config);
            c.setAutoCommit(false);
            ConnectionSession s = new ConnectionSession(c, schemaName, strategyProvider.create(dialect, config), dialect,
                    config, spec.displayUrl(), safetyCheck, () -> openBeside(schemaName));
            // Before the strategy's start, and ended by a commit: the read must not be the run's first (on
            // MySQL that would fix the run's snapshot at connect) and runs before anything is written.
            OtherWriters.remember(s);
            s.strategy().onConnect(s);
            if (RollbackVerifier.enabled(s)) {
                try {
                    s.verifier(RollbackVerifier.start(s));
                } catch (SQLException | RuntimeException e) {
                    // The strategy has started (a journal is installed): end it before the connection goes.
                    try {
                        s.strategy().onDisconnect(s);
                    } catch (SQLException | RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                    throw e;
                }
            }
            LOG.debug("Connected to {} ({} strategy, schema {})", spec.displayUrl(), s.strategy().name(), schemaName);
            return s;
        } catch (SQLException | RuntimeException e) {
            SqlFailures.closeQuietly(c);
            if (e instanceof VenomQAException v) {
                throw v;
            }
            throw new StateConnectionException("Connected to " + spec.displayUrl() + " but could not prepare the "
                    + "session: " + calls.scrub(e.getMessage()), calls.scrubbed(e));
        }
    }

    /** Another connection to the same database, prepared for {@code schemaName} as the session's was. */
    private Connection openBeside(String schemaName) throws SQLException {
        Connection c = dialect.openConnection(spec);
        try {
            dialect.initializeConnection(c, schemaName, config);
            return c;
        } catch (SQLException | RuntimeException e) {
            SqlFailures.closeQuietly(c);
            throw e;
        }
    }

    /**
     * Ends {@code s}: the strategy's end, then closing the connection (which rolls back).
     * {@code detach} runs before the connection is closed, so that no caller is handed a closing
     * session.
     *
     * @throws VenomQAException when the strategy could not leave the database as connect() found it,
     *                          after the connection is closed: the strategy's own exception, or a
     *                          {@link RollbackException} when its end failed otherwise and closing the
     *                          connection does not put everything back
     *                          ({@link io.venomqa.state.jdbc.spi.CheckpointStrategy#leftAfterFailedDisconnect})
     */
    void close(ConnectionSession s, Runnable detach) {
        long hold = calls.acquireQuietly();
        VenomQAException notAsFound = null;
        String lost = s.isLost() ? s.lostMessage() : null;
        try {
            if (lost == null) {
                try {
                    s.strategy().onDisconnect(s);
                    // After the strategy's rollback: what is left that connect() did not find, no rollback undid.
                    OtherWriters.Verdict verdict = OtherWriters.compared(s);
                    notAsFound = verdict.difference().orElse(null);
                    if (notAsFound == null && s.verifier() != null) {
                        notAsFound = s.verifier().atDisconnect(s).orElse(null);
                    }
                    if (verdict.read() && notAsFound == null) {
                        s.strategy().afterFoundAsFound(s);
                    }
                } catch (VenomQAException e) {
                    // The strategy could not leave the database as connect() found it (a journal
                    // whose undo failed): the caller must hear it, after the connection is closed.
                    notAsFound = e;
                } catch (SQLException | RuntimeException e) {
                    if (e instanceof SQLException sql && calls.connectionLost(s, sql)) {
                        lost = "the connection was lost while disconnecting: " + calls.scrub(e.getMessage());
                    } else {
                        // Closing without commit rolls back the open transaction, but not what outlives it (a
                        // sequence's setval/nextval, a journal's committed changes): only the strategy knows
                        // whether the rollback is all it needed.
                        String left = s.strategy().leftAfterFailedDisconnect();
                        if (left == null) {
                            LOG.warn("While disconnecting from {}: {} (the connection is closed anyway, which rolls back "
                                    + "everything the run changed)", spec.displayUrl(), calls.scrub(e.getMessage()));
                        } else {
                            String why = String.valueOf(calls.scrub(String.valueOf(e.getMessage()))).strip();
                            notAsFound = new RollbackException("disconnect() could not put " + dialect.displayName() + " ("
                                    + spec.displayUrl() + ") back as connect() found it: " + why
                                    + (why.endsWith(".") ? " " : ". ") + left + " The manager is disconnected.",
                                    calls.scrubbed(e));
                        }
                    }
                }
            }
        } finally {
            detach.run();
            s.closeOutsideReads();
            SqlFailures.closeQuietly(s.connection());
            calls.releaseQuietly(hold);
        }
        if (lost != null) {
            // After the lock is given back: putting back connects again, and that session's own close takes it.
            notAsFound = putBackAfterLoss(s, lost);
        }
        if (notAsFound != null) {
            throw notAsFound;
        }
    }

    /**
     * The connection died during the run: the server rolled back its open transaction, and what outlives
     * that is put back on a new connection. A strategy whose changes are committed as they happen (the
     * journal) is connected again, and its recovery at connect undoes the dead run; any other strategy
     * puts back what is not transactional (the savepoint strategy: identity counters). Null when the
     * database is as connect() found it again; else the failure for disconnect() to throw.
     */
    private VenomQAException putBackAfterLoss(ConnectionSession s, String lost) {
        String where = dialect.displayName() + " (" + spec.displayUrl() + ")";
        if (s.strategy().undoesOtherConnections()) {
            ConnectionSession again;
            try {
                again = open(s::checkSafeToDestroyData); // the strategy's recovery at connect undoes the dead run
            } catch (RuntimeException e) {
                return cannotPutBack(s, where, lost, e);
            }
            try {
                close(again, () -> { });
            } catch (VenomQAException e) {
                return e; // connected again, and that session's disconnect() says what it could not put back
            }
            LOG.warn("The connection to {} was lost during the run ({}). disconnect() connected again, undid the run "
                    + "and removed what it had installed.", where, lost);
            return null;
        }
        try {
            Connection c = openBeside(s.schemaName());
            try {
                c.setAutoCommit(false);
                ConnectionSession fresh = new ConnectionSession(c, s.schemaName(), s.strategy(), dialect, config,
                        spec.displayUrl(), s::checkSafeToDestroyData, () -> openBeside(s.schemaName()));
                s.strategy().afterLostConnection(fresh);
                c.commit();
            } finally {
                SqlFailures.closeQuietly(c);
            }
        } catch (SQLException | RuntimeException e) {
            return cannotPutBack(s, where, lost, e);
        }
        LOG.warn("The connection to {} was lost during the run ({}). The server rolled the run's writes back with it, "
                + "and disconnect() put back on a new connection what outlives a rollback (the identity counters).",
                where, lost);
        return null;
    }

    private StateConnectionException cannotPutBack(ConnectionSession s, String where, String lost, Exception e) {
        return new StateConnectionException("The connection to " + where + " was lost during the run (" + lost
                + "), and disconnect() could not connect again to put the database back as connect() found it: "
                + calls.scrub(e.getMessage()) + ". " + s.strategy().leftAfterLostConnection()
                + " The manager is disconnected.", calls.scrubbed(e));
    }
}
