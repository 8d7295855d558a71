package io.venomqa.state.postgres;

import io.venomqa.state.ShutdownCleanup;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;

/**
 * Connects a manager, registers it for shutdown and lets the JVM exit with it still connected, as a Spring
 * test context is at the end of an IDE run: args URL, schema, and whether the owner says it is busy.
 */
public final class ExitWithManagerOpenChild {

    private ExitWithManagerOpenChild() {
    }

    public static void main(String[] args) {
        StateManager m = StateManagers.create(StateConfig.builder().backend("postgresql").url(args[0]).option("schema", args[1])
                .option("allow_remote", true).build());
        m.connect();
        m.checkpoint("open");
        boolean busy = Boolean.parseBoolean(args[2]);
        ShutdownCleanup.register(m, "the Spring application context of com.example.ShopTest", () -> busy);
        System.out.println("exiting");
    }
}
