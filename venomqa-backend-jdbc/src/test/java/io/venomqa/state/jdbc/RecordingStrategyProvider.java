package io.venomqa.state.jdbc;

import io.venomqa.state.jdbc.spi.CheckpointStrategy;
import io.venomqa.state.jdbc.spi.CheckpointStrategyProvider;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.TableInfo;
import io.venomqa.state.spi.ActiveCheckpoint;
import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.internal.SavepointCheckpointStrategy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A strategy registered through {@code META-INF/services} (test resources) as {@code recording}, for
 * the dialect {@code testh2} only: it records the hooks it receives and delegates to the savepoint
 * strategy, proving a strategy from another jar plugs in without touching the core.
 */
public final class RecordingStrategyProvider implements CheckpointStrategyProvider {

    static final List<String> CALLS = Collections.synchronizedList(new ArrayList<>());

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public boolean supports(JdbcDialect dialect) {
        return dialect.name().equals("testh2");
    }

    @Override
    public CheckpointStrategy create(JdbcDialect dialect, StateConfig config) {
        CheckpointStrategy inner = SavepointCheckpointStrategy.PROVIDER.create(dialect, config);
        return new CheckpointStrategy() {
            @Override
            public String name() {
                return "recording";
            }

            @Override
            public void onConnect(JdbcSession s) throws SQLException {
                CALLS.add("onConnect tracked=" + s.trackedTables().stream().map(TableInfo::name).toList());
                inner.onConnect(s);
            }

            @Override
            public void checkpoint(JdbcSession s, ActiveCheckpoint cp) throws SQLException {
                CALLS.add("checkpoint " + cp.name() + " as " + cp.identifier());
                inner.checkpoint(s, cp);
            }

            @Override
            public void rollback(JdbcSession s, ActiveCheckpoint target, List<ActiveCheckpoint> discarded) throws SQLException {
                CALLS.add("rollback " + target.name() + " discarding " + discarded.stream().map(ActiveCheckpoint::name).toList());
                inner.rollback(s, target, discarded);
            }

            @Override
            public void release(JdbcSession s, ActiveCheckpoint target, List<ActiveCheckpoint> released) throws SQLException {
                CALLS.add("release " + released.stream().map(ActiveCheckpoint::name).toList());
                inner.release(s, target, released);
            }

            @Override
            public void beforeReset(JdbcSession s) throws SQLException {
                CALLS.add("beforeReset");
                inner.beforeReset(s);
            }

            @Override
            public void afterReset(JdbcSession s) throws SQLException {
                CALLS.add("afterReset");
                inner.afterReset(s);
            }

            @Override
            public void onDisconnect(JdbcSession s) throws SQLException {
                CALLS.add("onDisconnect");
                inner.onDisconnect(s);
            }

            @Override
            public boolean supportsSharedDataSource() {
                return false;
            }
        };
    }
}
