package io.venomqa.cli.support;

import io.venomqa.explore.Exploration;
import io.venomqa.explore.Strategy;
import io.venomqa.http.Client;
import io.venomqa.state.StateConfig;
import io.venomqa.state.memory.InMemoryStateManager;

/**
 * An exploration built whole, with its own client and state manager (which {@code venomqa explore}
 * keeps): the API's URL and store come from the system properties {@value #URL} and {@value #STORE}.
 */
public final class BuiltWallet {

    public static final String URL = "venomqa.test.wallet.url";
    public static final String STORE = "venomqa.test.wallet.store";

    private BuiltWallet() {
    }

    public static Exploration built() {
        InMemoryStateManager manager = new InMemoryStateManager(StateConfig.builder().backend("memory")
                .url("memory://" + System.getProperty(STORE)).build());
        return WalletExplorations.wallet("built", "/safe/withdraw").client(new Client(System.getProperty(URL)))
                .stateManager(manager).strategy(Strategy.depthFirst()).build();
    }
}
