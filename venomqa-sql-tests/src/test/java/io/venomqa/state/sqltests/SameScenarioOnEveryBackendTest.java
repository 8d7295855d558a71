package io.venomqa.state.sqltests;

import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.spi.ConnectionSpec;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.mysql.MySQLDialect;
import io.venomqa.state.postgres.PostgreSQLDialect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Switching database is a configuration change only: one scenario, written against
 * {@link StateManager} and the shared DataSource, runs unchanged on every SQL backend; the only
 * thing that differs is the map given to {@link StateConfig#fromMap(Map)}, as it would be read from
 * {@code venomqa.yaml}.
 */
class SameScenarioOnEveryBackendTest {

    private static final String POSTGRES_URL = System.getenv().getOrDefault("VENOMQA_TEST_POSTGRES_URL",
            "postgresql://postgres@127.0.0.1:5432/test");
    private static final String PG_SCHEMA = "vqswitch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private static final String MYSQL_SERVER_URL = System.getenv().getOrDefault("VENOMQA_TEST_MYSQL_URL",
            "mysql://root@127.0.0.1:3306/test");
    private static final String MYSQL_DATABASE = "vqswitch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private static final Path SQLITE_FILE = Path.of("target", "switch-" + UUID.randomUUID() + ".db").toAbsolutePath();

    @BeforeAll
    static void prepare() throws IOException, SQLException {
        Files.createDirectories(SQLITE_FILE.getParent());
        try (Connection c = postgresAdmin(); Statement st = c.createStatement()) {
            st.execute("create schema " + PG_SCHEMA);
        }
        try (Connection c = mysqlAdmin(); Statement st = c.createStatement()) {
            st.execute("create database " + MYSQL_DATABASE + " character set utf8mb4");
        }
    }

    @AfterAll
    static void cleanUp() throws IOException, SQLException {
        Files.deleteIfExists(SQLITE_FILE);
        try (Connection c = postgresAdmin(); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + PG_SCHEMA + " cascade");
        }
        try (Connection c = mysqlAdmin(); Statement st = c.createStatement()) {
            st.execute("drop database if exists " + MYSQL_DATABASE);
        }
    }

    private static Connection mysqlAdmin() throws SQLException {
        MySQLDialect dialect = new MySQLDialect();
        ConnectionSpec spec = dialect.connectionSpec(StateConfig.builder().url(MYSQL_SERVER_URL).build(), Duration.ofSeconds(10));
        try {
            return dialect.openConnection(spec);
        } catch (SQLException e) {
            throw new AssertionError("This test needs a MySQL/MariaDB server and none is reachable at " + spec.displayUrl()
                    + " (" + e.getMessage() + "). Start MariaDB on 127.0.0.1:3306 (user root, empty password) "
                    + "or set VENOMQA_TEST_MYSQL_URL.", e);
        }
    }

    /** The server URL with its database replaced by this test's own. */
    private static String mysqlUrl() {
        return MYSQL_SERVER_URL.replaceFirst("^((?:jdbc:)?[A-Za-z]+://[^/?#]*)(/[^?#]*)?", "$1/" + MYSQL_DATABASE);
    }

    private static Connection postgresAdmin() throws SQLException {
        ConnectionSpec spec = new PostgreSQLDialect().connectionSpec(StateConfig.builder().url(POSTGRES_URL).build(),
                Duration.ofSeconds(10));
        try {
            return DriverManager.getConnection(spec.jdbcUrl(), spec.properties());
        } catch (SQLException e) {
            throw new AssertionError("This test needs a PostgreSQL server and none is reachable at " + spec.displayUrl()
                    + " (" + e.getMessage() + "). Start PostgreSQL on 127.0.0.1:5432 (user postgres, database test) "
                    + "or set VENOMQA_TEST_POSTGRES_URL.", e);
        }
    }

    static Stream<Arguments> backends() {
        Map<String, Object> postgres = new LinkedHashMap<>();
        postgres.put("db_backend", "postgresql");
        postgres.put("db_url", POSTGRES_URL);
        postgres.put("schema", PG_SCHEMA);
        postgres.put("allow_remote", true);
        Map<String, Object> mysql = new LinkedHashMap<>();
        mysql.put("db_backend", "mysql");
        mysql.put("db_url", mysqlUrl());
        mysql.put("allow_remote", true);
        Map<String, Object> sqlite = new LinkedHashMap<>();
        sqlite.put("db_backend", "sqlite");
        sqlite.put("db_url", "sqlite:///" + SQLITE_FILE); // four slashes: absolute path
        sqlite.put("foreign_keys", true);
        Map<String, Object> h2 = new LinkedHashMap<>();
        h2.put("db_backend", "h2");
        h2.put("db_url", "jdbc:h2:mem:switch_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        return Stream.of(Arguments.of("postgresql", postgres), Arguments.of("mysql", mysql), Arguments.of("sqlite", sqlite),
                Arguments.of("h2", h2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void sameScenario(String label, Map<String, Object> yaml) throws SQLException {
        Map<String, Object> settings = new LinkedHashMap<>(yaml);
        settings.put("tables_to_reset", "transfers, accounts");

        // ---- from here on, nothing depends on the backend -------------------------------------
        StateManager state = StateManagers.create(StateConfig.fromMap(settings));
        JdbcStateManager sql = (JdbcStateManager) state;
        try (state) {
            state.connect();
            run(sql, "drop table if exists transfers", "drop table if exists accounts",
                    "create table accounts (id integer primary key, owner varchar(100) not null, balance integer not null)",
                    "create table transfers (id integer primary key, account_id integer not null references accounts(id), amount integer not null)");
            sql.refreshSchema();
            state.reset(); // commits the schema, starts from empty tables
            run(sql, "insert into accounts values (1, 'alice', 100)", "insert into accounts values (2, 'bob', 50)");
            state.checkpoint("funded");

            transfer(sql, 1, 1, 2, 30);
            assertThat(balances(sql)).containsExactly(70L, 80L);
            state.rollback("funded");
            assertThat(balances(sql)).containsExactly(100L, 50L);
            assertThat(sql.countRows("transfers")).isZero();

            transfer(sql, 1, 2, 1, 50);
            state.checkpoint("bob-paid");
            transfer(sql, 2, 1, 2, 10);
            assertThat(balances(sql)).containsExactly(140L, 10L);
            state.rollback("bob-paid");
            assertThat(balances(sql)).containsExactly(150L, 0L);
            state.rollback("funded");
            assertThat(balances(sql)).containsExactly(100L, 50L);
            assertThat(state.activeCheckpoints()).containsExactly("funded");
        }
        state.connect(); // nothing of the run was committed: only the reset, which left the tables empty
        try (state) {
            assertThat(sql.countRows("accounts")).isZero();
            assertThat(sql.countRows("transfers")).isZero();
        }
    }

    private static void run(JdbcStateManager sql, String... statements) throws SQLException {
        try (Connection c = sql.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private static void transfer(JdbcStateManager sql, int id, int from, int to, int amount) throws SQLException {
        try (Connection c = sql.sharedDataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement debit = c.prepareStatement("update accounts set balance = balance - ? where id = ?");
                 PreparedStatement credit = c.prepareStatement("update accounts set balance = balance + ? where id = ?");
                 PreparedStatement log = c.prepareStatement("insert into transfers values (?, ?, ?)")) {
                debit.setInt(1, amount);
                debit.setInt(2, from);
                debit.executeUpdate();
                credit.setInt(1, amount);
                credit.setInt(2, to);
                credit.executeUpdate();
                log.setInt(1, id);
                log.setInt(2, from);
                log.setInt(3, amount);
                log.executeUpdate();
            }
            c.commit();
        }
    }

    private static List<Long> balances(JdbcStateManager sql) {
        return sql.queryRows("select balance from accounts order by id").stream()
                .map(r -> ((Number) r.values().iterator().next()).longValue()).toList();
    }
}
