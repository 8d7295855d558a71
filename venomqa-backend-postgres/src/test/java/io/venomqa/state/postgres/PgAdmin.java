package io.venomqa.state.postgres;

import io.venomqa.state.StateConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the worker-copy tests read on the server beside the code under test: plain auto-commit connections and names. */
final class PgAdmin {

    private PgAdmin() {
    }

    /** An auto-commit connection to {@code url}, opened as the dialect opens its own. */
    static Connection open(String url) throws SQLException {
        var spec = new PostgreSQLDialect().connectionSpec(StateConfig.builder().url(url).build(), Duration.ofSeconds(10));
        Connection c = DriverManager.getConnection(spec.jdbcUrl(), spec.properties());
        c.setAutoCommit(true);
        return c;
    }

    /** The first column of the first row of {@code sql}. */
    static String single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The names {@code sql} lists on {@code url} (one column, sorted by the query) that start with {@code prefix}. */
    static List<String> namesStartingWith(String url, String sql, String prefix) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = open(url); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                if (rs.getString(1).startsWith(prefix)) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
