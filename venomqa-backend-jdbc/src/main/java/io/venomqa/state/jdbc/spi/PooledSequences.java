package io.venomqa.state.jdbc.spi;

/**
 * The rule every dialect's identity counters follow for an application's id pool: a sequence that steps by more
 * than 1 (up or down) and that no column draws from (no column default, identity or ownership) is taken to be one,
 * and is left where the application takes it: {@link JdbcDialect#captureSequences} does not save it, so no
 * rollback, tree restore or {@code disconnect()} moves it back.
 *
 * <p>Why: such a sequence is how an application keeps ids in memory. Hibernate's default for
 * {@code @GeneratedValue} on a sequence ({@code allocationSize = 50}, the pooled optimizers) takes one value per
 * 50 ids and hands the ids out itself. A rollback that moved the sequence back made it hand out a block again
 * whose ids the application was still handing out from memory: after enough inserts the application's own writes
 * failed with duplicate keys, and it handed out ids at or below zero. Its ids come from its memory, which no
 * rollback can put back, so moving the sequence back bought no repeatable ids either. A sequence that steps by 1,
 * or that a column's default or identity draws from, is saved and put back exactly as before.
 */
public final class PooledSequences {

    /** The message (one SLF4J argument: the sequences) a dialect logs at {@code INFO} when it finds such sequences. */
    public static final String MESSAGE = "Sequence(s) {} step by more than 1 and no column draws from them: an "
            + "application's id pool (Hibernate's pooled ids, allocationSize > 1). VenomQA leaves them where the "
            + "application takes them: rollbacks, restores and disconnect() do not move them back, because the "
            + "application hands out ids from blocks it keeps in memory and would otherwise take the same block "
            + "twice (duplicate keys). Rows are put back as always; only these sequences stay ahead.";

    private PooledSequences() {
    }

    /**
     * Whether a sequence stepping by {@code increment} is an application's id pool, given whether any column
     * draws from it (a default, an identity, an owner).
     */
    public static boolean isPool(long increment, boolean drawnByAColumn) {
        return !drawnByAColumn && Math.abs(increment) > 1;
    }
}
