package io.venomqa.state.jdbc;

import io.venomqa.state.jdbc.spi.CheckpointStrategyProvider;
import io.venomqa.state.jdbc.spi.ConnectionSpec;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.ResetPlan;
import io.venomqa.state.jdbc.spi.TableInfo;
import io.venomqa.state.StateConfig;
import org.jooq.SQLDialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The smallest possible dialect, on embedded H2, to test the core's seams without a backend module. */
final class TestH2Dialect extends JdbcDialect {

    final List<CheckpointStrategyProvider> extra = new ArrayList<>();

    @Override
    public String name() {
        return "testh2";
    }

    @Override
    public String displayName() {
        return "Test H2";
    }

    @Override
    public SQLDialect jooqDialect() {
        return SQLDialect.H2;
    }

    @Override
    public ConnectionSpec connectionSpec(StateConfig config, Duration connectTimeout) {
        return new ConnectionSpec(config.url(), credentials(null, config), config.maskedUrl());
    }

    @Override
    public String resolveSchema(Connection connection, StateConfig config) throws SQLException {
        return connection.getSchema();
    }

    @Override
    public void reset(JdbcSession session, ResetPlan plan) throws SQLException {
        try (Statement st = session.connection().createStatement()) {
            for (TableInfo t : plan.tables()) {
                st.executeUpdate("delete from " + session.qualified(t.name()));
            }
        }
    }

    @Override
    public List<CheckpointStrategyProvider> checkpointStrategies() {
        return extra;
    }

    static final class Manager extends JdbcStateManager {
        Manager(StateConfig config, TestH2Dialect dialect) {
            super(config, dialect);
        }
    }
}
