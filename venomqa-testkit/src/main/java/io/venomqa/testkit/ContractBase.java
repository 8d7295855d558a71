package io.venomqa.testkit;

import io.venomqa.state.StateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the published contracts share: a fresh {@link ContractFixture} and its manager per test,
 * disconnected and closed afterwards, and the fixture's data calls with checked exceptions
 * reported as the fixture's failure.
 */
abstract class ContractBase {

    /** The backend under test: a fresh fixture for every test (checked exceptions fail the test). */
    protected abstract ContractFixture createFixture() throws Exception;

    protected ContractFixture fixture;
    protected StateManager manager;

    @BeforeEach
    void setUpFixture() throws Exception {
        fixture = createFixture();
        manager = fixture.stateManager();
        assertThat(manager).as("ContractFixture.stateManager()").isNotNull();
        assertThat(manager.isConnected()).as("a new manager must not be connected yet").isFalse();
    }

    @AfterEach
    void tearDownFixture() throws Exception {
        try {
            if (manager != null) {
                manager.disconnect();
            }
        } finally {
            if (fixture != null) {
                fixture.close();
            }
        }
    }

    /** The state written by most tests before their first checkpoint. */
    protected void seed() {
        put("alice", "1");
        put("bob", "2");
    }

    /** {@link ContractFixture#read()}, a checked exception reported as the fixture's failure. */
    protected Map<String, String> data() {
        try {
            return fixture.read();
        } catch (Exception e) {
            throw fixtureFailed("read()", e);
        }
    }

    /** {@link ContractFixture#put}, a checked exception reported as the fixture's failure. */
    protected void put(String key, String value) {
        try {
            fixture.put(key, value);
        } catch (Exception e) {
            throw fixtureFailed("put(\"" + key + "\", …)", e);
        }
    }

    /** {@link ContractFixture#remove}, a checked exception reported as the fixture's failure. */
    protected void remove(String key) {
        try {
            fixture.remove(key);
        } catch (Exception e) {
            throw fixtureFailed("remove(\"" + key + "\")", e);
        }
    }

    private static RuntimeException fixtureFailed(String call, Exception e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new IllegalStateException("ContractFixture." + call + " failed: " + e, e);
    }

}
