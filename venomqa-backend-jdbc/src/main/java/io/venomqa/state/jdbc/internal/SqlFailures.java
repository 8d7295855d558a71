package io.venomqa.state.jdbc.internal;

import io.venomqa.core.CredentialMasker;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;

/**
 * SQL failures as the JDBC manager reports them: messages with passwords masked, copies of driver
 * exceptions safe for stack traces, the cause a driver buries, and statements that must not poison
 * the transaction. Not API.
 */
public final class SqlFailures {

    private static final Logger LOG = LoggerFactory.getLogger(SqlFailures.class);

    private SqlFailures() {
    }

    /** JDBC work that may throw {@link SQLException}. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Carries an SQLException through the methods of {@code JdbcSession} that cannot throw it. */
    public static final class UncheckedSql extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UncheckedSql(SQLException cause) {
            super(cause.getMessage(), cause);
        }

        /** The SQLException carried. */
        public SQLException sqlException() {
            return (SQLException) getCause();
        }
    }

    /** The drivers bury a name that does not resolve in their causes ("The connection attempt failed."): say it. */
    public static String unknownHost(Throwable e) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof java.net.UnknownHostException u) {
                return " (unknown host: " + u.getMessage() + " does not resolve)";
            }
        }
        return "";
    }

    /** Whether {@code e} means the connection {@code c} is gone (the dialect says so, or the connection is closed). */
    public static boolean connectionLost(Connection c, JdbcDialect dialect, SQLException e) {
        if (dialect.isConnectionLost(e)) {
            return true;
        }
        try {
            return c.isClosed();
        } catch (SQLException ignored) {
            return true;
        }
    }

    /** The message with its SQLState, which often says more than the text. */
    public static String describe(SQLException e) {
        String state = e.getSQLState();
        return e.getMessage() + (state == null ? "" : " [SQLState " + state + "]");
    }

    /** {@code text} with {@code password} and every URL credential masked. */
    public static String scrub(String text, String password) {
        return CredentialMasker.maskText(String.valueOf(text), password);
    }

    /** A copy of {@code e} (and its causes) whose messages are masked, so no password reaches a stack trace. */
    public static SQLException scrubbed(Throwable e, String password) {
        SQLException copy = e instanceof SQLException s
                ? new SQLException(scrub(s.getMessage(), password), s.getSQLState(), s.getErrorCode())
                : new SQLException(scrub(e.getClass().getName() + ": " + e.getMessage(), password));
        copy.setStackTrace(e.getStackTrace());
        if (e.getCause() != null && e.getCause() != e) {
            copy.initCause(scrubbed(e.getCause(), password));
        }
        return copy;
    }

    /**
     * Runs {@code work} so that its failure cannot poison the transaction: where a failed statement
     * aborts the transaction ({@code abortsTransaction}, PostgreSQL), inside a savepoint rolled back on failure.
     */
    public static <T> T guarded(Connection c, boolean abortsTransaction, SqlWork<T> work) throws SQLException {
        if (!abortsTransaction || c.getAutoCommit()) {
            return work.run();
        }
        Savepoint sp = c.setSavepoint("venomqa_guard");
        try {
            T result = work.run();
            c.releaseSavepoint(sp);
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback(sp);
                c.releaseSavepoint(sp);
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Runs {@code reads}, statements that write nothing, so that a failing one cannot poison the
     * transaction: where a failed statement aborts it ({@link JdbcDialect#statementErrorAbortsTransaction()})
     * and a transaction is open, through the dialect's {@link JdbcDialect#runGuarded} (on PostgreSQL
     * the driver guards each statement in the statement's own round trip; elsewhere a savepoint around
     * them all, as {@link #guarded}).
     */
    public static <T> T guardedReads(Connection c, JdbcDialect dialect, SqlWork<T> reads) throws SQLException {
        if (!dialect.statementErrorAbortsTransaction() || c.getAutoCommit()) {
            return reads.run();
        }
        return dialect.runGuarded(c, false, reads::run);
    }

    /** Closes {@code c}, logging (at debug) rather than throwing: used when a failure is already on its way. */
    public static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Closing the connection failed: {}", e.getMessage());
        }
    }
}
