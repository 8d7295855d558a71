package io.venomqa.state.mysql;

import io.venomqa.core.CredentialMasker;
import io.venomqa.state.StateConfig;
import io.venomqa.state.mysql.internal.MySQLConnectionSpec;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A database of one test class's own on the shared MySQL/MariaDB server: {@code venomqa_t_<random>},
 * created by {@link #create()} and dropped by {@link #close()}, because the server keeps what
 * earlier runs left behind.
 *
 * <p>The server comes from {@code VENOMQA_TEST_MYSQL_URL} when set, else the MariaDB every
 * development and CI machine runs on 127.0.0.1:3306 (user root, empty password). When neither is
 * reachable, {@link #create()} fails with a message that says what is missing: these tests never
 * skip.
 */
final class MySQLTestDatabase implements AutoCloseable {

    static final String ENV = "VENOMQA_TEST_MYSQL_URL";
    static final String LOCAL_URL = "mysql://root@127.0.0.1:3306/test";

    private static final Pattern PATH = Pattern.compile("^((?:jdbc:)?[A-Za-z]+://[^/?#]*)(/[^?#]*)?(.*)$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String serverUrl;
    private final String name;
    private final String url;
    private final boolean fromEnvironment;

    private MySQLTestDatabase(String serverUrl, String name, boolean fromEnvironment) {
        this.fromEnvironment = fromEnvironment;
        this.serverUrl = serverUrl;
        this.name = name;
        this.url = withDatabase(serverUrl, name);
    }

    /** Creates a fresh, empty database on the test server. */
    static MySQLTestDatabase create() {
        String env = System.getenv(ENV);
        String serverUrl = env != null && !env.isBlank() ? env.trim() : LOCAL_URL;
        String name = "venomqa_t_" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
        MySQLTestDatabase db = new MySQLTestDatabase(serverUrl, name, env != null && !env.isBlank());
        try (Connection c = db.openServerConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
        } catch (SQLException e) {
            throw new IllegalStateException("The MySQL/MariaDB tests need a server and none is usable at "
                    + CredentialMasker.maskUrl(serverUrl) + " (" + CredentialMasker.maskText(e.getMessage()) + "). "
                    + (env == null ? "Start the local MariaDB (user root, empty password, port 3306) or set " + ENV
                    + " to mysql://user:password@host:port/database of a server where that user may CREATE DATABASE."
                    : "Check " + ENV + ": the server must be running and its user allowed to CREATE DATABASE."), e);
        }
        return db;
    }

    /** The URL of this test database, in the form the test server URL was given. */
    String url() {
        return url;
    }

    /** The database's name. */
    String name() {
        return name;
    }

    /**
     * A configuration of the mysql backend for this database. A server named by
     * {@code VENOMQA_TEST_MYSQL_URL} is a test server by declaration, so remote hosts are allowed
     * for it (the reset guard refuses non-local hosts otherwise).
     */
    StateConfig.Builder config() {
        StateConfig.Builder b = StateConfig.builder().backend("mysql").url(url);
        return fromEnvironment ? b.option("allow_remote", true) : b;
    }

    /** A new autocommit connection to this database, as an application outside the manager would have. */
    Connection openConnection() throws SQLException {
        return open(url);
    }

    /** Runs statements on an autocommit connection of their own. */
    void execute(String... sql) {
        try (Connection c = openConnection(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Rows of a query run on a new autocommit connection (what is committed), as maps. */
    List<Map<String, Object>> query(String sql) {
        try (Connection c = openConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The committed number of rows of {@code table}. */
    long count(String table) {
        return ((Number) query("SELECT COUNT(*) AS n FROM `" + table + "`").get(0).get("n")).longValue();
    }

    @Override
    public void close() {
        try (Connection c = openServerConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS `" + name + "`");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop test database " + name + ": " + e.getMessage(), e);
        }
    }

    private Connection openServerConnection() throws SQLException {
        return open(serverUrl);
    }

    static Connection open(String url) throws SQLException {
        MySQLConnectionSpec spec = MySQLConnectionSpec.of(StateConfig.builder().url(url).option("connection_timeout", "5s").build());
        Connection c = new com.mysql.cj.jdbc.Driver().connect(spec.jdbcUrl(), spec.properties());
        c.setAutoCommit(true);
        return c;
    }

    static String withDatabase(String serverUrl, String database) {
        Matcher m = PATH.matcher(serverUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException(ENV + " must look like mysql://user:password@host:port/database, got "
                    + CredentialMasker.maskUrl(serverUrl));
        }
        return m.group(1) + "/" + database + m.group(3);
    }
}
