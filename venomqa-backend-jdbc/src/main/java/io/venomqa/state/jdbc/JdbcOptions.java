package io.venomqa.state.jdbc;

import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.internal.SnapshotChangeRecorder;
import io.venomqa.state.jdbc.internal.StrategyResolver;
import io.venomqa.state.jdbc.spi.CheckpointStrategyProvider;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.spi.ChangeTracking;
import io.venomqa.state.spi.OptionSpec;
import io.venomqa.state.spi.TestDatabaseGuard;

import java.util.ArrayList;
import java.util.List;

import static io.venomqa.state.jdbc.JdbcStateManager.DEFAULT_CHECKPOINT_STRATEGY;
import static io.venomqa.state.jdbc.JdbcStateManager.OPTION_CHECKPOINT_STRATEGY;
import static io.venomqa.state.jdbc.JdbcStateManager.OPTION_CONNECTION_TIMEOUT;
import static io.venomqa.state.jdbc.JdbcStateManager.OPTION_SHARED_CONNECTION_WAIT;

/**
 * The options of the SQL backends in one place: those every SQL backend reads (published as
 * {@link JdbcStateManager#OPTIONS}), and which options a manager accepts, the dialect's and the
 * chosen strategy's and the safety guard's added. The option names stay constants of
 * {@link JdbcStateManager}, where users find them.
 */
final class JdbcOptions {

    /** The options every SQL backend reads, whatever its dialect and strategy. */
    static final List<OptionSpec> COMMON = List.of(
            OptionSpec.text(OPTION_CHECKPOINT_STRATEGY, DEFAULT_CHECKPOINT_STRATEGY,
                    "How checkpoints are taken: savepoint (API in this JVM) or journal (API in another process)."),
            OptionSpec.duration(OPTION_CONNECTION_TIMEOUT, "30s", "How long connect() may take."),
            OptionSpec.duration(OPTION_SHARED_CONNECTION_WAIT, "30s",
                    "How long a manager call waits for application threads to close their shared connections."),
            OptionSpec.text(JdbcDialect.OPTION_USER, null, "User name, when db_url has none."),
            OptionSpec.text(JdbcDialect.OPTION_PASSWORD, null, "Password, when db_url has none (never printed)."),
            OptionSpec.bool(JdbcStateManager.OPTION_CHECK_OTHER_WRITERS, "true",
                    "Savepoint strategy: compare the tracked tables at connect(), after reset() and at disconnect(), which "
                    + "fails when another connection committed rows no rollback undid. false skips these reads of every table."),
            OptionSpec.bool(io.venomqa.state.jdbc.internal.RollbackVerifier.OPTION, "false",
                    "Read every tracked table at each checkpoint and again after each rollback, restore and disconnect(), and "
                    + "fail when a table's rows differ from the checkpoint's although the strategy reported success. Costs a "
                    + "read of every tracked table per call: for CI on modest test data."),
            ChangeTracking.OPTION,
            OptionSpec.integer(SnapshotChangeRecorder.OPTION_MAX_ROWS, String.valueOf(SnapshotChangeRecorder.DEFAULT_MAX_ROWS),
                    "Change tracking by comparing tables (savepoint strategy): the most rows the tracked tables may hold."));

    private JdbcOptions() {
    }

    /** {@link #COMMON} and the dialect's own options. */
    static List<OptionSpec> declared(JdbcDialect dialect) {
        List<OptionSpec> all = new ArrayList<>(COMMON);
        all.addAll(dialect.options());
        return OptionSpec.distinct(all);
    }

    /** The strategy {@code config} selects for {@code dialect} ({@code savepoint} when it names none). */
    static CheckpointStrategyProvider strategy(JdbcDialect dialect, StateConfig config) {
        return StrategyResolver.resolve(dialect, config.optionString(OPTION_CHECKPOINT_STRATEGY, DEFAULT_CHECKPOINT_STRATEGY));
    }

    /** {@link #declared}, the strategy's options and the safety guard's. */
    static List<OptionSpec> accepted(JdbcDialect dialect, CheckpointStrategyProvider strategy) {
        List<OptionSpec> all = new ArrayList<>(declared(dialect));
        all.addAll(strategy.options());
        all.addAll(TestDatabaseGuard.OPTIONS);
        return OptionSpec.distinct(all);
    }
}
