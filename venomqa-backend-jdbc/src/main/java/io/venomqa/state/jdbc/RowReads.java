package io.venomqa.state.jdbc;

import io.venomqa.state.jdbc.internal.ConnectionSession;
import io.venomqa.state.jdbc.internal.SqlFailures;
import io.venomqa.state.jdbc.spi.TableInfo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reads {@link JdbcStateManager} offers on its own connection ({@code queryRows},
 * {@code queryRowsEach}, {@code countRows}, the SQL checks' reader): rows as maps, and the rules
 * that keep a read from changing or pinning the run's state. Stateless; the manager runs these
 * under its lock and guard.
 */
final class RowReads {

    private RowReads() {
    }

    /**
     * Runs a read and, where the strategy's connection is the manager's alone (the journal: the
     * application commits through its own), ends the transaction the read opened. Left open, InnoDB's
     * REPEATABLE READ keeps it on its first snapshot: every later read, the journal's position at the
     * next checkpoint included, would miss what the application committed since.
     */
    static <T> T fresh(ConnectionSession s, SqlFailures.SqlWork<T> read) throws SQLException {
        try {
            return read.run();
        } finally {
            Connection c = s.connection();
            if (rolledBackAfter(s) && !c.getAutoCommit()) {
                c.rollback(); // pgjdbc sends nothing when a read already ended the transaction itself
            }
        }
    }

    /** Whether {@link #fresh} rolls back the transaction of a read on {@code s} (the read may end it itself). */
    static boolean rolledBackAfter(ConnectionSession s) {
        return !s.strategy().supportsSharedDataSource();
    }

    /** Every row of {@code sql} as a map from column label to value, in column order. */
    static List<Map<String, Object>> rows(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return read(rs);
            }
        }
    }

    private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
        for (int i = 0; params != null && i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }

    private static List<Map<String, Object>> read(ResultSet rs) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int col = 1; col <= md.getColumnCount(); col++) {
                row.put(md.getColumnLabel(col), rs.getObject(col));
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * The rows of each query, read between {@code SAVEPOINT savepoint} and a rollback to it, all sent
     * as one text in one round trip (for a driver that {@link io.venomqa.state.jdbc.spi.JdbcDialect#sendsStatementsTogether
     * sends statements together}; the manager's transaction must be open). What the queries may
     * have written is undone as by {@link #checkRows}. A query that fails stops the batch where it
     * is: the savepoint is rolled back to and released then, and the failure thrown. A query that
     * returns no rows set (not a query), or more than one, fails the call as {@code executeQuery}
     * would, after the rollback.
     *
     * <p>{@code savepoint} null: for a read whose transaction is rolled back afterwards anyway
     * ({@link #fresh}), the queries and a {@code ROLLBACK} of the whole transaction, still one round
     * trip, where the savepoint form needed a second one for the rollback. A query that fails leaves
     * the transaction aborted; the caller's rollback ends it.
     */
    static List<List<Map<String, Object>>> inRolledBackSavepoint(Connection c, String savepoint, List<String> queries,
            Object[] params) throws SQLException {
        StringBuilder sql = new StringBuilder(savepoint == null ? "" : "SAVEPOINT " + savepoint + ";\n");
        for (String q : queries) {
            // A newline ends a trailing "--" comment of the user's text before the separator.
            sql.append(withoutTrailingSemicolons(q)).append("\n;\n");
        }
        sql.append(savepoint == null ? "ROLLBACK"
                : "ROLLBACK TO SAVEPOINT " + savepoint + ";\nRELEASE SAVEPOINT " + savepoint);
        List<List<Map<String, Object>>> out = new ArrayList<>(queries.size());
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, params);
            try {
                for (boolean isRows = ps.execute(); isRows || ps.getUpdateCount() != -1; isRows = ps.getMoreResults()) {
                    if (isRows) {
                        try (ResultSet rs = ps.getResultSet()) {
                            out.add(read(rs));
                        }
                    }
                }
            } catch (SQLException e) {
                if (savepoint == null) {
                    throw e;
                }
                // The server skipped the rest of the batch: the savepoint is still there, the transaction aborted.
                try (Statement st = c.createStatement()) {
                    st.execute("ROLLBACK TO SAVEPOINT " + savepoint + ";\nRELEASE SAVEPOINT " + savepoint);
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
        if (out.size() != queries.size()) {
            throw new SQLException(out.size() < queries.size()
                    ? "No results were returned by the query (it was rolled back): " + String.join("; ", queries)
                    : "Multiple ResultSets were returned by the query (it was rolled back): " + String.join("; ", queries));
        }
        return out;
    }

    private static String withoutTrailingSemicolons(String sql) {
        int end = sql.length();
        while (end > 0 && (sql.charAt(end - 1) == ';' || Character.isWhitespace(sql.charAt(end - 1)))) {
            end--;
        }
        return sql.substring(0, end);
    }

    /** The rows of each query (without parameters), in the order given. */
    static List<List<Map<String, Object>>> rowsOfEach(Connection c, List<String> queries) throws SQLException {
        List<List<Map<String, Object>>> out = new ArrayList<>(queries.size());
        for (String q : queries) {
            out.add(rows(c, q));
        }
        return out;
    }

    /**
     * The rows of a check query, read inside a savepoint that is rolled back afterwards, so that a
     * check cannot change the run's state (with auto-commit on there is no transaction to protect).
     */
    static List<Map<String, Object>> checkRows(Connection c, String sql, Object[] values, boolean together,
            boolean rolledBackAfter) throws SQLException {
        if (c.getAutoCommit()) {
            return rows(c, sql, values);
        }
        if (together) {
            return inRolledBackSavepoint(c, rolledBackAfter ? null : "venomqa_check", List.of(sql), values).get(0);
        }
        Savepoint sp = c.setSavepoint("venomqa_check");
        try {
            return rows(c, sql, values);
        } finally {
            c.rollback(sp);
            c.releaseSavepoint(sp);
        }
    }

    /** {@code select count(*)} of a table of the session's schema. */
    static long count(ConnectionSession s, TableInfo t) throws SQLException {
        try (PreparedStatement ps = s.connection().prepareStatement("select count(*) from " + s.qualified(t.name()));
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
