package io.venomqa.state.jdbc.internal;

import io.venomqa.state.spi.ActiveCheckpoint;
import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.spi.CheckpointStrategy;
import io.venomqa.state.jdbc.spi.CheckpointStrategyProvider;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.SequenceSnapshot;

import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code savepoint} strategy: one open transaction; a checkpoint is a {@code SAVEPOINT} named by
 * the generated identifier, a rollback {@code ROLLBACK TO SAVEPOINT} followed by restoring the
 * identity counters captured with it, a release {@code RELEASE SAVEPOINT}. Nothing is committed
 * except by reset, whose commit also makes permanent what the run wrote before it (schema and setup
 * data created through the manager's connection survive a reset); disconnect rolls back and
 * restores the counters seen at connect (or at the last reset). Not API: select
 * it with {@code checkpoint_strategy: savepoint} (the default).
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

    private final Map<String, Savepoint> savepoints = new HashMap<>();
    private final Map<String, SequenceSnapshot> sequences = new HashMap<>();
    private SequenceSnapshot baseline = SequenceSnapshot.EMPTY;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onConnect(JdbcSession session) throws SQLException {
        baseline = session.captureSequences();
    }

    @Override
    public void checkpoint(JdbcSession session, ActiveCheckpoint checkpoint) throws SQLException {
        // Savepoint first, then the counters, read unguarded: the savepoint itself protects the
        // transaction (a failed read is undone by rolling back to it), which saves the two extra
        // round trips of session.captureSequences()'s guard savepoint on PostgreSQL (benchmark row 1).
        // Nothing runs between the two, so the counters are those of the savepoint.
        Savepoint sp = session.connection().setSavepoint(checkpoint.identifier());
        SequenceSnapshot seq;
        try {
            seq = session.dialect().captureSequences(session);
        } catch (SQLException | RuntimeException e) {
            try {
                session.connection().rollback(sp);
                session.connection().releaseSavepoint(sp);
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        savepoints.put(checkpoint.identifier(), sp);
        sequences.put(checkpoint.identifier(), seq);
    }

    @Override
    public void rollback(JdbcSession session, ActiveCheckpoint target, List<ActiveCheckpoint> discarded)
            throws SQLException {
        Savepoint sp = require(target);
        session.connection().rollback(sp);
        for (ActiveCheckpoint cp : discarded) {
            savepoints.remove(cp.identifier());
            sequences.remove(cp.identifier());
        }
        // Sequences are not transactional (PostgreSQL's nextval survives ROLLBACK TO): put them back by hand.
        session.restoreSequences(sequences.getOrDefault(target.identifier(), SequenceSnapshot.EMPTY));
    }

    @Override
    public void release(JdbcSession session, ActiveCheckpoint target, List<ActiveCheckpoint> released)
            throws SQLException {
        // RELEASE of the oldest one releases every later savepoint too, in every supported database.
        session.connection().releaseSavepoint(require(target));
        for (ActiveCheckpoint cp : released) {
            savepoints.remove(cp.identifier());
            sequences.remove(cp.identifier());
        }
    }

    @Override
    public void beforeReset(JdbcSession session) {
        // The reset's commit ends every savepoint. What the run wrote before the reset is committed with
        // it: schema and setup data created through the manager's connection must survive a reset.
        savepoints.clear();
        sequences.clear();
    }

    @Override
    public void afterReset(JdbcSession session) throws SQLException {
        // The reset is committed: its restarted counters are the new starting point for disconnect().
        baseline = session.captureSequences();
        session.connection().commit();
    }

    @Override
    public void onDisconnect(JdbcSession session) throws SQLException {
        savepoints.clear();
        sequences.clear();
        session.connection().rollback();
        session.restoreSequences(baseline);
        session.connection().commit(); // ends the (empty) transaction the counter restore may have opened
    }

    private Savepoint require(ActiveCheckpoint cp) throws SQLException {
        Savepoint sp = savepoints.get(cp.identifier());
        if (sp == null) {
            throw new SQLException("No savepoint " + cp.identifier() + " for checkpoint '" + cp.name()
                    + "' on this connection (was the connection replaced?)");
        }
        return sp;
    }
}
