package io.venomqa.spring.internal;

import io.venomqa.config.ConfigException;
import io.venomqa.core.CredentialMasker;
import io.venomqa.state.ShutdownCleanup;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;

import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * The state manager of one Spring application context, a bean of that context. It connects once every
 * singleton exists (after migrations and {@code spring.sql.init}, before the web server starts and
 * before scheduled tasks run), switches the wrapped DataSource over to the manager's shared connections,
 * and disconnects when the context is destroyed, after every bean that used the DataSource. Not API.
 */
public final class ManagedDatabase implements SmartInitializingSingleton, DisposableBean {

    /** Its bean name in the context. */
    public static final String BEAN_NAME = "io.venomqa.spring.internal.ManagedDatabase";

    private static final Logger LOG = LoggerFactory.getLogger(ManagedDatabase.class);

    /**
     * Where the connected savepoint managers of this JVM hold their open transaction ({@link #place}), with the
     * test class whose context made each: another context's start-up DDL there would wait for its locks.
     */
    private static final java.util.Map<String, java.util.List<String>> OPEN_TRANSACTIONS = new java.util.concurrent.ConcurrentHashMap<>();

    private final SpringSettings settings;
    private String openAt;
    private final String testClass;
    private final AtomicReference<String> runningTest = new AtomicReference<>();
    private final AtomicReference<Checkpoints.Held> methodCheckpoint = new AtomicReference<>();
    private final java.util.Map<String, Checkpoints.Held> classCheckpoints = new java.util.concurrent.ConcurrentHashMap<>();
    private String beanName;
    private DataSource original;
    private SwitchingDataSource wrapped;
    private volatile StateManager manager;
    private volatile String failure;
    private ShutdownCleanup.Registration cleanup;

    ManagedDatabase(SpringSettings settings, String testClass) {
        this.settings = settings;
        this.testClass = testClass;
    }

    SpringSettings settings() {
        return settings;
    }

    String testClass() {
        return testClass;
    }

    /** The DataSource beans the context made, for the message when the named one is not among them. */
    private final java.util.Set<String> dataSourcesSeen = new java.util.TreeSet<>();

    /** Notes that the context made DataSource bean {@code name} ({@link DataSourceWrapping} decides which one is used). */
    synchronized void seen(String name) {
        dataSourcesSeen.add(name);
    }

    /** The DataSource bean {@link DataSourceWrapping} chose, with its wrapper (null when nothing is wrapped). */
    synchronized void found(String name, DataSource ds, SwitchingDataSource wrapper) {
        this.beanName = name;
        this.original = ds;
        this.wrapped = wrapper;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (original == null) {
            String others = "";
            if (!settings.dataSource().isEmpty()) {
                synchronized (this) {
                    others = dataSourcesSeen.isEmpty() ? " (it has none)" : " (its DataSource beans: " + String.join(", ", dataSourcesSeen)
                            + io.venomqa.core.DidYouMean.nearest(settings.dataSource(), dataSourcesSeen)
                                    .map(n -> "; did you mean '" + n + "'?").orElse("") + ")";
                }
            }
            throw new IllegalStateException("VenomQA found no DataSource bean" + (settings.dataSource().isEmpty() ? ""
                    : " named '" + settings.dataSource() + "'") + " in the application context of " + testClass + others
                    + ". @VenomQASpringTest works with the application's own JDBC DataSource: check spring.datasource.url"
                    + (settings.dataSource().isEmpty() ? "" : " and the bean name") + ".");
        }
        DataSourceCoordinates where = DataSourceCoordinates.of(original);
        // The DataSource's coordinates first; the annotation's options, then the -Dvenomqa.* properties, over them.
        StateConfig.Builder b = StateConfig.builder().url(where.url());
        if (where.user() != null) {
            b.option("user", where.user());
        }
        if (where.password() != null) {
            b.option("password", where.password());
        }
        if (where.schema() != null && !where.url().startsWith("jdbc:mysql:") && !where.url().startsWith("jdbc:mariadb:")) {
            b.option("schema", where.schema()); // on MySQL/MariaDB the schema is the URL's database
        }
        StateConfig layered;
        try {
            layered = settings.config(where.url()).toStateConfig();
        } catch (ConfigException e) {
            throw new IllegalStateException("VenomQA's settings for the application context of " + testClass + " are not valid: "
                    + e.getMessage(), e);
        }
        b.tablesToReset(layered.tablesToReset()).excludeTables(layered.excludeTables());
        layered.options().forEach(b::option);
        for (String ignored : SpringSettings.NOT_APPLIED) {
            if (settings.properties().containsKey(ignored)) {
                LOG.warn("VenomQA: -D{} does not apply to the @VenomQASpringTest context of {}: its database is the application's "
                        + "DataSource and its base URL the application's server.", ignored, testClass);
            }
        }
        StateManager m;
        try {
            m = StateManagers.create(b.build());
        } catch (RuntimeException e) {
            throw new IllegalStateException("VenomQA cannot make a state manager for the application's DataSource ("
                    + where + ") in the context of " + testClass + ": " + CredentialMasker.maskText(e.getMessage(), where.password()), e);
        }
        if (settings.wraps() && !(m instanceof JdbcStateManager)) {
            throw new IllegalStateException("The " + m.backendName() + " backend cannot share its connection with the "
                    + "application; use @VenomQASpringTest(checkpointStrategy = \"journal\") or a SQL database.");
        }
        m.connect();
        manager = m;
        // Spring keeps cached test contexts open until the JVM exits: only a test under way makes that an interruption.
        cleanup = ShutdownCleanup.register(m, "the Spring application context of " + testClass, () -> runningTest.get() != null);
        if (wrapped != null) {
            openAt = place(where);
            // Contexts that need no start-up DDL may share a schema (Flyway's migrations ran once): keep them all.
            OPEN_TRANSACTIONS.computeIfAbsent(openAt, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(testClass);
            wrapped.switchTo(((JdbcStateManager) m).sharedDataSource());
        }
        LOG.info("VenomQA: {} strategy on {} (DataSource bean '{}'{})", settings.checkpointStrategy(), where, beanName,
                wrapped != null ? ", wrapped" : ", not wrapped");
    }

    /** The key of {@link #OPEN_TRANSACTIONS}: a database and schema. */
    static String place(DataSourceCoordinates where) {
        return where.url() + " schema " + where.schema();
    }

    /**
     * The test class whose context's savepoint manager holds an open transaction on {@code where}'s database and
     * schema in this JVM, if any.
     */
    static java.util.Optional<String> openTransactionAt(DataSourceCoordinates where) {
        return java.util.Optional.ofNullable(OPEN_TRANSACTIONS.get(place(where))).flatMap(v -> v.stream().findFirst());
    }

    /** Whether some context's savepoint manager in this JVM holds an open transaction. */
    static boolean anyOpenTransaction() {
        return !OPEN_TRANSACTIONS.isEmpty();
    }

    /** The connected manager. */
    public StateManager manager() {
        StateManager m = manager;
        if (m == null) {
            throw new IllegalStateException("VenomQA's state manager for this application context is not connected"
                    + (failure == null ? "" : ": " + failure) + ".");
        }
        return m;
    }

    /**
     * Takes the context's one slot for the test class {@code test}: classes of one context share a
     * manager and its checkpoints, so two at the same time would roll back each other's rows.
     */
    public void enter(String test) {
        if (!runningTest.compareAndSet(null, test)) {
            throw new IllegalStateException("VenomQA runs the test classes of one Spring application context one at a "
                    + "time, but " + test + " started while " + runningTest.get() + " was still running: they share the "
                    + "application's database transaction. Run these classes one after the other (JUnit's "
                    + "@Execution(ExecutionMode.SAME_THREAD) or a shared @ResourceLock) or give them different contexts.");
        }
    }

    /**
     * Sets the running test method's checkpoint ({@code null} once it is given back) and returns the one
     * before. The JUnit extension checks that one was taken: Spring skips {@code VenomQATestExecutionListener}
     * for a class that replaces the default listeners.
     */
    public Checkpoints.Held methodCheckpoint(Checkpoints.Held held) {
        return methodCheckpoint.getAndSet(held);
    }

    /** The running test method's checkpoint, or {@code null}. */
    public Checkpoints.Held methodCheckpoint() {
        return methodCheckpoint.get();
    }

    /**
     * Sets the checkpoint of the running test class {@code testClass} (a top-level class or one nested in it;
     * {@code null} once it is given back) and returns the one before.
     */
    public Checkpoints.Held classCheckpoint(String testClass, Checkpoints.Held held) {
        return held == null ? classCheckpoints.remove(testClass) : classCheckpoints.put(testClass, held);
    }

    /** The name of the test class that holds the slot, or {@code null}. */
    public String runningClass() {
        return runningTest.get();
    }

    /** Gives the slot back. */
    public void exit(String test) {
        runningTest.compareAndSet(test, null);
    }

    /** Disconnects: the database is left as the context found it after its migrations. */
    @Override
    public void destroy() {
        StateManager m = manager;
        manager = null;
        failure = "the application context was closed";
        if (m == null) {
            return;
        }
        if (cleanup != null) {
            cleanup.close();
        }
        try {
            m.disconnect();
        } finally {
            if (openAt != null) {
                OPEN_TRANSACTIONS.computeIfPresent(openAt, (k, v) -> {
                    v.remove(testClass);
                    return v.isEmpty() ? null : v;
                });
            }
        }
    }
}
