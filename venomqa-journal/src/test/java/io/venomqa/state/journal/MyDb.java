package io.venomqa.state.journal;

import io.venomqa.state.StateConfig;
import io.venomqa.state.mysql.MySQLStateManager;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * A database of its own on the test MariaDB/MySQL server (127.0.0.1:3306, root, empty password),
 * dropped by {@link #close()}. Unreachable: fails with a message saying so, never skips.
 */
final class MyDb implements JournalDb {

    static final String HOST = "127.0.0.1";
    static final int PORT = 3306;
    static final String USER = "root";

    final String name = "vqj_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    MyDb() {
        try (Connection c = DriverManager.getConnection(jdbc(""), props()); Statement st = c.createStatement()) {
            st.execute("create database `" + name + "` character set utf8mb4");
        } catch (SQLException e) {
            throw new AssertionError("The journal tests need MariaDB/MySQL at " + HOST + ":" + PORT + " (user " + USER
                    + ", empty password) and none is reachable: " + e.getMessage(), e);
        }
    }

    static String jdbc(String db) {
        return "jdbc:mysql://" + HOST + ":" + PORT + "/" + db + "?useUnicode=true&characterEncoding=UTF-8";
    }

    static Properties props() {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("password", "");
        return p;
    }

    String url() {
        return "mysql://" + USER + "@" + HOST + ":" + PORT + "/" + name;
    }

    @Override
    public StateConfig.Builder config() {
        return StateConfig.builder().backend("mysql").url(url()).option("checkpoint_strategy", "journal");
    }

    @Override
    public MySQLStateManager manager() {
        return new MySQLStateManager(config().build());
    }

    @Override
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbc(name), props());
    }

    /** Runs SQL in the mariadb command-line client: another process with its own connection. */
    String cli(String sql) {
        return Cli.run(List.of("mariadb", "-h", HOST, "-P", String.valueOf(PORT), "-u", USER,
                "--default-character-set=utf8mb4", "-N", "-B", name), sql);
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc(""), props()); Statement st = c.createStatement()) {
            st.execute("drop database if exists `" + name + "`");
        }
    }
}
