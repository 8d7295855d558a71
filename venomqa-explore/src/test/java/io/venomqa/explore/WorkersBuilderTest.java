package io.venomqa.explore;

import io.venomqa.http.Client;
import io.venomqa.runner.WorkerEndpoint;
import io.venomqa.runner.Workers;
import io.venomqa.state.StateConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@link Exploration.Builder#workers} accepts: breadth-first on several workers, any strategy on
 * one; the first worker's manager stands in for the state manager. (Runs on workers:
 * {@code ShopExplorationOnWorkersTest} in venomqa-examples.)
 */
class WorkersBuilderTest {

    private static Workers memoryWorkers(int n) {
        List<WorkerEndpoint> endpoints = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            endpoints.add(new WorkerEndpoint("http://127.0.0.1:1", StateConfig.builder().backend("memory")
                    .url("memory://vq_xw_" + UUID.randomUUID().toString().substring(0, 8)).build()));
        }
        return Workers.external(endpoints);
    }

    private static Exploration.Builder builder() {
        return Exploration.builder().client(new Client("http://unused.invalid"))
                .move(Move.builder("look").action((c, ctx) -> c.get("/")).build());
    }

    @Test
    void severalWorkersNeedBreadthFirstAndSayWhy() {
        try (Workers workers = memoryWorkers(2)) {
            assertThatThrownBy(() -> builder().workers(workers).strategy(Strategy.depthFirst()).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("on 2 workers needs the breadth-first strategy")
                    .hasMessageContaining("Strategy.breadthFirst()");
            Exploration e = builder().workers(workers).build();
            assertThat(e.workers()).containsSame(workers);
            assertThat(e.stateManager()).as("the first worker's").isSameAs(workers.stateManagers().get(0));
        }
    }

    @Test
    void oneWorkerTakesAnyStrategyAndNoWorkersNeedAStateManager() {
        try (Workers workers = memoryWorkers(1)) {
            assertThat(builder().workers(workers).strategy(Strategy.random(7)).build().workers()).isPresent();
        }
        assertThatThrownBy(() -> builder().build()).hasMessageContaining(".stateManager(").hasMessageContaining("workers");
    }
}
