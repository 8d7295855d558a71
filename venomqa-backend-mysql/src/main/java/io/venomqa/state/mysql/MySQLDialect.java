package io.venomqa.state.mysql;

import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.CheckpointStrategyProvider;
import io.venomqa.state.jdbc.ConnectionSpec;
import io.venomqa.state.jdbc.JdbcDialect;
import io.venomqa.state.jdbc.JdbcSession;
import io.venomqa.state.jdbc.ResetPlan;
import io.venomqa.state.jdbc.SchemaInfo;
import io.venomqa.state.jdbc.TableInfo;
import io.venomqa.state.mysql.internal.MySQLCharsets;
import io.venomqa.state.mysql.internal.MySQLConnectionSpec;
import io.venomqa.state.mysql.internal.MySQLSavepointStrategy;
import org.jooq.SQLDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The MySQL and MariaDB dialect of {@code venomqa-backend-jdbc}, over MySQL Connector/J.
 *
 * <p>What it guarantees, and why (details and the facts behind them: {@code docs/mysql-backend.md}):
 * <ul>
 *   <li>The schema is the database named in the URL; only base tables count (views and MariaDB
 *       sequences are left out of tracking and reset).</li>
 *   <li>{@link #reset} runs {@code TRUNCATE TABLE} per table with {@code FOREIGN_KEY_CHECKS=0} for
 *       its session, because InnoDB refuses to truncate a referenced table otherwise (error 1701);
 *       the plan it receives has already been checked so that no table outside the reset set
 *       references one inside it, so turning the checks off cannot leave dangling rows.
 *       {@code TRUNCATE} is DDL: it commits implicitly, which is why the reset is committed
 *       anyway and why it ends every checkpoint. A table with no rows and an unused
 *       AUTO_INCREMENT counter is skipped (no DDL for nothing).</li>
 *   <li>AUTO_INCREMENT counters are <b>not</b> restored by a rollback: InnoDB hands out ids outside
 *       transactions and only DDL (which commits) can set the counter. {@link #captureSequences}
 *       therefore keeps nothing; resets restart the counters at 1.</li>
 *   <li>A lost connection is recognised by SQLSTATE class {@code 08} (Connector/J's
 *       {@code CommunicationsException} after {@code KILL}) and by MariaDB's 1927 / MySQL's 1053.</li>
 * </ul>
 */
public final class MySQLDialect extends JdbcDialect {

    private static final Logger LOG = LoggerFactory.getLogger(MySQLDialect.class);

    /** Option choosing what {@code connect()} does about MyISAM and other non-transactional tables: {@code fail} or {@code warn}. */
    public static final String OPTION_NON_TRANSACTIONAL = "non_transactional_tables";

    /** MariaDB's ER_CONNECTION_KILLED and the server-shutdown error: the session is gone. */
    private static final Set<Integer> CONNECTION_GONE_CODES = Set.of(1927, 1053, 2006, 2013);

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public String displayName() {
        return "MySQL/MariaDB";
    }

    @Override
    public SQLDialect jooqDialect() {
        return SQLDialect.MYSQL;
    }

    @Override
    public ConnectionSpec connectionSpec(StateConfig config, Duration connectTimeout) {
        MySQLConnectionSpec spec = MySQLConnectionSpec.of(config);
        return new ConnectionSpec(spec.jdbcUrl(), spec.properties(), spec.maskedUrl());
    }

    /** Opens the connection with Connector/J's driver itself, so no other driver on the class path that also claims {@code jdbc:mysql:} is picked. */
    @Override
    public Connection openConnection(ConnectionSpec spec) throws SQLException {
        Connection c = new com.mysql.cj.jdbc.Driver().connect(spec.jdbcUrl(), spec.properties());
        if (c == null) {
            throw new SQLException("MySQL Connector/J did not accept the URL " + spec.displayUrl(), "08001");
        }
        return c;
    }

    @Override
    public String resolveSchema(Connection connection, StateConfig config) throws SQLException {
        String database = connection.getCatalog();
        if (database == null || database.isEmpty()) {
            throw new SQLException("The URL " + config.maskedUrl() + " selects no database; VenomQA works inside one: "
                    + "mysql://user:password@host:3306/database", "3D000");
        }
        return database;
    }

    @Override
    public void initializeConnection(Connection connection, String schema, StateConfig config) throws SQLException {
        String requested = MySQLConnectionSpec.of(config).charset();
        String version = connection.getMetaData().getDatabaseProductVersion();
        try (Statement s = connection.createStatement()) {
            if (!isMariaDB(version)) {
                // MySQL 8 caches information_schema.TABLES.AUTO_INCREMENT for a day by default; reset
                // reads it to skip untouched tables, so it must be live (MariaDB has no such cache).
                try {
                    s.execute("SET SESSION information_schema_stats_expiry = 0");
                } catch (SQLException e) {
                    LOG.debug("information_schema_stats_expiry not available on {}: {}", version, e.getMessage());
                }
            }
            if (requested != null) {
                try (ResultSet rs = s.executeQuery("SELECT @@character_set_connection")) {
                    rs.next();
                    String actual = rs.getString(1);
                    if (!MySQLCharsets.satisfies(requested, actual)) {
                        throw new SQLException("Option charset '" + requested + "' was not taken by the server: the session uses '"
                                + actual + "'. Use a character set the server supports (SHOW CHARACTER SET).", "22023");
                    }
                }
            }
        }
    }

    /** Base tables only: MariaDB sequences and views are not data a reset could empty. */
    @Override
    public SchemaInfo introspect(Connection connection, String schema) throws SQLException {
        SchemaInfo all = super.introspect(connection, schema);
        Set<String> baseTables = new HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    baseTables.add(rs.getString(1));
                }
            }
        }
        Map<String, TableInfo> kept = new LinkedHashMap<>();
        all.tables().forEach((name, t) -> {
            if (baseTables.contains(name)) {
                kept.put(name, t);
            }
        });
        return kept.size() == all.tables().size() ? all : new SchemaInfo(all.schema(), kept);
    }

    @Override
    public void reset(JdbcSession session, ResetPlan plan) throws SQLException {
        Connection c = session.connection();
        Map<String, Long> counters = autoIncrementCounters(c, session.schemaName());
        try (Statement s = c.createStatement()) {
            s.execute("SET FOREIGN_KEY_CHECKS = 0");
            try {
                for (TableInfo t : plan.tables()) {
                    String table = session.qualified(t.name());
                    if (isUntouched(s, table, counters.get(t.name()))) {
                        continue;
                    }
                    s.execute("TRUNCATE TABLE " + table);
                }
            } finally {
                s.execute("SET FOREIGN_KEY_CHECKS = 1");
            }
        }
    }

    /** No rows and a counter that would hand out 1 next (or no counter): TRUNCATE would change nothing. */
    private static boolean isUntouched(Statement s, String table, Long nextAutoIncrement) throws SQLException {
        if (nextAutoIncrement != null && nextAutoIncrement > 1) {
            return false;
        }
        try (ResultSet rs = s.executeQuery("SELECT 1 FROM " + table + " LIMIT 1")) {
            return !rs.next();
        }
    }

    /** Next AUTO_INCREMENT value per table of {@code schema} that has a counter. */
    static Map<String, Long> autoIncrementCounters(Connection c, String schema) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME, AUTO_INCREMENT FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND AUTO_INCREMENT IS NOT NULL")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    @Override
    public boolean isConnectionLost(SQLException e) {
        if (super.isConnectionLost(e)) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && CONNECTION_GONE_CODES.contains(s.getErrorCode())) {
                return true;
            }
            if (t instanceof com.mysql.cj.jdbc.exceptions.CommunicationsException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<CheckpointStrategyProvider> checkpointStrategies() {
        return List.of(MySQLSavepointStrategy.PROVIDER);
    }

    @Override
    public String connectionChecklist(ConnectionSpec spec) {
        return super.connectionChecklist(spec)
                + "\n  5. on MySQL 8 with caching_sha2_password and no TLS: add allowPublicKeyRetrieval=true to a jdbc:mysql: URL.";
    }

    /** Whether Connector/J's product version string is a MariaDB server's ({@code 5.5.5-10.11.19-MariaDB-…}). */
    static boolean isMariaDB(String productVersion) {
        return productVersion != null && productVersion.toLowerCase(Locale.ROOT).contains("mariadb");
    }
}
