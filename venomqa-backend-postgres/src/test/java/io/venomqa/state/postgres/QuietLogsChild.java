package io.venomqa.state.postgres;

import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;

/** A run of a PostgreSQL manager in a JVM of its own, for {@link PostgreSQLQuietLogsTest}: args URL, schema. */
public final class QuietLogsChild {

    private QuietLogsChild() {
    }

    public static void main(String[] args) {
        StateConfig config = StateConfig.builder().backend("postgresql").url(args[0]).option("schema", args[1])
                .option("allow_remote", true).build();
        try (StateManager m = StateManagers.create(config)) {
            m.connect();
            m.checkpoint("c");
            m.rollback("c");
        }
        System.out.println("child done");
    }
}
