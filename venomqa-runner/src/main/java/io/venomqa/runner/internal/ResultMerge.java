package io.venomqa.runner.internal;

import io.venomqa.journey.Branch;
import io.venomqa.journey.Journey;
import io.venomqa.journey.JourneyNode;
import io.venomqa.runner.BranchResult;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.NodeResult;
import io.venomqa.runner.PathResult;
import io.venomqa.runner.Status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts the lanes' results of one journey together into the result a serial run gives: the main line
 * of lane 0, and in each of its top-level branches the path results of the lane that ran them, in
 * declared order. A path its lane did not reach (its replay of the main line failed or stopped first)
 * fails with that lane's reason. Not API.
 */
final class ResultMerge {

    /** Where a merged path result came from: lane 0 itself, the owning lane, or made here (the owner failed). */
    enum Source { BASE, OWNER, MADE }

    /** One top-level path after the merge. */
    record MergedPath(int index, PathResult result, Source source, int lane) {
    }

    private final Journey journey;
    private final List<LaneOutcome> lanes;
    private final Map<Integer, BranchResult> branchesByFirstPath = new HashMap<>();
    private final Map<Integer, MergedPath> paths = new HashMap<>();

    ResultMerge(Journey journey, List<LaneOutcome> lanes) {
        this.journey = journey;
        this.lanes = lanes;
    }

    /** The lane that runs top-level path {@code index}. */
    static int laneOf(int index, int laneCount) {
        return index % laneCount;
    }

    /** The merged branch whose first top-level path is {@code firstPath}. */
    BranchResult branch(int firstPath) {
        return branchesByFirstPath.get(firstPath);
    }

    /** Top-level path {@code index} after the merge, or {@code null} when its branch did not run on lane 0. */
    MergedPath path(int index) {
        return paths.get(index);
    }

    JourneyResult merge(Duration wallTime) {
        JourneyResult base = lanes.get(0).result();
        List<NodeResult> nodes = new ArrayList<>();
        int first = 0;
        boolean failed = false;
        for (int i = 0; i < base.nodes().size(); i++) {
            NodeResult n = base.nodes().get(i);
            JourneyNode declared = journey.nodes().get(i);
            if (n instanceof BranchResult b && declared instanceof Branch branch) {
                n = mergeBranch(i, b, first);
                branchesByFirstPath.put(first, (BranchResult) n);
                first += branch.paths().size();
            }
            failed |= n.status() == Status.FAILED;
            nodes.add(n);
        }
        Set<String> warnings = new LinkedHashSet<>();
        StringBuilder message = new StringBuilder(base.message() == null ? "" : base.message());
        for (LaneOutcome lane : lanes) {
            warnings.addAll(lane.result().warnings());
            lane.notes().forEach(note -> warnings.add("Worker " + lane.worker().number() + ": " + note));
            String m = lane.result().message();
            if (lane != lanes.get(0) && m != null && !m.equals(base.message())) {
                message.append(message.length() == 0 ? "" : " ").append("Worker ").append(lane.worker().number()).append(": ").append(m);
            }
        }
        String journeyMessage = message.length() == 0 ? null : message.toString();
        Status status = failed || journeyMessage != null ? Status.FAILED : Status.PASSED;
        return new JourneyResult(base.name(), base.description(), base.tags(), status, base.startedAt(), wallTime, nodes,
                List.copyOf(warnings), journeyMessage, base.databaseIsolated(), base.backend());
    }

    private BranchResult mergeBranch(int position, BranchResult base, int first) {
        List<PathResult> merged = new ArrayList<>();
        boolean anyFailed = false;
        for (int j = 0; j < base.paths().size(); j++) {
            PathResult p = base.paths().get(j);
            int index = first + j;
            MergedPath m;
            if (!JourneyExecution.NOT_HERE.equals(p.message())) {
                m = new MergedPath(index, p, Source.BASE, 0);
            } else {
                int lane = laneOf(index, lanes.size());
                m = fromOwner(lane, position, j, index);
            }
            paths.put(index, m);
            merged.add(m.result());
            anyFailed |= m.result().failed();
        }
        Status status = anyFailed || base.message() != null ? Status.FAILED
                : base.status() == Status.SKIPPED ? Status.SKIPPED : Status.PASSED;
        return new BranchResult(base.name(), status, base.duration(), merged, base.message());
    }

    private MergedPath fromOwner(int lane, int position, int j, int index) {
        LaneOutcome owner = lanes.get(lane);
        NodeResult n = owner.result().nodes().get(position);
        PathResult p = n instanceof BranchResult b && j < b.paths().size() ? b.paths().get(j) : null;
        if (p != null && p.status() != Status.SKIPPED && !JourneyExecution.NOT_HERE.equals(p.message())) {
            return new MergedPath(index, p, Source.OWNER, lane);
        }
        String name = journey.nodes().get(position) instanceof Branch b ? b.paths().get(j).name() : "?";
        String description = journey.nodes().get(position) instanceof Branch b ? b.paths().get(j).description() : "";
        String why = "Worker " + owner.worker().number() + " did not reach this path: " + reason(owner, p);
        return new MergedPath(index, new PathResult(name, description, Status.FAILED, Duration.ZERO,
                p == null ? List.of() : p.nodes(), why), Source.MADE, lane);
    }

    /** Why a lane did not run a path that lane 0 reached: its first failure, else the skip reason. */
    private static String reason(LaneOutcome lane, PathResult p) {
        if (lane.result().message() != null) {
            return lane.result().message();
        }
        List<JourneyResult.Failure> failures = lane.result().failures();
        if (!failures.isEmpty()) {
            JourneyResult.Failure f = failures.get(0);
            return "its run of the journey failed first, at " + f.location() + ": " + f.message();
        }
        if (p != null && !p.nodes().isEmpty() && p.nodes().get(0) instanceof io.venomqa.runner.StepResult s && s.message() != null) {
            return s.message();
        }
        return "it stopped before this path" + (lane.notes().isEmpty() ? "." : " (" + String.join("; ", lane.notes()) + ").");
    }
}
