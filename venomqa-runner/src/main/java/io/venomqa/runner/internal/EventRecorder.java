package io.venomqa.runner.internal;

import io.venomqa.journey.Branch;
import io.venomqa.journey.Checkpoint;
import io.venomqa.journey.Journey;
import io.venomqa.journey.JourneyNode;
import io.venomqa.journey.Path;
import io.venomqa.journey.Step;
import io.venomqa.runner.BranchResult;
import io.venomqa.runner.CheckpointResult;
import io.venomqa.runner.JourneyListener;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.PathResult;
import io.venomqa.runner.StepResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Records what one worker's run of a journey told its listeners, cut where the serial order needs
 * it: the events of each top-level path (numbered as {@code JourneyExecution} numbers them, the
 * rollback before the path included) apart from the main line's. {@link ParallelRun} replays them
 * to the real listeners in declared order. Not API; one per worker and journey.
 */
final class EventRecorder implements JourneyListener {

    /** A main-line event, marked where {@link ParallelRun} puts merged results in. */
    record Event(Kind kind, int firstPath, Consumer<JourneyListener> call) {
    }

    enum Kind { PLAIN, BRANCH_STARTED, BRANCH_FINISHED, JOURNEY_FINISHED }

    private final List<Branch> topLevelBranches = new ArrayList<>();
    private final List<Integer> firstPaths = new ArrayList<>();
    private int branchCursor;
    private int currentFirstPath = -1;
    private final List<Event> main = new ArrayList<>();
    private final Map<Integer, List<Consumer<JourneyListener>>> paths = new HashMap<>();
    private List<Consumer<JourneyListener>> segment; // the top-level path being recorded, or null
    private Consumer<JourneyListener> pendingRollback; // a depth-0 rollback: before a path, or after the branch

    EventRecorder(Journey journey) {
        int next = 0;
        for (JourneyNode n : journey.nodes()) {
            if (n instanceof Branch b) {
                topLevelBranches.add(b);
                firstPaths.add(next);
                next += b.paths().size();
            }
        }
    }

    /** The main line's events, in order. */
    synchronized List<Event> main() {
        flushRollback();
        return List.copyOf(main);
    }

    /** The events of top-level path {@code index}, or {@code null} when this worker did not run it. */
    synchronized List<Consumer<JourneyListener>> path(int index) {
        return paths.get(index);
    }

    private void record(Consumer<JourneyListener> call) {
        flushRollback();
        if (segment != null) {
            segment.add(call);
        } else {
            main.add(new Event(Kind.PLAIN, -1, call));
        }
    }

    private void flushRollback() {
        if (pendingRollback != null) {
            Consumer<JourneyListener> r = pendingRollback;
            pendingRollback = null;
            record(r);
        }
    }

    @Override
    public synchronized void journeyStarted(Journey journey) {
        record(l -> l.journeyStarted(journey));
    }

    @Override
    public synchronized void stepStarted(Step step, int depth) {
        record(l -> l.stepStarted(step, depth));
    }

    @Override
    public synchronized void stepFinished(StepResult result, int depth) {
        record(l -> l.stepFinished(result, depth));
    }

    @Override
    public synchronized void stepRetrying(Step step, int failedAttempt, String reason, long delayMillis, int depth) {
        record(l -> l.stepRetrying(step, failedAttempt, reason, delayMillis, depth));
    }

    @Override
    public synchronized void checkpointFinished(Checkpoint checkpoint, CheckpointResult result, int depth) {
        record(l -> l.checkpointFinished(checkpoint, result, depth));
    }

    @Override
    public synchronized void branchStarted(Branch branch, int depth) {
        if (depth == 0 && segment == null) {
            flushRollback();
            while (branchCursor < topLevelBranches.size() && topLevelBranches.get(branchCursor) != branch) {
                branchCursor++;
            }
            currentFirstPath = branchCursor < firstPaths.size() ? firstPaths.get(branchCursor++) : -1;
            main.add(new Event(Kind.BRANCH_STARTED, currentFirstPath, l -> l.branchStarted(branch, depth)));
        } else {
            record(l -> l.branchStarted(branch, depth));
        }
    }

    @Override
    public synchronized void rolledBack(String checkpointName, boolean database, int depth) {
        if (depth == 0 && segment == null) {
            flushRollback();
            pendingRollback = l -> l.rolledBack(checkpointName, database, depth);
        } else {
            record(l -> l.rolledBack(checkpointName, database, depth));
        }
    }

    @Override
    public synchronized void pathStarted(Path path, int depth) {
        if (depth == 0 && segment == null && currentFirstPath >= 0) {
            Branch branch = topLevelBranches.get(branchCursor - 1);
            int index = currentFirstPath + indexOf(branch, path);
            segment = new ArrayList<>();
            paths.put(index, segment);
            if (pendingRollback != null) {
                segment.add(pendingRollback);
                pendingRollback = null;
            }
            segment.add(l -> l.pathStarted(path, depth));
        } else {
            record(l -> l.pathStarted(path, depth));
        }
    }

    private static int indexOf(Branch branch, Path path) {
        for (int i = 0; i < branch.paths().size(); i++) {
            if (branch.paths().get(i) == path) {
                return i;
            }
        }
        throw new IllegalStateException("Path '" + path.name() + "' is not a path of the branch from '" + branch.checkpointName() + "'");
    }

    @Override
    public synchronized void pathFinished(PathResult result, int depth) {
        record(l -> l.pathFinished(result, depth));
        if (depth == 0) {
            segment = null;
        }
    }

    @Override
    public synchronized void branchFinished(BranchResult result, int depth) {
        if (depth == 0 && segment == null) {
            flushRollback();
            main.add(new Event(Kind.BRANCH_FINISHED, currentFirstPath, l -> l.branchFinished(result, depth)));
        } else {
            record(l -> l.branchFinished(result, depth));
        }
    }

    @Override
    public synchronized void warning(String message) {
        record(l -> l.warning(message));
    }

    @Override
    public synchronized void journeyFinished(JourneyResult result) {
        flushRollback();
        main.add(new Event(Kind.JOURNEY_FINISHED, -1, l -> l.journeyFinished(result)));
    }
}
