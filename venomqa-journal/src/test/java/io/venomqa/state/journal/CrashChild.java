package io.venomqa.state.journal;

import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;

/**
 * The run that dies: started as a separate JVM by the crash tests. Connects with the journal
 * strategy, takes a checkpoint, lets "the application" (its own auto-commit connection) write,
 * prints {@code READY} and waits to be killed.
 *
 * <p>Arguments: backend, db_url, schema option (or "-"), JDBC URL of the application connection,
 * user (or "-"), then SQL statements to run as the application.
 */
public final class CrashChild {

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        StateConfig.Builder b = StateConfig.builder().backend(args[0]).url(args[1]).option("checkpoint_strategy", "journal");
        if (!args[2].equals("-")) {
            b.option("schema", args[2]);
        }
        StateManager m = StateManagers.create(b.build());
        m.connect();
        m.checkpoint("before the crash");
        Properties p = new Properties();
        if (!args[4].equals("-")) {
            p.setProperty("user", args[4]);
        }
        try (Connection app = DriverManager.getConnection(args[3], p); Statement st = app.createStatement()) {
            for (int i = 5; i < args.length; i++) {
                st.execute(args[i]);
            }
        }
        m.checkpoint("after the writes");
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(120_000);
        System.exit(3); // never reached in the tests: they kill this JVM first
    }
}
