package io.venomqa.testkit;

import io.venomqa.state.StateManager;

import java.util.Map;

/**
 * What {@link StateManagerContract} needs from a backend under test: a manager, and a way to
 * write and read the backend's data the way an application would, so that "the state is exactly
 * as at the checkpoint" is checked on data, not on bookkeeping.
 *
 * <p>The data is a set of text keys with text values (for a SQL backend: rows of a two-column
 * table inside the manager's reset set). {@link #put}, {@link #remove} and {@link #read} must
 * work both while the manager is connected and while it is not:
 * <ul>
 *   <li>connected: write and read where the manager's checkpoints see it (for the savepoint
 *       strategy, through the manager's shared connection; for a journal, through any connection);</li>
 *   <li>disconnected: write committed data directly, and read what is committed.</li>
 * </ul>
 *
 * <p>Every method may throw checked exceptions ({@code SQLException}, {@code IOException}, …): a
 * file- or JDBC-based fixture needs no wrappers; the contract reports them as the failure of the
 * test that called it.
 */
public interface ContractFixture extends AutoCloseable {

    /** The manager under test, not yet connected. Called once per contract test. */
    StateManager stateManager() throws Exception;

    /** Inserts {@code key} with {@code value}, or updates it when present. */
    void put(String key, String value) throws Exception;

    /** Deletes {@code key} if present. */
    void remove(String key) throws Exception;

    /** Every key and value, as the application would read them now. */
    Map<String, String> read() throws Exception;

    /**
     * Inserts a row whose key the backend generates (an identity, serial or AUTO_INCREMENT column of
     * a table inside the manager's reset set, written the way {@link #put} writes) and returns the key
     * it got: {@link CheckpointTreeContract} checks with it that a restore puts identity counters back.
     * Empty (the default) for a backend without identity counters; that check is then reported as
     * aborted, naming this method.
     */
    default java.util.OptionalLong insertWithGeneratedKey() throws Exception {
        return java.util.OptionalLong.empty();
    }

    /** Drops whatever the fixture created (schema, database, file). Called after the manager is disconnected. */
    @Override
    default void close() throws Exception {
    }
}
