package io.venomqa.runner.internal;

import io.venomqa.state.ChangeMark;
import io.venomqa.state.ChangeTracker;
import io.venomqa.state.DbChanges;
import io.venomqa.state.StateManager;

/**
 * Follows the database changes of one journey run: a window per step, and one between steps (a
 * background job's writes), through the state manager's {@link ChangeTracker}. Not API.
 *
 * <p>A step's window opens when it starts and closes when its last attempt ended; the window before
 * it covers the time since the previous step closed. Restoring a checkpoint undoes writes, so
 * {@link #forget()} drops the end of the previous window then, and the next step starts afresh.
 * A failure to read changes never fails a step: its changes read "not tracked" with the reason.
 */
final class ChangeWatch {

    private final ChangeTracker tracker;
    private final String reason;
    private final RunOutput out;
    private ChangeMark lastEnd;
    private ChangeMark stepStart;
    private boolean failedOnce;

    ChangeWatch(StateManager manager, RunOutput out) {
        this.out = out;
        if (manager == null) {
            tracker = null;
            reason = "no state manager";
        } else {
            tracker = manager.changeTracker().orElse(null);
            reason = tracker == null ? manager.changesNotTrackedReason() : null;
        }
    }

    /** Whether changes are tracked at all in this run; if not, {@link #notTrackedReason()} says why. */
    boolean tracking() {
        return tracker != null;
    }

    String notTrackedReason() {
        return reason;
    }

    /**
     * The tables whose changes are tracked, for the checks that name one; null when not known (no tracker, one
     * that cannot tell, or one that failed to say: the check then judges the names as before).
     */
    java.util.Set<String> knownTables() {
        if (tracker == null) {
            return null;
        }
        try {
            return tracker.tables().orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Called when a step starts: returns what was written since the previous step ended. */
    DbChanges stepStarts() {
        if (tracker == null) {
            return DbChanges.notTracked(reason); // unknown, not "nothing written between the steps"
        }
        try {
            if (lastEnd == null) {
                stepStart = tracker.mark();
                return DbChanges.none();
            }
            ChangeTracker.Window w = tracker.advance(lastEnd);
            stepStart = w.next();
            return w.changes();
        } catch (RuntimeException e) {
            stepStart = null;
            lastEnd = null;
            return failed(e);
        }
    }

    /** Called when a step's last attempt ended: returns what was written while it ran. */
    DbChanges stepEnds() {
        if (tracker == null) {
            return DbChanges.notTracked(reason);
        }
        if (stepStart == null) {
            return DbChanges.notTracked("no mark could be taken when the step started");
        }
        try {
            ChangeTracker.Window w = tracker.advance(stepStart);
            lastEnd = w.next();
            return w.changes();
        } catch (RuntimeException e) {
            lastEnd = null;
            return failed(e);
        } finally {
            stepStart = null;
        }
    }

    /** The state was put back (a checkpoint restored): the previous window's end means nothing now. */
    void forget() {
        lastEnd = null;
    }

    private DbChanges failed(RuntimeException e) {
        String why = "the state manager could not read them: " + out.mask(String.valueOf(e.getMessage()));
        if (!failedOnce) {
            failedOnce = true;
            out.warn("Database changes could not be read (" + why + "); the steps concerned show them as not tracked.");
        }
        return DbChanges.notTracked(why);
    }
}
