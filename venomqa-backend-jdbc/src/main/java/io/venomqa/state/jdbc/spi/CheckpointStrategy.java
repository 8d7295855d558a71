package io.venomqa.state.jdbc.spi;

import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.spi.ActiveCheckpoint;

import java.sql.SQLException;
import java.util.List;

/**
 * How a {@link JdbcStateManager} saves and restores state: the {@code checkpoint_strategy} option.
 * One instance serves one connection (from {@code connect()} to {@code disconnect()}); the manager
 * creates a new one through its {@link CheckpointStrategyProvider} on every connect.
 *
 * <p>The manager guarantees: every hook runs with the connection lock held and never
 * concurrently; checkpoint names never need to reach SQL ({@link ActiveCheckpoint#identifier()}
 * is a generated, SQL-safe name); hooks receive the same stack semantics as
 * {@link io.venomqa.state.spi.BaseStateManager}'s {@code do…} methods. A hook throws
 * {@link SQLException} for database failures; the manager turns a lost connection into a
 * {@link io.venomqa.state.StateConnectionException} and anything else into the exception of the
 * operation.
 *
 * <p>Built in: {@code savepoint}. The {@code journal} strategy (venomqa-journal) plugs in the same way:
 * it installs triggers on {@link JdbcSession#trackedTables()} in {@link #onConnect}, records a
 * journal position plus {@link JdbcSession#captureSequences()} in {@link #checkpoint}, undoes the
 * journal in {@link #rollback}, and removes everything in {@link #onDisconnect}.
 */
public interface CheckpointStrategy {

    /** The option value that selects this strategy ({@code savepoint}, {@code journal}). */
    String name();

    /**
     * Prepares the freshly opened connection (auto-commit is off when this is called). Runs once
     * per connect, before any checkpoint.
     */
    void onConnect(JdbcSession session) throws SQLException;

    /** Saves the current state under {@code checkpoint}. */
    void checkpoint(JdbcSession session, ActiveCheckpoint checkpoint) throws SQLException;

    /**
     * Puts the state back to {@code target}, which stays active; {@code discarded} (newest last)
     * are forgotten afterwards. Identity counters are part of the state.
     */
    void rollback(JdbcSession session, ActiveCheckpoint target, List<ActiveCheckpoint> discarded) throws SQLException;

    /** Forgets {@code released} ({@code target} first, then every later checkpoint) without changing data. */
    void release(JdbcSession session, ActiveCheckpoint target, List<ActiveCheckpoint> released) throws SQLException;

    /**
     * Whether a rollback and {@code disconnect()} also undo what other connections committed (a
     * journal, whose triggers see every connection). When false (the default, and the savepoint
     * strategy's answer: it undoes only what went through the manager's connection), the manager
     * compares the tracked tables at connect, after each reset and at disconnect
     * ({@link io.venomqa.state.jdbc.spi.JdbcDialect#tableDigests}; option
     * {@value io.venomqa.state.jdbc.JdbcStateManager#OPTION_CHECK_OTHER_WRITERS}), and
     * {@code disconnect()} throws when rows were left that no rollback undid. A strategy that
     * returns true skips that read of every table.
     */
    default boolean undoesOtherConnections() {
        return false;
    }

    /**
     * Called after the reset plan was validated and before the dialect empties the tables: make
     * the connection ready for a committed reset (the savepoint strategy forgets its savepoints,
     * which the reset's commit ends; a journal strategy would suspend its triggers). Every
     * checkpoint is about to be cleared.
     */
    void beforeReset(JdbcSession session) throws SQLException;

    /** Called after the reset was committed (or failed and was rolled back): start afresh. */
    void afterReset(JdbcSession session) throws SQLException;

    /**
     * Ends the session: the database must be left as {@link #onConnect} found it, resets aside.
     * The manager closes the connection afterwards, whether this succeeds or not. Not called when
     * the connection was already lost ({@link #afterLostConnection} then runs on a new one). A strategy
     * that could not leave the database as found
     * throws a {@link io.venomqa.core.VenomQAException} saying what was and was not restored: the
     * manager rethrows it from {@code disconnect()} once the connection is closed. Any other
     * failure (an {@link SQLException} other than a lost connection) makes {@code disconnect()} throw a
     * {@link io.venomqa.state.RollbackException} too, once the connection is closed, unless
     * {@link #leftAfterFailedDisconnect()} says that closing the connection (which rolls back) puts
     * everything back.
     */
    void onDisconnect(JdbcSession session) throws SQLException;

    /**
     * What may stay in the database when {@link #onDisconnect} (or {@link #afterFoundAsFound}) failed with
     * an exception other than a {@link io.venomqa.core.VenomQAException} and the manager then closed the
     * connection, which rolled back its open transaction; for the message of the
     * {@link io.venomqa.state.RollbackException} that {@code disconnect()} throws, ending with what to
     * do. Null when closing the connection leaves the database exactly as connect() found it (everything
     * this strategy changes is in that transaction): {@code disconnect()} then logs the failure and
     * returns. The default is not null: a strategy that does not say otherwise may keep state outside the
     * transaction (a journal commits as it goes), and a disconnect() that is not known to be exact must
     * not report success.
     */
    default String leftAfterFailedDisconnect() {
        return "The connection was closed, which rolled back its open transaction, but what the '" + name()
                + "' checkpoint strategy keeps or changes outside that transaction may not have been put back. Check "
                + "the database (or recreate it) before relying on its contents.";
    }

    /**
     * After {@link #onDisconnect}, when the manager read the tracked tables and found them exactly as
     * {@code connect()} (or the last reset) left them: no other connection left a row behind, so every
     * row holding an id is one that was there at connect. A strategy whose counter restore guards
     * against such rows (never handing out again an id a row holds) may now put the counters back
     * exactly, in a transaction of its own that it commits. Not called when the tables were not read
     * (the check off, a dialect without digests, a failed read) or differ. Default: nothing.
     */
    default void afterFoundAsFound(JdbcSession session) throws SQLException {
    }

    /**
     * The manager's connection was lost during the run (the server ended it, a network failure): put back,
     * on {@code fresh} (a new connection to the same database, in a transaction the manager commits
     * afterwards), what outlives the lost connection's transaction, which the server rolled back: the
     * savepoint strategy puts the identity counters back (they are not transactional). Not called for a
     * strategy that {@link #undoesOtherConnections()}: the manager connects again instead, and that
     * strategy's recovery at connect undoes the dead run (the journal). Default: nothing.
     */
    default void afterLostConnection(JdbcSession fresh) throws SQLException {
    }

    /**
     * What stays in the database when the connection was lost and could not be opened again, for the
     * message of {@code disconnect()}; it ends with what to do.
     */
    default String leftAfterLostConnection() {
        return "What the run wrote through the lost connection was rolled back by the server.";
    }

    /**
     * Called by {@link JdbcStateManager#refreshSchema()} after the schema was introspected again
     * (DDL ran since connect, such as a migration the application applied): a strategy that
     * tracks tables (a journal) starts covering new ones here. Default: nothing.
     */
    default void onSchemaRefreshed(JdbcSession session) throws SQLException {
    }

    /**
     * Whether {@link #restore} works: returning to any held checkpoint, not only along the stack
     * ({@link io.venomqa.state.CheckpointTree}). Default {@code false} (savepoints form a stack); the
     * manager's {@code checkpointTree()} is empty then. A property of the strategy, not of the data:
     * the manager may ask an instance that is not connected.
     */
    default boolean supportsCheckpointTree() {
        return false;
    }

    /**
     * Puts the state back to {@code target} wherever the current state is in the tree of
     * checkpoints, keeping every checkpoint held ({@link io.venomqa.state.CheckpointTree}'s
     * guarantees). {@code from} is the manager's current checkpoint (null: the connect or reset
     * state); {@link ActiveCheckpoint#parentIdentifier()} links each checkpoint to the one it was
     * reached from. Called only when {@link #supportsCheckpointTree()}. When the tree is supported,
     * {@link #rollback}'s {@code target} may also lie on another branch than the current state.
     */
    default void restore(JdbcSession session, ActiveCheckpoint target, ActiveCheckpoint from) throws SQLException {
        throw new UnsupportedOperationException("checkpoint_strategy '" + name() + "' cannot restore a checkpoint "
                + "that is not on top of the stack; use rollback()");
    }

    /**
     * Whether the manager's shared {@link javax.sql.DataSource} is meaningful with this strategy
     * (the savepoint strategy only sees writes made through the manager's connection; a journal
     * sees every connection's writes, so the application should use its own connections).
     */
    default boolean supportsSharedDataSource() {
        return true;
    }

    /**
     * How this strategy records row changes for {@link io.venomqa.state.ChangeTracker}, when it has a
     * way of its own (a journal reads its entries). Default: empty, and the manager compares
     * snapshots of the tracked tables read on its connection, which sees exactly what this
     * connection sees (the run's own uncommitted writes included) and costs a read of every tracked
     * table per mark.
     */
    default java.util.Optional<ChangeRecorder> changeRecorder() {
        return java.util.Optional.empty();
    }

    /**
     * A {@link ContentsDigest} of the tracked tables with the contents now as its base, when this
     * strategy's own records tell the contents apart more cheaply than reading the tables (the
     * journal, on databases where it supports it). Default: empty, and callers read the tables.
     */
    default java.util.Optional<ContentsDigest> contentsDigest(JdbcSession session) throws SQLException {
        return java.util.Optional.empty();
    }
}
