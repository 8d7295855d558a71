package io.venomqa.state.h2;

import io.venomqa.state.StateConfig;
import io.venomqa.state.spi.BackendUrls;
import io.venomqa.state.jdbc.spi.ConnectionSpec;
import io.venomqa.core.DatabaseUrl;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.ResetPlan;
import io.venomqa.state.jdbc.spi.PooledSequences;
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

    /**
     * The next value of every identity column of {@code tables}, keyed {@code table\0column}, and of
     * every sequence of the schema ({@code create sequence}, which a default or the application draws
     * from), keyed {@code \0name}: H2 undoes neither with the transaction.
     */
    @Override
    public SequenceSnapshot captureSequences(JdbcSession session, Collection<String> tables) throws SQLException {
        logPools(session);
        Map<String, String> next = new LinkedHashMap<>();
        counters(session, tables).forEach((k, c) -> next.put(k, String.valueOf(c.next())));
        return new SequenceSnapshot(next);
    }

    /** A counter now: the value it hands out next, and its step. */
    private record Counter(long next, long increment) {
    }

    /** The identities of {@code tables} and the schema's sequences, in one query (it runs at every checkpoint). */
    private static Map<String, Counter> counters(JdbcSession session, Collection<String> tables) throws SQLException {
        Map<String, Counter> now = new LinkedHashMap<>();
        try (PreparedStatement ps = session.connection().prepareStatement(
                "select table_name, column_name, identity_base, identity_increment from information_schema.columns "
                        + "where table_schema = ? and is_identity = 'YES' union all "
                        + "select '', sequence_name, base_value, increment from information_schema.sequences s "
                        + "where sequence_schema = ? and (abs(increment) <= 1 or exists (select 1 from information_schema.columns c "
                        + "where c.table_schema = ? and c.column_default like '%\"' || s.sequence_name || '\"%')) order by 1, 2")) {
            ps.setString(1, session.schemaName());
            ps.setString(2, session.schemaName());
            ps.setString(3, session.schemaName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    if (table.isEmpty() || tables.contains(table)) {
                        now.put(key(table, rs.getString(2)), new Counter(rs.getLong(3), rs.getLong(4)));
                    }
                }
            }
        }
        return now;
    }

    /**
     * The schema's sequences that are an application's id pool ({@link PooledSequences}: a step above 1, no column
     * default naming them), which {@link #counters} leaves out; logged once per session while they do not change.
     * Read at {@code connect()} and when the schema is introspected again, not at every checkpoint.
     */
    private static void logPools(JdbcSession session) throws SQLException {
        PoolsLogged logged = session.cached(PoolsLogged.class.getName(), PoolsLogged.class, s -> new PoolsLogged());
        if (logged.done) {
            return;
        }
        logged.done = true;
        java.util.List<String> pools = new java.util.ArrayList<>();
        try (PreparedStatement ps = session.connection().prepareStatement(
                "select sequence_name from information_schema.sequences s where sequence_schema = ? and abs(increment) > 1 "
                        + "and not exists (select 1 from information_schema.columns c where c.table_schema = ? "
                        + "and c.column_default like '%\"' || s.sequence_name || '\"%') order by 1")) {
            ps.setString(1, session.schemaName());
            ps.setString(2, session.schemaName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pools.add(rs.getString(1));
                }
            }
        }
        if (!pools.isEmpty()) {
            LOG.info(PooledSequences.MESSAGE, pools);
        }
    }

    /** Whether this session logged its id pools ({@link #logPools}). */
    private static final class PoolsLogged {
        boolean done;
    }

    /**
     * {@code RESTART WITH} the saved value for every identity and sequence that moved; dropped ones are
     * skipped. An identity is never restarted so that it hands out again an id it handed out since the
     * capture and a row still holds: another session may have committed such a row between the
     * checkpoint and the rollback (the rollback does not remove it), and the next insert would fail
     * with a duplicate key. Such an identity restarts right after that id (in its direction), with a
     * warning. Ids it did not hand out since (a row inserted with an explicit id above the counter
     * before the checkpoint) do not move it.
     */
    @Override
    public void restoreSequences(JdbcSession session, SequenceSnapshot saved) throws SQLException {
        restoreSequences(session, saved, java.util.Set.of());
    }

    /** As the two-argument restore, without the guard for the identities of {@code exactTables}. */
    @Override
    public void restoreSequences(JdbcSession session, SequenceSnapshot saved, java.util.Set<String> exactTables)
            throws SQLException {
        java.util.Set<String> tables = new java.util.HashSet<>();
        saved.values().keySet().forEach(k -> tables.add(k.split("\u0000", 2)[0]));
        Map<String, Counter> now = counters(session, tables);
        try (Statement st = session.connection().createStatement()) {
            for (Map.Entry<String, String> e : saved.values().entrySet()) {
                Counter current = now.get(e.getKey());
                long next = Long.parseLong(e.getValue());
                if (current == null || current.next() == next) {
                    continue;
                }
                String[] tc = e.getKey().split("\u0000", 2);
                if (tc[0].isEmpty()) {
                    st.execute("alter sequence " + session.qualified(tc[1]) + " restart with " + next);
                    continue;
                }
                String table = session.qualified(tc[0]);
                String column = quote(tc[1]);
                if (exactTables.contains(tc[0])) {
                    st.execute("alter table " + table + " alter column " + column + " restart with " + next);
                    continue;
                }
                // Handed out since the capture, in the identity's direction: from the saved next value up to, not
                // including, the present one. Empty when the restore moves it forward (a later state of the tree).
                boolean ascending = current.increment() > 0;
                try (PreparedStatement ps = session.connection().prepareStatement("select "
                        + (ascending ? "max(" : "min(") + column + ") from " + table + " where " + column
                        + " between ? and ?")) {
                    ps.setLong(1, ascending ? next : current.next() + 1);
                    ps.setLong(2, ascending ? current.next() - 1 : next);
                    try (ResultSet rs = ps.executeQuery()) {
                        long taken = rs.next() ? rs.getLong(1) : 0;
                        if (!rs.wasNull()) {
                            long after = taken + current.increment();
                            LOG.warn("Identity {}.{} was not put back to {}: {}, an id it handed out after that, is held "
                                    + "by a row the rollback does not cover. It restarts at {} instead, so that the next "
                                    + "id is free.", tc[0], tc[1], next, taken, after);
                            next = after;
                        }
                    }
                }
                st.execute("alter table " + table + " alter column " + column + " restart with " + next);
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

    /**
     * A {@code TIME} as its text: the driver gives a {@code java.sql.Time}, which holds no fraction of a second, so
     * 00:00:01.5 read as 00:00:01 (until 2026-12-06 one state to an exploration's table contents, and no change
     * to change capture).
     */
    @Override
    public java.util.Optional<String> exactRead(String qualifiedColumn, int jdbcType, String typeName) {
        return jdbcType == java.sql.Types.TIME ? java.util.Optional.of("cast(" + qualifiedColumn + " as varchar)")
                : java.util.Optional.empty();
    }

    /**
     * The count of the schema's base tables and the SHA-256 of their quoted names, from
     * {@code INFORMATION_SCHEMA.TABLES}, read by the recorder at each mark: about 10 µs for 300 tables
     * (a {@code select 1} takes 3 µs in-process). It runs in every compatibility mode of H2 2.3, also with
     * {@code DATABASE_TO_LOWER=TRUE}. The schema is compared as stored ({@code PUBLIC}, or a quoted
     * lower-case name as it was created): the session's schema name is the one H2 reports. Names only:
     * H2 shows a table's internal id ({@code DB_OBJECT_ID}) to admins alone, so a table dropped and created
     * again under its name within one window does not change the value; the recorder still reads it whole
     * at the next mark (H2 has no table fingerprint), so its rows are compared as they are. Until 2026-12-06
     * H2 had none, and a table created after {@code connect()} was never read: a step that created and
     * filled one showed no change.
     */
    @Override
    public java.util.Optional<String> tableSetVersion(String schemaName) {
        return java.util.Optional.of("(select count(*) || ':' || coalesce(rawtohex(hash('SHA-256', listagg(quote_ident(table_name), "
                + "',') within group (order by table_name))), '') from information_schema.tables where table_schema = '"
                + schemaName.replace("'", "''") + "' and table_type = 'BASE TABLE')");
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
