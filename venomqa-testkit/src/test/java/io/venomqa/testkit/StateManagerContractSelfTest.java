package io.venomqa.testkit;

import io.venomqa.state.spi.ActiveCheckpoint;
import io.venomqa.state.spi.BaseStateManager;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Proves the kit can fail: it runs the contract against a correct in-test backend (all pass)
 * and against deliberately broken ones (the right tests fail).
 */
class StateManagerContractSelfTest {

    /** A minimal correct backend over a map. */
    static class MapStateManager extends BaseStateManager {
        final Map<String, String> data;
        final Map<String, Map<String, String>> saved = new HashMap<>();
        Map<String, String> atConnect;

        MapStateManager(Map<String, String> data) {
            super(StateConfig.builder().backend("map").build());
            this.data = data;
        }

        protected void doConnect() {
            atConnect = new TreeMap<>(data);
        }

        protected void doDisconnect() {
            data.clear();
            data.putAll(atConnect);
        }

        protected void doCheckpoint(ActiveCheckpoint cp) {
            saved.put(cp.identifier(), new TreeMap<>(data));
        }

        protected void doRollback(ActiveCheckpoint target, List<ActiveCheckpoint> discarded) {
            data.clear();
            data.putAll(saved.get(target.identifier()));
        }

        protected void doRelease(ActiveCheckpoint target, List<ActiveCheckpoint> released) {
            released.forEach(cp -> saved.remove(cp.identifier()));
        }

        protected void doReset() {
            data.clear();
            atConnect = new TreeMap<>();
        }

        public String backendName() {
            return "map";
        }
    }

    /** Forgets to restore the data on rollback: only the bookkeeping is right. */
    static class NoRestoreStateManager extends MapStateManager {
        NoRestoreStateManager(Map<String, String> data) {
            super(data);
        }

        @Override
        protected void doRollback(ActiveCheckpoint target, List<ActiveCheckpoint> discarded) {
        }
    }

    /** Correct, but its provider is not listed in META-INF/services: db_backend cannot choose it. */
    static class UnlistedStateManager extends MapStateManager {
        UnlistedStateManager(Map<String, String> data) {
            super(data);
        }

        @Override
        public String backendName() {
            return "unlisted";
        }
    }

    /** Keeps the data aside at connect() and empties the store until disconnect() puts it back. */
    static class WipesAtConnectStateManager extends MapStateManager {
        WipesAtConnectStateManager(Map<String, String> data) {
            super(data);
        }

        @Override
        protected void doConnect() {
            super.doConnect();
            data.clear();
        }
    }

    /** Restores the newest checkpoint whatever name is asked for. */
    static class NewestOnlyStateManager extends MapStateManager {
        final List<String> order = new ArrayList<>();

        NewestOnlyStateManager(Map<String, String> data) {
            super(data);
        }

        @Override
        protected void doCheckpoint(ActiveCheckpoint cp) {
            super.doCheckpoint(cp);
            order.add(cp.identifier());
        }

        @Override
        protected void doRollback(ActiveCheckpoint target, List<ActiveCheckpoint> discarded) {
            data.clear();
            data.putAll(saved.get(order.get(order.size() - 1)));
        }
    }

    /** Implements the interface by hand and gets the disconnected state and reset wrong. */
    static class SloppyStateManager implements StateManager {
        final MapStateManager inner;
        boolean connected;

        SloppyStateManager(Map<String, String> data) {
            inner = new MapStateManager(data);
        }

        public void connect() {
            connected = true;
            inner.connect();
        }

        public void disconnect() {
            connected = false;
            // forgets to put the data back
        }

        public boolean isConnected() {
            return connected;
        }

        public void checkpoint(String name) {
            inner.checkpoint(name);
        }

        public void rollback(String name) {
            inner.rollback(name);
        }

        public void release(String name) {
            inner.release(name);
        }

        public void reset() {
            // not committed, not cleared
        }

        public List<String> activeCheckpoints() {
            return inner.activeCheckpoints();
        }
    }

    static ContractFixture fixtureFor(java.util.function.Function<Map<String, String>, StateManager> factory) {
        Map<String, String> data = new TreeMap<>();
        StateManager m = factory.apply(data);
        return new ContractFixture() {
            public StateManager stateManager() {
                return m;
            }

            public void put(String key, String value) {
                data.put(key, value);
            }

            public void remove(String key) {
                data.remove(key);
            }

            public Map<String, String> read() {
                return new TreeMap<>(data);
            }
        };
    }

    static class CorrectKit extends StateManagerContract {
        protected ContractFixture createFixture() {
            return fixtureFor(MapStateManager::new);
        }
    }

    static class NoRestoreKit extends StateManagerContract {
        protected ContractFixture createFixture() {
            return fixtureFor(NoRestoreStateManager::new);
        }
    }

    static class NewestOnlyKit extends StateManagerContract {
        protected ContractFixture createFixture() {
            return fixtureFor(NewestOnlyStateManager::new);
        }
    }

    static class WipesAtConnectKit extends StateManagerContract {
        protected ContractFixture createFixture() {
            return fixtureFor(WipesAtConnectStateManager::new);
        }
    }

    static class UnlistedKit extends StateManagerContract {
        protected ContractFixture createFixture() {
            return fixtureFor(UnlistedStateManager::new);
        }
    }

    static class SloppyKit extends StateManagerContract {
        protected ContractFixture createFixture() {
            return fixtureFor(SloppyStateManager::new);
        }
    }

    private static Events run(Class<?> kit) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(kit)).execute().testEvents();
    }

    private static List<String> failedMethods(Events events) {
        return events.failed().stream()
                .map(e -> e.getTestDescriptor().getLegacyReportingName())
                .map(n -> n.replace("()", ""))
                .sorted()
                .toList();
    }

    @Test
    void aCorrectBackendPassesEveryContractTest() {
        Events events = run(CorrectKit.class);
        assertThat(events.failed().count()).as("failures: %s", failedMethods(events)).isZero();
        assertThat(events.succeeded().count()).isGreaterThanOrEqualTo(25);
    }

    @Test
    void aBackendThatDoesNotRestoreDataIsCaught() {
        assertThat(failedMethods(run(NoRestoreKit.class)))
                .contains("rollbackRestoresData", "rollbackTwice", "nestedThreeDeep", "rollbackToOuterSkipsInner",
                        "awkwardNames", "punctuationDistinct", "connectIsIdempotent")
                .doesNotContain("duplicateName", "callsWhileDisconnected", "invalidNames", "disconnectRestoresStateAtConnect");
    }

    @Test
    void aBackendThatRestoresTheWrongCheckpointIsCaught() {
        assertThat(failedMethods(run(NewestOnlyKit.class)))
                .contains("nestedThreeDeep", "rollbackToOuterSkipsInner", "punctuationDistinct", "awkwardNames")
                .doesNotContain("rollbackRestoresData", "rollbackTwice");
    }

    @Test
    void aBackendWhoseProviderIsNotListedIsCaught() {
        assertThat(failedMethods(run(UnlistedKit.class))).containsExactly("registeredUnderItsName");
    }

    @Test
    void aBackendThatEmptiesTheStoreAtConnectIsCaught() {
        // Every other test that seeds data reads it only after disconnect(), which puts it back: this passed them all.
        assertThat(failedMethods(run(WipesAtConnectKit.class))).contains("connectKeepsTheData");
    }

    @Test
    void aBackendWithWrongDisconnectAndResetIsCaught() {
        assertThat(failedMethods(run(SloppyKit.class)))
                .contains("disconnectRestoresStateAtConnect", "closeIsDisconnect", "resetEmptiesAndClears",
                        "resetIsCommitted", "callsWhileDisconnected", "disconnectedCallsChangeNothing", "reconnect");
    }

    // ---- issue 12: for people writing their own backend ----------------------------------------

    @Test
    void aFailedAssertionNamesTheContractInWords() {
        Events events = run(NoRestoreKit.class);
        Throwable t = events.failed().stream()
                .filter(e -> e.getTestDescriptor().getLegacyReportingName().startsWith("rollbackRestoresData"))
                .findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        String rule = events.failed().stream()
                .filter(e -> e.getTestDescriptor().getLegacyReportingName().startsWith("rollbackRestoresData"))
                .findFirst().orElseThrow().getTestDescriptor().getDisplayName();
        assertThat(t).hasMessageStartingWith("Contract broken: " + rule + "\n");
    }

    /** A backend and a fixture written as a file- or JDBC-based one would be: checked exceptions, no wrappers. */
    static class CheckedStateManager extends BaseStateManager {
        final Map<String, String> data;
        final Map<String, Map<String, String>> saved = new java.util.HashMap<>();
        final Map<String, String> atConnect = new TreeMap<>();

        CheckedStateManager(Map<String, String> data) {
            super(io.venomqa.state.StateConfig.builder().backend("checked").url("memory://checked").build());
            this.data = data;
        }

        @Override
        protected void doConnect() throws java.io.IOException {
            atConnect.clear();
            atConnect.putAll(data);
        }

        @Override
        protected void doDisconnect() throws java.io.IOException {
            data.clear();
            data.putAll(atConnect);
        }

        @Override
        protected void doCheckpoint(ActiveCheckpoint cp) throws java.io.IOException {
            if (cp.name().equals("disk full")) {
                throw new java.io.IOException("No space left on device");
            }
            saved.put(cp.identifier(), new TreeMap<>(data));
        }

        @Override
        protected void doRollback(ActiveCheckpoint target, List<ActiveCheckpoint> discarded) throws java.sql.SQLException {
            data.clear();
            data.putAll(saved.get(target.identifier()));
        }

        @Override
        protected void doRelease(ActiveCheckpoint target, List<ActiveCheckpoint> released) throws Exception {
            released.forEach(cp -> saved.remove(cp.identifier()));
        }

        @Override
        protected void doReset() throws Exception {
            data.clear();
            atConnect.clear();
        }

        @Override
        public String backendName() {
            return "checked";
        }
    }

    static class CheckedKit extends StateManagerContract {
        protected ContractFixture createFixture() throws java.io.IOException {
            Map<String, String> data = new TreeMap<>();
            CheckedStateManager m = new CheckedStateManager(data);
            return new ContractFixture() {
                public StateManager stateManager() throws java.io.IOException {
                    return m;
                }

                public void put(String key, String value) throws java.io.IOException {
                    data.put(key, value);
                }

                public void remove(String key) throws java.sql.SQLException {
                    data.remove(key);
                }

                public Map<String, String> read() throws Exception {
                    return new TreeMap<>(data);
                }
            };
        }
    }

    @Test
    void backendsAndFixturesMayThrowCheckedExceptionsWhichAreWrappedForTheCaller() {
        Events events = run(CheckedKit.class);
        assertThat(events.failed().count()).as("failures: %s", failedMethods(events)).isZero();

        CheckedStateManager m = new CheckedStateManager(new TreeMap<>());
        m.connect();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.checkpoint("disk full"))
                .isInstanceOf(io.venomqa.state.CheckpointException.class)
                .hasMessageContaining("The checked backend could not create checkpoint 'disk full'")
                .hasMessageContaining("No space left on device")
                .hasCauseInstanceOf(java.io.IOException.class);
        assertThat(m.activeCheckpoints()).isEmpty();
    }
}
