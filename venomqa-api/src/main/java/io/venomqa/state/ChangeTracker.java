package io.venomqa.state;

/**
 * Optional capability of a {@link StateManager}: telling which rows were written between two
 * moments. The runner marks before each step and asks for the changes since the mark after it, so
 * that every step's result shows what it wrote ({@link DbChanges}); it also asks for what happened
 * between steps, so that writes of a background job are shown as such.
 *
 * <p>Obtained with {@link StateManager#changeTracker()}; a manager that cannot track changes returns
 * empty and says why in {@link StateManager#changesNotTrackedReason()}. A tracker may also fail to
 * know the changes of one window (a table too large to compare, DDL that ended the transaction):
 * {@link #changesSince(ChangeMark)} then returns {@link DbChanges#notTracked(String)}, never an empty
 * result that would read as "nothing written".
 *
 * <p>Guarantees: marking and reading changes never write to the tables of the application and
 * never commit the manager's transaction; a mark stays valid until the next {@code rollback},
 * {@code reset} or {@code disconnect} of the manager (after those, changes since an older mark are
 * not meaningful: take a new one). Calls are made while connected; otherwise they raise
 * {@link StateNotConnectedException}.
 */
public interface ChangeTracker {

    /** The option that turns change tracking on ({@code track_changes: true}); off by default (its cost, benchmark row 10). */
    String OPTION_TRACK_CHANGES = "track_changes";

    /** A position from which changes are read. */
    ChangeMark mark();

    /**
     * The rows written since {@code mark}, each with its net change.
     *
     * @throws IllegalArgumentException when {@code mark} comes from another tracker
     */
    DbChanges changesSince(ChangeMark mark);

    /**
     * The names of the tables whose changes this tracker reports, as {@link DbChanges} names them, when it
     * knows them; empty when it cannot tell (the default). A check that names a table ({@code expectDb(db ->
     * db.unchanged("carts"))}) uses them to refuse a name no tracked table has: a typo must not read as "no
     * row written".
     */
    default java.util.Optional<java.util.Set<String>> tables() {
        return java.util.Optional.empty();
    }

    /**
     * The changes since {@code mark} together with a new mark taken at the same moment, so that no
     * write falls between two windows (and a tracker that compares snapshots reads the store once).
     */
    default Window advance(ChangeMark mark) {
        DbChanges changes = changesSince(mark);
        return new Window(changes, mark());
    }

    /**
     * The result of {@link #advance(ChangeMark)}.
     *
     * @param changes what was written since the old mark
     * @param next    a mark at the end of that window
     */
    record Window(DbChanges changes, ChangeMark next) {
        public Window {
            java.util.Objects.requireNonNull(changes, "changes");
            java.util.Objects.requireNonNull(next, "next");
        }
    }
}
