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
 * <p>Guarantee: while {@link #query()} is present, the one row it reads on the manager's connection
 * is a function of the tracked tables' contents (and their columns) at the moment it is read, given
 * their contents at the base: two reads that give equal rows saw equal contents, except for a hash
 * collision (128 bits per table), and equal contents give equal rows. When the strategy can no longer
 * vouch for that (the journal was undone past the base, a table was picked up after it, the session
 * ended), {@link #query()} is empty from then on and the caller reads the tables instead.
 *
 * <p>The query is read-only and takes no parameters; run it like any other read of the manager
 * (inside its guard, with other reads in the same round trip).
 */
public interface ContentsDigest {

    /**
     * The SQL whose rows identify the contents now, relative to the base; empty when the digest is
     * no longer valid (and then never again). The rows are ordered; each names a table that differs
     * from the base (its first column), so "no rows" means "as at the base".
     */
    Optional<String> query();
}
