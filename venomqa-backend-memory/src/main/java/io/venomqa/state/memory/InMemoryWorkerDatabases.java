package io.venomqa.state.memory;

import io.venomqa.state.StateConfig;
import io.venomqa.state.spi.WorkerDatabaseSupport;

import java.util.List;

/**
 * Worker copies of an {@link InMemoryStore}: JVM-wide named stores {@code memory://<name>_vqw_<run>_<n>}
 * holding a deep copy of the store's content (and its initial state, to which a reset returns).
 * Stores live only as long as the JVM, so the copies of a run are leftovers only when their set was
 * never closed in this JVM; no lock is needed beyond the set being open.
 */
final class InMemoryWorkerDatabases extends WorkerDatabaseSupport {

    private final InMemoryStore store;

    InMemoryWorkerDatabases(StateConfig source, InMemoryStore store) {
        super(source, 200);
        this.store = store;
    }

    @Override
    protected String sourceName() {
        return store.name() == null ? "memory" : store.name();
    }

    @Override
    protected String copyUrl(String copy) {
        return "memory://" + copy;
    }

    @Override
    protected Admin openAdmin() {
        return new Admin() {
            @Override
            public List<String> list(String prefix) {
                return InMemoryStore.namesStartingWith(prefix);
            }

            @Override
            public boolean tryLock(String run) {
                return true; // a run of this JVM is live while its set is open, which the caller checks first
            }

            @Override
            public void unlock(String run) {
            }

            @Override
            public void create(String copy) {
                store.copyAsNamed(copy);
            }

            @Override
            public void drop(String copy) {
                InMemoryStore.dropNamed(copy);
            }

            @Override
            public void close() {
            }
        };
    }
}
