package io.venomqa.state.jdbc;

import io.venomqa.state.jdbc.internal.ConnectionLock;
import io.venomqa.state.jdbc.internal.ConnectionSession;
import io.venomqa.state.jdbc.internal.SharedDataSource;
import io.venomqa.state.jdbc.internal.SharedStatementGuard;
import io.venomqa.state.jdbc.spi.ConnectionSpec;
import io.venomqa.state.jdbc.spi.JdbcDialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What {@link JdbcStateManager#sharedDataSource()} needs of its manager: the session's connection
 * (or why there is none), the session number that tells a connection handed out before a reconnect,
 * and the lock both sides take. It reads the manager's state through the objects the manager owns,
 * so the DataSource stays valid across {@code connect()} and {@code disconnect()}.
 */
final class SharedHost implements SharedDataSource.Host {

    private final Supplier<ConnectionSession> session;
    private final AtomicLong sessionNumber;
    private final ConnectionLock lock;
    private final Duration sharedWait;
    private final JdbcDialect dialect;
    private final ConnectionSpec spec;
    private final SharedStatementGuard.Syntax syntax;

    SharedHost(Supplier<ConnectionSession> session, AtomicLong sessionNumber, ConnectionLock lock, Duration sharedWait,
               JdbcDialect dialect, ConnectionSpec spec) {
        this.session = session;
        this.sessionNumber = sessionNumber;
        this.lock = lock;
        this.sharedWait = sharedWait;
        this.dialect = dialect;
        this.spec = spec;
        this.syntax = switch (dialect.name()) {
            case "postgresql" -> SharedStatementGuard.Syntax.POSTGRESQL;
            case "mysql", "mariadb" -> SharedStatementGuard.Syntax.MYSQL;
            case "sqlite" -> SharedStatementGuard.Syntax.SQLITE;
            default -> SharedStatementGuard.Syntax.STANDARD;
        };
    }

    @Override
    public Connection currentConnection() throws SQLException {
        ConnectionSession s = session.get();
        if (s == null) {
            throw new SQLException("The VenomQA state manager (" + spec.displayUrl() + ") is not connected: call "
                    + "connect() before the application uses sharedDataSource()", "08003");
        }
        if (s.isLost()) {
            throw new SQLException(s.lostMessage(), "08003");
        }
        return s.connection();
    }

    @Override
    public long sessionNumber() {
        return sessionNumber.get();
    }

    @Override
    public ConnectionLock lock() {
        return lock;
    }

    @Override
    public Duration lockWait() {
        return sharedWait;
    }

    @Override
    public boolean guardStatements() {
        return dialect.statementErrorAbortsTransaction();
    }

    @Override
    public <T> T runGuarded(Connection real, boolean batch, JdbcDialect.GuardedStatement<T> statement) throws SQLException {
        return dialect.runSharedAutoCommit(real, batch, statement);
    }

    @Override
    public void commitUnit(Connection real, java.sql.Savepoint unit) throws SQLException {
        dialect.commitSharedUnit(real, unit);
    }

    @Override
    public SharedStatementGuard.Syntax sqlSyntax() {
        return syntax;
    }

    @Override
    public void settingsMayChange() {
        ConnectionSession s = session.get();
        if (s != null) {
            s.settingsMayChange();
        }
    }

    @Override
    public String unsupportedReason() {
        ConnectionSession s = session.get();
        if (s != null && !s.strategy().supportsSharedDataSource()) {
            return "checkpoint_strategy '" + s.strategy().name() + "' does not share the manager's connection: "
                    + "let the application use its own connections (the strategy undoes what they commit), or, for an "
                    + "application in the same JVM meant to use this DataSource, use checkpoint_strategy: savepoint "
                    + "(check which venomqa.yaml set '" + s.strategy().name() + "': the file named by the test, else "
                    + "the one on the test class path, else the working directory's)";
        }
        return null;
    }

    @Override
    public String description() {
        return spec.displayUrl();
    }
}
