package io.venomqa.state.jdbc.spi;

import io.venomqa.core.DatabaseUrl;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.core.CredentialMasker;
import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.internal.SchemaIntrospector;
import io.venomqa.state.jdbc.internal.SqlFailures;
import io.venomqa.state.spi.OptionSpec;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The database-specific part of a SQL backend: how to connect, where the tables are, how to
 * empty them, how identity counters are saved and restored, and which failures mean the
 * connection is gone. A dialect module ({@code venomqa-backend-postgres}, {@code -mysql}, …)
 * subclasses this and {@link JdbcStateManager}; everything else (savepoint bookkeeping,
 * introspection, exclusion rules, reset planning, the shared DataSource) is shared.
 *
 * <p>Instances are stateless and thread-safe; per-connection state belongs to the
 * {@link JdbcSession} or the {@link CheckpointStrategy}.
 */
public abstract class JdbcDialect {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcDialect.class);

    static {
        SchemaIntrospector.quietJooq();
    }

    /** Option holding the user name when it is not in the URL. */
    public static final String OPTION_USER = "user";
    /** Option holding the password when it is not in the URL. */
    public static final String OPTION_PASSWORD = "password";

    /**
     * The options this dialect reads beyond {@link JdbcStateManager#OPTIONS} (such as {@code schema}),
     * declared once here and used by the code that reads them. Default: none.
     */
    public List<OptionSpec> options() {
        return List.of();
    }

    /**
     * Read-only checks of the connected database that this dialect knows about (tables a rollback
     * cannot cover, settings that break isolation), for {@code venomqa doctor}. Must not change
     * anything. Default: no findings.
     *
     * @param configured the user's configuration, which may differ from {@code session.config()}
     *                   (see {@link #inspectionConfig})
     */
    public List<Finding> diagnose(JdbcSession session, StateConfig configured) throws SQLException {
        return List.of();
    }

    /**
     * The configuration {@code venomqa doctor} and {@code venomqa reset} connect with to look at
     * a database configured as {@code config}: where {@code connect()} would refuse a database for a
     * reason {@link #diagnose} reports in full, relax it here. Default: {@code config} itself.
     */
    public StateConfig inspectionConfig(StateConfig config) {
        return config;
    }

    /** The server's product and version as it reports them ({@code PostgreSQL 16.2}). */
    public String serverVersion(JdbcSession session) throws SQLException {
        var md = session.connection().getMetaData();
        return md.getDatabaseProductName() + " " + md.getDatabaseProductVersion();
    }

    /**
     * What a failure to connect means and what to do, when this dialect recognises the server's
     * {@code message} (a missing role, a missing database); empty to let the caller give its
     * generic advice.
     */
    public java.util.Optional<String> connectionFailureFix(String message) {
        return java.util.Optional.empty();
    }

    /** Short name for {@code db_backend} and messages: {@code postgresql}, {@code sqlite}, … */
    public abstract String name();

    /** Human name for messages: {@code PostgreSQL}. */
    public abstract String displayName();

    /** The jOOQ dialect used for introspection and identifier quoting. */
    public abstract SQLDialect jooqDialect();

    /**
     * Turns the configuration into what the driver needs. Called once, when the manager is
     * constructed, so URL mistakes surface at configuration time.
     *
     * @param connectTimeout the {@code connection_timeout} option (default 30 s), to pass to the driver
     * @throws IllegalArgumentException naming the key at fault, with the URL masked
     */
    public abstract ConnectionSpec connectionSpec(StateConfig config, Duration connectTimeout);

    /**
     * The schema to work in, as the database names it (resolved after connecting: H2 upper-cases,
     * SQLite has {@code main}).
     */
    public abstract String resolveSchema(Connection connection, StateConfig config) throws SQLException;

    /**
     * Empties {@code plan}'s tables and restarts their identity counters, on the session's
     * connection, without committing (the manager commits). The plan is already checked against
     * the exclusion and foreign-key rules.
     */
    public abstract void reset(JdbcSession session, ResetPlan plan) throws SQLException;

    /**
     * Runs {@link #reset} and returns the {@link #tableDigests digests} some of the plan's tables are
     * certain to have when the manager commits the reset, so that it need not read them again to
     * remember what the reset left (the check for other connections' rows at {@code disconnect()}).
     * A table may be in the result only when nothing but the reset can have written it before that
     * commit: the reset emptied it and holds a lock that keeps every other writer out until the
     * commit, and no trigger the reset fired can have written to it. The digest given must be the one
     * {@link #tableDigests} would read then. The default runs {@link #reset} and returns an empty map:
     * every table is read, which is always right; a wrong entry would make {@code disconnect()}
     * report rows that were there, or miss rows that were not.
     */
    public Map<String, String> resetWithKnownDigests(JdbcSession session, ResetPlan plan) throws SQLException {
        reset(session, plan);
        return Map.of();
    }

    /**
     * Opens the connection. The default asks {@link DriverManager} for the driver of the URL and
     * calls it directly, so the global login timeout is not touched.
     */
    public Connection openConnection(ConnectionSpec spec) throws SQLException {
        Driver driver = DriverManager.getDriver(spec.jdbcUrl());
        Connection c = driver.connect(spec.jdbcUrl(), spec.properties());
        if (c == null) {
            throw new SQLException("The " + displayName() + " driver did not accept the URL " + spec.displayUrl(), "08001");
        }
        return c;
    }

    /**
     * Prepares a new connection while it is still in auto-commit mode (session settings that must
     * not be part of the transaction, such as PostgreSQL's {@code search_path}). Default: nothing.
     */
    public void initializeConnection(Connection connection, String schema, StateConfig config) throws SQLException {
    }

    /** Introspects {@code schema} through jOOQ's meta API. Dialects may refine the result. */
    public SchemaInfo introspect(Connection connection, String schema) throws SQLException {
        java.util.Set<String> internal = internalTables(connection, schema);
        return SchemaIntrospector.introspect(connection, jooqDialect(), schema,
                t -> isSystemTable(t) || internal.contains(t), (table, named) -> foreignKeys(connection, table, named));
    }

    /**
     * The foreign keys of {@code table}, read by the dialect itself, or null (the default) to read them through
     * jOOQ's meta API. For a database whose driver or jOOQ reads them slowly or wrongly; {@code named} gives a
     * table of the schema by its name in any case, null where there is none.
     */
    protected List<ForeignKeyInfo> foreignKeys(Connection connection, String table,
                                               java.util.function.UnaryOperator<String> named) throws SQLException {
        return null;
    }

    /**
     * Tables of {@code schema} that hold another object's data and are never the application's to empty
     * or track on their own (SQLite: the shadow tables of FTS5 and R*Tree virtual tables, which a
     * {@code DELETE} leaves corrupt). Default: none.
     */
    public java.util.Set<String> internalTables(Connection connection, String schema) throws SQLException {
        return java.util.Set.of();
    }

    /** Tables that belong to the database engine itself and are never user data ({@code sqlite_sequence}). */
    public boolean isSystemTable(String table) {
        return false;
    }

    // ---- identity counters: the one implementation both strategies use ---------------------------

    /**
     * The session settings an application can change on the manager's connection (through
     * {@code sharedDataSource()}) that change what its statements do and that {@code ROLLBACK TO SAVEPOINT}
     * leaves as they are, read in one round trip: name → value, in the form
     * {@link #restoreSessionSettings} takes back. The savepoint strategy reads them at connect, and again
     * at a checkpoint or rollback only after the application sent a statement that may change them, and
     * puts back at a rollback those that differ from the checkpoint's. Default: none, and no round trip
     * (PostgreSQL rolls a {@code SET} back with the savepoint).
     */
    public Map<String, Object> sessionSettings(Connection connection) throws SQLException {
        return Map.of();
    }

    /** Sets the session settings {@code changed} (a part of what {@link #sessionSettings} returned) back. */
    public void restoreSessionSettings(Connection connection, Map<String, Object> changed) throws SQLException {
    }

    /** How this database's identity counters relate to a transaction, which tells a strategy when to restore them. */
    public enum CounterRestore {
        /** Rolling back restores them (SQLite's {@code sqlite_sequence} is a table): nothing to do after a rollback. */
        TRANSACTIONAL,
        /** Not undone by a rollback, but settable inside the transaction (PostgreSQL's {@code setval}, H2's {@code RESTART}). */
        IN_TRANSACTION,
        /** Not undone by a rollback, and setting them commits (InnoDB's {@code ALTER TABLE … AUTO_INCREMENT}). */
        COMMITS
    }

    /** How this database's counters relate to a transaction. Default: {@link CounterRestore#TRANSACTIONAL}. */
    public CounterRestore counterRestore() {
        return CounterRestore.TRANSACTIONAL;
    }

    /**
     * The identity counters now, exactly (a restore gives the next insert the id it would have had
     * at capture): those of {@code tables} where counters belong to tables, every sequence of the
     * schema where they do not (PostgreSQL), except an application's id pool ({@link PooledSequences}: a
     * sequence stepping by more than 1 that no column draws from), which is never saved and so never moved
     * back. Runs on the session's connection inside its
     * transaction, if any, and leaves that transaction usable even when it fails. Default:
     * {@link SequenceSnapshot#EMPTY}, for a dialect without counters of its own.
     *
     * @param tables the tables whose rows the caller can undo (the schema's tables for the savepoint
     *               strategy, the journaled ones for the journal)
     */
    public SequenceSnapshot captureSequences(JdbcSession session, Collection<String> tables) throws SQLException {
        return SequenceSnapshot.EMPTY;
    }

    /**
     * Puts the counters of {@code saved} back: only those that moved since (an unchanged counter is
     * not written), none that no longer exists (dropped since: skipped), and never so that it hands
     * out again an id it handed out since the capture that a row still holds (a row the caller's undo
     * does not cover: the counter is set past it instead, with a warning), so the next insert does not
     * collide with such a row. An id no counter handed out since (a row inserted with an explicit id
     * above the counter before the capture) does not move the counter: the restore gives the next
     * insert the id it would have had at capture. Keys {@code saved} does not have (counters
     * created since) are left alone. Accepts any snapshot this dialect's {@link #captureSequences}
     * made, also one {@link SequenceSnapshot#parse parsed} from an earlier run's text. May commit
     * where {@link #counterRestore()} is {@link CounterRestore#COMMITS}. Default: nothing.
     */
    public void restoreSequences(JdbcSession session, SequenceSnapshot saved) throws SQLException {
    }

    /**
     * {@link #restoreSequences(JdbcSession, SequenceSnapshot)} for a caller whose undo put the rows of
     * {@code exactTables} (names in the session's schema: the journal's tables) back exactly. Every row
     * those tables hold was there when {@code saved} was taken, so their counters are put back to it
     * without the guard: a row there that holds an id the counter handed out since (a fixture inserted
     * with explicit ids ahead of the counter, which the application's inserts then ran into) is part of
     * the state, and moving the counter past it would change what the next insert does. Default: the
     * two-argument method, for a dialect whose counters need no guard or that keeps it everywhere.
     */
    public void restoreSequences(JdbcSession session, SequenceSnapshot saved, java.util.Set<String> exactTables)
            throws SQLException {
        restoreSequences(session, saved);
    }

    /**
     * {@code SAVEPOINT name} and then {@link #captureSequences}, as one unit: when the capture fails,
     * the savepoint is rolled back and released again before the error is thrown. A dialect whose
     * driver sends several statements in one round trip overrides this to do so (the savepoint
     * strategy calls it at every checkpoint). {@code name} is a generated identifier (letters,
     * digits, underscores), never user text.
     */
    public SequenceSnapshot savepointAndCapture(JdbcSession session, String name, Collection<String> tables)
            throws SQLException {
        Connection c = session.connection();
        try (java.sql.Statement st = c.createStatement()) {
            st.execute("SAVEPOINT " + name);
        }
        try {
            return captureSequences(session, tables);
        } catch (SQLException | RuntimeException e) {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("ROLLBACK TO SAVEPOINT " + name);
                st.execute("RELEASE SAVEPOINT " + name);
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * {@code ROLLBACK TO SAVEPOINT name} and then {@link #restoreSequences}; a dialect whose driver
     * sends several statements in one round trip overrides this to do so. A failure of the rollback
     * itself is thrown as the driver reports it (so that {@link #isSavepointLost} can read it).
     */
    public void rollbackAndRestore(JdbcSession session, String name, SequenceSnapshot saved) throws SQLException {
        try (java.sql.Statement st = session.connection().createStatement()) {
            st.execute("ROLLBACK TO SAVEPOINT " + name);
        }
        if (!saved.isEmpty()) {
            restoreSequences(session, saved);
        }
    }

    /**
     * Whether the database enforces foreign keys on this connection (SQLite only with
     * {@code PRAGMA foreign_keys=ON}). When it does not, a reset may empty a parent table whose
     * children are excluded.
     */
    public boolean enforcesForeignKeys(Connection connection) throws SQLException {
        return true;
    }

    /**
     * Whether a failed statement leaves the whole transaction unusable (PostgreSQL: "current
     * transaction is aborted"). When true, the manager and the shared DataSource wrap statements
     * in a savepoint so a failing application query does not destroy the checkpoints.
     */
    public boolean statementErrorAbortsTransaction() {
        return false;
    }

    /** One statement (or batch) of the application's, or the manager's reads, run by {@link #runGuarded}. */
    @FunctionalInterface
    public interface GuardedStatement<T> {
        T run() throws SQLException;
    }

    /**
     * Runs one statement (or one batch) that the application made through
     * {@code sharedDataSource()} in auto-commit mode, or the manager's own reads (statements that
     * write nothing), where a failed statement aborts the transaction
     * ({@link #statementErrorAbortsTransaction()}); the transaction is open. Guarantees: when it
     * succeeds its effects stay in the manager's transaction; when it fails (SQL error or runtime
     * exception) the failing statement's effects are undone, the transaction and every checkpoint
     * stay usable, and its exception is thrown. The default sets a savepoint before, releases it
     * after and rolls back to it on failure: two round trips besides the statement's own. A dialect
     * whose driver can do the same with fewer overrides it (PostgreSQL: pgjdbc sends the savepoint
     * with the statement and the release with the next request).
     *
     * @param batch whether the call is {@code executeBatch}/{@code executeLargeBatch} (all of the batch
     *              is undone when any of it fails)
     */
    public <T> T runGuarded(Connection connection, boolean batch, GuardedStatement<T> statement) throws SQLException {
        return SqlFailures.guarded(connection, true, statement::run);
    }

    /**
     * Runs one statement (or batch) the application made through {@code sharedDataSource()} in
     * auto-commit mode, where a failed statement aborts the transaction: with the guarantees of
     * {@link #runGuarded}, and failing where the statement's own {@code COMMIT} would have failed.
     * Default: {@link #runGuarded}. PostgreSQL also checks the constraints deferred until commit.
     */
    public <T> T runSharedAutoCommit(Connection connection, boolean batch, GuardedStatement<T> statement)
            throws SQLException {
        return runGuarded(connection, batch, statement);
    }

    /**
     * The application's {@code commit()} on a {@code sharedDataSource()} connection in manual-commit
     * mode: ends its unit of work, whose start is {@code unit}, so that its writes join the run's
     * transaction. It must check what the database checks at a real {@code COMMIT} and fail the same
     * way (the caller then rolls the unit back, as the server would have). Default: releases the
     * savepoint. PostgreSQL also checks the constraints deferred until commit, which a release
     * leaves unchecked.
     */
    public void commitSharedUnit(Connection connection, java.sql.Savepoint unit) throws SQLException {
        connection.releaseSavepoint(unit);
    }

    /**
     * Whether the driver runs several statements, parameters included, sent as one text in one
     * {@code execute} of a {@link java.sql.PreparedStatement}, each with its own result, in one round
     * trip (pgjdbc does). When true, the manager's guarded reads (a check query in a savepoint rolled
     * back after it, the tables read for an exploration's state) send the savepoint, the reads and its
     * end together instead of one round trip each. Default false: one statement per call.
     */
    public boolean sendsStatementsTogether() {
        return false;
    }

    /**
     * For a database that cannot keep a connection's writes from firing triggers: drops every trigger
     * on a table inside the current transaction and returns their {@code CREATE} statements, oldest
     * first, for {@link #recreateTriggers} to run before the same commit (a rollback brings them back
     * anyway). Used around writes that must not fire the application's triggers: a reset's deletes,
     * the journal's undo. Default: drops nothing and returns an empty list (the database silences
     * triggers another way, or its reset fires none).
     */
    public java.util.List<String> dropTriggersUntilCommit(Connection connection) throws SQLException {
        return java.util.List.of();
    }

    /** Runs what {@link #dropTriggersUntilCommit} returned, in that order (a table's trigger order is kept). */
    public void recreateTriggers(Connection connection, java.util.List<String> creates) throws SQLException {
        try (java.sql.Statement st = connection.createStatement()) {
            for (String create : creates) {
                st.execute(create);
            }
        }
    }

    /**
     * Runs statements without result rows (DML, {@code SET}) in order, in as few round trips as the
     * driver allows, and returns each one's update count. Stops at the first that fails and throws its
     * exception (those before it have run). Default: one {@code executeUpdate} per statement. A
     * dialect whose driver can send several statements as one text (MySQL/MariaDB: Connector/J's
     * multi-statement mode, switched on for that text only) overrides it: the journal's undo of many
     * rows then costs a few round trips instead of one per row.
     */
    public int[] executeTogether(Connection connection, java.util.List<String> statements)
            throws SQLException {
        int[] counts = new int[statements.size()];
        try (java.sql.Statement st = connection.createStatement()) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = st.executeUpdate(statements.get(i));
            }
        }
        return counts;
    }

    /**
     * What the user should know about {@code e}, a failure of one of the manager's operations, beyond the
     * driver's message: which tables or settings caused it and what to do; empty when nothing (the
     * default). Called after the failure, on the session's connection; a failure of its own is ignored.
     */
    public java.util.Optional<String> explainFailure(JdbcSession session, SQLException e) {
        return java.util.Optional.empty();
    }

    /**
     * Whether {@code e} means the connection is gone (server restarted, session killed, network
     * down). Default: SQLState class {@code 08}.
     */
    public boolean isConnectionLost(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The statements that commit the open transaction implicitly on this database, in words for
     * messages ({@code "DDL (CREATE, ALTER, DROP, TRUNCATE …)"}), or {@code null} where none do
     * (the default: PostgreSQL and SQLite run DDL inside the transaction). When not null, the built-in
     * {@code savepoint} strategy keeps one extra savepoint from {@code connect()} (and from each reset)
     * so that {@code disconnect()} can tell whether the run's transaction was committed behind its
     * back, and reports it instead of claiming the database is as it found it.
     */
    public String implicitCommitStatements() {
        return null;
    }

    /**
     * Whether {@code e}, thrown by rolling back to or releasing a savepoint the manager set, means
     * the savepoint no longer exists because the transaction holding it ended (an implicit commit).
     * The built-in {@code savepoint} strategy then reports a {@link io.venomqa.state.CheckpointsLostException}
     * instead of the driver's raw error. Default: false.
     */
    public boolean isSavepointLost(SQLException e) {
        return false;
    }

    /**
     * Called by the built-in {@code savepoint} strategy with {@code true} at {@code connect()}, before
     * anything runs in the run's transaction, and with {@code false} as {@code disconnect()} begins.
     * A rollback undoes only what went through the manager's connection: where the database can keep
     * other connections from committing for the length of the run's transactions, and would otherwise
     * let them commit unseen, do it here (the transactions that begin after this call, including those
     * after each reset's commit). Default: nothing, for databases where the strategy cannot stop them
     * (other connections' writes are documented as not undone).
     */
    public void lockOutOtherWriters(JdbcSession session, boolean lockOut) throws SQLException {
    }

    /** Strategies this dialect brings beyond the built-in {@code savepoint} (such as its own journal). */
    public List<CheckpointStrategyProvider> checkpointStrategies() {
        return List.of();
    }

    /**
     * What to check when connecting failed, appended to the error after the masked URL. The
     * default is the seed's checklist for a server database.
     */
    public String connectionChecklist(ConnectionSpec spec) {
        return "Check that:\n"
                + "  1. the " + displayName() + " server is running and reachable from this machine,\n"
                + "  2. host and port in the URL are right (and no firewall is in the way),\n"
                + "  3. the user name and password are right and the user may connect to that database,\n"
                + "  4. the database exists.";
    }

    /**
     * A scalar subquery (in parentheses) whose one text value changes whenever a row of {@code table}
     * is inserted, updated or deleted, computed in the database so that the built-in change recorder
     * (savepoint strategy, {@code track_changes}) re-reads only the tables whose rows changed. Equal
     * values must mean equal rows (the rows themselves, or a 128-bit hash of all of them); a value
     * that changes without the rows changing only costs a re-read. Empty (the default) when the
     * dialect has none, or when computing it costs more than reading the rows (MySQL/MariaDB: md5
     * per row measured slower than sending the rows): every table is then read whole at each mark.
     *
     * @param qualifiedTable the table, schema-qualified and quoted
     * @param columns        its columns as a {@code select *} returns them, unquoted
     */
    public java.util.Optional<String> tableFingerprint(String qualifiedTable, List<String> columns) {
        return java.util.Optional.empty();
    }

    /**
     * A scalar subquery (in parentheses) whose one text value changes whenever a table is created, dropped
     * or renamed in schema {@code schemaName}, so that change capture notices tables created during the run
     * (a migration the application runs, {@code CREATE TABLE IF NOT EXISTS} on first use) without
     * introspecting the schema at every mark: the built-in recorder reads it with its fingerprints and
     * introspects the schema again only when it changed; the journal reads it with its position. Equal values
     * must mean the same tables (a value that changes for other DDL only costs an introspection). Empty (the
     * default) when the dialect has none: a table created after {@code connect()} is then not seen by the
     * built-in recorder until the schema is introspected again.
     */
    public java.util.Optional<String> tableSetVersion(String schemaName) {
        return java.util.Optional.empty();
    }

    /**
     * A text expression naming the session settings that change the text the built-in change recorder
     * reads values with (PostgreSQL's {@code TimeZone}, {@code DateStyle}, …; MySQL's {@code time_zone}), or
     * empty (the default) where no session setting does. Under the savepoint strategy an application
     * writing through the shared connection may change them ({@code SET TIME ZONE}); the rows read before
     * and after would then differ in every such value although none changed, so the recorder reports such
     * a window as not tracked instead of as updates.
     */
    public java.util.Optional<String> valueTextSettings() {
        return java.util.Optional.empty();
    }

    /**
     * An expression reading {@code column} with every digit, for a column whose value the driver
     * receives as text that drops some (MySQL/MariaDB send a {@code FLOAT} with six significant digits:
     * 16777215 as 16777200); empty (the default) when the column reads exactly as it is. The built-in
     * change recorder and the exploration's table-contents projection read such columns through it, so
     * that a change of a digit the text drops is neither reported as no change nor taken for the same
     * state. The expression must not fail where the column exists.
     *
     * @param qualifiedColumn the column, qualified by its table and quoted
     * @param jdbcType        its {@link java.sql.Types} code as the driver's result set metadata gives it
     * @param typeName        its database type name as the metadata gives it
     */
    public java.util.Optional<String> exactRead(String qualifiedColumn, int jdbcType, String typeName) {
        return java.util.Optional.empty();
    }

    /**
     * A query naming the columns that {@code select *} leaves out: MySQL/MariaDB's and H2's
     * {@code INVISIBLE} columns, which hold state like any other column (a rollback puts them back, an
     * application writes them) but are returned only when named. One parameter, the schema; one row per
     * such column, the table's name first and the column's name second, in each table's column order.
     * Empty (the default) where {@code select *} returns every column. The built-in change recorder,
     * the exploration's table-contents projection and the default {@link #tableDigests} name these
     * columns after {@code *}, so that a change made only to one of them is reported, tells two states
     * apart and is seen by the other-writers check. Read once per connection: a column made invisible
     * or visible needs DDL, which ends the savepoint strategy's transaction on the databases that have
     * such columns.
     */
    public java.util.Optional<String> hiddenColumnsQuery() {
        return java.util.Optional.empty();
    }

    /**
     * {@link #hiddenColumnsQuery()} run on {@code connection} for {@code schema}: table name → its hidden
     * columns in order; empty where the dialect has none.
     */
    public final Map<String, List<String>> hiddenColumns(Connection connection, String schema) throws SQLException {
        java.util.Optional<String> sql = hiddenColumnsQuery();
        if (sql.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (java.sql.PreparedStatement ps = connection.prepareStatement(sql.get())) {
            ps.setString(1, schema);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new java.util.ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return out;
    }

    /**
     * {@code select *} of {@code qualifiedTable} with its {@code hidden} columns named after the star
     * (so a row's labels are the visible columns, then the hidden ones), and {@code extra} expressions
     * after them; {@code select * from t} when there are neither.
     */
    public final String selectEveryColumn(String qualifiedTable, List<String> hidden, List<String> extra) {
        if (hidden.isEmpty() && extra.isEmpty()) {
            return "select * from " + ownRows(qualifiedTable);
        }
        StringBuilder sql = new StringBuilder("select ").append(qualifiedTable).append(".*");
        for (String h : hidden) {
            sql.append(", ").append(qualifiedTable).append('.').append(quote(h));
        }
        for (String e : extra) {
            sql.append(", ").append(e);
        }
        return sql.append(" from ").append(ownRows(qualifiedTable)).toString();
    }

    /**
     * The {@code FROM} item that reads only the rows stored in {@code qualifiedTable} itself, not those of
     * the tables that inherit from it or of its partitions, which are read (and reported) as tables of their
     * own: PostgreSQL's {@code ONLY t}. Default: the table as it is.
     */
    public String ownRows(String qualifiedTable) {
        return qualifiedTable;
    }

    /**
     * Whether {@link #tableDigests} may be read on a second connection of the manager's, in auto-commit,
     * while the run's transaction is open, without ever waiting for that transaction's locks. Where
     * the run's connection reads a snapshot (isolation above READ COMMITTED: MySQL/MariaDB's default
     * REPEATABLE READ), its own reads cannot see what other connections committed since the run
     * began, so {@link io.venomqa.state.jdbc.JdbcStateManager#markTables()} reads the committed rows
     * on such a connection instead; where this is false it returns empty there. True only where
     * plain reads take no lock another transaction's writes can hold (InnoDB's consistent reads);
     * false (the default) where they can wait: PostgreSQL's reads wait for a table the run altered.
     */
    public boolean readsBesideTheRunNeverWait() {
        return false;
    }

    /**
     * Each of {@code tables}' contents as one value that does not depend on the order of the rows,
     * so that the manager can tell whether a table holds the same rows at {@code disconnect()} as
     * at {@code connect()} (or after the last {@code reset()}): with a strategy that undoes only
     * the manager's own connection (the savepoint strategy), rows another connection committed
     * meanwhile stay, and {@code disconnect()} must say so instead of reporting success. Equal rows
     * must give equal values; different rows should give different values (a hash of at least 32
     * bits per row, summed, is enough: a missed difference only means the check stays silent, as it
     * was before it existed). A value of the form {@code rows:…} lets the message show row counts.
     * A table that no longer exists may be missing from the map or map to {@code null}.
     *
     * <p>Called once at connect, after each reset and once at disconnect, inside the run's
     * transaction (guarded where a failed statement aborts it); never while a step runs. Default:
     * reads every row of each table and sums a 64-bit hash of each row's text values in Java.
     * Override with one query where the database can hash on its side, or return empty where the
     * database keeps other connections from committing during the run anyway
     * ({@link #lockOutOtherWriters}: SQLite), so there is nothing to check.
     *
     * @param session the manager's session
     * @param tables  the tables to digest (the tracked tables)
     * @return table name → digest, or empty when this dialect needs no check
     */
    public java.util.Optional<Map<String, String>> tableDigests(JdbcSession session, List<TableInfo> tables)
            throws SQLException {
        return java.util.Optional.of(digestsReadInJava(session, tables));
    }

    /**
     * {@link #tableDigests}' default, for every dialect: reads every row of each of {@code tables} and sums a
     * 64-bit hash of each row's text values ({@code getString}, {@code NULL} apart from every text), as
     * {@code rows:hash}. Equal rows give equal values, whatever their order. Used where a digest is needed
     * although the dialect's {@link #tableDigests} has none (option {@code verify_rollbacks} on SQLite).
     */
    public final Map<String, String> digestsReadInJava(JdbcSession session, List<TableInfo> tables) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, List<String>> hidden = hiddenColumns(session.connection(), session.schemaName());
        for (TableInfo t : tables) {
            long rows = 0;
            long sum = 0;
            String sql = selectEveryColumn(session.qualified(t.name()), hidden.getOrDefault(t.name(), List.of()), List.of());
            try (java.sql.Statement st = session.connection().createStatement();
                 java.sql.ResultSet rs = st.executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    long h = 0xcbf29ce484222325L; // FNV-1a over the row's values, each ended by a separator
                    for (int c = 1; c <= n; c++) {
                        String v = rs.getString(c);
                        if (v == null) {
                            h = (h ^ 0x1FFFF) * 0x100000001b3L;
                        } else {
                            for (int i = 0; i < v.length(); i++) {
                                h = (h ^ v.charAt(i)) * 0x100000001b3L;
                            }
                            h = (h ^ 0x1FFFE) * 0x100000001b3L;
                        }
                    }
                    // SplitMix64's finaliser, so that the sum of rows does not cancel out similar hashes
                    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
                    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
                    sum += h ^ (h >>> 31);
                    rows++;
                }
            }
            out.put(t.name(), rows + ":" + Long.toHexString(sum));
        }
        return out;
    }

    /** {@code identifier} quoted for this dialect. */
    public String quote(String identifier) {
        // Rendering through jOOQ builds a configuration and a render context each time (several µs);
        // change capture quotes every tracked table and column at every mark.
        String quoted = quotedNames.get(identifier);
        if (quoted == null) {
            quoted = DSL.using(jooqDialect()).render(DSL.quotedName(identifier));
            if (quotedNames.size() < MAX_QUOTED_NAMES) {
                quotedNames.put(identifier, quoted);
            }
        }
        return quoted;
    }

    /** {@link #quote}'s results: a name is quoted the same way for as long as the dialect lives. */
    private final Map<String, String> quotedNames = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_QUOTED_NAMES = 10_000;

    /** {@code schema.table}, both quoted; just the table when {@code schema} is null or empty. */
    public String qualify(String schema, String table) {
        if (schema == null || schema.isEmpty()) {
            return quote(table);
        }
        return DSL.using(jooqDialect()).render(DSL.quotedName(schema, table));
    }

    // ---- helpers for dialect implementations ------------------------------------------------

    /**
     * User and password for the driver: the URL's user info, or the {@code user} / {@code password}
     * options (options win when both are given).
     */
    protected static Properties credentials(DatabaseUrl url, StateConfig config) {
        Properties p = new Properties();
        String user = url == null ? null : url.user();
        String password = url == null ? null : url.password();
        String optUser = config.optionString(OPTION_USER, null);
        String optPassword = config.optionString(OPTION_PASSWORD, null);
        if (optUser != null) {
            user = optUser;
        }
        if (optPassword != null) {
            password = optPassword;
        }
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
    }

    /**
     * The query parameters of {@code url} that the driver understands ({@code known}, compared
     * case-insensitively); every other one (the seed's {@code ?pool_size=10}) is dropped with a
     * logged note, because VenomQA uses exactly one connection and the driver might reject it.
     * {@code user} and {@code password} are never returned: they are credentials.
     */
    protected Map<String, String> keepKnownParameters(DatabaseUrl url, Set<String> known) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : url.parameters().entrySet()) {
            String key = e.getKey();
            String lower = key.toLowerCase(Locale.ROOT);
            if (lower.equals("user") || lower.equals("password")) {
                continue;
            }
            if (known.stream().anyMatch(k -> k.equalsIgnoreCase(key))) {
                kept.put(key, e.getValue());
            } else if (!POOL_PARAMETERS.contains(lower)) { // pool settings: warned about by warnPoolParameters
                LOG.info("Ignoring URL parameter '{}' of {} (not a {} connection setting VenomQA passes on)",
                        key, url.masked(), displayName());
            }
        }
        return kept;
    }

    /**
     * Connection-pool settings as they appear in URLs of other tools (SQLAlchemy's {@code pool_size},
     * HikariCP's, c3p0's, …), compared ignoring case. VenomQA never passes them on.
     */
    public static final Set<String> POOL_PARAMETERS = Set.of("pool_size", "max_overflow", "pool_timeout",
            "pool_recycle", "pool_pre_ping", "poolsize", "maxpoolsize", "minpoolsize", "maximumpoolsize",
            "minimumidle", "maxpoolsizeperroute", "connectionlimit", "max_connections", "maxconnections");

    private static final Set<String> POOL_WARNINGS_GIVEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Warns once per JVM, per URL and parameter, at WARN, that a pool setting in {@code url}
     * (native or {@code jdbc:}) is ignored and why. Unparseable URLs are left to the dialect.
     */
    public static void warnPoolParameters(String url, String displayName) {
        DatabaseUrl parsed;
        try {
            parsed = DatabaseUrl.parse(url);
        } catch (RuntimeException e) {
            return;
        }
        // jdbc: URLs are opaque to DatabaseUrl: read their "?a=1&b=2" and ";a=1" settings here.
        Set<String> keys = new java.util.LinkedHashSet<>(parsed.parameters().keySet());
        String[] parts = url.split("[?&;]");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            keys.add(eq < 0 ? parts[i] : parts[i].substring(0, eq));
        }
        for (String key : keys) {
            if (POOL_PARAMETERS.contains(key.toLowerCase(Locale.ROOT)) && POOL_WARNINGS_GIVEN.add(parsed.masked() + "\n" + key)) {
                LOG.warn("db_url parameter '{}' is ignored ({}): VenomQA keeps exactly one connection to {} (the savepoint"
                        + " strategy's one transaction, the journal's one session), so pool settings have no effect"
                        + " here. Remove it from db_url; size the API's own pool in the API's"
                        + " configuration. To run journeys in parallel, use workers: N in venomqa.yaml (each worker"
                        + " gets its own database and connection), not a db_url parameter.", key, parsed.masked(), displayName);
            }
        }
    }

    /** URL-encodes a query value for a JDBC URL. */
    protected static String encodeParameter(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code text} with the spec's password and any URL credentials masked. */
    protected static String scrub(String text, ConnectionSpec spec) {
        return CredentialMasker.maskText(text, spec.password());
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name() + "]";
    }
}
