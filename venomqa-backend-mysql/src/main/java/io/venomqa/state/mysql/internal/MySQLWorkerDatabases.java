package io.venomqa.state.mysql.internal;

import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.JdbcWorkerDatabases;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * MySQL/MariaDB worker databases: a database per worker with the source's character set, every
 * table made from {@code SHOW CREATE TABLE} (indexes, foreign keys and the {@code AUTO_INCREMENT}
 * counter included), its rows copied with {@code INSERT … SELECT} (generated columns left to the
 * server), and the views made from {@code SHOW CREATE VIEW} with the source's name replaced by the
 * copy's. Triggers, routines and events are not copied: a source that has any is refused, naming
 * them, rather than copied without them. The liveness lock is the named lock
 * {@code GET_LOCK('venomqa.workers.<run>')}, held by the admin session.
 */
public final class MySQLWorkerDatabases extends JdbcWorkerDatabases {

    /** MySQL's and MariaDB's database-name limit, in characters. */
    private static final int MAX_NAME = 64;

    public MySQLWorkerDatabases(StateConfig source, JdbcDialect dialect) {
        super(source, dialect, MAX_NAME);
    }

    @Override
    protected List<String> list(Connection admin, String prefix) throws SQLException {
        return strings(admin, "select schema_name from information_schema.schemata "
                + "where left(schema_name, char_length(?)) = ? order by schema_name", prefix, prefix);
    }

    @Override
    protected boolean tryLock(Connection admin, String run) throws SQLException {
        return "1".equals(single(admin, "select get_lock(?, 0)", "venomqa.workers." + run));
    }

    @Override
    protected void unlock(Connection admin, String run) throws SQLException {
        single(admin, "select release_lock(?)", "venomqa.workers." + run);
    }

    @Override
    protected void create(Connection admin, String copy) throws SQLException {
        String source = sourceName();
        List<String> unsupported = strings(admin, "select concat('trigger ', trigger_name) from information_schema.triggers"
                + " where trigger_schema = ? union all select concat(lower(routine_type), ' ', routine_name)"
                + " from information_schema.routines where routine_schema = ? union all select concat('event ', event_name)"
                + " from information_schema.events where event_schema = ?", source, source, source);
        if (!unsupported.isEmpty()) {
            throw new SQLException("database '" + source + "' has " + unsupported + ", which worker databases do not copy"
                    + " (only tables, rows and views). Run with one worker, or move them out of the database under test.");
        }
        List<String> charset = strings(admin, "select concat(default_character_set_name, ' ', default_collation_name)"
                + " from information_schema.schemata where schema_name = ?", source);
        String[] cs = charset.isEmpty() ? new String[] {"utf8mb4", "utf8mb4_general_ci"} : charset.get(0).split(" ");
        String q = dialect().quote(copy);
        String from = dialect().quote(source);
        exec(admin, "create database " + q + " character set " + cs[0] + " collate " + cs[1]);
        String catalog = admin.getCatalog();
        try {
            exec(admin, "set foreign_key_checks = 0"); // tables in any order; rows as they are
            admin.setCatalog(copy);
            List<String> views = new ArrayList<>();
            for (String table : strings(admin, "select table_name from information_schema.tables"
                    + " where table_schema = ? and table_type = 'BASE TABLE' order by table_name", source)) {
                exec(admin, showCreate(admin, "table", from, table));
                String columns = String.join(", ", strings(admin, "select concat('`', replace(column_name, '`', '``'), '`')"
                        + " from information_schema.columns where table_schema = ? and table_name = ?"
                        + " and extra not like '%GENERATED%' order by ordinal_position", source, table));
                exec(admin, "insert into " + q + "." + dialect().quote(table) + " (" + columns + ") select " + columns
                        + " from " + from + "." + dialect().quote(table));
            }
            views.addAll(strings(admin, "select table_name from information_schema.views where table_schema = ?"
                    + " order by table_name", source));
            createViews(admin, from, q, views);
        } catch (SQLException | RuntimeException e) {
            try {
                drop(admin, copy);
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            admin.setCatalog(catalog);
            exec(admin, "set foreign_key_checks = 1");
        }
    }

    /** Views may read other views: make those that can be made until none is left or none succeeds. */
    private void createViews(Connection admin, String from, String to, List<String> views) throws SQLException {
        List<String> pending = new ArrayList<>(views);
        while (!pending.isEmpty()) {
            SQLException last = null;
            List<String> failed = new ArrayList<>();
            for (String view : pending) {
                try {
                    exec(admin, showCreate(admin, "view", from, view).replace(from + ".", to + "."));
                } catch (SQLException e) {
                    failed.add(view);
                    last = e;
                }
            }
            if (failed.size() == pending.size()) {
                throw last;
            }
            pending = failed;
        }
    }

    private String showCreate(Connection admin, String kind, String schema, String name) throws SQLException {
        try (Statement st = admin.createStatement();
             ResultSet rs = st.executeQuery("show create " + kind + " " + schema + "." + dialect().quote(name))) {
            rs.next();
            return rs.getString(2);
        }
    }

    @Override
    protected void drop(Connection admin, String copy) throws SQLException {
        exec(admin, "drop database if exists " + dialect().quote(copy));
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String single(Connection c, String sql, String... params) throws SQLException {
        List<String> rows = strings(c, sql, params);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static List<String> strings(Connection c, String sql, String... params) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
