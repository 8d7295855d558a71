package io.venomqa.state.memory;

import io.venomqa.state.StateManager;
import io.venomqa.testkit.ContractFixture;
import io.venomqa.testkit.StateManagerContract;

import java.util.LinkedHashMap;
import java.util.Map;

/** The in-memory backend passes the published contract. */
// tag::contract-test[]
class InMemoryContractTest extends StateManagerContract {

    @Override
    protected ContractFixture createFixture() {
        InMemoryStateManager m = new InMemoryStateManager();
        return new ContractFixture() {
            public StateManager stateManager() {
                return m;
            }

            public void put(String key, String value) {
                m.store().put(key, value);
            }

            public void remove(String key) {
                m.store().remove(key);
            }

            public Map<String, String> read() {
                Map<String, String> out = new LinkedHashMap<>();
                m.store().asMap().forEach((k, v) -> out.put(k, (String) v));
                return out;
            }
        };
    }
}
// end::contract-test[]
