package io.venomqa.explore.internal;

import io.venomqa.explore.ExplorationException;
import io.venomqa.state.StateManager;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.jdbc.spi.TableInfo;
import io.venomqa.state.memory.InMemoryStateManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one place that touches the optional backend modules (venomqa-backend-jdbc,
 * venomqa-backend-memory). A manager's kind is found by class name first, so neither module has to
 * be on the class path unless the manager in use comes from it; the nested classes that name their
 * types are loaded only then.
 */
public final class Backends {

    private static final String JDBC = "io.venomqa.state.jdbc.JdbcStateManager";
    private static final String MEMORY = "io.venomqa.state.memory.InMemoryStateManager";

    private Backends() {
    }

    /** Whether {@code m} is a SQL backend (extends {@code JdbcStateManager}). */
    public static boolean isSql(StateManager m) {
        return extendsClass(m, JDBC);
    }

    /** Whether {@code m} is the in-memory backend. */
    public static boolean isMemory(StateManager m) {
        return extendsClass(m, MEMORY);
    }

    private static boolean extendsClass(StateManager m, String name) {
        for (Class<?> c = m.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Rows of {@code sql} read on the manager's own connection. */
    public static List<Map<String, Object>> query(StateManager m, String sql, Object... params) {
        requireSql(m, "run SQL");
        return Sql.query(m, sql, params);
    }

    /** The rows of each query (no parameters), read on the manager's own connection in one guarded read. */
    public static List<List<Map<String, Object>>> queryEach(StateManager m, List<String> queries) {
        requireSql(m, "run SQL");
        return Sql.queryEach(m, queries);
    }

    /** The tracked tables, sorted by name, each with its quoted, schema-qualified name. */
    public static List<String[]> trackedTables(StateManager m) {
        requireSql(m, "read the tracked tables");
        return Sql.tables(m);
    }

    /**
     * The SQL expression of the database's fingerprint of a table ({@code JdbcDialect.tableFingerprint}),
     * when the backend has one: equal values mean the same rows in the same order.
     */
    public static java.util.Optional<String> tableFingerprint(StateManager m, String qualifiedTable, List<String> columns) {
        requireSql(m, "fingerprint a table");
        return Sql.fingerprint(m, qualifiedTable, columns);
    }

    /**
     * An expression reading a column with every digit where the driver's text drops some
     * ({@code JdbcDialect.exactRead}: MySQL's FLOAT), for a column whose values the driver gives as
     * {@code jdbcType}; empty where the column reads exactly as it is, or off SQL.
     *
     * @param qualifiedTable the table, qualified and quoted, as {@link #trackedTables} gives it
     * @param column         the column's name as a row's label gives it, unquoted
     */
    public static java.util.Optional<String> exactRead(StateManager m, String qualifiedTable, String column, int jdbcType,
                                                       String typeName) {
        return isSql(m) ? Sql.exactRead(m, qualifiedTable, column, jdbcType, typeName) : java.util.Optional.empty();
    }

    /**
     * Per tracked table, the columns {@code select *} leaves out ({@code JdbcDialect.hiddenColumnsQuery}:
     * MySQL's and H2's INVISIBLE columns); empty where there are none, or off SQL.
     */
    public static Map<String, List<String>> hiddenColumns(StateManager m) {
        return isSql(m) ? Sql.hiddenColumns(m) : Map.of();
    }

    /**
     * Every row of {@code qualifiedTable} with its {@code hidden} columns named after the star and
     * {@code extra} expressions after them ({@code JdbcDialect.selectEveryColumn}).
     */
    public static String selectEveryColumn(StateManager m, String qualifiedTable, List<String> hidden, List<String> extra) {
        requireSql(m, "read a table");
        return Sql.selectEveryColumn(m, qualifiedTable, hidden, extra);
    }

    /** {@code column} quoted as the manager's database quotes identifiers. */
    public static String quote(StateManager m, String column) {
        requireSql(m, "quote a column");
        return Sql.quote(m, column);
    }

    /**
     * A manager's digest of the tracked tables' contents ({@code ContentsDigest}, seen without naming its
     * module's type): its query, or else its row read by the manager; both empty once it is no longer valid.
     */
    public interface Digest {
        java.util.Optional<String> query();

        java.util.Optional<Map<String, String>> read();
    }

    /** The manager's digest, based now ({@code JdbcStateManager.contentsDigest()}); empty off SQL or when it has none. */
    public static java.util.Optional<Digest> contentsDigest(StateManager m) {
        return isSql(m) ? Sql.contentsDigest(m) : java.util.Optional.empty();
    }

    /** Row count of a tracked table. */
    public static long countRows(StateManager m, String table) {
        return Sql.count(m, table);
    }

    /** The in-memory store's entries, keys sorted. */
    public static Map<String, Object> memoryStore(StateManager m) {
        if (!isMemory(m)) {
            throw new ExplorationException("StateProjection.memoryStore() needs the in-memory backend, but the state manager is "
                    + m.backendName() + ". On a SQL backend use StateProjection.tableContents(), rowCounts() or sql(...).");
        }
        return Memory.store(m);
    }

    private static void requireSql(StateManager m, String what) {
        if (!isSql(m)) {
            throw new UnsupportedOperationException("Cannot " + what + ": the state manager (" + m.backendName()
                    + ") has no SQL database. On the in-memory backend, check the state through the API (o.client()) or the "
                    + "context, and identify states with StateProjection.memoryStore() or contextKeys(...).");
        }
    }

    private static final class Sql {
        static List<Map<String, Object>> query(StateManager m, String sql, Object... params) {
            return ((JdbcStateManager) m).queryRows(sql, params);
        }

        static List<List<Map<String, Object>>> queryEach(StateManager m, List<String> queries) {
            return ((JdbcStateManager) m).queryRowsEach(queries);
        }

        static List<String[]> tables(StateManager m) {
            JdbcStateManager j = (JdbcStateManager) m;
            TreeMap<String, String> sorted = new TreeMap<>();
            String schema = j.schemaName();
            for (TableInfo t : j.trackedTables()) {
                sorted.put(t.name(), j.dialect().qualify(schema, t.name()));
            }
            List<String[]> out = new ArrayList<>();
            sorted.forEach((name, qualified) -> out.add(new String[] {name, qualified}));
            return out;
        }

        static java.util.Optional<String> exactRead(StateManager m, String qualifiedTable, String column, int jdbcType,
                                                    String typeName) {
            JdbcStateManager j = (JdbcStateManager) m;
            return j.dialect().exactRead(qualifiedTable + "." + j.dialect().quote(column), jdbcType, typeName);
        }

        static Map<String, List<String>> hiddenColumns(StateManager m) {
            return ((JdbcStateManager) m).hiddenColumns();
        }

        static String selectEveryColumn(StateManager m, String qualifiedTable, List<String> hidden, List<String> extra) {
            return ((JdbcStateManager) m).dialect().selectEveryColumn(qualifiedTable, hidden, extra);
        }

        static String quote(StateManager m, String column) {
            return ((JdbcStateManager) m).dialect().quote(column);
        }

        static java.util.Optional<String> fingerprint(StateManager m, String qualifiedTable, List<String> columns) {
            return ((JdbcStateManager) m).dialect().tableFingerprint(qualifiedTable, columns);
        }

        static java.util.Optional<Digest> contentsDigest(StateManager m) {
            return ((JdbcStateManager) m).contentsDigest().map(d -> new Digest() {
                @Override
                public java.util.Optional<String> query() {
                    return d.query();
                }

                @Override
                public java.util.Optional<Map<String, String>> read() {
                    try {
                        return d.read();
                    } catch (java.sql.SQLException e) {
                        // The manager's wrapper turns database failures into its own exceptions; this is its contract's guard.
                        throw new IllegalStateException("Reading the contents digest failed: " + e.getMessage(), e);
                    }
                }
            });
        }

        static long count(StateManager m, String table) {
            return ((JdbcStateManager) m).countRows(table);
        }
    }

    private static final class Memory {
        static Map<String, Object> store(StateManager m) {
            return new TreeMap<>(((InMemoryStateManager) m).store().asMap());
        }
    }
}
