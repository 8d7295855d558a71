package io.venomqa.runner;

import java.time.Duration;
import java.util.Objects;

/**
 * A checkpoint taken (or not) during a run.
 *
 * @param name          the checkpoint's name in the journey
 * @param status        passed when the state was saved, failed when the state manager refused, skipped when not reached
 * @param databaseSaved whether the database state was saved too (false without a state manager)
 * @param duration      time to save
 * @param message       why it failed, or {@code null}
 */
public record CheckpointResult(String name, Status status, boolean databaseSaved, Duration duration, String message)
        implements NodeResult {

    public CheckpointResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(duration, "duration");
    }
}
