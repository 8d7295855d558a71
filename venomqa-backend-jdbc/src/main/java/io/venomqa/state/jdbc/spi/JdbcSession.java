package io.venomqa.state.jdbc.spi;

import io.venomqa.state.StateConfig;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What a {@link CheckpointStrategy} (and a {@link JdbcDialect}'s reset) gets to work with: the
 * manager's one connection and what was learned about the schema. One session lives from
 * {@code connect()} to {@code disconnect()}.
 *
 * <p>Every method is called with the manager's connection lock held (no application thread is
 * using the connection through the shared DataSource at the same time).
 */
public interface JdbcSession {

    /** The manager's connection. Strategies may change its auto-commit mode in {@link CheckpointStrategy#onConnect}. */
    Connection connection();

    /** The dialect of this manager. */
    JdbcDialect dialect();

    /** The configuration of the manager (options such as {@code checkpoint_strategy} included). */
    StateConfig config();

    /** The schema the manager works in, as the database names it. */
    String schemaName();

    /** The tables of the schema with keys and identities: introspected once, cached until {@link #refreshSchema()}. */
    SchemaInfo schema();

    /** Introspects the schema again (after DDL) and returns the new picture. */
    SchemaInfo refreshSchema();

    /**
     * The tables whose changes a checkpoint must cover: every table of the schema except the
     * migration tables, VenomQA's own tables and {@code exclude_tables}. (Independent of
     * {@code tables_to_reset}, which only limits what a reset empties.) Unmodifiable; the same list
     * while the schema is not introspected again.
     */
    List<TableInfo> trackedTables();

    /**
     * What a dialect or strategy learned about this session's schema, kept with the session
     * (dialects are stateless and may serve several managers): {@code compute} runs on first use
     * of {@code key} and again after the schema is introspected anew ({@link #refreshSchema()},
     * a new connection). A value that is {@link AutoCloseable} is closed when the schema is
     * introspected anew (a prepared statement, say); with the connection, the driver closes it.
     *
     * @param type the class of the value, checked on every read
     */
    <T> T cached(String key, Class<T> type, SessionFunction<T> compute) throws SQLException;

    /** Computes a value from a session; may run SQL. */
    @FunctionalInterface
    interface SessionFunction<T> {
        T apply(JdbcSession session) throws SQLException;
    }

    /** The identity counters of the whole schema now: {@link JdbcDialect#captureSequences} for every table of {@link #schema()}. */
    SequenceSnapshot captureSequences() throws SQLException;

    /** Puts the identity counters back to {@code snapshot} (nothing for an empty one), through {@link JdbcDialect#restoreSequences}. */
    void restoreSequences(SequenceSnapshot snapshot) throws SQLException;

    /** The schema-qualified, quoted name of {@code table} in this dialect, for building SQL. */
    String qualified(String table);

    /**
     * Refuses destructive set-up (installing journal triggers, for instance) on a database that is
     * not clearly for tests, with the same rules as {@code reset()}
     * ({@link io.venomqa.state.spi.TestDatabaseGuard}: local hosts, embedded databases, or
     * {@code allow_remote}/{@code allowed_hosts}; never under {@code VENOMQA_ENV=production}).
     *
     * @throws io.venomqa.state.UnsafeDatabaseException saying why and how to allow the database
     */
    void checkSafeToDestroyData(String operation);

    /**
     * Whether the application may have changed the session's settings through {@code sharedDataSource()}
     * ({@code SET …}, a {@code CALL}, …) since the last call, which clears it; the savepoint strategy reads
     * them again only then ({@link JdbcDialect#sessionSettings}). The default, for sessions that do not
     * know, is {@code true}.
     */
    default boolean takeSettingsMayHaveChanged() {
        return true;
    }

    /** The backend's short name for messages ({@code postgresql}). */
    String backendName();

    /** The configured URL with its password masked, for messages. */
    String maskedUrl();
}
