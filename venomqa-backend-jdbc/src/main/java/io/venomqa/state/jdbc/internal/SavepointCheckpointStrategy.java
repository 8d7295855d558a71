package io.venomqa.state.jdbc.internal;

import io.venomqa.state.spi.ActiveCheckpoint;
import io.venomqa.state.StateConfig;
import io.venomqa.state.CheckpointsLostException;
import io.venomqa.state.jdbc.spi.CheckpointStrategy;
import io.venomqa.state.jdbc.spi.CheckpointStrategyProvider;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.SequenceSnapshot;
import io.venomqa.state.jdbc.spi.SessionSettings;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code savepoint} strategy: one open transaction; a checkpoint is a {@code SAVEPOINT} named by
 * the generated identifier, a rollback {@code ROLLBACK TO SAVEPOINT} followed by restoring the
 * identity counters captured with it, a release {@code RELEASE SAVEPOINT}. Counters are the
 * dialect's ({@link JdbcDialect#captureSequences}, the code the journal uses too), handled only where
 * a rollback leaves them moved and they can be set inside the transaction
 * ({@link JdbcDialect.CounterRestore#IN_TRANSACTION}: PostgreSQL, H2); there the savepoint statements
 * go through {@link JdbcDialect#savepointAndCapture} and {@link JdbcDialect#rollbackAndRestore}, one
 * round trip each on PostgreSQL. Nothing is committed
 * except by reset, whose commit also makes permanent what the run wrote before it (schema and setup
 * data created through the manager's connection survive a reset); disconnect rolls back and
 * restores the counters seen at connect (or at the last reset). Not API: select
 * it with {@code checkpoint_strategy: savepoint} (the default).
 *
 * <p>A rollback undoes only what went through the manager's connection. Where the database can keep
 * other connections from committing meanwhile, the dialect does so from connect to disconnect
 * ({@link JdbcDialect#lockOutOtherWriters}: SQLite's write lock), so that no rollback reports success
 * with another connection's row still there. Elsewhere ({@link #undoesOtherConnections()} is false)
 * the manager compares the tracked tables at connect, after each reset and at disconnect
 * ({@link JdbcDialect#tableDigests}), and {@code disconnect()} fails when such rows are left.
 *
 * <p>On a database where some statements commit implicitly
 * ({@link JdbcDialect#implicitCommitStatements()}, H2), a statement of that kind on the manager's
 * connection (DDL through the shared DataSource) makes the run's writes so far permanent and ends
 * every savepoint. The strategy then keeps a base savepoint from connect (and from each reset) and
 * says so instead of passing on the driver's error: a rollback or release that finds its savepoint
 * gone throws {@link CheckpointsLostException} (the manager forgets every checkpoint), and
 * {@code disconnect()} logs a warning that the database is not as connect found it, and leaves the
 * identity counters alone (putting them back below committed rows would make the next insert fail);
 * the manager's comparison of the tables then fails {@code disconnect()} where the commit kept rows.
 */
public final class SavepointCheckpointStrategy implements CheckpointStrategy {

    /** The option value. */
    public static final String NAME = "savepoint";

    /** Provider of the built-in strategy; works with every dialect. */
    public static final CheckpointStrategyProvider PROVIDER = new CheckpointStrategyProvider() {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public CheckpointStrategy create(JdbcDialect dialect, StateConfig config) {
            return new SavepointCheckpointStrategy();
        }

        @Override
        public String toString() {
            return "built-in savepoint strategy";
        }
    };

    private static final Logger LOG = LoggerFactory.getLogger(SavepointCheckpointStrategy.class);

    /** Name of the base savepoint kept where statements commit implicitly; not a checkpoint identifier. */
    static final String BASE_SAVEPOINT = "venomqa_base";

    /** The driver's savepoints, where counters need no restore ({@link #countersInTransaction} false). */
    private final Map<String, Savepoint> savepoints = new HashMap<>();
    /** The counters per checkpoint, where they are restored in the transaction (savepoints then set in SQL). */
    private final Map<String, SequenceSnapshot> sequences = new HashMap<>();
    /**
     * Whether the dialect's counters survive a rollback but can be set inside the transaction
     * (PostgreSQL, H2): savepoints are then set and rolled back in SQL together with the counters'
     * capture and restore, in one round trip where the driver allows.
     */
    private boolean countersInTransaction;
    /** Active checkpoints, oldest first: identifier → name, for the message when they are lost. */
    private final Map<String, String> names = new LinkedHashMap<>();
    private SequenceSnapshot baseline = SequenceSnapshot.EMPTY;
    /** Set from connect (and each reset) on databases with implicit commits; gone when one happened. */
    private Savepoint base;
    /**
     * The session settings at each checkpoint where a rollback leaves them (SQLite's pragmas;
     * {@link JdbcDialect#sessionSettings}: none, and no round trip, on PostgreSQL, whose SET a rollback undoes).
     */
    private final SessionSettings settings = new SessionSettings();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onConnect(JdbcSession session) throws SQLException {
        // First, before the transaction has read or written anything: on SQLite another connection
        // could commit until the run's first write, and no rollback would undo it.
        session.dialect().lockOutOtherWriters(session, true);
        countersInTransaction = session.dialect().counterRestore() == JdbcDialect.CounterRestore.IN_TRANSACTION;
        baseline = countersInTransaction ? session.captureSequences() : SequenceSnapshot.EMPTY;
        markBase(session);
        settings.onConnect(session);
    }

    private void markBase(JdbcSession session) throws SQLException {
        base = session.dialect().implicitCommitStatements() == null ? null
                : session.connection().setSavepoint(BASE_SAVEPOINT);
    }

    @Override
    public void checkpoint(JdbcSession session, ActiveCheckpoint checkpoint) throws SQLException {
        String id = checkpoint.identifier();
        if (countersInTransaction) {
            // SAVEPOINT and the counters' capture together (one round trip on PostgreSQL, benchmark row 1);
            // nothing runs between the two, so the counters are those of the savepoint.
            sequences.put(id, session.dialect().savepointAndCapture(session, id, session.schema().tableNames()));
        } else {
            savepoints.put(id, session.connection().setSavepoint(id));
        }
        names.put(id, checkpoint.name());
        settings.checkpoint(session, id);
        // The SQL only ever shows the generated name: this line is how a reader of the server's log
        // (or of a JDBC trace) finds which checkpoint a savepoint stands for.
        LOG.debug("SAVEPOINT {} stands for checkpoint '{}'", id, checkpoint.name());
    }

    @Override
    public void rollback(JdbcSession session, ActiveCheckpoint target, List<ActiveCheckpoint> discarded)
            throws SQLException {
        LOG.debug("ROLLBACK TO SAVEPOINT {} (checkpoint '{}')", target.identifier(), target.name());
        try {
            if (countersInTransaction) {
                // Counters are not transactional (PostgreSQL's nextval survives ROLLBACK TO): put back with it.
                session.dialect().rollbackAndRestore(session, require(target), requireCounters(target));
            } else {
                session.connection().rollback(requireSavepoint(target));
            }
        } catch (SQLException e) {
            throw lostIfGone(session, e, target, "roll back to");
        }
        forget(discarded);
        settings.rollback(session, target.identifier());
    }

    @Override
    public void release(JdbcSession session, ActiveCheckpoint target, List<ActiveCheckpoint> released)
            throws SQLException {
        // RELEASE of the oldest one releases every later savepoint too, in every supported database.
        LOG.debug("RELEASE SAVEPOINT {} (checkpoint '{}')", target.identifier(), target.name());
        try {
            if (countersInTransaction) {
                try (Statement st = session.connection().createStatement()) {
                    st.execute("RELEASE SAVEPOINT " + require(target));
                }
            } else {
                session.connection().releaseSavepoint(requireSavepoint(target));
            }
        } catch (SQLException e) {
            throw lostIfGone(session, e, target, "release");
        }
        forget(released);
    }

    private void forget(List<ActiveCheckpoint> checkpoints) {
        for (ActiveCheckpoint cp : checkpoints) {
            savepoints.remove(cp.identifier());
            sequences.remove(cp.identifier());
            names.remove(cp.identifier());
            settings.forget(List.of(cp.identifier()));
        }
    }

    @Override
    public void beforeReset(JdbcSession session) {
        // The reset's commit ends every savepoint. What the run wrote before the reset is committed with
        // it: schema and setup data created through the manager's connection must survive a reset.
        savepoints.clear();
        sequences.clear();
        names.clear();
        settings.clear();
    }

    @Override
    public void afterReset(JdbcSession session) throws SQLException {
        // The reset is committed: its restarted counters are the new starting point for disconnect().
        baseline = countersInTransaction ? session.captureSequences() : SequenceSnapshot.EMPTY;
        session.connection().commit();
        markBase(session); // what was committed before is the new "as found"
    }

    @Override
    public void onDisconnect(JdbcSession session) throws SQLException {
        savepoints.clear();
        sequences.clear();
        names.clear();
        // The transactions disconnect begins (after its rollback, for the counters) need no lock of their own.
        session.dialect().lockOutOtherWriters(session, false);
        if (base != null && !baseSurvived(session)) {
            // Counters stay: restarting them below rows the implicit commit kept would break the next insert.
            session.connection().rollback();
            return;
        }
        session.connection().rollback();
        session.restoreSequences(baseline);
        session.connection().commit(); // ends the (empty) transaction the counter restore may have opened
    }

    /**
     * Every row is one connect() found: the counters go back exactly as found, also where a row held an id
     * ahead of a counter that the run's inserts then reached (a fixture inserted with explicit ids), which
     * the guarded restore of {@link #onDisconnect} took for another connection's row and stepped past.
     */
    @Override
    public void afterFoundAsFound(JdbcSession session) throws SQLException {
        if (baseline.isEmpty()) {
            return;
        }
        session.dialect().restoreSequences(session, baseline, exactTables(session));
        session.connection().commit();
    }

    /** The tables the manager read and found as connect() did (the tracked ones). */
    private static java.util.Set<String> exactTables(JdbcSession session) {
        java.util.Set<String> names = new java.util.HashSet<>();
        session.trackedTables().forEach(t -> names.add(t.name()));
        return names;
    }

    /** The server rolled the run's rows back with the lost connection; the counters it moved are put back here. */
    @Override
    public void afterLostConnection(JdbcSession fresh) throws SQLException {
        fresh.restoreSequences(baseline);
    }

    /**
     * Null where no counter needs putting back ({@link #baseline} empty: the database's counters are
     * transactional, or it has none): closing the connection then rolls back all the run wrote through it.
     * Else the counters, which closing does not put back.
     */
    @Override
    public String leftAfterFailedDisconnect() {
        if (baseline.isEmpty()) {
            return null;
        }
        List<String> found = new ArrayList<>();
        baseline.values().forEach((counter, value) -> found.add(counter + " = " + value));
        int shown = Math.min(found.size(), 10);
        return "What the run wrote through the manager's connection was rolled back when the connection closed, but "
                + "identity counters (sequences) are not transactional: those the run moved may stay where the run left "
                + "them (not put back), so the next inserts get other ids than after connect(). connect() found "
                + String.join(", ", found.subList(0, shown)) + (found.size() > shown ? " and " + (found.size() - shown)
                + " more" : "") + " (PostgreSQL: last_value:is_called, which SELECT setval('<sequence>', last_value, "
                + "is_called) puts back). Remove the cause above (setting a sequence needs the privilege to change it: "
                + "on PostgreSQL GRANT UPDATE ON SEQUENCE <sequence> TO <the role VenomQA connects as>), then put those "
                + "counters back by hand or recreate the database before the next run.";
    }

    @Override
    public String leftAfterLostConnection() {
        return "What the run wrote was rolled back by the server with the lost connection, but the identity "
                + "counters it moved (sequences) stay where the run left them: only the ids the next inserts get "
                + "differ from a run that was not interrupted. Restart those sequences by hand if that matters.";
    }

    /**
     * Whether the base savepoint still exists, found by rolling back to it: harmless here, since
     * disconnect rolls everything back anyway. When it is gone, warns what that means.
     */
    private boolean baseSurvived(JdbcSession session) throws SQLException {
        try {
            session.connection().rollback(base);
            return true;
        } catch (SQLException e) {
            if (!session.dialect().isSavepointLost(e)) {
                throw e;
            }
            LOG.warn("disconnect() could not put {} back as connect() found it: the run's transaction was committed "
                    + "behind VenomQA's back by a statement that commits implicitly on {} ({}) on the manager's "
                    + "connection, usually through sharedDataSource(). What the run wrote before that statement is "
                    + "permanent; only what it wrote after was rolled back, and identity counters were left as they are. "
                    + "Run DDL before connect() (or call reset() after it), not through sharedDataSource().",
                    session.maskedUrl(), session.dialect().displayName(), session.dialect().implicitCommitStatements());
            return false;
        } finally {
            base = null;
        }
    }

    /** The driver's "savepoint does not exist" after an implicit commit, turned into what it means. */
    private SQLException lostIfGone(JdbcSession session, SQLException e, ActiveCheckpoint target, String what) {
        if (!session.dialect().isSavepointLost(e)) {
            return e;
        }
        List<String> lost = new ArrayList<>(names.values());
        settings.clear();
        savepoints.clear();
        sequences.clear();
        names.clear();
        throw new CheckpointsLostException("Could not " + what + " checkpoint '" + target.name() + "' on "
                + session.maskedUrl() + ": its savepoint no longer exists, because the transaction holding every "
                + "checkpoint was committed behind VenomQA's back. On " + session.dialect().displayName()
                + " that happens when a statement that commits implicitly (" + session.dialect().implicitCommitStatements()
                + ") runs on the manager's connection, for instance through sharedDataSource(): what the run wrote "
                + "before it is now permanent, and neither rollback nor disconnect() can undo it. Every checkpoint is "
                + "lost: " + lost + ". Run DDL before connect(), not through sharedDataSource(); call reset() or "
                + "reconnect to start over from a known state.", lost, e);
    }

    /** The savepoint's name, set in SQL by {@link JdbcDialect#savepointAndCapture}. */
    private String require(ActiveCheckpoint cp) throws SQLException {
        requireCounters(cp);
        return cp.identifier();
    }

    private SequenceSnapshot requireCounters(ActiveCheckpoint cp) throws SQLException {
        SequenceSnapshot seq = sequences.get(cp.identifier());
        if (seq == null) {
            throw missing(cp);
        }
        return seq;
    }

    private Savepoint requireSavepoint(ActiveCheckpoint cp) throws SQLException {
        Savepoint sp = savepoints.get(cp.identifier());
        if (sp == null) {
            throw missing(cp);
        }
        return sp;
    }

    private static SQLException missing(ActiveCheckpoint cp) {
        return new SQLException("No savepoint " + cp.identifier() + " for checkpoint '" + cp.name()
                + "' on this connection (was the connection replaced?)");
    }
}
