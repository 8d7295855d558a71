package io.venomqa.explore;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.logging.Logger;

/**
 * The application's own connections, kept open between calls as a real application's pool keeps
 * them: opening a PostgreSQL connection per call cost more than the rest of a move together.
 * {@code close()} on a handed-out connection returns it (in auto-commit); {@link #close()} closes all.
 */
final class ConnectionPool implements DataSource, AutoCloseable {

    /** Opens a new connection. */
    interface Opener {
        Connection open() throws SQLException;
    }

    private final Opener opener;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private final List<Connection> all = new ArrayList<>();

    ConnectionPool(Opener opener) {
        this.opener = opener;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c;
        synchronized (this) {
            c = idle.pollFirst();
        }
        if (c == null) {
            c = opener.open();
            synchronized (this) {
                all.add(c);
            }
        }
        Connection real = c;
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        if (!real.getAutoCommit()) {
                            real.rollback();
                            real.setAutoCommit(true);
                        }
                        synchronized (this) {
                            idle.addFirst(real);
                        }
                        return null;
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public synchronized void close() throws SQLException {
        for (Connection c : all) {
            c.close();
        }
        all.clear();
        idle.clear();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
