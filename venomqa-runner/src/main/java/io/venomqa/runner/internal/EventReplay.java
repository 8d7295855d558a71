package io.venomqa.runner.internal;

import io.venomqa.journey.Branch;
import io.venomqa.journey.Journey;
import io.venomqa.journey.JourneyNode;
import io.venomqa.journey.Path;
import io.venomqa.runner.BranchResult;
import io.venomqa.runner.JourneyListener;
import io.venomqa.runner.JourneyResult;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Tells the listeners, once every lane is done, what a serial run would have told them while it
 * ran, in the same order: lane 0's main line, each top-level path's events from the lane that ran
 * it, the merged branch and journey results in place of lane 0's partial ones. Not API.
 */
final class EventReplay {

    private EventReplay() {
    }

    static void replay(Journey journey, List<LaneOutcome> lanes, ResultMerge merge, JourneyResult merged, RunOutput out) {
        List<Path> topLevelPaths = new ArrayList<>();
        for (JourneyNode n : journey.nodes()) {
            if (n instanceof Branch b) {
                topLevelPaths.addAll(b.paths());
            }
        }
        for (EventRecorder.Event e : lanes.get(0).events().main()) {
            switch (e.kind()) {
                case PLAIN -> out.notify(e.call());
                case BRANCH_STARTED -> {
                    out.notify(e.call());
                    BranchResult b = merge.branch(e.firstPath());
                    for (int j = 0; b != null && j < b.paths().size(); j++) {
                        pathEvents(lanes, merge.path(e.firstPath() + j), topLevelPaths.get(e.firstPath() + j), out);
                    }
                }
                case BRANCH_FINISHED -> {
                    BranchResult b = merge.branch(e.firstPath());
                    out.notify(l -> l.branchFinished(b, 0));
                }
                case JOURNEY_FINISHED -> out.notify(l -> l.journeyFinished(merged));
            }
        }
    }

    private static void pathEvents(List<LaneOutcome> lanes, ResultMerge.MergedPath p, Path declared, RunOutput out) {
        if (p == null) {
            return;
        }
        if (p.source() == ResultMerge.Source.MADE) {
            out.notify(l -> l.pathStarted(declared, 0));
            out.notify(l -> l.pathFinished(p.result(), 0));
            return;
        }
        List<Consumer<JourneyListener>> events = lanes.get(p.lane()).events().path(p.index());
        if (events != null) {
            events.forEach(out::notify);
        }
    }
}
