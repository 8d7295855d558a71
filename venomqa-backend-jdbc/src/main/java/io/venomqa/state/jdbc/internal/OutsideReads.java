package io.venomqa.state.jdbc.internal;

import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.SchemaInfo;
import io.venomqa.state.jdbc.spi.SequenceSnapshot;
import io.venomqa.state.jdbc.spi.TableInfo;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A second connection of a manager's, in auto-commit and READ COMMITTED, seen as a {@link JdbcSession}
 * of the same schema: it reads what is committed now, outside the run's transaction, for
 * {@link OtherWriters#mark} where that transaction reads a snapshot. Only reads go through it: the
 * methods that would change the database or the manager's schema picture refuse. Its cache is its own
 * (a dialect's prepared statement belongs to the connection it was prepared on) and is dropped when
 * the manager's session introspects the schema again. Closed with the session. Not API.
 */
final class OutsideReads implements JdbcSession, AutoCloseable {

    private final ConnectionSession run;
    private final Connection connection;
    private final Map<String, Object> cache = new HashMap<>();
    private SchemaInfo cachedFor;

    OutsideReads(ConnectionSession run, Connection connection) {
        this.run = run;
        this.connection = connection;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public JdbcDialect dialect() {
        return run.dialect();
    }

    @Override
    public StateConfig config() {
        return run.config();
    }

    @Override
    public String schemaName() {
        return run.schemaName();
    }

    @Override
    public SchemaInfo schema() {
        return run.schema();
    }

    @Override
    public SchemaInfo refreshSchema() {
        throw new UnsupportedOperationException("the outside connection only reads; the schema is the run's session's");
    }

    @Override
    public List<TableInfo> trackedTables() {
        return run.trackedTables();
    }

    @Override
    public <T> T cached(String key, Class<T> type, SessionFunction<T> compute) throws SQLException {
        SchemaInfo now = run.schema();
        if (now != cachedFor) {
            closeCached();
            cachedFor = now;
        }
        return ConnectionSession.cachedIn(cache, key, type, compute, this);
    }

    @Override
    public SequenceSnapshot captureSequences() {
        throw new UnsupportedOperationException("the outside connection only reads the tables");
    }

    @Override
    public void restoreSequences(SequenceSnapshot snapshot) {
        throw new UnsupportedOperationException("the outside connection only reads the tables");
    }

    @Override
    public String qualified(String table) {
        return run.qualified(table);
    }

    @Override
    public void checkSafeToDestroyData(String operation) {
        throw new UnsupportedOperationException("the outside connection only reads the tables");
    }

    @Override
    public String backendName() {
        return run.backendName();
    }

    @Override
    public String maskedUrl() {
        return run.maskedUrl();
    }

    private void closeCached() {
        ConnectionSession.clear(cache);
    }

    /** Closes the connection (its statements with it). */
    @Override
    public void close() {
        cache.clear(); // the driver closes their statements with the connection
        SqlFailures.closeQuietly(connection);
    }
}
