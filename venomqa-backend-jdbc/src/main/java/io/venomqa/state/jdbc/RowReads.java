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
            if (!s.strategy().supportsSharedDataSource() && !c.getAutoCommit()) {
                c.rollback();
            }
        }
    }

    /** Every row of {@code sql} as a map from column label to value, in column order. */
    static List<Map<String, Object>> rows(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; params != null && i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int col = 1; col <= md.getColumnCount(); col++) {
                        row.put(md.getColumnLabel(col), rs.getObject(col));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
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
    static List<Map<String, Object>> checkRows(Connection c, String sql, Object[] values) throws SQLException {
        if (c.getAutoCommit()) {
            return rows(c, sql, values);
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
