package io.venomqa.state.journal;

import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What the journal tests need from a test database ({@link PgDb}, {@link MyDb}, {@link SqliteDb}). */
interface JournalDb extends AutoCloseable {

    /** The configuration of a journal manager on this database ({@code checkpoint_strategy: journal}). */
    StateConfig.Builder config();

    /** A journal manager on this database, not yet connected. */
    StateManager manager();

    /** A new auto-commit connection: the "application". */
    Connection connect() throws SQLException;

    default void exec(String... sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    /** Every row of {@code query}, each as "col=value|col=value", in the query's order. */
    default List<String> rows(String query) throws SQLException {
        try (Connection c = connect()) {
            return rows(c, query);
        }
    }

    /** {@link #rows(String)} of each query in turn on {@code c} (another user's connection, say). */
    static List<String> rows(Connection c, String... queries) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            for (String query : queries) {
                try (ResultSet rs = st.executeQuery(query)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder b = new StringBuilder();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            b.append(i > 1 ? "|" : "").append(md.getColumnLabel(i)).append('=').append(rs.getString(i));
                        }
                        out.add(b.toString());
                    }
                }
            }
        }
        return out;
    }

    /** The rows of every query in turn, each on a connection of its own: one snapshot to compare before and after. */
    default List<String> rows(String first, String... more) throws SQLException {
        List<String> all = new ArrayList<>(rows(first));
        for (String query : more) {
            all.addAll(rows(query));
        }
        return all;
    }
}
