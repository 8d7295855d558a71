package io.venomqa.explore;

import io.venomqa.state.StateConfig;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A database or schema of one test's own, with a random name, dropped by {@link #close()}; an
 * unreachable server fails with a message saying so, never skips.
 */
abstract class TestDb implements AutoCloseable {

    static final String PG_HOST = "127.0.0.1:5432";
    static final String MYSQL_HOST = "127.0.0.1:3306";

    final String name = "vqx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    /** The manager's configuration (backend, URL, schema), without a checkpoint strategy. */
    abstract StateConfig.Builder config();

    /** A new auto-commit connection to the test's database or schema. */
    abstract Connection connect() throws SQLException;

    @Override
    public abstract void close() throws Exception;

    void exec(String... sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    /** Rows of {@code query} as {@code a|b} strings, read on a connection of its own (what is committed). */
    List<String> rows(String query) throws SQLException {
        return rows(this::connect, query);
    }

    /** Rows of {@code query} as {@code a|b} strings, read on a connection {@code opener} gives. */
    static List<String> rows(ConnectionPool.Opener opener, String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = opener.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                List<String> cells = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    cells.add(String.valueOf(rs.getObject(i)));
                }
                out.add(String.join("|", cells));
            }
        }
        return out;
    }

    /** A pool of plain connections of the application's own (not the manager's); close it before {@link #close()}. */
    ConnectionPool ownDataSource() {
        return new ConnectionPool(this::connect);
    }

    static TestDb h2() {
        return new TestDb() {
            final String url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";

            @Override
            StateConfig.Builder config() {
                return StateConfig.builder().backend("h2").url(url);
            }

            @Override
            Connection connect() throws SQLException {
                return DriverManager.getConnection(url);
            }

            @Override
            public void close() throws SQLException {
                exec("shutdown");
            }
        };
    }

    static TestDb sqlite() {
        return new TestDb() {
            final Path file = Path.of("target", name + ".db").toAbsolutePath();

            @Override
            StateConfig.Builder config() {
                return StateConfig.builder().backend("sqlite").url("sqlite:///" + file);
            }

            @Override
            Connection connect() throws SQLException {
                return DriverManager.getConnection("jdbc:sqlite:" + file);
            }

            @Override
            public void close() throws Exception {
                Files.deleteIfExists(file);
            }
        };
    }

    /** A schema of its own in database {@code test}. */
    static TestDb postgres() {
        TestDb db = new TestDb() {
            @Override
            StateConfig.Builder config() {
                return StateConfig.builder().backend("postgresql").url("postgresql://postgres@" + PG_HOST + "/test")
                        .option("schema", name);
            }

            @Override
            Connection connect() throws SQLException {
                Properties p = new Properties();
                p.setProperty("user", "postgres");
                p.setProperty("currentSchema", name);
                return DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + "/test", p);
            }

            @Override
            public void close() throws SQLException {
                pgAdmin("drop schema if exists " + name + " cascade", "test");
            }
        };
        pgAdmin("create schema " + db.name, "test");
        return db;
    }

    /**
     * A database of its own: the journal's shared {@code venomqa} schema is then this test's alone, so
     * other code versions running on the same server cannot replace its trigger functions.
     */
    static TestDb postgresOwnDatabase() {
        TestDb db = new TestDb() {
            @Override
            StateConfig.Builder config() {
                return StateConfig.builder().backend("postgresql").url("postgresql://postgres@" + PG_HOST + "/" + name);
            }

            @Override
            Connection connect() throws SQLException {
                return DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + "/" + name, "postgres", null);
            }

            @Override
            public void close() throws SQLException {
                pgAdmin("drop database if exists " + name + " with (force)", "test");
            }
        };
        pgAdmin("create database " + db.name, "test");
        return db;
    }

    private static void pgAdmin(String sql, String database) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + "/" + database, "postgres", null);
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError("These tests need PostgreSQL at " + PG_HOST + " (user postgres, database test) and it "
                    + "did not answer: " + e.getMessage(), e);
        }
    }

    static TestDb mariadb() {
        TestDb db = new TestDb() {
            @Override
            StateConfig.Builder config() {
                return StateConfig.builder().backend("mysql").url("mysql://root@" + MYSQL_HOST + "/" + name);
            }

            @Override
            Connection connect() throws SQLException {
                return DriverManager.getConnection("jdbc:mysql://" + MYSQL_HOST + "/" + name, "root", "");
            }

            @Override
            public void close() throws SQLException {
                mysqlAdmin("drop database if exists " + name);
            }
        };
        mysqlAdmin("create database " + db.name + " character set utf8mb4");
        return db;
    }

    private static void mysqlAdmin(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:mysql://" + MYSQL_HOST + "/", "root", "");
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError("These tests need MariaDB/MySQL at " + MYSQL_HOST + " (user root, empty password) and "
                    + "it did not answer: " + e.getMessage(), e);
        }
    }
}
