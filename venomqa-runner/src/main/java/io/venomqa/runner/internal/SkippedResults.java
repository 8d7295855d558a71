package io.venomqa.runner.internal;

import io.venomqa.journey.Branch;
import io.venomqa.journey.Checkpoint;
import io.venomqa.journey.JourneyNode;
import io.venomqa.journey.Path;
import io.venomqa.journey.Step;
import io.venomqa.runner.BranchResult;
import io.venomqa.runner.CheckpointResult;
import io.venomqa.runner.NodeResult;
import io.venomqa.runner.PathResult;
import io.venomqa.runner.Status;
import io.venomqa.runner.StepResult;

import java.time.Duration;
import java.util.List;

/**
 * The results of nodes a journey run did not run (an earlier failure, a stop, a path left to
 * another worker), with the same shape as a run's, so that a report lists every node the journey
 * declares and says why each was left out.
 */
final class SkippedResults {

    private SkippedResults() {
    }

    /** Every node of {@code nodes} as skipped for {@code reason}. */
    static List<NodeResult> all(List<JourneyNode> nodes, String reason) {
        return nodes.stream().map(n -> node(n, reason)).toList();
    }

    /** {@code node}, and for a branch its paths, as skipped for {@code reason}. */
    static NodeResult node(JourneyNode node, String reason) {
        if (node instanceof Step s) {
            return StepResult.skipped(s.name(), s.description(), s.expectFailure(), "Not run: " + reason + ".");
        }
        if (node instanceof Checkpoint c) {
            return new CheckpointResult(c.name(), Status.SKIPPED, false, Duration.ZERO, "Not run: " + reason + ".");
        }
        Branch b = (Branch) node;
        return new BranchResult(b.checkpointName(), Status.SKIPPED, Duration.ZERO,
                b.paths().stream().map(p -> path(p, reason)).toList(), null);
    }

    /** A path and its nodes as skipped for {@code reason}. */
    static PathResult path(Path p, String reason) {
        return new PathResult(p.name(), p.description(), Status.SKIPPED, Duration.ZERO, all(p.nodes(), reason), null);
    }

    /** The placeholder of a top-level path another worker runs ({@link JourneyExecution#NOT_HERE}). */
    static PathResult notHere(Path p) {
        return new PathResult(p.name(), p.description(), Status.SKIPPED, Duration.ZERO, List.of(), JourneyExecution.NOT_HERE);
    }
}
