package io.venomqa.state.jdbc.internal;

import io.venomqa.state.jdbc.spi.JdbcDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The DataSource behind {@code JdbcStateManager.sharedDataSource()}: every connection it hands out
 * is a proxy over the manager's one connection, so the application's writes happen inside the
 * manager's transaction and are undone by its rollbacks. See the Javadoc of
 * {@code sharedDataSource()} for the mapping of commit, rollback and close. Not API.
 */
public final class SharedDataSource implements DataSource {

    private static final Logger LOG = LoggerFactory.getLogger(SharedDataSource.class);

    /** What the data source needs from its manager. */
    public interface Host {
        /** The manager's connection, or an SQLException saying why there is none (not connected, lost). */
        Connection currentConnection() throws SQLException;

        /** Number of the current session; changes on every connect and disconnect. */
        long sessionNumber();

        ConnectionLock lock();

        Duration lockWait();

        /** Whether a failed statement aborts the whole transaction (PostgreSQL). */
        boolean guardStatements();

        /**
         * Runs an application statement so that its failure undoes it alone and leaves the manager's
         * transaction usable (called where {@link #guardStatements()}); the dialect's way of doing it.
         */
        <T> T runGuarded(Connection real, boolean batch, JdbcDialect.GuardedStatement<T> statement) throws SQLException;

        /** The application's commit of a unit of work that began at {@code unit}: the dialect's way of doing it. */
        void commitUnit(Connection real, Savepoint unit) throws SQLException;

        /** How the database writes literals and comments, for reading the application's SQL text. */
        SharedStatementGuard.Syntax sqlSyntax();

        /**
         * The application sent a statement that may change the session's settings ({@code SET …}):
         * the strategy reads them again before its next checkpoint or rollback, to put them back.
         */
        void settingsMayChange();

        /** Why shared connections cannot be used at all (strategy without sharing), or {@code null}. */
        String unsupportedReason();

        String description();
    }

    private final Host host;
    private final AtomicLong unitCounter = new AtomicLong();
    private PrintWriter logWriter;
    private int loginTimeout;

    public SharedDataSource(Host host) {
        this.host = host;
    }

    @Override
    public Connection getConnection() throws SQLException {
        String unsupported = host.unsupportedReason();
        if (unsupported != null) {
            throw new SQLException(unsupported, "08003");
        }
        long session = host.sessionNumber();
        Connection real = host.currentConnection();
        long hold;
        try {
            hold = host.lock().acquire(host.lockWait());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while waiting for the shared VenomQA connection", "08001", e);
        }
        if (hold < 0) {
            Thread owner = host.lock().owner();
            throw new SQLException("Timed out after " + ConnectionLock.describe(host.lockWait()) + " waiting for the shared "
                    + "VenomQA connection, held by thread '" + (owner == null ? "?" : owner.getName())
                    + "'. Every connection from sharedDataSource() holds the one database connection until it is "
                    + "closed: close connections after each unit of work, and do not put a connection pool in front "
                    + "of sharedDataSource(). A test that keeps one open while it calls the application waits for itself: "
                    + "in Spring, a @Transactional test method holds it for the whole test; leave @Transactional off "
                    + "(VenomQA rolls back after each test anyway).", "08001");
        }
        if (session != host.sessionNumber()) {
            host.lock().release(hold);
            throw new SQLException("The VenomQA session ended while waiting for the shared connection", "08003");
        }
        Handle handle = new Handle(real, session, hold);
        return (Connection) Proxy.newProxyInstance(SharedDataSource.class.getClassLoader(),
                new Class<?>[]{Connection.class}, handle);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        // There is only the manager's connection; its credentials are the ones that count.
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("VenomQA logs through SLF4J");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("Not a wrapper of " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "VenomQA shared DataSource[" + host.description() + "]";
    }

    /** One application connection: a view of the manager's connection with its own unit of work. */
    private final class Handle implements InvocationHandler {
        private final Connection real;
        private final long session;
        private final long hold;
        private boolean closed;
        private boolean autoCommit = true;
        private boolean readOnly;
        /**
         * Savepoint marking the start of the current unit of work (manual-commit mode only), set
         * lazily by the unit's first statement or savepoint: a transaction that runs nothing costs
         * nothing, and one that does costs one SAVEPOINT and one RELEASE (Spring's
         * setAutoCommit(false) … commit() … setAutoCommit(true) was six round trips of guards).
         */
        private Savepoint unit;
        private Connection self;

        Handle(Connection real, long session, long hold) {
            this.real = real;
            this.session = session;
            this.hold = hold;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            self = (Connection) proxy;
            String name = method.getName();
            switch (name) {
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "VenomQA shared connection[" + host.description() + (closed ? ", closed" : "") + "]";
                case "close":
                case "abort":
                    close();
                    return null;
                case "isClosed":
                    return closed || session != host.sessionNumber() || real.isClosed();
                case "isValid":
                    return !closed && session == host.sessionNumber() && real.isValid(args == null ? 0 : (Integer) args[0]);
                case "unwrap":
                    if (((Class<?>) args[0]).isInstance(proxy)) {
                        return proxy;
                    }
                    return real.unwrap((Class<?>) args[0]);
                case "isWrapperFor":
                    return ((Class<?>) args[0]).isInstance(proxy) || real.isWrapperFor((Class<?>) args[0]);
                default:
                    break;
            }
            ensureOpen();
            switch (name) {
                case "getAutoCommit":
                    return autoCommit;
                case "setAutoCommit":
                    setAutoCommit((Boolean) args[0]);
                    return null;
                case "commit":
                    commit();
                    return null;
                case "rollback":
                    if (args == null || args.length == 0) {
                        rollback();
                        return null;
                    }
                    refuseSavepointInAutoCommit("roll back to a savepoint");
                    real.rollback((Savepoint) args[0]);
                    return null;
                case "releaseSavepoint":
                    refuseSavepointInAutoCommit("release a savepoint");
                    break;
                case "setSavepoint":
                    refuseSavepointInAutoCommit("establish a savepoint");
                    if (args != null && args.length == 1) {
                        SharedStatementGuard.checkSavepointName((String) args[0]);
                    }
                    // The application's savepoint lies inside its unit, so the unit must begin first.
                    beginUnit();
                    break;
                case "prepareStatement":
                case "prepareCall":
                    // The text is fixed from here on: read it once, not at every execution.
                    // The manager waits for this connection's close before a checkpoint or rollback, so a
                    // statement prepared here runs before the strategy looks at the settings.
                    if (SharedStatementGuard.check((String) args[0], host.sqlSyntax())) {
                        host.settingsMayChange();
                    }
                    break;
                case "setTransactionIsolation":
                    // The isolation belongs to the manager's transaction, which is already running.
                    if ((Integer) args[0] != real.getTransactionIsolation()) {
                        LOG.debug("Ignoring setTransactionIsolation({}) on a shared VenomQA connection", args[0]);
                    }
                    return null;
                case "setReadOnly":
                    readOnly = (Boolean) args[0];
                    return null;
                case "isReadOnly":
                    return readOnly;
                case "setCatalog":
                case "setSchema":
                    LOG.debug("Ignoring {}({}) on a shared VenomQA connection: it would move the manager too", name, args[0]);
                    return null;
                default:
                    break;
            }
            Object result = delegate(real, method, args);
            if (result instanceof Array && name.equals("createArrayOf")) {
                return wrapped(result, method, args, this, null);
            }
            if (result instanceof DatabaseMetaData metaData && name.equals("getMetaData")) {
                // Its getConnection() would hand out the manager's connection itself, whose commit() is a real one.
                return Proxy.newProxyInstance(SharedDataSource.class.getClassLoader(), new Class<?>[]{DatabaseMetaData.class},
                        new MetaDataHandler(metaData, this));
            }
            if (result instanceof Statement statement && (name.equals("createStatement")
                    || name.equals("prepareStatement") || name.equals("prepareCall"))) {
                Class<?> iface = name.equals("prepareCall") ? CallableStatement.class
                        : name.equals("prepareStatement") ? PreparedStatement.class : Statement.class;
                return statement(statement, iface);
            }
            return result;
        }

        /** {@code real} behind a proxy of {@code iface} whose getConnection() is this shared connection. */
        Statement statement(Statement real, Class<?> iface) {
            return (Statement) Proxy.newProxyInstance(SharedDataSource.class.getClassLoader(), new Class<?>[]{iface},
                    new StatementHandler(real, this));
        }

        private void ensureOpen() throws SQLException {
            if (closed) {
                throw new SQLException("This shared VenomQA connection is closed", "08003");
            }
            if (session != host.sessionNumber()) {
                throw new SQLException("This shared VenomQA connection belongs to a session that has ended "
                        + "(the state manager was disconnected); get a new one from sharedDataSource()", "08003");
            }
        }

        /**
         * In auto-commit mode there is no transaction of the application's for a savepoint to live in:
         * pgjdbc refuses all three calls (25P01) and the JDBC Javadoc of setSavepoint and rollback(Savepoint)
         * says so. Here the call would reach the manager's transaction instead (a savepoint left in it,
         * or a rollback past the run's checkpoints), so it is refused on every database.
         */
        private void refuseSavepointInAutoCommit(String what) throws SQLException {
            if (autoCommit) {
                throw new SQLException("Cannot " + what + " in auto-commit mode: call setAutoCommit(false) first. "
                        + "(This VenomQA shared connection emulates auto-commit inside the run's transaction, so a "
                        + "savepoint here would act on the run's transaction, not the application's.)", "25000");
            }
        }

        private void setAutoCommit(boolean on) throws SQLException {
            if (on == autoCommit) {
                return;
            }
            if (on) {
                // JDBC: switching auto-commit on commits the unit in progress.
                commit();
                autoCommit = true;
            } else {
                autoCommit = false; // the unit begins with its first statement (beginUnit)
            }
        }

        /** Sets the unit's savepoint before its first statement, in manual-commit mode. */
        void beginUnit() throws SQLException {
            if (!autoCommit && unit == null) {
                unit = real.setSavepoint("venomqa_app_" + unitCounter.incrementAndGet());
            }
        }

        /** The application's commit: the unit's savepoint is released (its writes join the manager's transaction). */
        private void commit() throws SQLException {
            if (autoCommit || unit == null) {
                return; // every statement already stands on its own, as a driver's commit in auto-commit mode would
            }
            Savepoint committed = unit;
            unit = null; // the next unit begins with its first statement
            try {
                host.commitUnit(real, committed);
            } catch (SQLException e) {
                // PostgreSQL refuses the release when a statement of the unit failed, or a deferred constraint
                // does not hold; undo the unit as the server would.
                try {
                    real.rollback(committed);
                    real.releaseSavepoint(committed);
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                // The server's own SQLState and code, as its COMMIT would report them: a deferred foreign key is
                // 23503, which frameworks map to a constraint violation (Spring: DataIntegrityViolationException),
                // not to the transient failure a generic 40000 would suggest.
                throw new SQLException("The unit of work could not be committed and was rolled back: " + e.getMessage(),
                        e.getSQLState() != null ? e.getSQLState() : "40000", e.getErrorCode(), e);
            }
        }

        /** The application's rollback: back to the savepoint taken when its unit began, nothing earlier. */
        private void rollback() throws SQLException {
            if (autoCommit || unit == null) {
                return;
            }
            real.rollback(unit); // the savepoint survives and marks the start of the next unit
        }

        private void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (session == host.sessionNumber() && unit != null) {
                    // JDBC leaves an uncommitted unit at close to the driver; pools roll it back, so do we.
                    real.rollback(unit);
                    real.releaseSavepoint(unit);
                }
            } catch (SQLException e) {
                LOG.debug("Could not roll back an unfinished unit of work on close: {}", e.getMessage());
            } finally {
                unit = null;
                host.lock().release(hold);
            }
        }

        Connection self() {
            return self;
        }

        boolean guardNeeded() {
            return autoCommit && host.guardStatements();
        }

        Connection real() {
            return real;
        }
    }

    /**
     * Wraps statements so that getConnection() returns the shared proxy and, where needed, failures
     * stay local; the result sets they return answer getStatement() with this proxy.
     */
    private final class StatementHandler implements InvocationHandler {
        private final Statement real;
        private final Handle handle;

        StatementHandler(Statement real, Handle handle) {
            this.real = real;
            this.handle = handle;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object result = call(proxy, method, args);
            // executeQuery, getResultSet, getGeneratedKeys, a cursor from getObject: their getStatement() is this
            // proxy; an array OUT parameter is wrapped too.
            return wrapped(result, method, args, handle, (Statement) proxy);
        }

        private Object call(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            Object answered = answerAsWrapper(proxy, real, handle, "statement", method, args);
            if (answered != NOT_ANSWERED) {
                return answered;
            }
            if (name.startsWith("execute") || name.equals("addBatch")) {
                // A closed connection's statement would run on the manager's connection without holding its lock.
                handle.ensureOpen();
                if (args != null && args.length > 0 && args[0] instanceof String sql) {
                    // Transaction control sent as text would end the manager's transaction without the proxy knowing.
                    if (SharedStatementGuard.check(sql, host.sqlSyntax())) {
                        host.settingsMayChange();
                    }
                }
                if (name.equals("addBatch")) {
                    return delegate(real, method, args);
                }
                handle.beginUnit();
                if (handle.guardNeeded()) {
                    // In auto-commit mode every statement is its own unit: a failure must not abort the
                    // manager's transaction (PostgreSQL would refuse everything after it).
                    boolean batch = name.equals("executeBatch") || name.equals("executeLargeBatch");
                    return host.runGuarded(handle.real(), batch, () -> invokeStatement(real, method, args));
                }
            }
            return delegate(real, method, args);
        }
    }

    /** Wraps the connection's metadata so that {@code getConnection()} returns the shared proxy, not the manager's connection. */
    private static final class MetaDataHandler implements InvocationHandler {
        private final DatabaseMetaData real;
        private final Handle handle;

        MetaDataHandler(DatabaseMetaData real, Handle handle) {
            this.real = real;
            this.handle = handle;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object answered = answerAsWrapper(proxy, real, handle, "metadata", method, args);
            if (answered != NOT_ANSWERED) {
                return answered;
            }
            Object result = delegate(real, method, args);
            // getTables, getColumns, …: pgjdbc's and SQLite's answer getStatement() with a statement of the manager's connection.
            return wrapped(result, method, args, handle, null);
        }
    }

    /**
     * Wraps a result set so that {@code getStatement()} never leads to the manager's connection: it
     * answers the shared statement that made it, or, for a result set no statement of the application's
     * made (metadata, a cursor read from a column), the driver's statement wrapped like the application's
     * (null when the driver says null). The only work per call is the method-name switch.
     */
    private static final class ResultSetHandler implements InvocationHandler {
        private final ResultSet real;
        private final Handle handle;
        /** The shared statement answered by getStatement(); null until asked where the driver made the result set. */
        private Statement statement;

        ResultSetHandler(ResultSet real, Handle handle, Statement statement) {
            this.real = real;
            this.handle = handle;
            this.statement = statement;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("getStatement")) {
                return statement();
            }
            Object answered = answerAsWrapper(proxy, real, handle, "result set", method, args);
            if (answered != NOT_ANSWERED) {
                return answered;
            }
            Object result = delegate(real, method, args);
            // getObject of a cursor column (PostgreSQL's refcursor) is a result set of its own.
            return wrapped(result, method, args, handle, null);
        }

        private Statement statement() throws SQLException {
            if (statement == null) {
                Statement driver = real.getStatement();
                if (driver == null) {
                    return null;
                }
                statement = handle.statement(driver, driver instanceof CallableStatement ? CallableStatement.class
                        : driver instanceof PreparedStatement ? PreparedStatement.class : Statement.class);
            }
            return statement;
        }
    }

    /**
     * Wraps an array so that the result sets of its elements ({@code getResultSet}) are wrapped too:
     * pgjdbc's are made by a statement of the manager's connection. Everything else, {@code toString}
     * included, is the driver's: pgjdbc's {@code setArray} sends an array that is not its own as its
     * {@code toString()}, so a wrapped array passed back as a parameter still works.
     */
    private static final class ArrayHandler implements InvocationHandler {
        private final Array real;
        private final Handle handle;

        ArrayHandler(Array real, Handle handle) {
            this.real = real;
            this.handle = handle;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("equals")) {
                return proxy == args[0];
            }
            Object result = delegate(real, method, args);
            return result instanceof ResultSet rs ? resultSet(rs, handle, null) : result;
        }
    }

    /**
     * {@code result} wrapped when it is a result set or an array and the method answers one, unless the
     * caller asked for a class of its own ({@code getObject(i, PgArray.class)}), which a wrapper is not:
     * like {@code unwrap}, that hands out the driver's object. The method's type counts, not the object's:
     * SQLite's {@code ResultSet.getMetaData()} answers the result set itself, as ResultSetMetaData.
     */
    private static Object wrapped(Object result, Method method, Object[] args, Handle handle, Statement statement) {
        Class<?> wrapper = result instanceof ResultSet ? ResultSet.class : result instanceof Array ? Array.class : null;
        if (wrapper == null || !method.getReturnType().isAssignableFrom(wrapper)
                || args != null && args.length > 0 && args[args.length - 1] instanceof Class<?> asked
                && !asked.isAssignableFrom(wrapper)) {
            return result;
        }
        return wrapper == ResultSet.class ? resultSet((ResultSet) result, handle, statement) : array((Array) result, handle);
    }

    private static Array array(Array real, Handle handle) {
        return (Array) Proxy.newProxyInstance(SharedDataSource.class.getClassLoader(), new Class<?>[]{Array.class},
                new ArrayHandler(real, handle));
    }

    /** {@code real} behind a proxy whose getStatement() is {@code statement} (null: the driver's, wrapped, when asked). */
    private static ResultSet resultSet(ResultSet real, Handle handle, Statement statement) {
        return (ResultSet) Proxy.newProxyInstance(SharedDataSource.class.getClassLoader(), new Class<?>[]{ResultSet.class},
                new ResultSetHandler(real, handle, statement));
    }

    /** What {@link #answerAsWrapper} returns for a method it leaves to the caller. */
    private static final Object NOT_ANSWERED = new Object();

    /**
     * The methods the statement, metadata and result set wrappers answer alike: identity, {@code getConnection()}
     * (the shared proxy, never the manager's connection, whose commit would be a real one) and
     * {@code unwrap}; {@link #NOT_ANSWERED} for any other.
     */
    private static Object answerAsWrapper(Object proxy, java.sql.Wrapper real, Handle handle, String kind, Method method,
                                          Object[] args) throws SQLException {
        switch (method.getName()) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "VenomQA shared " + kind + "[" + real + "]";
            case "getConnection":
                return handle.self();
            case "unwrap":
                return ((Class<?>) args[0]).isInstance(proxy) ? proxy : real.unwrap((Class<?>) args[0]);
            case "isWrapperFor":
                return ((Class<?>) args[0]).isInstance(proxy) || real.isWrapperFor((Class<?>) args[0]);
            default:
                return NOT_ANSWERED;
        }
    }

    /** A statement's {@code execute…} call: it can only throw SQLException or unchecked exceptions. */
    private static Object invokeStatement(Statement target, Method method, Object[] args) throws SQLException {
        try {
            return delegate(target, method, args);
        } catch (SQLException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new SQLException(t);
        }
    }

    private static Object delegate(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
