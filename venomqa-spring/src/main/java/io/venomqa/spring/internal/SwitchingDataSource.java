package io.venomqa.spring.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * What the context holds in place of the application's DataSource bean (savepoint strategy). While the
 * context starts it hands out the application's own connections, so migrations and
 * {@code spring.sql.init} commit for good; from {@link #switchTo} on it hands out the manager's shared
 * connections, so everything the application does afterwards happens in VenomQA's transaction.
 * {@link #close()} closes the application's pool when the context destroys the bean. Not API.
 */
public final class SwitchingDataSource implements DataSource, AutoCloseable {

    private final DataSource original;
    private final String beanName;
    private volatile DataSource current;

    SwitchingDataSource(DataSource original, String beanName) {
        this.original = original;
        this.beanName = beanName;
        this.current = original;
    }

    /** The application's own DataSource (its pool). */
    public DataSource original() {
        return original;
    }

    String beanName() {
        return beanName;
    }

    /** From now on, connections come from {@code target}. */
    void switchTo(DataSource target) {
        this.current = target;
    }

    /** Whether connections come from VenomQA's manager now. */
    public boolean switched() {
        return current != original;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return current.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return current == original ? original.getConnection(username, password) : current.getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return original.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        original.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        original.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return original.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return original.getParentLogger();
    }

    /** The application's pool stays reachable for tools that look for it (Boot's pool metrics, health). */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        if (iface.isInstance(original)) {
            return iface.cast(original);
        }
        return original.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || iface.isInstance(original) || original.isWrapperFor(iface);
    }

    /** Called by the context when it destroys the bean: closes the application's pool, as it would have. */
    @Override
    public void close() throws Exception {
        if (original instanceof AutoCloseable c) {
            c.close();
        }
    }

    @Override
    public String toString() {
        return "VenomQA-wrapped DataSource '" + beanName + "' (" + (switched() ? "in VenomQA's transaction" : "application pool")
                + ") over " + original;
    }
}
