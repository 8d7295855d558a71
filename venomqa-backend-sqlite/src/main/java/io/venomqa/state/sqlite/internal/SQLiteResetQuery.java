package io.venomqa.state.sqlite.internal;

import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.TableInfo;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * What a SQLite reset needs to know before it writes: which of its tables hold a row, and which
 * have a row in {@code sqlite_sequence} (an {@code AUTOINCREMENT} counter that moved). One compound
 * {@code SELECT}, kept prepared for the session ({@link JdbcSession#cached}) because compiling it
 * for 50 tables cost about 200 µs against 15 µs to run it; it is prepared again when the tables
 * change and closed with the session's schema.
 *
 * <p>{@code sqlite_sequence} is looked for once, when the statement is prepared: SQLite creates it
 * with the first {@code AUTOINCREMENT} table and never drops it, and a table the plan names was
 * there when the schema was read, so its counter row can only be in a {@code sqlite_sequence} that
 * existed then.
 */
public final class SQLiteResetQuery implements AutoCloseable {

    /** The key of this statement in the session's cache. */
    public static final String CACHE_KEY = "sqlite.reset.query";

    /** SQLite allows 500 terms in a compound select by default: one statement per this many tables. */
    private static final int CHUNK = 400;

    private final boolean hasSequenceTable;
    private List<String> preparedFor; // null: nothing prepared
    private final List<PreparedStatement> statements = new ArrayList<>();

    /** What the query found, in the plan's order. */
    public record Found(List<TableInfo> withRows, List<String> counted) {
    }

    public SQLiteResetQuery(JdbcSession session) throws SQLException {
        try (Statement st = session.connection().createStatement();
             ResultSet rs = st.executeQuery("select 1 from sqlite_master where type = 'table' and name = 'sqlite_sequence'")) {
            hasSequenceTable = rs.next();
        }
    }

    /** Runs the query for {@code tables} (preparing it first when they are not those of the last run). */
    public Found run(JdbcSession session, List<TableInfo> tables) throws SQLException {
        List<String> names = tables.stream().map(TableInfo::name).toList();
        if (!names.equals(preparedFor)) {
            close();
            prepare(session, tables);
            preparedFor = names;
        }
        boolean[] has = new boolean[tables.size()];
        Set<String> counters = new HashSet<>();
        for (int chunk = 0; chunk < statements.size(); chunk++) {
            try (ResultSet rs = statements.get(chunk).executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt(1) < 0) {
                        counters.add(rs.getString(2));
                    } else {
                        has[chunk * CHUNK + rs.getInt(1)] = true;
                    }
                }
            }
        }
        List<TableInfo> withRows = new ArrayList<>();
        List<String> counted = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            if (has[i]) {
                withRows.add(tables.get(i));
            }
            if (counters.contains(names.get(i))) {
                counted.add(names.get(i));
            }
        }
        return new Found(withRows, counted);
    }

    private void prepare(JdbcSession session, List<TableInfo> tables) throws SQLException {
        for (int from = 0; from < tables.size() || from == 0; from += CHUNK) {
            List<TableInfo> chunk = tables.subList(from, Math.min(tables.size(), from + CHUNK));
            StringJoiner sql = new StringJoiner(" union all ");
            if (from == 0 && hasSequenceTable) {
                sql.add("select -1, name from sqlite_sequence");
            }
            for (int i = 0; i < chunk.size(); i++) {
                sql.add("select " + i + ", null where exists (select 1 from " + session.qualified(chunk.get(i).name()) + ")");
            }
            if (sql.length() == 0) {
                return; // no table and no counters: nothing to ask
            }
            statements.add(session.connection().prepareStatement(sql.toString()));
        }
    }

    @Override
    public void close() throws SQLException {
        SQLException failed = null;
        for (PreparedStatement ps : statements) {
            try {
                ps.close();
            } catch (SQLException e) {
                failed = e;
            }
        }
        statements.clear();
        preparedFor = null;
        if (failed != null) {
            throw failed;
        }
    }
}
