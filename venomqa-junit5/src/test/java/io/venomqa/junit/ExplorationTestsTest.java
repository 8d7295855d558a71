package io.venomqa.junit;

import io.venomqa.junit.fixtures.Env;
import io.venomqa.junit.fixtures.ExplorationFixture;
import io.venomqa.junit.support.Kit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ExplorationTests} through the JUnit Platform: one dynamic test per invariant, one run per exploration. */
class ExplorationTestsTest {

    @Test
    void oneTestPerInvariantTheViolatedOneFailsWithItsPathAndTheExplorationRunsOnce() {
        Env.log.clear();

        EngineExecutionResults results = Kit.run(ExplorationFixture.class);
        Kit.assertNoContainerFailure(results);

        List<String> containers = names(results.containerEvents().dynamicallyRegistered().list());
        assertThat(containers).containsExactly("explore counter", "explore cannot start", "explore lopsided", "explore blind");
        List<Event> counter = results.testEvents().list().stream()
                .filter(e -> e.getTestDescriptor().getUniqueId().toString().contains("counter()")).toList();
        List<Event> registered = counter.stream().filter(e -> e.getType() == org.junit.platform.testkit.engine.EventType.DYNAMIC_TEST_REGISTERED).toList();
        assertThat(names(registered)).containsExactly(ExplorationFixture.NEVER_NEGATIVE, ExplorationFixture.AT_MOST_THREE,
                "expected status", "move completes", ExplorationTests.COVERAGE);

        // The counter's run: only the planted bug fails, with the minimal path and its requests.
        List<Event> failed = results.testEvents().failed().list().stream()
                .filter(e -> e.getTestDescriptor().getUniqueId().toString().contains("counter()")).toList();
        assertThat(names(failed)).containsExactly(ExplorationFixture.NEVER_NEGATIVE);
        Throwable t = Kit.throwable(failed.get(0));
        assertThat(t).isInstanceOf(AssertionError.class);
        assertThat(t.getMessage())
                .contains("Invariant '" + ExplorationFixture.NEVER_NEGATIVE + "' violated in exploration 'counter'")
                .contains("path: 1 move")
                .contains("1. remove")
                .containsPattern("POST http://127\\.0\\.0\\.1:\\d+/remove → 200")
                .contains("response: {\"count\":-1}");
        assertThat(names(results.testEvents().succeeded().list().stream()
                .filter(e -> e.getTestDescriptor().getUniqueId().toString().contains("counter()")).toList()))
                .containsExactly(ExplorationFixture.AT_MOST_THREE, "expected status", "move completes", ExplorationTests.COVERAGE);

        // One run per exploration, though four tests read its result; afterRun saw it once, with the
        // store put back. The exploration that cannot start failed every one of its tests with the error.
        assertThat(Env.log).containsExactly("run counter", "afterRun counter: 1 violation(s), store {}", "start journey",
                "run lopsided", "run blind");
        List<Event> cannotStart = results.testEvents().failed().list().stream()
                .filter(e -> e.getTestDescriptor().getUniqueId().toString().contains("cannotStart()")).toList();
        assertThat(names(cannotStart)).containsExactly(ExplorationFixture.NEVER_NEGATIVE, ExplorationFixture.AT_MOST_THREE,
                "expected status", "move completes", ExplorationTests.COVERAGE);
        assertThat(cannotStart).allSatisfy(e -> assertThat(Kit.throwable(e)).hasMessageContaining(
                "The start journey 'login' failed at step 'login' before reaching checkpoint 'logged_in': HTTP 404"));
    }

    @Test
    @DisplayName("an exploration whose move never ran: its invariants pass, and the coverage test is skipped saying why")
    void whatWasNotCoveredIsShownAsASkippedTest() {
        EngineExecutionResults results = Kit.run(ExplorationFixture.class);

        List<Event> lopsided = results.testEvents().list().stream()
                .filter(e -> e.getTestDescriptor().getUniqueId().toString().contains("lopsided()")).toList();
        assertThat(names(lopsided.stream().filter(e -> e.getType() == org.junit.platform.testkit.engine.EventType.FINISHED
                && e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .map(r -> r.getStatus() == org.junit.platform.engine.TestExecutionResult.Status.SUCCESSFUL).orElse(false))
                .toList())).containsExactly(ExplorationFixture.AT_MOST_THREE, "expected status", "move completes");
        List<Event> aborted = lopsided.stream().filter(e -> e.getType() == org.junit.platform.testkit.engine.EventType.FINISHED
                && e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .map(r -> r.getStatus() == org.junit.platform.engine.TestExecutionResult.Status.ABORTED).orElse(false)).toList();
        assertThat(names(aborted)).containsExactly(ExplorationTests.COVERAGE);
        assertThat(Kit.throwable(aborted.get(0)))
                .isInstanceOf(org.opentest4j.TestAbortedException.class)
                .hasMessageStartingWith("Exploration 'lopsided' ran, but check what it covered (explore 'lopsided' (bfs)")
                .hasMessageContaining("never ran: reset — requires admin_token");
    }

    @Test
    @DisplayName("an invariant that could not judge its moves: its test is skipped with the reason, not passed")
    void anInvariantThatDidNotRunIsASkippedTest() {
        EngineExecutionResults results = Kit.run(ExplorationFixture.class);

        List<Event> blind = results.testEvents().list().stream()
                .filter(e -> e.getTestDescriptor().getUniqueId().toString().contains("blind()")).toList();
        List<Event> aborted = blind.stream().filter(e -> e.getType() == org.junit.platform.testkit.engine.EventType.FINISHED
                && e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .map(r -> r.getStatus() == org.junit.platform.engine.TestExecutionResult.Status.ABORTED).orElse(false)).toList();
        assertThat(names(aborted)).containsExactly(ExplorationFixture.BLIND);
        assertThat(Kit.throwable(aborted.get(0)))
                .isInstanceOf(org.opentest4j.TestAbortedException.class)
                .hasMessageStartingWith("Invariant '" + ExplorationFixture.BLIND + "' in exploration 'blind': not run: could not judge ")
                .hasMessageEndingWith(" checks: the audit log is not readable here");
    }

    private static List<String> names(List<Event> events) {
        return events.stream().map(e -> e.getTestDescriptor().getDisplayName()).toList();
    }
}
