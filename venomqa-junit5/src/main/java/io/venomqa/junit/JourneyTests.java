package io.venomqa.junit;

import io.venomqa.context.ExecutionContext;
import io.venomqa.journey.Branch;
import io.venomqa.journey.Journey;
import io.venomqa.journey.JourneyNode;
import io.venomqa.journey.Path;
import io.venomqa.junit.internal.FailureText;
import io.venomqa.runner.BranchResult;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.runner.NodeResult;
import io.venomqa.runner.PathResult;
import io.venomqa.runner.Shard;
import io.venomqa.runner.Status;
import io.venomqa.runner.StepResult;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Journeys as JUnit dynamic tests, for {@code @TestFactory} methods:
 *
 * <pre>{@code
 * @TestFactory
 * DynamicContainer checkout(JourneyRunner runner) {
 *     return JourneyTests.of(runner, Journeys.checkout());
 * }
 * }</pre>
 *
 * <p>The tree mirrors the journey: a container per journey holding a {@code main line} test (the
 * steps and checkpoints outside any branch), then per branch a container {@code branch from <checkpoint>}
 * holding one test per path, named by the path. A path that has branches of its own becomes a
 * container with a test for its own steps followed by its branches' containers, to any depth. So the
 * IDE and Surefire list every path by name with its own result.
 *
 * <p>What is guaranteed:
 * <ul>
 *   <li>The journey is run exactly once, by {@link JourneyRunner#run(Journey, ExecutionContext)}, the
 *       first time one of its tests executes: checkpoints, rollback before every path, the state put
 *       back after each branch, retries, timeouts, fail-fast and listeners are the runner's own, not a
 *       second implementation. The tests then report the parts of that one result, so running a single
 *       path's test from the IDE still runs the whole journey (a path needs the steps before it).</li>
 *   <li>A failed path's test fails with the failed step, its message, the request and the response.
 *       A path or main line the runner did not run (after a failure with fail-fast, or when the state
 *       manager could not connect) is reported as aborted with the runner's reason; the main line
 *       test fails with the journey's own failure (timeout, connection).</li>
 *   <li>With system property {@value io.venomqa.runner.Shard#SYSTEM_PROPERTY} set ({@code -Dvenomqa.shard=2/4}),
 *       a journey outside that {@link Shard} is not run: its container holds one aborted test saying which
 *       shard runs it, so CI jobs of a matrix together run every journey once.</li>
 *   <li>The run happens inside the {@code @TestFactory} method's execution, so
 *       {@link VenomQAExtension}'s rollback after the test method also undoes what the journey left.</li>
 * </ul>
 */
public final class JourneyTests {

    /** Display name of the test for the steps outside any branch. */
    public static final String MAIN_LINE = "main line";

    private JourneyTests() {
    }

    /** The dynamic tests of {@code journey}, run by {@code runner} with a fresh context. */
    public static DynamicContainer of(JourneyRunner runner, Journey journey) {
        return of(runner, journey, new ExecutionContext());
    }

    /** The dynamic tests of {@code journey}, run by {@code runner} starting from {@code context}. */
    public static DynamicContainer of(JourneyRunner runner, Journey journey, ExecutionContext context) {
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(journey, "journey");
        Objects.requireNonNull(context, "context");
        java.util.Optional<Shard> shard = Shard.fromSystemProperty();
        if (shard.isPresent() && !shard.get().includes(journey.name())) {
            // Reported as aborted with the reason, never silently missing: the IDE shows where it runs.
            String why = "Journey '" + journey.name() + "' runs in shard " + Shard.of(journey.name(), shard.get().count())
                    + "/" + shard.get().count() + "; this is shard " + shard.get() + " (-D" + Shard.SYSTEM_PROPERTY + ").";
            return DynamicContainer.dynamicContainer(journey.name(), List.of(DynamicTest.dynamicTest(MAIN_LINE, () -> {
                throw new TestAbortedException(why);
            })));
        }
        Run run = new Run(() -> runner.run(journey, context));
        List<DynamicNode> children = new ArrayList<>();
        children.add(DynamicTest.dynamicTest(MAIN_LINE, () -> {
            JourneyResult r = run.get();
            String failure = FailureText.ofNodes("Journey '" + journey.name() + "'", r.nodes());
            if (r.message() != null) {
                throw new AssertionFailedError("Journey '" + journey.name() + "' failed: " + r.message()
                        + (failure == null ? "" : "\n" + failure));
            }
            if (failure != null) {
                throw new AssertionFailedError(failure);
            }
            abortIfSkipped(r.nodes(), "The main line");
        }));
        children.addAll(branches(journey.nodes(), run, List.of(), ""));
        return DynamicContainer.dynamicContainer(journey.name(), children);
    }

    /** One container per journey, each as {@link #of(JourneyRunner, Journey)} makes it. */
    public static Stream<DynamicNode> of(JourneyRunner runner, Collection<Journey> journeys) {
        return journeys.stream().map(j -> of(runner, j));
    }

    // ---- tree ---------------------------------------------------------------------------------

    /**
     * Containers for the branches among {@code nodes}; {@code at} is the position of the scope in
     * the result tree (pairs of node index and path index from the main line down).
     */
    private static List<DynamicNode> branches(List<JourneyNode> nodes, Run run, List<int[]> at, String location) {
        List<DynamicNode> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (!(nodes.get(i) instanceof Branch branch)) {
                continue;
            }
            List<DynamicNode> paths = new ArrayList<>();
            for (int j = 0; j < branch.paths().size(); j++) {
                Path path = branch.paths().get(j);
                List<int[]> here = new ArrayList<>(at);
                here.add(new int[] {i, j});
                String where = location.isEmpty() ? path.name() : location + " > " + path.name();
                DynamicTest own = DynamicTest.dynamicTest(path.name(), () -> checkPath(run.get(), here, where));
                boolean nested = path.nodes().stream().anyMatch(n -> n instanceof Branch);
                if (nested) {
                    List<DynamicNode> inner = new ArrayList<>();
                    inner.add(own);
                    inner.addAll(branches(path.nodes(), run, here, where));
                    paths.add(DynamicContainer.dynamicContainer(path.name(), inner));
                } else {
                    paths.add(own);
                }
            }
            out.add(DynamicContainer.dynamicContainer("branch from " + branch.checkpointName(), paths));
        }
        return out;
    }

    private static void checkPath(JourneyResult r, List<int[]> at, String location) {
        PathResult p = locate(r, at);
        String failure = FailureText.ofPath(location, p);
        if (failure != null) {
            throw new AssertionFailedError(failure);
        }
        if (p.status() == Status.SKIPPED) {
            throw new TestAbortedException("Path '" + location + "' was not run: " + skipReason(p.nodes()));
        }
        abortIfSkipped(p.nodes(), "Path '" + location + "'");
    }

    private static PathResult locate(JourneyResult r, List<int[]> at) {
        List<NodeResult> nodes = r.nodes();
        PathResult p = null;
        for (int[] step : at) {
            BranchResult b = (BranchResult) nodes.get(step[0]);
            p = b.paths().get(step[1]);
            nodes = p.nodes();
        }
        return p;
    }

    /** Aborts when every step of a scope was skipped (nothing of it ran, for a reason the runner gives). */
    private static void abortIfSkipped(List<NodeResult> nodes, String what) {
        List<StepResult> steps = nodes.stream().filter(n -> n instanceof StepResult).map(n -> (StepResult) n).toList();
        if (!steps.isEmpty() && steps.stream().allMatch(s -> s.status() == Status.SKIPPED)) {
            throw new TestAbortedException(what + " was not run: " + skipReason(nodes));
        }
    }

    private static String skipReason(List<NodeResult> nodes) {
        for (NodeResult n : nodes) {
            if (n instanceof StepResult s && s.message() != null) {
                return s.message();
            }
        }
        return "skipped by the runner";
    }

    /** The journey's one run, made on first need and shared by its tests. */
    private static final class Run {
        private final Supplier<JourneyResult> body;
        private JourneyResult result;
        private RuntimeException error;

        Run(Supplier<JourneyResult> body) {
            this.body = body;
        }

        synchronized JourneyResult get() {
            if (result == null && error == null) {
                try {
                    result = body.get();
                } catch (RuntimeException e) {
                    error = e;
                }
            }
            if (error != null) {
                throw error;
            }
            return result;
        }
    }
}
