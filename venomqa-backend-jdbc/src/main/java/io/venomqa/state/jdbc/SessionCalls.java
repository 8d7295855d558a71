package io.venomqa.state.jdbc;

import io.venomqa.core.VenomQAException;
import io.venomqa.state.CheckpointsLostException;
import io.venomqa.state.StateConnectionException;
import io.venomqa.state.StateNotConnectedException;
import io.venomqa.state.jdbc.internal.ConnectionLock;
import io.venomqa.state.jdbc.internal.ConnectionSession;
import io.venomqa.state.jdbc.internal.SqlFailures;
import io.venomqa.state.jdbc.spi.ConnectionSpec;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * How {@link JdbcStateManager} runs work on its session: it waits for the connection lock shared
 * with {@link JdbcStateManager#sharedDataSource()}, turns SQL failures into the exceptions the
 * manager promises (a lost connection marks the session lost and forgets the checkpoints), and
 * scrubs the password out of every message. Kept apart from the manager so that the manager reads
 * as the list of operations it offers, and this as the one place failures are classified.
 */
final class SessionCalls {

    // The manager's logger: what users configured for JdbcStateManager keeps covering these messages.
    private static final Logger LOG = LoggerFactory.getLogger(JdbcStateManager.class);

    /** Work on the session that may fail with SQL. */
    @FunctionalInterface
    interface SessionWork<T> {
        T run(ConnectionSession s) throws SQLException;
    }

    /**
     * What these calls need of the manager: its session and the checkpoint bookkeeping of
     * {@link io.venomqa.state.spi.BaseStateManager}, whose methods are protected there.
     */
    interface Owner {
        /** The open session, or {@code null} while disconnected. */
        ConnectionSession session();

        List<String> activeCheckpoints();

        void forgetAllCheckpoints();

        void ensureConnected();
    }

    private final Owner owner;
    private final ConnectionLock lock;
    private final Duration sharedWait;
    private final JdbcDialect dialect;
    private final ConnectionSpec spec;

    SessionCalls(Owner owner, ConnectionLock lock, Duration sharedWait, JdbcDialect dialect, ConnectionSpec spec) {
        this.owner = owner;
        this.lock = lock;
        this.sharedWait = sharedWait;
        this.dialect = dialect;
        this.spec = spec;
    }

    /** Runs a state operation; SQL failures become runtime exceptions that BaseStateManager wraps per operation. */
    <T> T run(String what, SessionWork<T> work) {
        ConnectionSession s = requireSession();
        long hold = acquire(what);
        try {
            return work.run(s);
        } catch (SQLException e) {
            throw failure(s, e);
        } catch (SqlFailures.UncheckedSql e) {
            throw failure(s, e.sqlException());
        } finally {
            lock.release(hold);
        }
    }

    /**
     * Like {@link #run}, for an operation that moves between checkpoints: when the checkpoints are
     * found gone, the manager forgets them, since offering checkpoints the database no longer has
     * would be a lie.
     */
    void runOnCheckpoints(String what, SessionWork<?> work) {
        try {
            run(what, work);
        } catch (CheckpointsLostException e) {
            owner.forgetAllCheckpoints();
            throw e;
        }
    }

    /** Like {@link #run}, for the helper methods: failures become {@link VenomQAException}s naming the operation. */
    <T> T call(String what, SessionWork<T> work) {
        owner.ensureConnected();
        try {
            return run(what, work);
        } catch (JdbcOperationFailure e) {
            throw new VenomQAException("The " + dialect.name() + " backend could not " + what + " ("
                    + spec.displayUrl() + "): " + e.getMessage(), e.getCause());
        }
    }

    /** The open session; fails when there is none or it was lost, saying what to do. */
    ConnectionSession requireSession() {
        ConnectionSession s = owner.session();
        if (s == null) {
            throw new StateNotConnectedException();
        }
        if (s.isLost()) {
            throw new StateConnectionException(s.lostMessage());
        }
        return s;
    }

    /** Takes the connection lock, for a disconnect that must go on: -1 when it could not be had. */
    long acquireQuietly() {
        try {
            long hold = lock.acquire(sharedWait);
            if (hold < 0) {
                LOG.warn("Disconnecting although thread '{}' still holds a connection from sharedDataSource()",
                        lock.owner() == null ? "?" : lock.owner().getName());
            }
            return hold;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Gives the lock back after {@link #acquireQuietly()}, also when it could not be had. */
    void releaseQuietly(long hold) {
        if (hold < 0) {
            lock.forceReset();
        } else {
            lock.release(hold);
        }
    }

    /** Whether {@code e} means the connection is gone (the dialect says so, or the connection is closed). */
    boolean connectionLost(ConnectionSession s, SQLException e) {
        return SqlFailures.connectionLost(s.connection(), dialect, e);
    }

    /** Forgets the checkpoints after a failure that ended the transaction they lived in. */
    void forgetAllCheckpoints() {
        owner.forgetAllCheckpoints();
    }

    String scrub(String text) {
        return SqlFailures.scrub(text, spec.password());
    }

    SQLException scrubbed(Throwable e) {
        return SqlFailures.scrubbed(e, spec.password());
    }

    /** The manager's reads (queries, counts, checks of {@code doctor}), guarded as {@link SqlFailures#guardedReads} says. */
    <T> T guarded(Connection c, SqlFailures.SqlWork<T> reads) throws SQLException {
        return SqlFailures.guardedReads(c, dialect, reads);
    }

    private long acquire(String what) {
        try {
            long hold = lock.acquire(sharedWait);
            if (hold < 0) {
                Thread owningThread = lock.owner();
                throw new IllegalStateException("Could not " + what + ": an application thread ('"
                        + (owningThread == null ? "?" : owningThread.getName()) + "') has held a connection from sharedDataSource() "
                        + "for more than " + ConnectionLock.describe(sharedWait) + " without closing it. Close shared connections "
                        + "after each unit of work (and do not put a pool in front of sharedDataSource()).");
            }
            return hold;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to " + what, e);
        }
    }

    private RuntimeException failure(ConnectionSession s, SQLException e) {
        if (connectionLost(s, e)) {
            return lost(s, e);
        }
        String why = "";
        try {
            why = dialect.explainFailure(s, e).map(x -> " " + x).orElse("");
        } catch (RuntimeException ignored) {
            // the explanation is a courtesy: the failure itself is what must reach the caller
        }
        return new JdbcOperationFailure(scrub(SqlFailures.describe(e) + why), scrubbed(e));
    }

    private StateConnectionException lost(ConnectionSession s, SQLException e) {
        List<String> names = owner.activeCheckpoints();
        String gone = s.strategy().undoesOtherConnections()
                // The journal's entries and the application's writes are committed: the server's rollback kept them.
                ? "The checkpoints " + names + " are gone with it, but what the run wrote is still in the database: "
                + "disconnect() connects again and puts it back as connect() found it."
                : "The checkpoints " + names + " are gone with it: they lived in the open transaction, which the "
                + "database rolled back, so nothing the run wrote since connect() or the last reset() was kept "
                + "(disconnect() puts the identity counters back on a new connection).";
        s.markLost("The connection to " + dialect.displayName() + " (" + spec.displayUrl() + ") was lost: "
                + scrub(e.getMessage()) + ". " + gone + " Call disconnect(), then connect() again and start the "
                + "journey over (re-create the checkpoints). If this keeps happening, check the server log and its "
                + "idle and statement timeouts.");
        owner.forgetAllCheckpoints();
        LOG.warn("{}", s.lostMessage());
        return new StateConnectionException(s.lostMessage(), scrubbed(e));
    }

    /** A SQL failure on its way to BaseStateManager, which wraps it in the operation's exception. */
    private static final class JdbcOperationFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        JdbcOperationFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
