package io.venomqa.testing;

import io.venomqa.journey.Branch;
import io.venomqa.journey.Checkpoint;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.journey.Step;
import io.venomqa.runner.BranchResult;
import io.venomqa.runner.CheckpointResult;
import io.venomqa.runner.JourneyListener;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.PathResult;
import io.venomqa.runner.StepResult;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records listener events as short strings, for asserting the order of a run. */
public final class RecordingListener implements JourneyListener {
    public final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void journeyStarted(Journey journey) {
        events.add("journey " + journey.name());
    }

    @Override
    public void stepFinished(StepResult result, int depth) {
        events.add("step " + result.name() + " " + result.status() + " @" + depth);
    }

    @Override
    public void stepRetrying(Step step, int failedAttempt, String reason, long delayMillis, int depth) {
        events.add("retry " + step.name() + " #" + failedAttempt + " in " + delayMillis);
    }

    @Override
    public void checkpointFinished(Checkpoint checkpoint, CheckpointResult result, int depth) {
        events.add("checkpoint " + checkpoint.name() + " " + result.status());
    }

    @Override
    public void branchStarted(Branch branch, int depth) {
        events.add("branch " + branch.checkpointName() + " @" + depth);
    }

    @Override
    public void rolledBack(String checkpointName, boolean database, int depth) {
        events.add("rollback " + checkpointName + (database ? " db" : " ctx"));
    }

    @Override
    public void pathStarted(Path path, int depth) {
        events.add("path " + path.name());
    }

    @Override
    public void pathFinished(PathResult result, int depth) {
        events.add("path-end " + result.name() + " " + result.status());
    }

    @Override
    public void branchFinished(BranchResult result, int depth) {
        events.add("branch-end " + result.name() + " " + result.status());
    }

    @Override
    public void warning(String message) {
        events.add("warning " + message);
    }

    @Override
    public void journeyFinished(JourneyResult result) {
        events.add("journey-end " + result.status());
    }
}
