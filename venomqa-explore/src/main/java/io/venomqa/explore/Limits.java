package io.venomqa.explore;

import java.time.Duration;

/**
 * The limits an exploration ran under.
 *
 * @param maxSteps    most moves made (replays to return to a state and shrinking tries not counted)
 * @param maxDepth    states this many moves from the start are not expanded further
 * @param maxStates   most distinct states
 * @param budget      wall-clock budget of the exploration (shrinking not included), or {@code null} for none
 * @param moveTimeout the longest a move without its own timeout may take
 */
public record Limits(int maxSteps, int maxDepth, int maxStates, Duration budget, Duration moveTimeout) {
}
