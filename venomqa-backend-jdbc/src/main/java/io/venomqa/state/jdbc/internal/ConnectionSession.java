package io.venomqa.state.jdbc.internal;

import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.spi.CheckpointStrategy;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.SchemaInfo;
import io.venomqa.state.jdbc.spi.SequenceSnapshot;
import io.venomqa.state.jdbc.spi.TableInfo;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The state of one connection of a JDBC manager, as its checkpoint strategy sees it: the
 * connection, the schema (introspected once, again on request), the strategy, and whether the
 * connection was lost. A new one per {@code connect()}. Not API: strategies see {@link JdbcSession}.
 */
public final class ConnectionSession implements JdbcSession {

    private final Connection connection;
    private final String schemaName;
    private final CheckpointStrategy strategy;
    private final JdbcDialect dialect;
    private final StateConfig config;
    private final String maskedUrl;
    private final Consumer<String> safetyCheck;
    private SchemaInfo schema;
    /** What dialects and strategies learned about {@link #schema}; cleared with it. */
    private final java.util.Map<String, Object> cache = new java.util.HashMap<>();
    private volatile String lostMessage;
    /** Set by the shared connection when the application may have changed session settings; see {@link #takeSettingsMayHaveChanged}. */
    private volatile boolean settingsMayHaveChanged;

    /** Opens a second connection to the same database and schema, prepared as the manager's was; see {@link #outsideReads()}. */
    private final SqlFailures.SqlWork<Connection> opener;
    private OutsideReads outside;

    /**
     * @param safetyCheck the manager's test-database guard, run by {@link #checkSafeToDestroyData(String)}
     * @param opener      opens another connection to the same database, initialised for {@code schemaName}
     */
    public ConnectionSession(Connection connection, String schemaName, CheckpointStrategy strategy, JdbcDialect dialect,
                             StateConfig config, String maskedUrl, Consumer<String> safetyCheck,
                             SqlFailures.SqlWork<Connection> opener) {
        this.connection = connection;
        this.schemaName = schemaName;
        this.strategy = strategy;
        this.dialect = dialect;
        this.config = config;
        this.maskedUrl = maskedUrl;
        this.safetyCheck = safetyCheck;
        this.opener = opener;
    }

    /**
     * A second connection, opened at first use and kept until {@link #closeOutsideReads()}, in
     * auto-commit and READ COMMITTED: its reads see what is committed now, outside the run's
     * transaction (which, above READ COMMITTED, keeps reading its snapshot).
     */
    JdbcSession outsideReads() throws SQLException {
        if (outside != null && !outside.connection().isClosed()) {
            return outside;
        }
        Connection c = opener.run();
        try {
            c.setAutoCommit(true);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        } catch (SQLException | RuntimeException e) {
            SqlFailures.closeQuietly(c);
            throw e;
        }
        outside = new OutsideReads(this, c);
        return outside;
    }

    /** The application sent a statement through {@code sharedDataSource()} that may change session settings. */
    public void settingsMayChange() {
        settingsMayHaveChanged = true;
    }

    @Override
    public boolean takeSettingsMayHaveChanged() {
        boolean was = settingsMayHaveChanged;
        settingsMayHaveChanged = false;
        return was;
    }

    /** The check of option {@value RollbackVerifier#OPTION}, when it is on; null otherwise. */
    private RollbackVerifier verifier;

    /** The check of option {@value RollbackVerifier#OPTION}: null when it is off. */
    public RollbackVerifier verifier() {
        return verifier;
    }

    /** Set at connect when option {@value RollbackVerifier#OPTION} is on. */
    public void verifier(RollbackVerifier verifier) {
        this.verifier = verifier;
    }

    /** Closes the connection of {@link #outsideReads()}, if one was opened. */
    public void closeOutsideReads() {
        if (outside != null) {
            outside.close();
            outside = null;
        }
    }

    private io.venomqa.state.jdbc.spi.ChangeRecorder recorder;
    /** The tracked tables as connect (or the last reset) left them, or null when they are not compared. */
    private OtherWriters asFound;

    /** The comparison {@code disconnect()} makes with the tables as found, or null when there is none. */
    public OtherWriters asFound() {
        return asFound;
    }

    /** Sets what {@link #asFound()} returns. */
    public void asFound(OtherWriters found) {
        this.asFound = found;
    }

    /** The built-in change recorder of this connection, made by {@code make} on first use (its marks belong to it). */
    public io.venomqa.state.jdbc.spi.ChangeRecorder cachedRecorder(
            java.util.function.Supplier<io.venomqa.state.jdbc.spi.ChangeRecorder> make) {
        if (recorder == null) {
            recorder = make.get();
        }
        return recorder;
    }

    /** The checkpoint strategy of this connection. */
    public CheckpointStrategy strategy() {
        return strategy;
    }

    /** Whether the connection was declared lost (its checkpoints are gone with it). */
    public boolean isLost() {
        return lostMessage != null;
    }

    /** Why the connection was declared lost, or {@code null}. */
    public String lostMessage() {
        return lostMessage;
    }

    /** Declares the connection lost, with the message every later call repeats. */
    public void markLost(String message) {
        this.lostMessage = message;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public JdbcDialect dialect() {
        return dialect;
    }

    @Override
    public StateConfig config() {
        return config;
    }

    @Override
    public String schemaName() {
        return schemaName;
    }

    @Override
    public SchemaInfo schema() {
        if (schema == null) {
            return refreshSchema();
        }
        return schema;
    }

    @Override
    public SchemaInfo refreshSchema() {
        try {
            schema = SqlFailures.guarded(connection, dialect.statementErrorAbortsTransaction(),
                    () -> dialect.introspect(connection, schemaName));
            clearCache();
        } catch (SQLException e) {
            throw new SqlFailures.UncheckedSql(e);
        }
        return schema;
    }

    /** Drops what was learnt about the old schema, closing what holds a resource (a dialect's prepared statement). */
    private void clearCache() {
        clear(cache);
    }

    /** Empties {@code cache}, closing each value that holds a resource; a failure to close is only logged. */
    static void clear(java.util.Map<String, Object> cache) {
        for (Object v : cache.values()) {
            if (v instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    org.slf4j.LoggerFactory.getLogger(ConnectionSession.class).debug("Closing a cached {} failed: {}",
                            v.getClass().getSimpleName(), e.getMessage());
                }
            }
        }
        cache.clear();
    }

    /** The schema {@link #tracked} was worked out from: the same object until the schema is introspected again. */
    private SchemaInfo trackedOf;
    private List<TableInfo> tracked;

    @Override
    public List<TableInfo> trackedTables() {
        // Asked at every change mark and reset: matching 50 names against the exclusions each time showed
        // in a reset of empty SQLite tables (benchmark row 3, tens of microseconds).
        SchemaInfo now = schema();
        if (now != trackedOf) {
            tracked = List.copyOf(TableRules.tracked(now, config.excludeTables()));
            trackedOf = now;
        }
        return tracked;
    }

    @Override
    public <T> T cached(String key, Class<T> type, SessionFunction<T> compute) throws SQLException {
        schema(); // the cache belongs to the current introspection
        return cachedIn(cache, key, type, compute, this);
    }

    /** {@code cache}'s value for {@code key}, computed from {@code session} on first use; shared with {@link OutsideReads}. */
    static <T> T cachedIn(java.util.Map<String, Object> cache, String key, Class<T> type, SessionFunction<T> compute,
                          JdbcSession session) throws SQLException {
        Object v = cache.get(key);
        if (v == null) {
            v = compute.apply(session);
            cache.put(key, v);
        }
        return type.cast(v);
    }

    @Override
    public SequenceSnapshot captureSequences() throws SQLException {
        // No guard savepoint: the dialect's capture leaves the transaction usable itself.
        return dialect.captureSequences(this, schema().tableNames());
    }

    @Override
    public void restoreSequences(SequenceSnapshot snapshot) throws SQLException {
        if (snapshot != null && !snapshot.isEmpty()) {
            dialect.restoreSequences(this, snapshot);
        }
    }

    @Override
    public String qualified(String table) {
        return qualifiedNames.computeIfAbsent(table, t -> dialect.qualify(schemaName, t));
    }

    /** {@link #qualified}'s results for this session's schema (rendered through jOOQ otherwise, each time). */
    private final Map<String, String> qualifiedNames = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void checkSafeToDestroyData(String operation) {
        safetyCheck.accept(operation);
    }

    @Override
    public String backendName() {
        return dialect.name();
    }

    @Override
    public String maskedUrl() {
        return maskedUrl;
    }
}
