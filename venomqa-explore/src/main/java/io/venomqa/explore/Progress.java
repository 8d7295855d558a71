package io.venomqa.explore;

import java.time.Duration;

/**
 * How far a running exploration is, given to {@link ExplorationListener#onProgress} after every move.
 *
 * @param steps          moves made so far
 * @param states         states seen
 * @param transitions    transitions recorded
 * @param violations     invariant failures so far (before grouping)
 * @param elapsed        time since the start
 * @param stepsPerSecond steps divided by elapsed seconds
 * @param timeLeft       what is left of the budget, or {@code null} without a budget
 */
public record Progress(int steps, int states, int transitions, int violations, Duration elapsed,
                       double stepsPerSecond, Duration timeLeft) {
}
