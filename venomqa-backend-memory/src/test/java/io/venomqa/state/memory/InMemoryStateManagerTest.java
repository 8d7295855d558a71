package io.venomqa.state.memory;

import io.venomqa.state.BackendNotFoundException;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryStateManagerTest {

    @Test
    void foundByNameAliasAndUrl() {
        assertThat(StateManagers.create(StateConfig.builder().backend("memory").build())).isInstanceOf(InMemoryStateManager.class);
        assertThat(StateManagers.create(StateConfig.builder().backend("In-Memory").build())).isInstanceOf(InMemoryStateManager.class);
        assertThat(StateManagers.fromUrl("memory://shop")).isInstanceOf(InMemoryStateManager.class);
    }

    @Test
    void unknownBackendMessageIsTheOneInTheDesign() {
        assertThatThrownBy(() -> StateManagers.create(StateConfig.builder().backend("postgress").build()))
                .isInstanceOf(BackendNotFoundException.class)
                .hasMessage("Unknown db_backend 'postgress'. Available: memory (venomqa-backend-memory)."
                        + " For PostgreSQL add io.venomqa:venomqa-backend-postgres.");
    }

    @Test
    void namedStoreIsSharedWithTheApplication() {
        InMemoryStore.dropNamed("shop-test");
        InMemoryStore appStore = InMemoryStore.named("shop-test");
        try (StateManager m = StateManagers.create(StateConfig.fromMap(Map.of("db_url", "memory://shop-test")))) {
            m.connect();
            appStore.put("order:1", Map.of("status", "new"));
            m.checkpoint("order_created");
            appStore.put("order:1", Map.of("status", "paid"));
            m.rollback("order_created");
            assertThat(appStore.get("order:1")).isEqualTo(Map.of("status", "new"));
        }
        assertThat(appStore.containsKey("order:1")).as("disconnect restores the state at connect").isFalse();
        InMemoryStore.dropNamed("shop-test");
    }

    @Test
    void everySpellingOfAMemoryUrlNamesTheSameStore() {
        InMemoryStore.dropNamed("spelled");
        InMemoryStore appStore = InMemoryStore.named("spelled");
        appStore.put("k", "v");
        for (String url : new String[]{"memory://spelled", "memory:spelled", "MEMORY://spelled", "memory://spelled?ignored=1"}) {
            InMemoryStateManager m = (InMemoryStateManager) StateManagers.create(StateConfig.fromMap(Map.of("db_url", url)));
            assertThat(m.store()).as(url).isSameAs(appStore);
        }
        assertThatThrownBy(() -> new InMemoryStateManager(StateConfig.builder().backend("memory").url("jdbc:memory:x").build()))
                .hasMessageContaining("is not an in-memory URL; use memory://<store name>");
        InMemoryStore.dropNamed("spelled");
    }

    @Test
    void resetReturnsToTheInitialStateAndCheckpointsAreDeep() {
        InMemoryStateManager m = new InMemoryStateManager(Map.of("users", List.of("admin")));
        m.connect();
        List<String> users = new ArrayList<>(List.of("admin", "alice"));
        m.store().put("users", users);
        m.checkpoint("two_users");
        users.add("mallory"); // mutating a stored value in place must not change the checkpoint
        m.rollback("two_users");
        assertThat(m.store().get("users")).isEqualTo(List.of("admin", "alice"));
        m.reset();
        assertThat(m.store().asMap()).isEqualTo(Map.of("users", List.of("admin")));
        m.disconnect();
    }

    @Test
    void initialStateOptionMustBeAMap() {
        assertThatThrownBy(() -> new InMemoryStateManager(StateConfig.builder().option("initial_state", "x").build()))
                .hasMessageStartingWith("Configuration key 'initial_state' must be a map");
    }
}
