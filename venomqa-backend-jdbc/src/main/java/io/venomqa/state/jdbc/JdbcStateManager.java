package io.venomqa.state.jdbc;

import io.venomqa.state.jdbc.spi.CheckpointStrategyProvider;
import io.venomqa.state.jdbc.spi.ChangeRecorder;
import io.venomqa.state.jdbc.spi.ContentsDigest;
import io.venomqa.state.jdbc.spi.Finding;
import io.venomqa.state.jdbc.spi.ConnectionSpec;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.ResetPlan;
import io.venomqa.state.jdbc.spi.SchemaInfo;
import io.venomqa.state.jdbc.spi.TableInfo;
import io.venomqa.state.spi.ActiveCheckpoint;
import io.venomqa.state.spi.BaseStateManager;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateConnectionException;
import io.venomqa.state.spi.OptionSpec;
import io.venomqa.state.jdbc.internal.ConnectionLock;
import io.venomqa.state.jdbc.internal.ConnectionSession;
import io.venomqa.state.jdbc.internal.SavepointCheckpointStrategy;
import io.venomqa.state.jdbc.internal.SnapshotChangeRecorder;
import io.venomqa.state.ChangeMark;
import io.venomqa.state.ChangeTracker;
import io.venomqa.state.DbChanges;
import io.venomqa.state.spi.ChangeTracking;
import io.venomqa.state.jdbc.internal.SharedDataSource;
import io.venomqa.state.jdbc.internal.SqlFailures;
import io.venomqa.state.jdbc.internal.StrategyResolver;
import io.venomqa.state.jdbc.internal.TableRules;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * A {@link io.venomqa.state.StateManager} over one JDBC connection, shared by every SQL backend.
 * A backend module supplies a {@link JdbcDialect}; this class does the rest.
 *
 * <p>What it guarantees, whatever the dialect:
 * <ul>
 *   <li><b>One connection</b>, opened by {@link #connect()} within {@value #OPTION_CONNECTION_TIMEOUT}
 *       (default 30 s), auto-commit off. A failure to connect is a {@link StateConnectionException}
 *       carrying the masked URL and a checklist; passwords never appear in messages or logs.</li>
 *   <li><b>Checkpoints</b> follow the {@value #OPTION_CHECKPOINT_STRATEGY} option; the default,
 *       {@code savepoint}, keeps everything in one transaction: a checkpoint is a savepoint named by a
 *       generated identifier ({@code venomqa_sp_N}, never the user's name), and nothing is committed
 *       but {@link #reset()}. Identity counters are captured with each checkpoint and put back on
 *       rollback where the database keeps them outside the transaction (see the dialect's Javadoc
 *       for what is possible where).</li>
 *   <li><b>Reset</b> empties the reset tables (DESIGN.md: {@code tables_to_reset}, else every table
 *       but {@code exclude_tables}, migration tables and VenomQA's own), restarts their identities and
 *       commits. Its commit ends the run's transaction, so what the run wrote before the reset in
 *       tables that are not reset (a schema created through the shared DataSource, setup rows in
 *       excluded tables) becomes permanent too: call {@code reset()} before the writes you want undone,
 *       not after. The plan is checked before anything is touched: a table
 *       in {@code tables_to_reset} that does not exist, or an excluded table with a foreign key into
 *       the reset set, is a {@link io.venomqa.state.ResetException} with the checkpoints intact.</li>
 *   <li><b>Disconnect</b> rolls back, restores the identity counters seen at connect, and closes; it
 *       always ends disconnected, also after the connection was lost.</li>
 *   <li><b>A lost connection</b> (server restarted, session killed) is reported by the next call as a
 *       {@link StateConnectionException} saying that the checkpoints are gone and what to do;
 *       every later call says the same until {@link #disconnect()}.</li>
 *   <li><b>Introspection</b> of the schema through jOOQ's meta API happens once per connection, on
 *       first need, and again on {@link #refreshSchema()}.</li>
 * </ul>
 *
 * <p>Thread safety: the state operations are synchronized (see {@link BaseStateManager}); the
 * connection is additionally guarded by a lock shared with the connections of
 * {@link #sharedDataSource()}, so manager calls wait until application threads have closed theirs
 * (for at most {@value #OPTION_SHARED_CONNECTION_WAIT}, default 30 s).
 */
public abstract class JdbcStateManager extends BaseStateManager {

    /** Option choosing the checkpoint strategy: {@code savepoint} (default) or {@code journal}. */
    public static final String OPTION_CHECKPOINT_STRATEGY = "checkpoint_strategy";
    /** Option: how long {@link #connect()} may take (a duration; a bare number is seconds). Default 30 s. */
    public static final String OPTION_CONNECTION_TIMEOUT = "connection_timeout";
    /**
     * Option (boolean, default true): with a strategy that undoes only the manager's own connection
     * (the savepoint strategy), compare the tracked tables at {@link #connect()}, after each
     * {@link #reset()} and at {@link #disconnect()}, which then throws a
     * {@link io.venomqa.state.RollbackException} naming the tables where another connection committed
     * rows that no rollback undid. {@code false} skips the comparison (one read of every tracked table
     * each time).
     */
    public static final String OPTION_CHECK_OTHER_WRITERS = "check_other_writers";
    /** Option: how long a manager call waits for application threads to close their shared connections. Default 30 s. */
    public static final String OPTION_SHARED_CONNECTION_WAIT = "shared_connection_wait";
    /** The default checkpoint strategy. */
    public static final String DEFAULT_CHECKPOINT_STRATEGY = SavepointCheckpointStrategy.NAME;
    /** Strategy names VenomQA defines, whether or not an implementation is on the class path. */
    public static final Set<String> KNOWN_CHECKPOINT_STRATEGIES = Set.of("savepoint", "journal");
    /** Default of {@value #OPTION_CONNECTION_TIMEOUT}. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(30);
    /** The options every SQL backend reads, whatever its dialect and strategy. */
    public static final List<OptionSpec> OPTIONS = JdbcOptions.COMMON;
    /** Migration tables excluded from every reset and from tracking: Flyway, Liquibase, Alembic, Django, Rails, Prisma. */
    public static final Set<String> MIGRATION_TABLES = TableRules.MIGRATION_TABLES;
    /** Tables whose name starts with this prefix are VenomQA's own and are never reset or tracked. */
    public static final String VENOMQA_TABLE_PREFIX = TableRules.VENOMQA_TABLE_PREFIX;

    private final JdbcDialect dialect;
    private final ConnectionSpec spec;
    private final CheckpointStrategyProvider strategyProvider;
    private final Duration sharedWait;
    private final ConnectionLock lock = new ConnectionLock();
    private final AtomicLong sessionNumber = new AtomicLong();
    private final SharedDataSource sharedDataSource;
    private final SessionCalls calls;
    private final SessionLifecycle lifecycle;
    private final ResetRun resets;
    private volatile ConnectionSession session;
    private volatile Boolean treeCapable;

    /**
     * Builds an unconnected manager; the URL and the strategy name are checked now.
     *
     * @throws IllegalArgumentException for an unreadable URL, an unknown {@code checkpoint_strategy}
     *                                  (listing the valid ones), or a strategy that is not available
     */
    protected JdbcStateManager(StateConfig config, JdbcDialect dialect) {
        super(config);
        this.dialect = java.util.Objects.requireNonNull(dialect, "dialect");
        this.strategyProvider = JdbcOptions.strategy(dialect, config);
        // Names and values are checked before any option is read, so that every bad one is reported at once, here,
        // and none reaches connect() (where a bad lock_timeout used to read as "database unreachable").
        List<OptionSpec> accepted = JdbcOptions.accepted(dialect, strategyProvider);
        String owner = "the " + dialect.displayName() + " backend with checkpoint_strategy '" + strategyProvider.name() + "'";
        OptionSpec.requireKnown(config, accepted, owner);
        OptionSpec.requireValid(config, accepted, owner);
        Duration timeout = config.optionDuration(OPTION_CONNECTION_TIMEOUT, DEFAULT_CONNECTION_TIMEOUT);
        this.spec = dialect.connectionSpec(config, timeout);
        JdbcDialect.warnPoolParameters(config.url(), dialect.displayName());
        this.sharedWait = config.optionDuration(OPTION_SHARED_CONNECTION_WAIT, Duration.ofSeconds(30));
        this.sharedDataSource = new SharedDataSource(
                new SharedHost(() -> session, sessionNumber, lock, sharedWait, dialect, spec));
        this.calls = new SessionCalls(new CallsOwner(), lock, sharedWait, dialect, spec);
        this.lifecycle = new SessionLifecycle(config, dialect, spec, strategyProvider, calls);
        this.resets = new ResetRun(config, dialect, spec, calls);
    }

    // ---- public API beyond StateManager -------------------------------------------------------

    /** The dialect of this manager. */
    public final JdbcDialect dialect() {
        return dialect;
    }

    /** The name of the checkpoint strategy in use ({@code savepoint}, …). */
    public final String checkpointStrategy() {
        return strategyProvider.name();
    }

    /** Where this manager connects, password masked. */
    public final String displayUrl() {
        return spec.displayUrl();
    }

    /**
     * A {@link DataSource} for an application running in the same JVM (a Javalin, Spring Boot or
     * plain {@code HttpServer} app), whose connections work <em>inside the manager's transaction</em>,
     * so that {@link #rollback(String)} undoes what the application wrote. The same object stays
     * valid across {@code connect()}/{@code disconnect()}; {@code getConnection()} fails while the
     * manager is disconnected.
     *
     * <p>Every connection it hands out is a view of the manager's one connection:
     * <ul>
     *   <li>{@code getConnection()} waits until no other thread holds a shared connection: a
     *       thread holds the database from {@code getConnection()} to {@code close()}, so two threads
     *       never interleave statements. Manager calls wait the same way.</li>
     *   <li>auto-commit (on by default, as JDBC says) is emulated: each statement stands on its own.</li>
     *   <li>with auto-commit off, a unit of work begins with a savepoint, set by its first statement
     *       (or the application's first savepoint); {@code commit()} releases it (the writes stay in
     *       the manager's transaction; nothing reaches the database for good), {@code rollback()} goes
     *       back to it and undoes that unit only. A unit that ran nothing costs nothing.</li>
     *   <li>{@code close()} rolls back an unfinished unit and gives the database back to other
     *       threads; it never closes the manager's connection. A statement of a closed connection
     *       refuses to run.</li>
     *   <li>{@code setTransactionIsolation}, {@code setSchema} and {@code setCatalog} are ignored: they
     *       would change the manager's session.</li>
     *   <li>transaction control sent as SQL text ({@code COMMIT}, {@code END}, {@code ROLLBACK},
     *       {@code ABORT}, {@code BEGIN}, {@code START TRANSACTION}, {@code SET autocommit},
     *       {@code PREPARE TRANSACTION}, {@code XA}, MySQL's {@code LOCK TABLES}) and savepoints named
     *       {@code venomqa_…} (as text or through {@code setSavepoint(name)}) are refused with an
     *       {@link java.sql.SQLException} before anything is sent: they would end or shadow the run's
     *       transaction without the proxy knowing. The application's own savepoints work, in
     *       manual-commit mode: {@code setSavepoint}, {@code rollback(Savepoint)} and
     *       {@code releaseSavepoint} in auto-commit mode throw, as JDBC says.</li>
     *   <li>{@code getConnection()} of its statements and metadata, and of the statement behind each
     *       result set it returns ({@code getStatement()}), is the shared connection, never the
     *       manager's. {@code unwrap} to a driver class hands out the driver's object.</li>
     * </ul>
     * Limits, honestly: this is not a pool, so an application that keeps a connection open for good
     * (or a pool such as HikariCP put in front of this DataSource) blocks everyone else, and manager
     * calls fail after {@value #OPTION_SHARED_CONNECTION_WAIT}; requests are served one at a time;
     * the application sees the manager's isolation and schema; DDL run by the application commits
     * the transaction on databases where DDL commits (MySQL, H2), ending every checkpoint; statements
     * of a unit that is still open when the manager rolls back past its start are undone too, and
     * its next commit fails. With a strategy that does not share its connection (a journal),
     * {@code getConnection()} fails: let the application use its own connections then.
     */
    public final DataSource sharedDataSource() {
        return sharedDataSource;
    }

    /** {@link #sharedDataSource()} while connected with a strategy that shares the connection ({@code savepoint}). */
    @Override
    public java.util.Optional<DataSource> applicationDataSource() {
        ConnectionSession s = session;
        return s != null && s.strategy().supportsSharedDataSource() ? java.util.Optional.of(sharedDataSource)
                : java.util.Optional.empty();
    }

    /** The schema this manager works in, as the database names it. Requires a connection. */
    public final synchronized String schemaName() {
        return requireSession().schemaName();
    }

    /** The tables of the schema, introspected once per connection. */
    public final synchronized SchemaInfo schema() {
        return call("introspect the schema", JdbcSession::schema);
    }

    /** Introspects the schema again, after DDL run since the last introspection. */
    public final synchronized SchemaInfo refreshSchema() {
        return call("introspect the schema", s -> {
            SchemaInfo fresh = s.refreshSchema();
            s.strategy().onSchemaRefreshed(s); // a journal installs its triggers on tables created since
            return fresh;
        });
    }

    /**
     * Per table, the columns {@code select *} leaves out ({@link JdbcDialect#hiddenColumnsQuery}: MySQL's and
     * H2's INVISIBLE columns), in column order; empty where the database has none.
     */
    public final synchronized Map<String, List<String>> hiddenColumns() {
        return call("read the hidden columns", s -> RowReads.fresh(s, () -> guarded(s.connection(),
                () -> s.dialect().hiddenColumns(s.connection(), s.schemaName()))));
    }

    /** The tables checkpoints cover (every table but excluded, migration and VenomQA tables). */
    public final synchronized List<TableInfo> trackedTables() {
        return call("introspect the schema", JdbcSession::trackedTables);
    }

    /**
     * What {@link #reset()} would empty right now, children first, without touching anything.
     *
     * @throws io.venomqa.state.ResetException for the configuration errors {@code reset()} would raise
     */
    public final synchronized ResetPlan resetPlan() {
        return call("plan the reset", resets::plan);
    }

    /**
     * Runs a query on the manager's connection (so it sees the uncommitted state of the run) and
     * returns every row as a map from column label to value, in column order.
     *
     * @param params bound with {@link PreparedStatement#setObject(int, Object)}
     */
    public final synchronized List<Map<String, Object>> queryRows(String sql, Object... params) {
        return call("run a query", s -> RowReads.fresh(s, () -> guarded(s.connection(),
                () -> RowReads.rows(s.connection(), sql, params))));
    }

    /**
     * Runs several queries (without parameters) on the manager's connection, as {@link #queryRows}
     * runs one, and returns each one's rows in the order given. They share one guard and one end of
     * transaction, so a read of many tables (an exploration's table-contents projection) costs one
     * round trip per query instead of several; a failing query fails the call, as with
     * {@link #queryRows}. Where the driver {@linkplain JdbcDialect#sendsStatementsTogether sends
     * statements together} (PostgreSQL), the savepoint, every query and a rollback to the savepoint go
     * in one round trip (where the strategy's connection is the manager's alone, as with the journal,
     * every query and a rollback of the read's whole transaction): these are reads, and whatever a
     * query wrote is undone.
     */
    public final synchronized List<List<Map<String, Object>>> queryRowsEach(List<String> queries) {
        List<String> qs = List.copyOf(queries);
        return call("run a query", s -> RowReads.fresh(s, () -> {
            Connection c = s.connection();
            if (dialect.sendsStatementsTogether() && !c.getAutoCommit() && !qs.isEmpty()) {
                // One round trip for the savepoint, every query and its end (benchmark row 11's
                // projection); where the read's transaction is rolled back afterwards anyway, the
                // rollback goes in it instead of the savepoint.
                return RowReads.inRolledBackSavepoint(c, RowReads.rolledBackAfter(s) ? null : "venomqa_guard", qs, null);
            }
            return guarded(c, () -> RowReads.rowsOfEach(c, qs));
        }));
    }

    /**
     * {@link io.venomqa.state.SqlReader}: {@link #queryRows} inside a savepoint that is rolled back
     * afterwards, so a check cannot change the run's state.
     */
    @Override
    public Optional<io.venomqa.state.SqlReader> sqlReader() {
        return Optional.of((sql, params) -> {
            synchronized (JdbcStateManager.this) {
                Object[] values = params == null ? new Object[0] : params.toArray();
                return call("run the check query '" + sql + "'",
                        s -> RowReads.fresh(s, () -> RowReads.checkRows(s.connection(), sql, values,
                                dialect.sendsStatementsTogether(), RowReads.rolledBackAfter(s))));
            }
        });
    }

    /**
     * Read-only checks for {@code venomqa doctor}: the dialect's {@link JdbcDialect#diagnose} and the
     * {@link CheckpointStrategyProvider#preflight} of the strategy named {@code strategy} (which
     * may differ from this manager's own), on this manager's connection. {@code configured} is the
     * user's configuration, when this manager was made with {@link JdbcDialect#inspectionConfig}.
     *
     * @throws IllegalArgumentException when no strategy of that name is available for this dialect
     */
    public final synchronized List<Finding> diagnose(String strategy, StateConfig configured) {
        CheckpointStrategyProvider p = StrategyResolver.resolve(dialect, strategy);
        return call("check the database", s -> guarded(s.connection(), () -> {
            List<Finding> out = new ArrayList<>(dialect.diagnose(s, configured));
            out.addAll(p.preflight(s));
            return out;
        }));
    }

    /** The server's product and version ({@link JdbcDialect#serverVersion}). */
    public final synchronized String serverVersion() {
        return call("read the server version", s -> guarded(s.connection(), () -> dialect.serverVersion(s)));
    }

    /**
     * The options a SQL backend with {@code dialect} reads whatever its strategy: {@link #OPTIONS}
     * and the dialect's own ({@link JdbcDialect#options()}), for listings.
     */
    public static List<OptionSpec> declaredOptions(JdbcDialect dialect) {
        return JdbcOptions.declared(dialect);
    }

    /**
     * Every option a manager with {@code dialect} accepts for {@code config}: {@link #declaredOptions},
     * the options of the {@code checkpoint_strategy} it selects, and the safety guard's.
     *
     * @throws IllegalArgumentException when {@code config} names an unknown or unavailable strategy
     */
    public static List<OptionSpec> acceptedOptions(JdbcDialect dialect, StateConfig config) {
        return JdbcOptions.accepted(dialect, JdbcOptions.strategy(dialect, config));
    }

    /** The checkpoint strategies available to {@code dialect}, by name (its own, registered ones, {@code savepoint}). */
    public static Map<String, CheckpointStrategyProvider> availableStrategies(JdbcDialect dialect) {
        return StrategyResolver.available(dialect);
    }

    /**
     * The number of rows of {@code table} (a table of the schema; found case-insensitively), as the
     * run sees it now.
     *
     * @throws IllegalArgumentException when the table does not exist, listing those that do
     */
    public final synchronized long countRows(String table) {
        return call("count rows", s -> {
            TableInfo t = s.schema().table(table).orElseGet(() -> s.refreshSchema().table(table).orElse(null));
            if (t == null) {
                throw new IllegalArgumentException("Table '" + table + "' does not exist in schema '" + s.schemaName()
                        + "'. Tables there: " + String.join(", ", s.schema().tableNames()));
            }
            return RowReads.fresh(s, () -> guarded(s.connection(), () -> RowReads.count(s, t)));
        });
    }

    /**
     * The tracked tables' contents now, so that {@link #requireTablesAsMarked} can tell, after a
     * rollback to a checkpoint taken just before, whether rows committed around the manager's
     * connection meanwhile are still there: the savepoint strategy undoes only what went through that
     * connection, and {@code disconnect()} finds such rows only at the very end. Take it right after
     * the checkpoint, compare right after rolling back to it. It reads every tracked table (one query
     * on PostgreSQL and MySQL/MariaDB, where the server hashes the rows), so mark a few checkpoints
     * that matter (a test class), not every step.
     *
     * <p>Where the manager's connection reads at READ COMMITTED (PostgreSQL, H2) the tables are read as
     * it sees them, its own uncommitted writes included. Where it reads a snapshot (MySQL/MariaDB's
     * default REPEATABLE READ, whose reads inside the run's transaction never see what others commit)
     * the committed rows are read instead, on a second connection the manager opens at the first mark
     * and closes at {@code disconnect()}; the run's uncommitted writes are then in neither reading,
     * and a message counts committed rows.
     *
     * @return empty when there is nothing to compare: option {@value #OPTION_CHECK_OTHER_WRITERS} is
     *         false, the strategy undoes other connections' writes itself (the journal), the dialect
     *         has no table digest (SQLite, whose write lock keeps other writers out), or the connection
     *         reads a snapshot and the dialect's reads on a second connection could wait for the run's
     *         locks ({@link io.venomqa.state.jdbc.spi.JdbcDialect#readsBesideTheRunNeverWait()}: a
     *         PostgreSQL connection set to REPEATABLE READ, where {@code disconnect()} still compares)
     */
    public final synchronized Optional<TablesMark> markTables() {
        return call("read the tracked tables", s -> io.venomqa.state.jdbc.internal.OtherWriters.mark(s)
                .map(c -> new TablesMark(this, s, c)));
    }

    /**
     * Checks that every tracked table holds the rows it held at {@code mark}: call it right after
     * rolling back to the checkpoint {@code mark} was taken at. Nothing is changed or rolled back.
     *
     * @param since names that checkpoint for the message, e.g. {@code "test class OrderTests"}
     * @throws io.venomqa.state.RollbackException naming each table whose rows differ (with row counts
     *                                            where the dialect's digest has them) and what to do
     * @throws IllegalArgumentException           for a mark of another manager
     * @throws IllegalStateException              for a mark read before the manager reconnected
     */
    public final synchronized void requireTablesAsMarked(TablesMark mark, String since) {
        java.util.Objects.requireNonNull(mark, "mark");
        if (mark.manager() != this) {
            throw new IllegalArgumentException("This TablesMark was read by another state manager ("
                    + mark.manager().displayUrl() + "); compare it with the manager that read it.");
        }
        java.util.Optional<io.venomqa.state.RollbackException> failure = call("read the tracked tables", s -> {
            if (mark.session() != s) {
                throw new IllegalStateException("This TablesMark was read before the manager reconnected to "
                        + spec.displayUrl() + "; take a new one after connect().");
            }
            return io.venomqa.state.jdbc.internal.OtherWriters.since(s, mark.contents(), since);
        });
        if (failure.isPresent()) {
            throw failure.get();
        }
    }

    /**
     * A digest of the tracked tables' contents kept by the checkpoint strategy from its own records,
     * with the contents now as its base ({@link ContentsDigest}): the exploration's table-contents
     * projection reads it instead of large tables. Empty when the strategy has none (the savepoint
     * strategy, which sees only its own connection's writes). The digest's {@code query()} and {@code read()}
     * may be called from any thread: they take this manager's lock. It belongs to the session it was
     * started in: after {@link #disconnect()} both are empty, also once connected again.
     */
    public final synchronized Optional<ContentsDigest> contentsDigest() {
        return call("start a contents digest", s -> s.strategy().contentsDigest(s).map(d -> new SessionDigest(s, d)));
    }

    /** A strategy's digest, held to the session it began in and read under this manager's lock. */
    private final class SessionDigest implements ContentsDigest {
        private final ConnectionSession origin;
        private final ContentsDigest inner;

        SessionDigest(ConnectionSession origin, ContentsDigest inner) {
            this.origin = origin;
            this.inner = inner;
        }

        @Override
        public Optional<String> query() {
            synchronized (JdbcStateManager.this) {
                return session == origin ? inner.query() : Optional.empty();
            }
        }

        @Override
        public Optional<Map<String, String>> read() {
            synchronized (JdbcStateManager.this) {
                return session == origin ? call("read the contents digest", s -> inner.read()) : Optional.empty();
            }
        }
    }

    // ---- change tracking ----------------------------------------------------------------------

    /**
     * Row changes between two moments ({@link ChangeTracker}), when {@code track_changes: true}: from
     * the strategy's own records where it has them (the journal: every connection's committed writes),
     * else by comparing snapshots of the tracked tables read on the manager's connection (the savepoint
     * strategy: what this connection sees, up to {@value SnapshotChangeRecorder#OPTION_MAX_ROWS} rows).
     * Marks belong to one connection: after a reconnect, take new ones.
     */
    @Override
    public Optional<ChangeTracker> changeTracker() {
        return ChangeTracking.enabled(config()) ? Optional.of(changeTracker) : Optional.empty();
    }

    @Override
    public String changesNotTrackedReason() {
        return ChangeTracking.enabled(config()) ? super.changesNotTrackedReason() : ChangeTracking.OFF_REASON;
    }

    /** A mark of one session's recorder. */
    private record SessionMark(JdbcStateManager owner, long session, ChangeMark inner) implements ChangeMark {
    }

    private final ChangeTracker changeTracker = new ChangeTracker() {
        /** The tracked tables: the changes come from them alone, whichever strategy records them. */
        @Override
        public Optional<java.util.Set<String>> tables() {
            java.util.Set<String> names = new java.util.LinkedHashSet<>();
            trackedTables().forEach(t -> names.add(t.name()));
            return Optional.of(java.util.Collections.unmodifiableSet(names));
        }

        @Override
        public ChangeMark mark() {
            synchronized (JdbcStateManager.this) {
                return call("record row changes", s -> new SessionMark(JdbcStateManager.this, sessionNumber.get(),
                        recorder(s).mark(s)));
            }
        }

        @Override
        public DbChanges changesSince(ChangeMark mark) {
            return advance(mark).changes();
        }

        @Override
        public Window advance(ChangeMark mark) {
            if (!(mark instanceof SessionMark m) || m.owner() != JdbcStateManager.this) {
                throw new IllegalArgumentException("This mark was not made by this manager's change tracker: " + mark);
            }
            synchronized (JdbcStateManager.this) {
                return call("read row changes", s -> {
                    if (m.session() != sessionNumber.get()) {
                        ChangeMark next = new SessionMark(JdbcStateManager.this, sessionNumber.get(), recorder(s).mark(s));
                        return new Window(DbChanges.notTracked("the manager reconnected since the mark was taken"), next);
                    }
                    Window w = recorder(s).advance(s, m.inner());
                    return new Window(w.changes(), new SessionMark(JdbcStateManager.this, m.session(), w.next()));
                });
            }
        }
    };

    private ChangeRecorder recorder(ConnectionSession s) {
        return s.strategy().changeRecorder().orElseGet(() -> s.cachedRecorder(() -> new SnapshotChangeRecorder(
                config().optionInt(SnapshotChangeRecorder.OPTION_MAX_ROWS, SnapshotChangeRecorder.DEFAULT_MAX_ROWS),
                s.strategy().name())));
    }

    // ---- BaseStateManager ---------------------------------------------------------------------

    @Override
    public String backendName() {
        return dialect.name();
    }

    @Override
    protected void doConnect() {
        session = lifecycle.open(this::checkSafeToDestroyData);
        sessionNumber.incrementAndGet();
    }

    @Override
    protected void doDisconnect() {
        ConnectionSession s = session;
        if (s == null) {
            return;
        }
        lifecycle.close(s, () -> {
            session = null;
            sessionNumber.incrementAndGet();
        });
    }

    @Override
    protected void doCheckpoint(ActiveCheckpoint checkpoint) {
        run("create checkpoint '" + checkpoint.name() + "'", s -> {
            // Read first: a failed read then leaves no checkpoint the strategy holds and the stack does not.
            Map<String, String> tables = s.verifier() == null ? null : io.venomqa.state.jdbc.internal.RollbackVerifier.read(s);
            s.strategy().checkpoint(s, checkpoint);
            if (tables != null) {
                s.verifier().checkpoint(checkpoint.identifier(), tables);
            }
            return null;
        });
    }

    @Override
    protected void doRollback(ActiveCheckpoint target, List<ActiveCheckpoint> discarded) {
        calls.runOnCheckpoints("roll back to checkpoint '" + target.name() + "'", s -> {
            s.strategy().rollback(s, target, discarded);
            if (s.verifier() != null) {
                s.verifier().forget(discarded.stream().map(ActiveCheckpoint::identifier).toList());
                s.verifier().afterRollback(s, target.identifier(), "The rollback to checkpoint '" + target.name() + "'",
                        calls::forgetAllCheckpoints);
            }
            return null;
        });
    }

    /** Whether the checkpoint strategy can restore any held checkpoint (the journal can, savepoints cannot). */
    @Override
    protected boolean supportsCheckpointTree() {
        ConnectionSession s = session;
        if (s != null) {
            return s.strategy().supportsCheckpointTree();
        }
        Boolean known = treeCapable;
        if (known == null) {
            known = strategyProvider.create(dialect, config()).supportsCheckpointTree(); // cheap: not connected
            treeCapable = known;
        }
        return known;
    }

    @Override
    protected void doRestore(ActiveCheckpoint target, ActiveCheckpoint from) {
        calls.runOnCheckpoints("restore checkpoint '" + target.name() + "'", s -> {
            s.strategy().restore(s, target, from);
            if (s.verifier() != null) {
                s.verifier().afterRollback(s, target.identifier(), "The restore of checkpoint '" + target.name() + "'",
                        calls::forgetAllCheckpoints);
            }
            return null;
        });
    }

    @Override
    protected void doRelease(ActiveCheckpoint target, List<ActiveCheckpoint> released) {
        calls.runOnCheckpoints("release checkpoint '" + target.name() + "'", s -> {
            s.strategy().release(s, target, released);
            if (s.verifier() != null) {
                s.verifier().forget(released.stream().map(ActiveCheckpoint::identifier).toList());
            }
            return null;
        });
    }

    @Override
    protected void doReset() {
        run("reset", resets::reset);
    }

    // ---- internals ------------------------------------------------------------------------------

    private <T> T run(String what, SessionCalls.SessionWork<T> work) {
        return calls.run(what, work);
    }

    private <T> T call(String what, SessionCalls.SessionWork<T> work) {
        return calls.call(what, work);
    }

    private ConnectionSession requireSession() {
        return calls.requireSession();
    }

    private <T> T guarded(Connection c, SqlFailures.SqlWork<T> work) throws SQLException {
        return calls.guarded(c, work);
    }

    /** Lends {@link SessionCalls} the session and the checkpoint bookkeeping, which BaseStateManager keeps protected. */
    private final class CallsOwner implements SessionCalls.Owner {
        @Override
        public ConnectionSession session() {
            return session;
        }

        @Override
        public List<String> activeCheckpoints() {
            return JdbcStateManager.this.activeCheckpoints();
        }

        @Override
        public void forgetAllCheckpoints() {
            JdbcStateManager.this.forgetAllCheckpoints();
        }

        @Override
        public void ensureConnected() {
            JdbcStateManager.this.ensureConnected();
        }
    }
}
