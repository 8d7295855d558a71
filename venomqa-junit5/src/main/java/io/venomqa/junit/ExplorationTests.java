package io.venomqa.junit;

import io.venomqa.explore.Exploration;
import io.venomqa.explore.ExplorationResult;
import io.venomqa.explore.Invariant;
import io.venomqa.explore.Violation;
import io.venomqa.explore.ViolationText;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * An {@link Exploration} as JUnit dynamic tests, for {@code @TestFactory} methods: one test per
 * invariant, so the IDE and CI list each rule with its own result, as {@link JourneyTests} lists each
 * path.
 *
 * <pre>{@code
 * @TestFactory
 * DynamicContainer shop(Client client, StateManager state) {
 *     return ExplorationTests.of(ShopExploration.builder().client(client).stateManager(state).build());
 * }
 * }</pre>
 *
 * <p>What is guaranteed:
 * <ul>
 *   <li>The exploration runs exactly once, by {@link Exploration#run()}, when the first of its tests
 *       executes (inside the {@code @TestFactory} method's execution, so {@link VenomQAExtension}'s
 *       rollback after the method also applies); the tests then report parts of that one result.</li>
 *   <li>The container, named {@code explore <name>}, holds one test per invariant of the exploration,
 *       in declaration order, then the built-in {@value Invariant#EXPECTED_STATUS} and
 *       {@value Invariant#MOVE_COMPLETES}. A test fails when its invariant was violated, with every
 *       violation and its minimal path, each request and response ({@link ViolationText}).</li>
 *   <li>A last test, {@value #COVERAGE}, is skipped with the run's warnings and the moves that never
 *       ran (and why) when there are any, so that an exploration that tested little does not read as
 *       green alone; it passes otherwise.</li>
 *   <li>When the run itself fails (the start journey failed, a state could not be restored, the
 *       database was not put back at the end), every test fails with that error.</li>
 * </ul>
 */
public final class ExplorationTests {

    private ExplorationTests() {
    }

    /** The dynamic tests of {@code exploration}. */
    public static DynamicContainer of(Exploration exploration) {
        return of(exploration, r -> {
        });
    }

    /**
     * The dynamic tests of {@code exploration}; {@code afterRun} gets the result once, after the run
     * and before the tests judge it (to write reports: {@code r -> ExplorationReports.writeAll(r, dir)}),
     * also when the run then fails because the database was not put back
     * ({@link io.venomqa.explore.DatabaseNotPutBackException}: every test fails with it).
     */
    public static DynamicContainer of(Exploration exploration, Consumer<ExplorationResult> afterRun) {
        Objects.requireNonNull(exploration, "exploration");
        Objects.requireNonNull(afterRun, "afterRun");
        Run run = new Run(exploration, afterRun);
        Set<String> names = new LinkedHashSet<>();
        exploration.invariants().forEach(i -> names.add(i.name()));
        names.add(Invariant.EXPECTED_STATUS);
        names.add(Invariant.MOVE_COMPLETES);
        List<DynamicNode> tests = new ArrayList<>();
        for (String name : names) {
            tests.add(DynamicTest.dynamicTest(name, () -> assertHeld(run.get(), name)));
        }
        tests.add(DynamicTest.dynamicTest(COVERAGE, () -> assumeCovered(run.get())));
        return DynamicContainer.dynamicContainer("explore " + exploration.name(), tests);
    }

    /** Name of the last test of the container: what the run covered. */
    public static final String COVERAGE = "what the exploration covered";

    /**
     * Passes when {@code result} has no warning and every move ran; otherwise aborts (JUnit shows the test
     * as skipped, with this message) listing the warnings, the moves that never ran and why, where the run
     * stopped and the (state, move) pairs it tried: an exploration that saw one state, or never made a
     * move, holds every invariant without having tested anything, and green tests alone would not say so.
     *
     * @throws org.opentest4j.TestAbortedException with that list
     */
    public static void assumeCovered(ExplorationResult result) {
        if (result.warnings().isEmpty() && result.neverRun().isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("Exploration '").append(result.name()).append("' ran, but check what it covered (")
                .append(result.summary()).append("; ").append(result.coverage().pairsTried()).append(" of ")
                .append(result.coverage().pairsPossible()).append(" (state, move) pairs tried):");
        result.warnings().forEach(w -> sb.append("\n  warning: ").append(w));
        result.neverRun().forEach(n -> sb.append("\n  never ran: ").append(n.move()).append(" — ").append(n.detail()));
        throw new org.opentest4j.TestAbortedException(sb.toString());
    }

    /**
     * Fails when {@code result} has a violation, listing every one with its minimal path.
     *
     * @throws AssertionFailedError naming the violated invariants
     */
    public static void assertNoViolations(ExplorationResult result) {
        if (result.hasViolations()) {
            throw new AssertionFailedError("Exploration '" + result.name() + "' found " + result.violations().size()
                    + (result.violations().size() == 1 ? " violation" : " violations") + " ("
                    + result.violations().stream().map(Violation::invariant).distinct().collect(Collectors.joining(", "))
                    + "):\n" + result.violations().stream().map(ViolationText::describe).collect(Collectors.joining("\n")));
        }
    }

    /**
     * Fails when invariant {@code invariant} was violated in {@code result}, listing its violations; aborts (JUnit
     * shows the test as skipped) when it never failed but could not judge some moves
     * ({@link io.venomqa.explore.InvariantSummary#didNotRun()}), or only warned about some
     * ({@link io.venomqa.explore.InvariantSummary#didWarn()}, a check at level warning): it did not pass those moves
     * either, and the message says what it found.
     *
     * @throws AssertionFailedError with every violation of it and its minimal path
     * @throws org.opentest4j.TestAbortedException {@code not run: could not judge …} with the reason, or
     *         {@code warned after …} with the first problem
     */
    public static void assertHeld(ExplorationResult result, String invariant) {
        List<Violation> vs = result.violationsOf(invariant);
        if (!vs.isEmpty()) {
            throw new AssertionFailedError("Invariant '" + invariant + "' violated in exploration '" + result.name() + "' ("
                    + result.summary() + "):\n" + vs.stream().map(ViolationText::describe).collect(Collectors.joining("\n")));
        }
        result.invariants().stream().filter(i -> i.name().equals(invariant) && (i.didWarn() || i.didNotRun())).findFirst()
                .ifPresent(i -> {
                    throw new org.opentest4j.TestAbortedException("Invariant '" + invariant + "' in exploration '" + result.name()
                            + "': " + (i.didWarn() ? "warned " + i.warnedDetail() : "not run: " + i.notRunDetail()));
                });
    }

    /** The exploration's one run, made on first need and shared by its tests. */
    private static final class Run {
        private final Exploration exploration;
        private final Consumer<ExplorationResult> afterRun;
        private ExplorationResult result;
        private RuntimeException error;

        Run(Exploration exploration, Consumer<ExplorationResult> afterRun) {
            this.exploration = exploration;
            this.afterRun = afterRun;
        }

        synchronized ExplorationResult get() {
            if (result == null && error == null) {
                try {
                    ExplorationResult r = exploration.run();
                    afterRun.accept(r);
                    result = r;
                } catch (io.venomqa.explore.DatabaseNotPutBackException e) {
                    // The run's findings still go where afterRun puts them (reports); every test fails with the error.
                    try {
                        afterRun.accept(e.result());
                    } catch (RuntimeException alsoFailed) {
                        e.addSuppressed(alsoFailed);
                    }
                    error = e;
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
