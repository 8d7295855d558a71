package io.venomqa.context;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The step results of a context as an immutable, append-only list of (step, result) entries, newest
 * first, that snapshots share: a snapshot holds the head it saw, so N snapshots of a context with S
 * step results hold S entries between them, not N × S. Replaying the entries oldest
 * first into a {@link LinkedHashMap} gives the step results with {@code LinkedHashMap} semantics: a
 * step stored again keeps its position and takes the newer result.
 *
 * <p>Only values {@link DeepCopy} shares (immutable ones) are kept in entries the context writes;
 * a mutable result is recorded as {@link #MUTABLE}, and each snapshot puts a private copy of the
 * current value on top of the head it keeps, so what it restores never changes. Not API.
 */
final class StepLog {

    /** Stands for a mutable result in the context's own entries; a snapshot always covers it with a copy. */
    static final Object MUTABLE = new Object() {
        @Override
        public String toString() {
            return "(mutable step result)";
        }
    };

    final String step;
    final Object result;
    final StepLog previous;
    final int length;

    private StepLog(String step, Object result, StepLog previous) {
        this.step = step;
        this.result = result;
        this.previous = previous;
        this.length = previous == null ? 1 : previous.length + 1;
    }

    /** {@code log} with one more entry on top ({@code log} may be null, the empty log). */
    static StepLog append(StepLog log, String step, Object result) {
        return new StepLog(step, result, log);
    }

    /**
     * {@code log} with its newest entry for {@code step} holding {@code result} instead: the entries
     * above it are rebuilt on top of a new one, so the old entry is no longer reachable from the
     * result (only from logs that already held it). Appends when {@code step} has no entry.
     */
    static StepLog replace(StepLog log, String step, Object result) {
        List<StepLog> above = new ArrayList<>();
        StepLog e = log;
        while (e != null && !e.step.equals(step)) {
            above.add(e);
            e = e.previous;
        }
        if (e == null) {
            return append(log, step, result);
        }
        StepLog out = append(e.previous, step, result);
        for (int i = above.size() - 1; i >= 0; i--) {
            out = append(out, above.get(i).step, above.get(i).result);
        }
        return out;
    }

    static int length(StepLog log) {
        return log == null ? 0 : log.length;
    }

    /** The step results the log stands for, oldest first. */
    static LinkedHashMap<String, Object> replay(StepLog log) {
        List<StepLog> entries = new ArrayList<>(length(log));
        for (StepLog e = log; e != null; e = e.previous) {
            entries.add(e);
        }
        LinkedHashMap<String, Object> out = new LinkedHashMap<>(Math.max(16, (int) (entries.size() / 0.75f) + 1));
        for (int i = entries.size() - 1; i >= 0; i--) {
            StepLog e = entries.get(i);
            out.put(e.step, e.result);
        }
        return out;
    }

    /** How many distinct entries the logs hold together, each shared entry counted once. */
    static long distinctEntries(List<StepLog> logs) {
        Set<StepLog> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (StepLog log : logs) {
            for (StepLog e = log; e != null && seen.add(e); e = e.previous) {
                // the rest of this log is already counted once an entry was seen before
            }
        }
        return seen.size();
    }

    /** A fresh log holding exactly {@code results} (oldest first), mutable ones as {@link #MUTABLE}. */
    static StepLog of(Map<String, Object> results, Set<String> mutable) {
        StepLog log = null;
        for (Map.Entry<String, Object> e : results.entrySet()) {
            log = append(log, e.getKey(), mutable.contains(e.getKey()) ? MUTABLE : e.getValue());
        }
        return log;
    }
}
