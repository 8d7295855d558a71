package io.venomqa.context;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A deep copy of an {@link ExecutionContext} at one moment, taken by
 * {@link ExecutionContext#snapshot()} and brought back by {@link ExecutionContext#restore(ContextSnapshot)}.
 * Nothing done to the context after the snapshot changes it (see {@link DeepCopy} for the rules,
 * and for the one exception: objects VenomQA cannot copy are shared).
 *
 * <p>Step results that {@link DeepCopy} treats as immutable (the runner's {@code StepResult}s, strings,
 * numbers, records) are not copied but shared with the context and with every other snapshot of it,
 * so a snapshot costs memory for the values and the mutable step results only, not for every step
 * that ran before it.
 */
public final class ContextSnapshot {
    private final Map<String, Object> values;
    private final StepLog stepLog;

    ContextSnapshot(Map<String, Object> values, StepLog stepLog) {
        this.values = values;
        this.stepLog = stepLog;
    }

    Map<String, Object> values() {
        return values;
    }

    StepLog stepLog() {
        return stepLog;
    }

    /** The step results as captured, oldest first (immutable ones shared, mutable ones this snapshot's copies). */
    Map<String, Object> stepResults() {
        return StepLog.replay(stepLog);
    }

    /** Test hook: step-result entries held by these snapshots, each counted once however many share it. */
    static long distinctStepEntries(List<ContextSnapshot> snapshots) {
        List<StepLog> logs = new ArrayList<>(snapshots.size());
        for (ContextSnapshot s : snapshots) {
            logs.add(s.stepLog);
        }
        return StepLog.distinctEntries(logs);
    }

    /** Number of values captured (step results not counted). */
    public int size() {
        return values.size();
    }

    @Override
    public String toString() {
        return "ContextSnapshot" + values.keySet() + ", steps=" + stepResults().keySet();
    }
}
