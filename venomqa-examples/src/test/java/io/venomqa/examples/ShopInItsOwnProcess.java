package io.venomqa.examples;

import io.venomqa.examples.shop.ShopApp;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.logging.Logger;

/**
 * The shop API as a separate process, the way a real service runs: its own JVM, its own pool of
 * four connections, every request committed by the shop itself. Started by
 * {@link CheckoutJournalSeparateProcessTest}; prints {@code PORT <n>} and serves until killed.
 *
 * <p>Arguments: JDBC URL, user.
 */
public final class ShopInItsOwnProcess {

    private ShopInItsOwnProcess() {
    }

    public static void main(String[] args) throws Exception {
        ShopApp shop = ShopApp.start(new Pool(args[0], args[1], 4), 0);
        System.out.println("PORT " + shop.baseUrl().substring(shop.baseUrl().lastIndexOf(':') + 1));
        System.out.flush();
        Thread.currentThread().join(); // serve until the test kills this JVM
    }

    /** A minimal fixed-size pool: close() hands the connection back, rolled back and in auto-commit. */
    static final class Pool implements DataSource {
        private final BlockingQueue<Connection> idle;

        Pool(String url, String user, int size) throws SQLException {
            Properties p = new Properties();
            p.setProperty("user", user);
            idle = new ArrayBlockingQueue<>(size);
            for (int i = 0; i < size; i++) {
                idle.add(DriverManager.getConnection(url, p));
            }
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection real;
            try {
                real = idle.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for a pooled connection", e);
            }
            boolean[] closed = {false};
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, margs) -> {
                        if (method.getName().equals("close")) {
                            if (!closed[0]) {
                                closed[0] = true;
                                if (!real.getAutoCommit()) {
                                    real.rollback();
                                    real.setAutoCommit(true);
                                }
                                idle.add(real);
                            }
                            return null;
                        }
                        if (method.getName().equals("isClosed")) {
                            return closed[0];
                        }
                        try {
                            return method.invoke(real, margs);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
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
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
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
}
