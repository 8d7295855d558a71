package io.venomqa.context;

import java.util.Map;

/**
 * A deep copy of an {@link ExecutionContext} at one moment, taken by
 * {@link ExecutionContext#snapshot()} and brought back by {@link ExecutionContext#restore(ContextSnapshot)}.
 * Nothing done to the context after the snapshot changes it (see {@link DeepCopy} for the rules,
 * and for the one exception: objects VenomQA cannot copy are shared).
 */
public final class ContextSnapshot {
    private final Map<String, Object> values;
    private final Map<String, Object> stepResults;

    ContextSnapshot(Map<String, Object> values, Map<String, Object> stepResults) {
        this.values = values;
        this.stepResults = stepResults;
    }

    Map<String, Object> values() {
        return values;
    }

    Map<String, Object> stepResults() {
        return stepResults;
    }

    /** Number of values captured (step results not counted). */
    public int size() {
        return values.size();
    }

    @Override
    public String toString() {
        return "ContextSnapshot" + values.keySet() + ", steps=" + stepResults.keySet();
    }
}
