package io.venomqa.runner.internal;

import io.venomqa.runner.JourneyResult;

import java.util.List;

/**
 * What one worker's share of a journey gave: its result (the main line in full, its own top-level
 * paths, placeholders for the others), the events it recorded, and notes about its database
 * (the isolation checkpoint that could not be taken or rolled back). Not API.
 */
record LaneOutcome(Worker worker, JourneyResult result, EventRecorder events, List<String> notes) {
}
