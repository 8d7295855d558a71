package io.venomqa.explore;

import io.venomqa.http.Client;
import io.venomqa.state.memory.InMemoryStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A move that changes only the context (it learns a value, as a read learns an id) leaves the
 * state as it was under a projection of the store alone. The moves run next from that state must
 * not see what it learnt, or a violation's path (which leaves the learning move out) would not
 * reproduce; a projection that includes the learnt key makes learning a state of its own, and the
 * path then names the move that learnt it.
 */
class LearntContextTest {

    private InMemoryStateManager manager;

    @BeforeEach
    void setUp() {
        manager = new InMemoryStateManager();
        manager.connect();
    }

    @AfterEach
    void tearDown() {
        manager.disconnect();
    }

    private static final String NEVER = "needsK never succeeds";

    private Exploration.Builder builder() {
        Move learn = Move.builder("learn").action((client, ctx) -> ctx.set("k", 42)).build();
        Move write = Move.builder("write").maxRuns(1).action((client, ctx) -> manager.store().put("row", 1)).build();
        Move needsK = Move.builder("needsK").requires("k").action((client, ctx) -> ctx.get("k")).build();
        return Exploration.builder().name("learnt").client(new Client("http://127.0.0.1:9")).stateManager(manager)
                .moves(List.of(learn, write, needsK))
                .invariant(Invariant.of(NEVER, o -> o.lastMove().map(m -> !m.name().equals("needsK")).orElse(true)))
                .strategy(Strategy.breadthFirst()).maxDepth(4);
    }

    @Test
    @DisplayName("projected on the store alone: what a self-loop learnt does not leak into the next state, so needsK never runs")
    void learntValueDoesNotLeakPastASelfLoop() {
        ExplorationResult r = builder().build().run();
        assertThat(r.transitions()).filteredOn(t -> t.move().equals("learn")).isNotEmpty().allSatisfy(t -> assertThat(t.selfLoop()).isTrue());
        assertThat(r.violations()).as(ExplorationConsole.summary(r)).isEmpty();
        assertThat(r.neverRun()).extracting(NeverRun::move).containsExactly("needsK");
        assertThat(manager.store().asMap()).isEmpty();
    }

    @Test
    @DisplayName("with the learnt key projected, learning is a state of its own and the violation's path starts with it and reproduces")
    void projectedKeyMakesLearningAState() {
        ExplorationResult r = builder().projection(StateProjection.of(StateProjection.memoryStore(), StateProjection.contextKeys("k")))
                .build().run();
        assertThat(r.violations()).as(ExplorationConsole.summary(r)).hasSize(1);
        Violation v = r.violations().get(0);
        assertThat(v.moves()).containsExactly("learn", "needsK");
        assertThat(v.reproduced()).isTrue();
        assertThat(manager.store().asMap()).isEmpty();
    }
}
