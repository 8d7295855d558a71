package io.venomqa.state.memory;

import io.venomqa.state.StateConfig;
import io.venomqa.state.UnsafeDatabaseException;
import io.venomqa.state.WorkerSet;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Worker copies of an in-memory store: deep copies, isolated, reset to the source's initial state, dropped on close. */
class InMemoryWorkerDatabasesTest {

    @Test
    void copiesAreDeepIsolatedAndDroppedOnClose() {
        String name = "shop" + UUID.randomUUID().toString().substring(0, 8);
        InMemoryStateManager source = new InMemoryStateManager(StateConfig.builder().backend("memory")
                .url("memory://" + name).option("initial_state", Map.of("users", List.of())).build());
        source.store().put("users", new java.util.ArrayList<>(List.of("ada")));
        try (WorkerSet set = source.workerDatabases().orElseThrow().create(2)) {
            assertThat(set.configs()).extracting(StateConfig::url).containsExactly(
                    "memory://" + name + "_vqw_" + set.runId() + "_1", "memory://" + name + "_vqw_" + set.runId() + "_2");
            InMemoryStateManager w1 = new InMemoryStateManager(set.configs().get(0));
            InMemoryStateManager w2 = new InMemoryStateManager(set.configs().get(1));
            @SuppressWarnings("unchecked")
            List<String> users = (List<String>) w1.store().get("users");
            users.add("bob"); // a value read from a copy is the copy's own
            w1.store().put("users", users);
            assertThat(w2.store().get("users")).isEqualTo(List.of("ada"));
            assertThat(source.store().get("users")).isEqualTo(List.of("ada"));
            w1.connect();
            w1.reset();
            assertThat(w1.store().get("users")).isEqualTo(List.of());
            w1.disconnect();
            assertThat(InMemoryStore.namesStartingWith(name + "_vqw_")).hasSize(2);
        }
        assertThat(InMemoryStore.namesStartingWith(name + "_vqw_")).isEmpty();
    }

    @Test
    void leftoversOfSetsNeverClosedAreDroppedAndTheGuardApplies() {
        String name = "cart" + UUID.randomUUID().toString().substring(0, 8);
        InMemoryStore.named(name + "_vqw_deadrun1_1"); // a set this JVM lost without closing
        InMemoryStateManager source = new InMemoryStateManager(StateConfig.builder().url("memory://" + name).build());
        try (WorkerSet set = source.workerDatabases().orElseThrow().create(1)) {
            assertThat(set.droppedLeftovers()).containsExactly(name + "_vqw_deadrun1_1");
        }
        InMemoryStateManager prod = new InMemoryStateManager(StateConfig.builder().url("memory://" + name)
                .option("environment", "production").build());
        assertThatThrownBy(() -> prod.workerDatabases().orElseThrow().create(1)).isInstanceOf(UnsafeDatabaseException.class);
        assertThat(InMemoryStore.namesStartingWith(name + "_vqw_")).isEmpty();
    }
}
