package io.venomqa.state.jdbc.spi;

import java.util.Optional;

/**
 * Tells the tracked tables' contents apart from the checkpoint strategy's own records, without
 * reading the tables: the journal strategy sums a hash of every row image its entries hold since a
 * pinned position, which costs what changed since then, not what the tables hold. Obtained from
 * {@link CheckpointStrategy#contentsDigest(JdbcSession)} (through
 * {@link io.venomqa.state.jdbc.JdbcStateManager#contentsDigest()}), which pins the contents of that
 * moment as the base.
 *
 * <p>Guarantee: while {@link #query()} (or {@link #read()}) is present, the one row it gives is a
 * function of the tracked tables' contents (and their columns) at the moment it is read, given
 * their contents at the base: two reads that give equal rows saw equal contents, except for a hash
 * collision (128 bits per table), and equal contents give equal rows. When the strategy can no longer
 * vouch for that (the journal was undone past the base, a table was picked up after it, a table was
 * rebuilt where the triggers cannot see it, the session ended), both are empty from then on and the
 * caller reads the tables instead.
 *
 * <p>The query is read-only and takes no parameters; run it like any other read of the manager
 * (inside its guard, with other reads in the same round trip). A strategy that cannot put the digest
 * in one query computes it itself instead ({@link #read()}): then {@link #query()} is empty and
 * {@link #read()} gives the same columns.
 *
 * <p>A strategy's digest is checked by {@code io.venomqa.state.jdbc.ContentsDigestContract} in the
 * test jar of {@code venomqa-backend-jdbc}: extend it once per database the strategy supports.
 */
public interface ContentsDigest {

    /** The column of the digest's row that describes the tables' columns. */
    String COLUMNS = "venomqa_columns";
    /** The column of the digest's row that lists the changes since the base, per table ({@code ""}: none). */
    String CHANGES = "venomqa_changes";

    /**
     * The SQL whose one row ({@value #COLUMNS}, {@value #CHANGES}) identifies the contents now,
     * relative to the base; empty when the digest is no longer valid (and then never again), or when
     * it is read with {@link #read()}.
     */
    Optional<String> query();

    /**
     * The digest's row now, computed by the strategy, when it has no {@link #query()}; empty when the
     * digest is no longer valid, or when it has a query. Read-only; called with the manager's lock.
     */
    default Optional<java.util.Map<String, String>> read() throws java.sql.SQLException {
        return Optional.empty();
    }
}
