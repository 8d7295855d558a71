package io.venomqa.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one run of a journey did, as a tree: the main line's nodes, each branch with its
 * paths, each path with its nodes, down to every step. Immutable and safe to print (credentials
 * masked, bodies cut; see {@link StepResult}).
 *
 * <p>The journey passes when every step, checkpoint and path in the tree passed; skipped nodes
 * only appear after a failure, so any skip means the journey failed.
 *
 * @param name              journey name
 * @param description       journey description, empty when none
 * @param tags              journey tags
 * @param status            passed or failed
 * @param startedAt         when the run started
 * @param duration          time of the whole run
 * @param nodes             results of the main line's nodes, in order
 * @param warnings          things the user should know (such as running without a state manager)
 * @param message           a failure of the journey itself (timeout, state manager), or {@code null}
 * @param databaseIsolated  whether a state manager rolled the database back between paths
 * @param backend           the state manager's backend ({@code db_backend}: {@code postgresql}, {@code mysql},
 *                          {@code sqlite}, {@code h2}, {@code memory}, or a custom one's name), null without one
 */
public record JourneyResult(String name, String description, Set<String> tags, Status status, Instant startedAt,
                            Duration duration, List<NodeResult> nodes, List<String> warnings, String message,
                            boolean databaseIsolated, String backend) {

    /** A result without a backend name (null), as results were before it was recorded. */
    public JourneyResult(String name, String description, Set<String> tags, Status status, Instant startedAt,
                         Duration duration, List<NodeResult> nodes, List<String> warnings, String message,
                         boolean databaseIsolated) {
        this(name, description, tags, status, startedAt, duration, nodes, warnings, message, databaseIsolated, null);
    }

    public JourneyResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
        description = description == null ? "" : description;
        tags = tags == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(tags));
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A failed step, path or journey and where it is ({@code main line}, {@code card}, {@code card > retry}). */
    public record Failure(String location, String message, StepResult step) {
    }

    /** A path and where it is: the names of its enclosing paths and its own, joined by {@code " > "}. */
    public record LocatedPath(String location, int depth, PathResult path) {
    }

    public boolean passed() {
        return status == Status.PASSED;
    }

    /**
     * This result, failed, for a run after which the database could not be put back as it was found
     * (rows another connection committed survived every rollback, so the paths did not all start from
     * the checkpoint's state): {@code why} becomes a warning (and the message, when there is none), and
     * {@link #databaseIsolated()} is false, so the reports do not say the paths were isolated.
     */
    public JourneyResult databaseNotPutBack(String why) {
        Objects.requireNonNull(why, "why");
        List<String> all = new java.util.ArrayList<>(warnings);
        all.add("The database was NOT put back as it was found after this run, so the paths did not all start from "
                + "the same state: " + why);
        return new JourneyResult(name, description, tags, Status.FAILED, startedAt, duration, nodes, all,
                message != null ? message : "The database was not put back as found: " + why, false, backend);
    }

    public boolean failed() {
        return status == Status.FAILED;
    }

    /** Every step of the tree, in run order (skipped ones included). */
    public List<StepResult> steps() {
        List<StepResult> out = new ArrayList<>();
        collectSteps(nodes, out);
        return out;
    }

    /** The first step named {@code name} anywhere in the tree, or {@code null}. */
    public StepResult step(String name) {
        return steps().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    /** Every path of the tree, depth first in run order, with its location. */
    public List<LocatedPath> paths() {
        List<LocatedPath> out = new ArrayList<>();
        collectPaths(nodes, "", 1, out);
        return out;
    }

    /** The first path whose location is {@code location} ({@code "card"}, {@code "card > retry"}), or {@code null}. */
    public PathResult path(String location) {
        return paths().stream().filter(p -> p.location().equals(location)).map(LocatedPath::path).findFirst().orElse(null);
    }

    /**
     * Whether every step kept its value, bodies, headers, stack trace and row details: false when
     * {@link KeepResponses#FAILURES} dropped those of passing steps ({@link StepResult#bodiesKept()}).
     */
    public boolean allBodiesKept() {
        return steps().stream().allMatch(StepResult::bodiesKept);
    }

    /** Said by reports when {@link #allBodiesKept()} is false. */
    public static final String PASSING_BODIES_NOT_KEPT = "Request and response bodies, headers and row details of passing"
            + " steps were not kept (keep_responses: failures); failed steps keep theirs.";

    /** How many steps ended with {@code status}. */
    public long stepCount(Status status) {
        return steps().stream().filter(s -> s.status() == status).count();
    }

    /** How many paths (nested ones included) ended with {@code status}. */
    public long pathCount(Status status) {
        return paths().stream().filter(p -> p.path().status() == status).count();
    }

    /** Every failure: failed steps with their location, and failures that are not a step's. */
    public List<Failure> failures() {
        List<Failure> out = new ArrayList<>();
        if (message != null && status == Status.FAILED) {
            out.add(new Failure("journey", message, null));
        }
        collectFailures(nodes, "main line", out);
        return out;
    }

    /** {@code checkout: PASSED, steps 9 passed / 0 failed / 0 skipped, paths 3/3 passed, 412 ms}. */
    public String summary() {
        long paths = paths().size();
        return name + ": " + status + ", steps " + stepCount(Status.PASSED) + " passed / " + stepCount(Status.FAILED)
                + " failed / " + stepCount(Status.SKIPPED) + " skipped, paths " + pathCount(Status.PASSED) + "/" + paths
                + " passed, " + duration.toMillis() + " ms";
    }

    static void collectSteps(List<NodeResult> nodes, List<StepResult> out) {
        for (NodeResult n : nodes) {
            if (n instanceof StepResult s) {
                out.add(s);
            } else if (n instanceof BranchResult b) {
                for (PathResult p : b.paths()) {
                    collectSteps(p.nodes(), out);
                }
            }
        }
    }

    private static void collectPaths(List<NodeResult> nodes, String prefix, int depth, List<LocatedPath> out) {
        for (NodeResult n : nodes) {
            if (n instanceof BranchResult b) {
                for (PathResult p : b.paths()) {
                    String location = prefix.isEmpty() ? p.name() : prefix + " > " + p.name();
                    out.add(new LocatedPath(location, depth, p));
                    collectPaths(p.nodes(), location, depth + 1, out);
                }
            }
        }
    }

    private static void collectFailures(List<NodeResult> nodes, String location, List<Failure> out) {
        for (NodeResult n : nodes) {
            if (n instanceof StepResult s && s.failed()) {
                out.add(new Failure(location, s.message(), s));
            } else if (n instanceof CheckpointResult c && c.failed()) {
                out.add(new Failure(location, "checkpoint '" + c.name() + "': " + c.message(), null));
            } else if (n instanceof BranchResult b) {
                if (b.failed() && b.message() != null) {
                    out.add(new Failure(location, "branch from '" + b.name() + "': " + b.message(), null));
                }
                for (PathResult p : b.paths()) {
                    String inner = "main line".equals(location) ? p.name() : location + " > " + p.name();
                    if (p.failed() && p.message() != null) {
                        out.add(new Failure(inner, p.message(), null));
                    }
                    collectFailures(p.nodes(), inner, out);
                }
            }
        }
    }
}
