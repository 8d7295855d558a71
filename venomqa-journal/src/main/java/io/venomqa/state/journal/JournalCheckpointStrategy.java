package io.venomqa.state.journal;

import io.venomqa.state.spi.ActiveCheckpoint;
import io.venomqa.state.jdbc.spi.CheckpointStrategy;
import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.journal.internal.Journal;
import io.venomqa.state.journal.internal.JournalSql;

import java.sql.SQLException;
import java.util.Optional;
import io.venomqa.state.ChangeMark;
import io.venomqa.state.ChangeTracker;
import io.venomqa.state.jdbc.spi.ChangeRecorder;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code journal} checkpoint strategy for one connection; see {@link JournalStrategyProvider}
 * for what it guarantees. Made by the provider on every {@code connect()}.
 */
public final class JournalCheckpointStrategy implements CheckpointStrategy {

    private final JournalSql sql;
    private Journal journal;

    JournalCheckpointStrategy(JournalSql sql) {
        this.sql = sql;
    }

    @Override
    public String name() {
        return JournalStrategyProvider.NAME;
    }

    @Override
    public void onConnect(JdbcSession session) throws SQLException {
        Journal j = new Journal(sql, session);
        j.open();
        journal = j;
    }

    @Override
    public void checkpoint(JdbcSession session, ActiveCheckpoint checkpoint) throws SQLException {
        journal.checkpoint(checkpoint.identifier());
    }

    @Override
    public void rollback(JdbcSession session, ActiveCheckpoint target, List<ActiveCheckpoint> discarded)
            throws SQLException {
        journal.rollback(target.identifier(), ids(discarded));
    }

    /** The journal can undo to a common ancestor and redo down to any held checkpoint. */
    @Override
    public boolean supportsCheckpointTree() {
        return true;
    }

    @Override
    public void restore(JdbcSession session, ActiveCheckpoint target, ActiveCheckpoint from) throws SQLException {
        journal.restore(target.identifier());
    }

    @Override
    public void release(JdbcSession session, ActiveCheckpoint target, List<ActiveCheckpoint> released) {
        journal.release(ids(released));
    }

    @Override
    public void beforeReset(JdbcSession session) throws SQLException {
        journal.beforeReset();
    }

    @Override
    public void afterReset(JdbcSession session) throws SQLException {
        journal.afterReset();
    }

    /** Its triggers record every connection's writes, which rollback and disconnect undo. */
    @Override
    public boolean undoesOtherConnections() {
        return true;
    }

    @Override
    public String leftAfterLostConnection() {
        return "The writes of the run (the application's are committed) and the journal's triggers are still in the "
                + "database: the next connect() with checkpoint_strategy: journal finds the run, puts the data back as "
                + "its connect() found it and removes the triggers (option " + Journal.OPTION_RECOVERY + ": restore, the "
                + "default). Do that before anything else uses the database.";
    }

    @Override
    public void onDisconnect(JdbcSession session) throws SQLException {
        if (journal != null) {
            journal.close();
            journal = null;
        }
    }

    /** Installs triggers on tables created since connect (with a warning that names them). */
    @Override
    public void onSchemaRefreshed(JdbcSession session) throws SQLException {
        journal.installOnNewTrackedTables();
    }

    /** The application writes through its own connections: the manager's is not shared. */
    @Override
    public boolean supportsSharedDataSource() {
        return false;
    }

    /** Row changes from the journal's entries: every session's committed writes to the tracked tables. */
    @Override
    public Optional<ChangeRecorder> changeRecorder() {
        return Optional.of(recorder);
    }

    /**
     * The journal's digest of the tracked tables' contents: the exploration's table-contents
     * projection reads its sums of the entries since the start instead of the tables (on PostgreSQL
     * one query; elsewhere computed from the entries' images, each hashed once).
     */
    @Override
    public Optional<io.venomqa.state.jdbc.spi.ContentsDigest> contentsDigest(JdbcSession session) throws SQLException {
        return journal.contentsDigest();
    }

    private record Position(JournalCheckpointStrategy owner, Journal.ChangePosition at) implements ChangeMark {
    }

    private final ChangeRecorder recorder = new ChangeRecorder() {
        @Override
        public ChangeMark mark(JdbcSession session) throws SQLException {
            return new Position(JournalCheckpointStrategy.this, journal.changePosition());
        }

        @Override
        public ChangeTracker.Window advance(JdbcSession session, ChangeMark mark) throws SQLException {
            if (!(mark instanceof Position p) || p.owner() != JournalCheckpointStrategy.this) {
                throw new IllegalArgumentException("This mark was not made by this journal: " + mark);
            }
            Journal.ChangePosition now = journal.changePosition();
            return new ChangeTracker.Window(journal.changesBetween(p.at(), now), new Position(JournalCheckpointStrategy.this, now));
        }
    };

    private static List<String> ids(List<ActiveCheckpoint> cps) {
        List<String> out = new ArrayList<>(cps.size());
        for (ActiveCheckpoint cp : cps) {
            out.add(cp.identifier());
        }
        return out;
    }
}
