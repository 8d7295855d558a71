package io.venomqa.reliability;

import io.venomqa.state.StateConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * A schema (PostgreSQL) or database (MariaDB/MySQL) of its own with a random name on the shared test
 * server, dropped by {@link #close()}. The servers are those of DESIGN.md: PostgreSQL at
 * 127.0.0.1:5432 (postgres, trust, database test) and MariaDB at 127.0.0.1:3306 (root, empty
 * password). Unreachable: the constructor fails with a message saying so; tests never skip.
 */
abstract class TestDb implements AutoCloseable {

    @Override
    public abstract void close() throws SQLException;

    final String name = "vqr_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    /** PostgreSQL, a schema of its own in database {@code test}. */
    static TestDb postgres() {
        return new Pg();
    }

    /** MariaDB/MySQL, a database of its own. */
    static TestDb mysql() {
        return new My();
    }

    /** The VenomQA URL of the test database ({@code host} instead of 127.0.0.1). */
    abstract String url(String host);

    String url() {
        return url("127.0.0.1");
    }

    /** Backend name for {@link StateConfig}. */
    abstract String backend();

    /** A config for this database (schema option set on PostgreSQL). */
    abstract StateConfig.Builder config(String host);

    StateConfig.Builder config() {
        return config("127.0.0.1");
    }

    /** A new auto-commit connection working in the test schema: "the application". */
    abstract Connection connect() throws SQLException;

    /** The server's id of a connection, as pg_terminate_backend / KILL want it. */
    abstract long sessionId(Connection c) throws SQLException;

    /** Kills session {@code id} from another connection. */
    abstract void kill(long id) throws SQLException;

    void exec(String... sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    /** Every row of {@code query} as "col=value|col=value". */
    List<String> rows(String query) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            List<String> out = new ArrayList<>();
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    b.append(i > 1 ? "|" : "").append(md.getColumnLabel(i)).append('=').append(rs.getString(i));
                }
                out.add(b.toString());
            }
            return out;
        }
    }

    static final class Pg extends TestDb {
        static final String HOST = "127.0.0.1";

        Pg() {
            try (Connection c = admin(); Statement st = c.createStatement()) {
                st.execute("create schema " + name);
            } catch (SQLException e) {
                throw new AssertionError("These tests need PostgreSQL at 127.0.0.1:5432 (user postgres, trust, database "
                        + "test) and none is reachable: " + e.getMessage(), e);
            }
        }

        static Connection admin() throws SQLException {
            Properties p = new Properties();
            p.setProperty("user", "postgres");
            return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":5432/test", p);
        }

        @Override
        String url(String host) {
            return "postgresql://postgres@" + host + ":5432/test";
        }

        @Override
        String backend() {
            return "postgresql";
        }

        @Override
        StateConfig.Builder config(String host) {
            return StateConfig.builder().backend(backend()).url(url(host)).option("schema", name);
        }

        @Override
        Connection connect() throws SQLException {
            Properties p = new Properties();
            p.setProperty("user", "postgres");
            p.setProperty("currentSchema", name);
            return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":5432/test", p);
        }

        @Override
        long sessionId(Connection c) throws SQLException {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        @Override
        void kill(long id) throws SQLException {
            try (Connection c = admin(); Statement st = c.createStatement()) {
                st.execute("select pg_terminate_backend(" + id + ")");
            }
        }

        @Override
        public void close() throws SQLException {
            try (Connection c = admin(); Statement st = c.createStatement()) {
                st.execute("drop schema if exists " + name + " cascade");
            }
        }
    }

    static final class My extends TestDb {
        My() {
            try (Connection c = DriverManager.getConnection(jdbc(""), props()); Statement st = c.createStatement()) {
                st.execute("create database `" + name + "` character set utf8mb4");
            } catch (SQLException e) {
                throw new AssertionError("These tests need MariaDB/MySQL at 127.0.0.1:3306 (user root, empty password) "
                        + "and none is reachable: " + e.getMessage(), e);
            }
        }

        static String jdbc(String db) {
            return "jdbc:mysql://127.0.0.1:3306/" + db + "?useUnicode=true&characterEncoding=UTF-8";
        }

        static Properties props() {
            Properties p = new Properties();
            p.setProperty("user", "root");
            p.setProperty("password", "");
            return p;
        }

        @Override
        String url(String host) {
            return "mysql://root@" + host + ":3306/" + name;
        }

        @Override
        String backend() {
            return "mysql";
        }

        @Override
        StateConfig.Builder config(String host) {
            return StateConfig.builder().backend(backend()).url(url(host));
        }

        @Override
        Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbc(name), props());
        }

        @Override
        long sessionId(Connection c) throws SQLException {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select connection_id()")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        @Override
        void kill(long id) throws SQLException {
            try (Connection c = DriverManager.getConnection(jdbc(""), props()); Statement st = c.createStatement()) {
                st.execute("KILL " + id);
            }
        }

        @Override
        public void close() throws SQLException {
            try (Connection c = DriverManager.getConnection(jdbc(""), props()); Statement st = c.createStatement()) {
                st.execute("drop database if exists `" + name + "`");
            }
        }
    }
}
