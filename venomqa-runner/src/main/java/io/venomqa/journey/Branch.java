package io.venomqa.journey;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Runs each of its {@link Path}s from the state saved by the checkpoint it names: before every
 * path the runner rolls the database back to that checkpoint and restores the execution context,
 * so every path starts from exactly the same state and sees nothing another path did. After the
 * last path the state is put back once more, so the journey continues from the checkpoint's state.
 *
 * <p>Whether the named checkpoint exists before the branch, and the paths' names, are checked when
 * the {@link Journey} is built.
 */
public final class Branch implements JourneyNode {

    private final String checkpointName;
    private final List<Path> paths;

    /** A branch from checkpoint {@code checkpointName} into {@code paths}, run in the given order. */
    public Branch(String checkpointName, List<Path> paths) {
        this.checkpointName = Objects.requireNonNull(checkpointName, "checkpointName");
        Objects.requireNonNull(paths, "paths");
        for (Path p : paths) {
            Objects.requireNonNull(p, () -> "a path of the branch from '" + checkpointName + "' is null");
        }
        this.paths = List.copyOf(paths);
    }

    /** Same as {@code new Branch(checkpointName, List.of(paths))}. */
    public static Branch of(String checkpointName, Path... paths) {
        return new Branch(checkpointName, Arrays.asList(paths));
    }

    /** Name of the checkpoint every path starts from. */
    public String checkpointName() {
        return checkpointName;
    }

    /** The paths, in the order they run. */
    public List<Path> paths() {
        return paths;
    }

    @Override
    public String label() {
        return "branch from '" + checkpointName + "'";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Branch b && b.checkpointName.equals(checkpointName) && b.paths.equals(paths);
    }

    @Override
    public int hashCode() {
        return Objects.hash(checkpointName, paths);
    }

    @Override
    public String toString() {
        return "Branch[" + checkpointName + " -> " + paths.stream().map(Path::name).toList() + "]";
    }
}
