package io.venomqa.runner;

import io.venomqa.state.StateManagers;
import io.venomqa.state.WorkerDatabaseException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link WorkerApiFactory#withDataSource}: a worker whose manager hands out no {@code DataSource} (here
 * the memory backend) fails the set-up saying what to do, before the API is started. The SQL case
 * (each worker's shop on its manager's DataSource) runs in {@code CheckoutOnWorkersTest}.
 */
class WorkerApiFactoryTest {

    @Test
    void aManagerWithoutDataSourceFailsTheSetUpSayingWhatToDo() {
        AtomicInteger started = new AtomicInteger();
        WorkerApiFactory factory = WorkerApiFactory.withDataSource(ds -> {
            started.incrementAndGet();
            return WorkerApi.of("http://127.0.0.1:1", () -> { });
        });
        assertThatThrownBy(() -> Workers.copies(StateManagers.fromUrl("memory://wapi_" + System.nanoTime()), 2, factory))
                .isInstanceOf(WorkerDatabaseException.class)
                .hasMessageContaining("The API of worker 1 could not start")
                .hasMessageContaining("hands out no DataSource")
                .hasMessageContaining("checkpoint_strategy savepoint");
        assertThat(started).hasValue(0);
    }
}
