package io.venomqa.junit;

import io.venomqa.junit.fixtures.Env;
import io.venomqa.junit.fixtures.JourneyFixture;
import io.venomqa.junit.support.Kit;
import io.venomqa.junit.support.UsersApiPerClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A journey as a tree of dynamic tests, checked through JUnit's own events, with both strategies. */
class JourneyTestsTest extends UsersApiPerClass {

    @ParameterizedTest
    @ValueSource(strings = {"savepoint", "journal"})
    void everyPathIsATestWithItsOwnResultAndRollbackBetweenThem(String strategy) {
        Env.log.clear();
        db.exportAsSystemProperties(strategy);

        EngineExecutionResults results = Kit.run(JourneyFixture.class);
        Kit.assertNoContainerFailure(results);
        assertThat(results.testEvents().failed().list().stream().map(e -> String.valueOf(Kit.throwable(e))).toList())
                .as("failures").hasSize(1);

        // The tree: journey > main line, branch from ann_exists > paths; wipe > its own test, branch from empty > paths.
        List<String> containers = results.containerEvents().dynamicallyRegistered().list().stream()
                .map(e -> e.getTestDescriptor().getDisplayName()).toList();
        assertThat(containers).containsExactly("signup", "branch from ann_exists", "wipe", "branch from empty");
        List<String> tests = results.testEvents().dynamicallyRegistered().list().stream()
                .map(e -> e.getTestDescriptor().getDisplayName()).toList();
        assertThat(tests).containsExactly("main line", "add_bob", "duplicate_ann", "broken", "wipe", "add_cid", "add_dan");

        // Each path passed or failed on its own: only "broken" failed; every path that checks what it
        // sees (sees_ann_only, sees_nobody) passed, so each started from its checkpoint's data.
        assertThat(names(results.testEvents().succeeded().list())).containsExactly(
                "main line", "add_bob", "duplicate_ann", "wipe", "add_cid", "add_dan", "afterTheFactoryTheDataIsBack(Client)");
        List<Event> failed = results.testEvents().failed().list();
        assertThat(names(failed)).containsExactly("broken");

        // The failure message shows the failed step, the request and the response.
        Throwable t = failed.get(0).getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertThat(t).isInstanceOf(AssertionError.class);
        assertThat(t.getMessage())
                .contains("Path 'broken' failed.")
                .contains("Step 'call_fail' failed: HTTP 500 from POST " + api.url() + "/fail")
                .contains("request:  POST " + api.url() + "/fail")
                .contains("{\"card\":\"4242\"}")
                .contains("response: 500 (application/json)")
                .contains("{\"error\":\"boom\"}");

        // The rollback after the @TestFactory method undid the journey's writes for the next test.
        assertThat(Env.log).containsExactly("after factory [\"seed\"]");
        assertThat(db.committedUsers()).containsExactly("seed");
    }

    @org.junit.jupiter.api.Test
    void aJourneyOfAnotherShardIsAbortedSayingWhichShardRunsIt() {
        db.exportAsSystemProperties("savepoint");
        int home = io.venomqa.runner.Shard.of("signup", 4);
        int other = home % 4 + 1;
        System.setProperty(io.venomqa.runner.Shard.SYSTEM_PROPERTY, other + "/4");
        try {
            EngineExecutionResults results = Kit.run(JourneyFixture.class);
            Kit.assertNoContainerFailure(results);
            List<Event> aborted = results.testEvents().aborted().list();
            assertThat(names(aborted)).containsExactly("main line");
            assertThat(Kit.throwable(aborted.get(0))).hasMessage("Journey 'signup' runs in shard " + home
                    + "/4; this is shard " + other + "/4 (-Dvenomqa.shard).");
            assertThat(results.testEvents().failed().count()).isZero();
        } finally {
            System.clearProperty(io.venomqa.runner.Shard.SYSTEM_PROPERTY);
        }
    }

    private static List<String> names(List<Event> events) {
        return events.stream().map(e -> e.getTestDescriptor().getDisplayName()).toList();
    }
}
