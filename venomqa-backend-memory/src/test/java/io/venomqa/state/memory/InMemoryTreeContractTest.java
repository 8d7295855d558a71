package io.venomqa.state.memory;

import io.venomqa.testkit.CheckpointTreeContract;
import io.venomqa.testkit.ContractFixture;

/** The in-memory backend restores any held checkpoint: the published tree contract, same fixture as {@link InMemoryContractTest}. */
class InMemoryTreeContractTest extends CheckpointTreeContract {

    @Override
    protected ContractFixture createFixture() {
        return new InMemoryContractTest().createFixture();
    }
}
