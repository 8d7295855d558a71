package io.venomqa.runner;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A branch: the result of each of its paths. It fails when a path fails or when the state could
 * not be put back after the last path ({@link #message()}).
 *
 * @param name     the checkpoint the paths started from
 * @param status   passed, failed or skipped
 * @param duration time of every path and rollback
 * @param paths    results of the paths, in run order
 * @param message  a failure that is not a path's, or {@code null}
 */
public record BranchResult(String name, Status status, Duration duration, List<PathResult> paths, String message)
        implements NodeResult {

    public BranchResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(duration, "duration");
        paths = paths == null ? List.of() : List.copyOf(paths);
    }

    /** Same as {@link #name()}: the checkpoint the paths started from. */
    public String checkpointName() {
        return name;
    }

    /** The result of path {@code pathName}, or {@code null}. */
    public PathResult path(String pathName) {
        return paths.stream().filter(p -> p.name().equals(pathName)).findFirst().orElse(null);
    }
}
