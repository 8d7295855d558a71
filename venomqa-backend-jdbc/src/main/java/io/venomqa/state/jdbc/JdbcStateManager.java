package io.venomqa.state.jdbc;

import io.venomqa.state.jdbc.spi.CheckpointStrategyProvider;
import io.venomqa.state.jdbc.spi.ChangeRecorder;
import io.venomqa.state.jdbc.spi.Finding;
import io.venomqa.state.jdbc.spi.ConnectionSpec;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.ResetPlan;
import io.venomqa.state.jdbc.spi.SchemaInfo;
import io.venomqa.state.jdbc.spi.TableInfo;
import io.venomqa.state.spi.ActiveCheckpoint;
import io.venomqa.state.spi.BaseStateManager;
import io.venomqa.state.CheckpointsLostException;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateConnectionException;
import io.venomqa.state.StateNotConnectedException;
import io.venomqa.state.spi.OptionSpec;
import io.venomqa.state.spi.TestDatabaseGuard;
import io.venomqa.core.VenomQAException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    private static final Logger LOG = LoggerFactory.getLogger(JdbcStateManager.class);

    /** Option choosing the checkpoint strategy: {@code savepoint} (default) or {@code journal}. */
    public static final String OPTION_CHECKPOINT_STRATEGY = "checkpoint_strategy";
    /** Option: how long {@link #connect()} may take (a duration; a bare number is seconds). Default 30 s. */
    public static final String OPTION_CONNECTION_TIMEOUT = "connection_timeout";
    /** Option: how long a manager call waits for application threads to close their shared connections. Default 30 s. */
    public static final String OPTION_SHARED_CONNECTION_WAIT = "shared_connection_wait";
    /** The default checkpoint strategy. */
    public static final String DEFAULT_CHECKPOINT_STRATEGY = SavepointCheckpointStrategy.NAME;
    /** Strategy names VenomQA defines, whether or not an implementation is on the class path. */
    public static final Set<String> KNOWN_CHECKPOINT_STRATEGIES = Set.of("savepoint", "journal");
    /** Default of {@value #OPTION_CONNECTION_TIMEOUT}. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(30);
    /** The options every SQL backend reads, whatever its dialect and strategy. */
    public static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.text(OPTION_CHECKPOINT_STRATEGY, DEFAULT_CHECKPOINT_STRATEGY,
                    "How checkpoints are taken: savepoint (API in this JVM) or journal (API in another process)."),
            OptionSpec.duration(OPTION_CONNECTION_TIMEOUT, "30s", "How long connect() may take."),
            OptionSpec.duration(OPTION_SHARED_CONNECTION_WAIT, "30s",
                    "How long a manager call waits for application threads to close their shared connections."),
            OptionSpec.text(JdbcDialect.OPTION_USER, null, "User name, when db_url has none."),
            OptionSpec.text(JdbcDialect.OPTION_PASSWORD, null, "Password, when db_url has none (never printed)."),
            ChangeTracking.OPTION,
            OptionSpec.integer(SnapshotChangeRecorder.OPTION_MAX_ROWS, String.valueOf(SnapshotChangeRecorder.DEFAULT_MAX_ROWS),
                    "Change tracking by comparing tables (savepoint strategy): the most rows the tracked tables may hold."));
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
        Duration timeout = config.optionDuration(OPTION_CONNECTION_TIMEOUT, DEFAULT_CONNECTION_TIMEOUT);
        this.spec = dialect.connectionSpec(config, timeout);
        JdbcDialect.warnPoolParameters(config.url(), dialect.displayName());
        this.sharedWait = config.optionDuration(OPTION_SHARED_CONNECTION_WAIT, Duration.ofSeconds(30));
        this.strategyProvider = StrategyResolver.resolve(dialect,
                config.optionString(OPTION_CHECKPOINT_STRATEGY, DEFAULT_CHECKPOINT_STRATEGY));
        OptionSpec.requireKnown(config, acceptedOptions(dialect, strategyProvider), "the " + dialect.displayName()
                + " backend with checkpoint_strategy '" + strategyProvider.name() + "'");
        this.sharedDataSource = new SharedDataSource(new SharedHost());
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
     *   <li>with auto-commit off, a unit of work begins with a savepoint; {@code commit()} releases it
     *       (the writes stay in the manager's transaction; nothing reaches the database for good),
     *       {@code rollback()} goes back to it and undoes that unit only.</li>
     *   <li>{@code close()} rolls back an unfinished unit and gives the database back to other
     *       threads; it never closes the manager's connection.</li>
     *   <li>{@code setTransactionIsolation}, {@code setSchema} and {@code setCatalog} are ignored: they
     *       would change the manager's session.</li>
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
        return call("plan the reset", this::plan);
    }

    /**
     * Runs a query on the manager's connection (so it sees the uncommitted state of the run) and
     * returns every row as a map from column label to value, in column order.
     *
     * @param params bound with {@link PreparedStatement#setObject(int, Object)}
     */
    public final synchronized List<Map<String, Object>> queryRows(String sql, Object... params) {
        return call("run a query", s -> fresh(s, () -> guarded(s.connection(), () -> rows(s.connection(), sql, params))));
    }

    /**
     * Runs several queries (without parameters) on the manager's connection, as {@link #queryRows}
     * runs one, and returns each one's rows in the order given. They share one guard and one end of
     * transaction, so a read of many tables (an exploration's table-contents projection) costs one
     * round trip per query instead of several; a failing query fails the call, as with
     * {@link #queryRows}.
     */
    public final synchronized List<List<Map<String, Object>>> queryRowsEach(List<String> queries) {
        List<String> qs = List.copyOf(queries);
        return call("run a query", s -> fresh(s, () -> guarded(s.connection(), () -> {
            List<List<Map<String, Object>>> out = new ArrayList<>(qs.size());
            for (String q : qs) {
                out.add(rows(s.connection(), q));
            }
            return out;
        })));
    }

    /**
     * Runs a read and, where the strategy's connection is the manager's alone (the journal: the
     * application commits through its own), ends the transaction the read opened. Left open, InnoDB's
     * REPEATABLE READ keeps it on its first snapshot: every later read, the journal's position at the
     * next checkpoint included, would miss what the application committed since.
     */
    private static <T> T fresh(ConnectionSession s, SqlFailures.SqlWork<T> read) throws SQLException {
        try {
            return read.run();
        } finally {
            Connection c = s.connection();
            if (!s.strategy().supportsSharedDataSource() && !c.getAutoCommit()) {
                c.rollback();
            }
        }
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
                return call("run the check query '" + sql + "'", s -> fresh(s, () -> {
                    Connection c = s.connection();
                    if (c.getAutoCommit()) {
                        return rows(c, sql, values);
                    }
                    java.sql.Savepoint sp = c.setSavepoint("venomqa_check");
                    try {
                        return rows(c, sql, values);
                    } finally {
                        c.rollback(sp);
                        c.releaseSavepoint(sp);
                    }
                }));
            }
        });
    }

    private static List<Map<String, Object>> rows(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; params != null && i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int col = 1; col <= md.getColumnCount(); col++) {
                        row.put(md.getColumnLabel(col), rs.getObject(col));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
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
        List<OptionSpec> all = new ArrayList<>(OPTIONS);
        all.addAll(dialect.options());
        return OptionSpec.distinct(all);
    }

    /**
     * Every option a manager with {@code dialect} accepts for {@code config}: {@link #declaredOptions},
     * the options of the {@code checkpoint_strategy} it selects, and the safety guard's.
     *
     * @throws IllegalArgumentException when {@code config} names an unknown or unavailable strategy
     */
    public static List<OptionSpec> acceptedOptions(JdbcDialect dialect, StateConfig config) {
        return acceptedOptions(dialect, StrategyResolver.resolve(dialect,
                config.optionString(OPTION_CHECKPOINT_STRATEGY, DEFAULT_CHECKPOINT_STRATEGY)));
    }

    private static List<OptionSpec> acceptedOptions(JdbcDialect dialect, CheckpointStrategyProvider strategy) {
        List<OptionSpec> all = new ArrayList<>(declaredOptions(dialect));
        all.addAll(strategy.options());
        all.addAll(TestDatabaseGuard.OPTIONS);
        return OptionSpec.distinct(all);
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
            return fresh(s, () -> guarded(s.connection(), () -> {
                try (PreparedStatement ps = s.connection().prepareStatement("select count(*) from " + s.qualified(t.name()));
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }));
        });
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
        Connection c;
        try {
            c = dialect.openConnection(spec);
        } catch (SQLException | RuntimeException e) {
            throw new StateConnectionException("Could not connect to " + dialect.displayName() + " at "
                    + spec.displayUrl() + ": " + scrub(e.getMessage()) + SqlFailures.unknownHost(e) + "\n"
                    // indented, so that the checklist reads as part of this message wherever it is printed
                    + dialect.connectionChecklist(spec).indent(2).stripTrailing(), scrubbed(e));
        }
        try {
            String schemaName = dialect.resolveSchema(c, config());
            dialect.initializeConnection(c, schemaName, config());
            c.setAutoCommit(false);
            ConnectionSession s = new ConnectionSession(c, schemaName, strategyProvider.create(dialect, config()), dialect,
                    config(), spec.displayUrl(), this::checkSafeToDestroyData);
            s.strategy().onConnect(s);
            session = s;
            sessionNumber.incrementAndGet();
            LOG.debug("Connected to {} ({} strategy, schema {})", spec.displayUrl(), s.strategy().name(), schemaName);
        } catch (SQLException | RuntimeException e) {
            SqlFailures.closeQuietly(c);
            if (e instanceof VenomQAException v) {
                throw v;
            }
            throw new StateConnectionException("Connected to " + spec.displayUrl() + " but could not prepare the "
                    + "session: " + scrub(e.getMessage()), scrubbed(e));
        }
    }

    @Override
    protected void doDisconnect() {
        ConnectionSession s = session;
        if (s == null) {
            return;
        }
        long hold = acquireQuietly();
        VenomQAException notAsFound = null;
        try {
            if (!s.isLost()) {
                try {
                    s.strategy().onDisconnect(s);
                } catch (VenomQAException e) {
                    // The strategy could not leave the database as connect() found it (a journal
                    // whose undo failed): the caller must hear it, after the connection is closed.
                    notAsFound = e;
                } catch (SQLException | RuntimeException e) {
                    // Closing without commit rolls back in every supported database, so nothing leaks.
                    LOG.warn("While disconnecting from {}: {} (the connection is closed anyway, which rolls back)",
                            spec.displayUrl(), scrub(e.getMessage()));
                }
            }
        } finally {
            session = null;
            sessionNumber.incrementAndGet();
            SqlFailures.closeQuietly(s.connection());
            if (hold < 0) {
                lock.forceReset();
            } else {
                lock.release(hold);
            }
        }
        if (notAsFound != null) {
            throw notAsFound;
        }
    }

    @Override
    protected void doCheckpoint(ActiveCheckpoint checkpoint) {
        run("create checkpoint '" + checkpoint.name() + "'", s -> {
            s.strategy().checkpoint(s, checkpoint);
            return null;
        });
    }

    @Override
    protected void doRollback(ActiveCheckpoint target, List<ActiveCheckpoint> discarded) {
        try {
            run("roll back to checkpoint '" + target.name() + "'", s -> {
                s.strategy().rollback(s, target, discarded);
                return null;
            });
        } catch (CheckpointsLostException e) {
            forgetAllCheckpoints(); // offering checkpoints the database no longer has would be a lie
            throw e;
        }
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
        try {
            run("restore checkpoint '" + target.name() + "'", s -> {
                s.strategy().restore(s, target, from);
                return null;
            });
        } catch (CheckpointsLostException e) {
            forgetAllCheckpoints();
            throw e;
        }
    }

    @Override
    protected void doRelease(ActiveCheckpoint target, List<ActiveCheckpoint> released) {
        try {
            run("release checkpoint '" + target.name() + "'", s -> {
                s.strategy().release(s, target, released);
                return null;
            });
        } catch (CheckpointsLostException e) {
            forgetAllCheckpoints();
            throw e;
        }
    }

    @Override
    protected void doReset() {
        run("reset", s -> {
            ResetPlan plan = plan(s); // before touching anything: a bad configuration keeps the checkpoints
            s.strategy().beforeReset(s);
            try {
                if (!plan.isEmpty()) {
                    dialect.reset(s, plan);
                }
                if (!s.connection().getAutoCommit()) {
                    s.connection().commit();
                }
            } catch (SQLException | RuntimeException e) {
                try {
                    if (!s.connection().getAutoCommit()) {
                        s.connection().rollback();
                    }
                    s.strategy().afterReset(s);
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                forgetAllCheckpoints();
                if (e instanceof SQLException sql && connectionLost(s, sql)) {
                    throw sql;
                }
                if (e instanceof VenomQAException v) {
                    // A dialect that explains its own failure knows better than the generic message
                    // (MySQL: TRUNCATE commits at once, so a half-done reset is partly committed).
                    throw v;
                }
                throw new io.venomqa.state.ResetException("The " + dialect.name() + " backend could not reset "
                        + plan.tableNames() + " (" + spec.displayUrl() + "): " + scrub(e.getMessage())
                        + ". Nothing was committed: the run's transaction was rolled back and every checkpoint with it.",
                        scrubbed(e));
            }
            s.strategy().afterReset(s);
            LOG.debug("Reset {} on {}", plan.tableNames(), spec.displayUrl());
            return null;
        });
    }

    // ---- internals ------------------------------------------------------------------------------

    private ResetPlan plan(JdbcSession s) throws SQLException {
        SchemaInfo cached = s.schema();
        // A table created after the schema was introspected should not be reported as missing.
        boolean missing = config().tablesToReset().stream().anyMatch(t -> cached.table(t).isEmpty());
        SchemaInfo schema = missing ? s.refreshSchema() : cached;
        boolean enforcesForeignKeys = dialect.enforcesForeignKeys(s.connection());
        ResetPlan last = lastPlan;
        // The plan depends only on the introspected schema (a new object whenever it is refreshed),
        // the configuration (fixed) and whether keys are enforced: ordering 50 tables children first
        // was a visible part of a reset of empty tables (benchmark row 3).
        if (last != null && last.schema() == schema && lastPlanEnforcesForeignKeys == enforcesForeignKeys) {
            return last;
        }
        ResetPlan plan = TableRules.plan(schema, config().tablesToReset(), config().excludeTables(), enforcesForeignKeys);
        lastPlan = plan;
        lastPlanEnforcesForeignKeys = enforcesForeignKeys;
        return plan;
    }

    /** The plan of the last reset and the key enforcement it was made for: reused while the schema object is the same. */
    private volatile ResetPlan lastPlan;
    private volatile boolean lastPlanEnforcesForeignKeys;

    @FunctionalInterface
    private interface SessionWork<T> {
        T run(ConnectionSession s) throws SQLException;
    }

    /** Runs a state operation; SQL failures become runtime exceptions that BaseStateManager wraps per operation. */
    private <T> T run(String what, SessionWork<T> work) {
        ConnectionSession s = requireSession();
        long hold = acquire(what);
        try {
            return work.run(s);
        } catch (SQLException e) {
            throw failure(s, e);
        } catch (SqlFailures.UncheckedSql e) {
            throw failure(s, e.sqlException());
        } finally {
            lock.release(hold);
        }
    }

    /** Like {@link #run}, for the helper methods: failures become {@link VenomQAException}s naming the operation. */
    private <T> T call(String what, SessionWork<T> work) {
        ensureConnected();
        try {
            return run(what, work);
        } catch (JdbcOperationFailure e) {
            throw new VenomQAException("The " + dialect.name() + " backend could not " + what + " ("
                    + spec.displayUrl() + "): " + e.getMessage(), e.getCause());
        }
    }

    private RuntimeException failure(ConnectionSession s, SQLException e) {
        if (connectionLost(s, e)) {
            return lost(s, e);
        }
        return new JdbcOperationFailure(scrub(SqlFailures.describe(e)), scrubbed(e));
    }

    private ConnectionSession requireSession() {
        ConnectionSession s = session;
        if (s == null) {
            throw new StateNotConnectedException();
        }
        if (s.isLost()) {
            throw new StateConnectionException(s.lostMessage());
        }
        return s;
    }

    private long acquire(String what) {
        try {
            long hold = lock.acquire(sharedWait);
            if (hold < 0) {
                Thread owner = lock.owner();
                throw new IllegalStateException("Could not " + what + ": an application thread ('"
                        + (owner == null ? "?" : owner.getName()) + "') has held a connection from sharedDataSource() "
                        + "for more than " + ConnectionLock.describe(sharedWait) + " without closing it. Close shared connections "
                        + "after each unit of work (and do not put a pool in front of sharedDataSource()).");
            }
            return hold;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to " + what, e);
        }
    }

    private long acquireQuietly() {
        try {
            long hold = lock.acquire(sharedWait);
            if (hold < 0) {
                LOG.warn("Disconnecting although thread '{}' still holds a connection from sharedDataSource()",
                        lock.owner() == null ? "?" : lock.owner().getName());
            }
            return hold;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private boolean connectionLost(ConnectionSession s, SQLException e) {
        if (dialect.isConnectionLost(e)) {
            return true;
        }
        try {
            return s.connection().isClosed();
        } catch (SQLException ignored) {
            return true;
        }
    }

    private StateConnectionException lost(ConnectionSession s, SQLException e) {
        List<String> names = activeCheckpoints();
        s.markLost("The connection to " + dialect.displayName() + " (" + spec.displayUrl() + ") was lost: "
                + scrub(e.getMessage()) + ". The checkpoints " + names + " are gone with it: they lived in the open "
                + "transaction, which the database rolled back, so nothing the run wrote since connect() or the last "
                + "reset() was kept. Call disconnect(), then connect() again and start the journey over (re-create "
                + "the checkpoints). If this keeps happening, check the server log and its idle and statement timeouts.");
        forgetAllCheckpoints();
        LOG.warn("{}", s.lostMessage());
        return new StateConnectionException(s.lostMessage(), scrubbed(e));
    }

    private String scrub(String text) {
        return SqlFailures.scrub(text, spec.password());
    }

    private SQLException scrubbed(Throwable e) {
        return SqlFailures.scrubbed(e, spec.password());
    }

    private <T> T guarded(Connection c, SqlFailures.SqlWork<T> work) throws SQLException {
        return SqlFailures.guarded(c, dialect.statementErrorAbortsTransaction(), work);
    }

    /** A SQL failure on its way to BaseStateManager, which wraps it in the operation's exception. */
    private static final class JdbcOperationFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        JdbcOperationFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final class SharedHost implements SharedDataSource.Host {
        @Override
        public Connection currentConnection() throws SQLException {
            ConnectionSession s = session;
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
        public String unsupportedReason() {
            ConnectionSession s = session;
            if (s != null && !s.strategy().supportsSharedDataSource()) {
                return "checkpoint_strategy '" + s.strategy().name() + "' does not share the manager's connection: "
                        + "let the application use its own connections";
            }
            return null;
        }

        @Override
        public String description() {
            return spec.displayUrl();
        }
    }
}
