package io.venomqa.state.jdbc.spi;

import io.venomqa.state.ChangeMark;
import io.venomqa.state.ChangeTracker;

import java.sql.SQLException;

/**
 * How a {@link CheckpointStrategy} finds the rows written between two moments, behind the
 * manager's {@link io.venomqa.state.ChangeTracker}. Called with
 * the connection lock held, like every strategy hook; must not write to the application's tables
 * and must not end the manager's transaction in a way the strategy does not already (the savepoint
 * strategy never commits).
 *
 * <p>A strategy that has no recorder of its own (see {@link CheckpointStrategy#changeRecorder()})
 * gets the manager's built-in one, which reads every tracked table at each mark and compares.
 */
public interface ChangeRecorder {

    /** A mark at the current moment. */
    ChangeMark mark(JdbcSession session) throws SQLException;

    /**
     * What was written since {@code mark} (a mark this recorder made in this session) and a new mark
     * at the same moment. When the changes of this window cannot be known exactly, the changes are
     * {@link io.venomqa.state.DbChanges#notTracked(String)} with the reason.
     */
    ChangeTracker.Window advance(JdbcSession session, ChangeMark mark) throws SQLException;
}
