package io.venomqa.testkit;

import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.spi.StateManagerProvider;

import java.util.Set;

/**
 * The self-tests' in-test backends, registered in this module's test resources as a user's backend is, so
 * that {@link StateManagerContract}'s registration test passes for the correct ones. They are made by the
 * kits directly; these providers are only looked up by name.
 */
final class SelfTestProviders {

    private SelfTestProviders() {
    }

    /** {@code map}: {@link StateManagerContractSelfTest.MapStateManager} and its broken variants. */
    public static final class MapProvider implements StateManagerProvider {
        @Override
        public String name() {
            return "map";
        }

        @Override
        public Set<String> aliases() {
            return Set.of();
        }

        @Override
        public StateManager create(StateConfig config) {
            return new StateManagerContractSelfTest.MapStateManager(new java.util.TreeMap<>());
        }
    }

    /** {@code checked}: the self-test's backend with checked exceptions. */
    public static final class CheckedProvider implements StateManagerProvider {
        @Override
        public String name() {
            return "checked";
        }

        @Override
        public Set<String> aliases() {
            return Set.of();
        }

        @Override
        public StateManager create(StateConfig config) {
            throw new UnsupportedOperationException("made by the kit directly");
        }
    }
}
