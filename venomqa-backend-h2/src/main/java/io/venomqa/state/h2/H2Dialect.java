package io.venomqa.state.h2;

import io.venomqa.state.StateConfig;
import io.venomqa.state.spi.BackendUrls;
import io.venomqa.state.jdbc.spi.ConnectionSpec;
import io.venomqa.core.DatabaseUrl;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.ResetPlan;
import io.venomqa.state.jdbc.spi.SequenceSnapshot;
import io.venomqa.state.jdbc.spi.TableInfo;
import io.venomqa.state.spi.OptionSpec;
import org.jooq.SQLDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Embedded H2 (2.x) for {@link H2StateManager}.
 *
 * <ul>
 *   <li>URLs: any {@code jdbc:h2:} URL ({@code jdbc:h2:mem:qa;DB_CLOSE_DELAY=-1},
 *       {@code jdbc:h2:file:./build/qa}, {@code jdbc:h2:./build/qa}); {@code h2:…} is read as
 *       {@code jdbc:h2:…}. User and password may be in the URL ({@code ;USER=sa;PASSWORD=…}) or in the
 *       {@code user}/{@code password} options. An in-memory database without {@code DB_CLOSE_DELAY=-1}
 *       disappears when its last connection closes, the manager's included.</li>
 *   <li>Schema: option {@value #OPTION_SCHEMA}, default the connection's schema ({@code PUBLIC}).
 *       Unquoted names are upper case in H2; table names in the configuration are matched
 *       case-insensitively.</li>
 *   <li>Identity counters are not transactional in H2; they are read from
 *       {@code INFORMATION_SCHEMA.COLUMNS} at each checkpoint and put back on rollback with
 *       {@code ALTER TABLE … ALTER COLUMN … RESTART WITH}, which H2 runs without committing.
 *       Like PostgreSQL's {@code setval}, the restart is visible to every session at once.</li>
 *   <li>Reset: referential integrity is switched off for the reset tables
 *       ({@code ALTER TABLE … SET REFERENTIAL_INTEGRITY FALSE}), each is emptied with
 *       {@code TRUNCATE TABLE … RESTART IDENTITY}, and integrity is switched back on, also when a step
 *       fails. H2's {@code TRUNCATE} commits, so the reset is not atomic: if it fails halfway,
 *       the tables emptied so far stay empty (the error says which).</li>
 *   <li>Implicit commits: DDL run on the manager's connection (by the application through
 *       {@code sharedDataSource()}) commits in H2, making the run's earlier writes permanent and ending
 *       every savepoint. The next rollback says so (H2's driver releases savepoints without the
 *       server, so a release cannot tell)
 *       ({@link io.venomqa.state.CheckpointsLostException}, every checkpoint forgotten) instead of
 *       H2's {@code Savepoint is invalid [90063]}, and {@code disconnect()} logs a warning that it could
 *       not put the database back.</li>
 *   <li>{@code checkpoint_strategy: journal} is not available: the journal supports PostgreSQL,
 *       MySQL/MariaDB and SQLite, and says so when selected for H2.</li>
 * </ul>
 */
public final class H2Dialect extends JdbcDialect {

    private static final Logger LOG = LoggerFactory.getLogger(H2Dialect.class);

    /** Option naming the schema whose tables are reset and tracked. */
    public static final String OPTION_SCHEMA = "schema";

    @Override
    public List<OptionSpec> options() {
        return List.of(OptionSpec.text(OPTION_SCHEMA, "the connection's (PUBLIC)", "The schema whose tables are tracked and reset."));
    }

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public String displayName() {
        return "H2";
    }

    @Override
    public SQLDialect jooqDialect() {
        return SQLDialect.H2;
    }

    @Override
    public ConnectionSpec connectionSpec(StateConfig config, Duration connectTimeout) {
        DatabaseUrl url = DatabaseUrl.parse(config.url());
        String u = url.original();
        String lower = u.toLowerCase(Locale.ROOT);
        if (!BackendUrls.claims(name(), u)) {
            throw new IllegalArgumentException("db_url '" + url.masked() + "' is not an H2 URL; use "
                    + "jdbc:h2:mem:name;DB_CLOSE_DELAY=-1 or jdbc:h2:file:./path");
        }
        if (!lower.startsWith("jdbc:")) {
            u = "jdbc:" + u; // the h2: shorthand
        }
        Properties props = credentials(null, config);
        return new ConnectionSpec(u, props, url.masked());
    }

    @Override
    public String resolveSchema(Connection connection, StateConfig config) throws SQLException {
        String wanted = config.optionString(OPTION_SCHEMA, null);
        if (wanted == null) {
            return connection.getSchema();
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "select schema_name from information_schema.schemata where upper(schema_name) = upper(?)")) {
            ps.setString(1, wanted);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getString(1);
                }
            }
        }
        throw new SQLException("Schema '" + wanted + "' does not exist in this H2 database", "3F000");
    }

    @Override
    public void initializeConnection(Connection connection, String schema, StateConfig config) throws SQLException {
        connection.setSchema(schema);
    }

    // ---- identity counters -----------------------------------------------------------------------

    /** Identities are not undone by a rollback, and {@code ALTER TABLE … RESTART WITH} does not end the transaction. */
    @Override
    public CounterRestore counterRestore() {
        return CounterRestore.IN_TRANSACTION;
    }

    /** The next identity value of every identity column of {@code tables}, keyed {@code table\0column}. */
    @Override
    public SequenceSnapshot captureSequences(JdbcSession session, Collection<String> tables) throws SQLException {
        Map<String, String> next = new LinkedHashMap<>();
        try (PreparedStatement ps = session.connection().prepareStatement(
                "select table_name, column_name, identity_base from information_schema.columns "
                        + "where table_schema = ? and is_identity = 'YES' order by table_name, column_name")) {
            ps.setString(1, session.schemaName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (tables.contains(rs.getString(1))) {
                        next.put(key(rs.getString(1), rs.getString(2)), String.valueOf(rs.getLong(3)));
                    }
                }
            }
        }
        return new SequenceSnapshot(next);
    }

    /**
     * {@code RESTART WITH} the saved value for every identity that moved; dropped columns are skipped.
     * Never below an id a row still holds: another session may have committed rows between the
     * checkpoint and the rollback (the rollback does not remove them), and restarting below them would
     * fail the next insert with a duplicate key. Such an identity restarts right after the largest id,
     * with a warning.
     */
    @Override
    public void restoreSequences(JdbcSession session, SequenceSnapshot saved) throws SQLException {
        java.util.Set<String> tables = new java.util.HashSet<>();
        saved.values().keySet().forEach(k -> tables.add(k.split("\u0000", 2)[0]));
        Map<String, String> now = captureSequences(session, tables).values();
        try (Statement st = session.connection().createStatement()) {
            for (Map.Entry<String, String> e : saved.values().entrySet()) {
                String current = now.get(e.getKey());
                if (current == null || current.equals(e.getValue())) {
                    continue;
                }
                String[] tc = e.getKey().split("\u0000", 2);
                String table = session.qualified(tc[0]);
                long next = Long.parseLong(e.getValue());
                try (ResultSet rs = st.executeQuery("select max(" + quote(tc[1]) + ") from " + table)) {
                    long taken = rs.next() ? rs.getLong(1) : 0;
                    if (!rs.wasNull() && taken >= next) {
                        LOG.warn("Identity {}.{} was not put back to {}: a row the rollback does not cover still holds {}. "
                                + "It restarts at {} instead, so that the next id is free.", tc[0], tc[1], next, taken, taken + 1);
                        next = taken + 1;
                    }
                }
                st.execute("alter table " + table + " alter column " + quote(tc[1]) + " restart with " + next);
            }
        }
    }

    private static String key(String table, String column) {
        return table + "\u0000" + column;
    }

    // ---- reset -----------------------------------------------------------------------------------

    @Override
    public void reset(JdbcSession session, ResetPlan plan) throws SQLException {
        try (Statement st = session.connection().createStatement()) {
            SQLException failure = null;
            int done = 0;
            try {
                for (TableInfo t : plan.tables()) {
                    st.execute("alter table " + session.qualified(t.name()) + " set referential_integrity false");
                }
                for (TableInfo t : plan.tables()) {
                    st.execute("truncate table " + session.qualified(t.name()) + " restart identity");
                    done++;
                }
            } catch (SQLException e) {
                failure = new SQLException(e.getMessage() + " (tables emptied before the failure, which H2 "
                        + "committed: " + plan.tableNames().subList(0, done) + ")", e.getSQLState(), e);
            } finally {
                for (TableInfo t : plan.tables()) {
                    try {
                        st.execute("alter table " + session.qualified(t.name()) + " set referential_integrity true");
                    } catch (SQLException e) {
                        if (failure == null) {
                            failure = e;
                        } else {
                            failure.addSuppressed(e);
                        }
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** H2 error 90063, {@code SAVEPOINT_IS_INVALID_1}: what a rollback to a savepoint ended by a commit raises. */
    static final int SAVEPOINT_IS_INVALID = 90063;

    @Override
    public String implicitCommitStatements() {
        return "DDL such as CREATE, ALTER, DROP or TRUNCATE, and COMMIT or SET AUTOCOMMIT TRUE";
    }

    @Override
    public boolean isSavepointLost(SQLException e) {
        return e.getErrorCode() == SAVEPOINT_IS_INVALID;
    }

    /** {@code INVISIBLE} columns, which {@code select *} leaves out. */
    @Override
    public java.util.Optional<String> hiddenColumnsQuery() {
        return java.util.Optional.of("select table_name, column_name from information_schema.columns where table_schema = ? "
                + "and is_visible = false order by table_name, ordinal_position");
    }

    @Override
    public String connectionChecklist(ConnectionSpec spec) {
        return "Check that:\n"
                + "  1. the URL is an H2 URL this H2 version understands (jdbc:h2:mem:name or jdbc:h2:file:path),\n"
                + "  2. for a file database, the directory exists and no other process has the file open\n"
                + "     (use AUTO_SERVER=TRUE to share it between processes),\n"
                + "  3. user and password match the ones the database was created with.";
    }
}
