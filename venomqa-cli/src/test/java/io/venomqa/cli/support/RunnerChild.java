package io.venomqa.cli.support;

import io.venomqa.config.VenomQAConfig;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.state.StateManager;
import io.venomqa.state.jdbc.JdbcStateManager;

import java.nio.file.Path;

/**
 * A program that uses the runner as a library (not the CLI): the runner connects the manager from
 * {@code venomqa.yaml} itself. Argument 1: the file; argument 2: {@code shared} to let the journey
 * write through the savepoint strategy's shared DataSource (an application in the same JVM).
 */
public final class RunnerChild {

    private RunnerChild() {
    }

    public static void main(String[] args) {
        VenomQAConfig config = VenomQAConfig.load(Path.of(args[0]));
        StateManager state = config.createStateManager();
        JourneyRunner.Builder b = JourneyRunner.builder(config.createClient()).stateManager(state).console();
        if (args.length > 1 && args[1].equals("shared")) {
            // The application's writes join the manager's transaction (an application in this JVM). The
            // runner still connects the manager: the DataSource is asked for a connection only in the steps.
            InterruptedJourneys.shared = ((JdbcStateManager) state).sharedDataSource();
        }
        b.build().run(InterruptedJourneys.interrupted());
    }
}
