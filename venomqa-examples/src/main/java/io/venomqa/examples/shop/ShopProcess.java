package io.venomqa.examples.shop;

import javax.sql.DataSource;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The shop API as a separate process, the way a real service runs: its own JVM, its own pool of
 * four connections, every request committed by the shop itself, so only the {@code journal}
 * checkpoint strategy can undo its writes. Prints {@code PORT <n>} once it listens and serves
 * until it is killed. {@link #start} launches it from another JVM.
 *
 * <p>Arguments: JDBC URL, user, and optionally the port (default: a free one).
 */
public final class ShopProcess implements AutoCloseable {

    private final Process process;
    private final String baseUrl;

    private ShopProcess(Process process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    public static void main(String[] args) throws Exception {
        ShopApp shop = ShopApp.start(new Pool(args[0], args[1], 4), args.length > 2 ? Integer.parseInt(args[2]) : 0);
        System.out.println("PORT " + shop.baseUrl().substring(shop.baseUrl().lastIndexOf(':') + 1));
        System.out.flush();
        Thread.currentThread().join(); // serve until killed
    }

    /**
     * The command that runs the shop in a new JVM on this JVM's class path with {@code args} (JDBC URL, user,
     * optionally the port; a {@code WorkerCommand}'s placeholders such as {@code ${port}} are fine). The JVM options
     * in the system property {@code venomqa.test.child_jvm_options} come first when it is set: the build sets it in
     * its tests, whose many short-lived shop JVMs start faster on C1 alone.
     */
    public static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        String options = System.getProperty("venomqa.test.child_jvm_options", "").trim();
        if (!options.isEmpty()) {
            cmd.addAll(List.of(options.split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ShopProcess.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Starts the shop in a new JVM on this JVM's class path, over {@code jdbcUrl} as {@code user},
     * and waits until it listens.
     *
     * @throws IOException when the process ends before it listens (its output is in the message)
     */
    public static ShopProcess start(String jdbcUrl, String user) throws IOException {
        Process p = new ProcessBuilder(command(jdbcUrl, user)).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder output = new StringBuilder();
        String line;
        while ((line = r.readLine()) != null && !line.startsWith("PORT ")) {
            output.append(line).append('\n'); // log lines of the child JVM
        }
        if (line == null) {
            p.destroyForcibly();
            throw new IOException("The shop process ended before it listened:\n" + output);
        }
        // Keep draining its output so the child never blocks on a full pipe.
        Thread drain = new Thread(() -> r.lines().forEach(l -> { }), "shop-process-output");
        drain.setDaemon(true);
        drain.start();
        return new ShopProcess(p, "http://127.0.0.1:" + line.substring(5).trim());
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** Kills the shop's JVM and waits for it to end. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
