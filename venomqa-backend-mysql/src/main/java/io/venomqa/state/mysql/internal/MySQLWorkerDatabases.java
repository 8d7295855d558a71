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
 * server) in one serializable transaction, so that a copy is the source at one moment even while the
 * application writes it, copies 2 to n made from copy 1 so that all hold the same state, stored procedures and functions and triggers made again from {@code SHOW CREATE …} under
 * the {@code sql_mode} they were made with (triggers after the rows, in their firing order), and the
 * views made from {@code SHOW CREATE VIEW} with the source's name replaced by the copy's, MariaDB
 * sequences made from {@code SHOW CREATE SEQUENCE} and going on where the source's do (the tables'
 * {@code NEXT VALUE FOR} defaults naming the copy's). What cannot
 * be copied faithfully is refused, naming it, rather than copied without it or wrongly: events (a
 * copy would run them on its own schedule), a routine or trigger whose body names the source
 * database (its copy would write there), one whose definition the user may not read, and VenomQA's
 * own journal triggers (a journal run is connected). The liveness lock is the named lock
 * {@code GET_LOCK('venomqa.workers.<run>')}, held by the admin session.
 */
public final class MySQLWorkerDatabases extends JdbcWorkerDatabases {

    /** How long dropping a copy waits for sessions that still use it. */
    private static final int DROP_WAIT_SECONDS = 10;

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
        String source = firstCopy(copy) == null ? sourceName() : firstCopy(copy);
        List<String> events = strings(admin, "select concat('event ', event_name) from information_schema.events"
                + " where event_schema = ? order by event_name", source);
        if (!events.isEmpty()) {
            throw new SQLException("database '" + source + "' has " + events + ", which worker databases do not copy (a copy"
                    + " would run them on its own schedule). Run with one worker, or move them out of the database under test.");
        }
        // Definitions first, so that a source that cannot be copied faithfully is refused before anything is made.
        List<Definition> routines = routines(admin, source);
        List<Definition> triggers = triggers(admin, source);
        List<String> charset = strings(admin, "select concat(default_character_set_name, ' ', default_collation_name)"
                + " from information_schema.schemata where schema_name = ?", source);
        String[] cs = charset.isEmpty() ? new String[] {"utf8mb4", "utf8mb4_general_ci"} : charset.get(0).split(" ");
        String q = dialect().quote(copy);
        String from = dialect().quote(source);
        exec(admin, "create database " + q + " character set " + cs[0] + " collate " + cs[1]);
        String catalog = admin.getCatalog();
        String sqlMode = single(admin, "select @@session.sql_mode");
        try {
            exec(admin, "set foreign_key_checks = 0"); // tables in any order; rows as they are
            admin.setCatalog(copy);
            List<String> views = new ArrayList<>();
            // MariaDB sequences before the tables whose defaults take from them, each going on where the
            // source's does (its next value read without using one up); the tables' defaults then name
            // the copy's sequence, not the source's (MariaDB writes them qualified: nextval(`db`.`s`)).
            for (String sequence : strings(admin, "select table_name from information_schema.tables"
                    + " where table_schema = ? and table_type = 'SEQUENCE' order by table_name", source)) {
                exec(admin, showCreate(admin, "sequence", from, sequence));
                Long next = MySQLSequences.peekNext(admin, from + "." + dialect().quote(sequence));
                if (next != null) {
                    MySQLSequences.restartQuoted(admin, q + "." + dialect().quote(sequence), next);
                } else {
                    throw new SQLException("Sequence " + sequence + " of " + source + " has run out, and a copy cannot be made "
                            + "to run out at the same point. Run with one worker, or restart the sequence.");
                }
            }
            List<String> tables = strings(admin, "select table_name from information_schema.tables"
                    + " where table_schema = ? and table_type in " + io.venomqa.state.mysql.MySQLDialect.BASE_TABLE_TYPES
                    + " order by table_name", source);
            List<String> copies = new ArrayList<>();
            for (String table : tables) {
                exec(admin, showCreate(admin, "table", from, table).replace("nextval(" + from + ".", "nextval(" + q + "."));
                String columns = String.join(", ", strings(admin, "select concat('`', replace(column_name, '`', '``'), '`')"
                        + " from information_schema.columns where table_schema = ? and table_name = ?"
                        + " and extra not like '%GENERATED%' order by ordinal_position", source, table));
                copies.add("insert into " + q + "." + dialect().quote(table) + " (" + columns + ") select " + columns
                        + " from " + from + "." + dialect().quote(table));
            }
            // All rows in one serializable transaction, after the DDL (which commits): its reads take shared
            // locks held to the end, so the copy is the source at one moment even while the application
            // writes it (table by table on their own, a child could be copied without the parent committed
            // with it). Writers wait for the copy; a deadlock with one fails the copy, loudly.
            exec(admin, "set transaction isolation level serializable");
            exec(admin, "start transaction");
            try {
                for (String insert : copies) {
                    exec(admin, insert);
                }
                exec(admin, "commit");
            } catch (SQLException | RuntimeException e) {
                try {
                    exec(admin, "rollback");
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            // Routines before the views and triggers that may call them; triggers after the rows, which
            // are the source's as they are (a trigger firing on the copy's INSERT … SELECT would change them).
            for (Definition r : routines) {
                r.create(admin);
            }
            views.addAll(strings(admin, "select table_name from information_schema.views where table_schema = ?"
                    + " order by table_name", source));
            createViews(admin, from, q, views);
            for (Definition t : triggers) {
                t.create(admin);
            }
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
            setSqlMode(admin, sqlMode);
        }
    }

    /**
     * A routine or trigger as the server shows it ({@code SHOW CREATE …}), made again in the copy (the
     * admin session's current database) under the {@code sql_mode} it was created with, since the mode
     * changes what its body means.
     */
    private record Definition(String what, String sqlMode, String statement) {
        void create(Connection admin) throws SQLException {
            setSqlMode(admin, sqlMode);
            try {
                exec(admin, statement);
            } catch (SQLException e) {
                throw new SQLException("could not make " + what + " in the copy: " + e.getMessage()
                        + (e.getErrorCode() == 1227 ? " (the user of db_url needs the privilege to create it with its DEFINER:"
                        + " SET USER on MariaDB, SET_USER_ID or SUPER on MySQL; or run with one worker)" : ""), e.getSQLState(),
                        e.getErrorCode(), e);
            }
        }
    }

    private static void setSqlMode(Connection c, String mode) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("set session sql_mode = ?")) {
            ps.setString(1, mode == null ? "" : mode);
            ps.execute();
        }
    }

    /** The source's stored procedures and functions, each with the statement that makes it again. */
    private List<Definition> routines(Connection admin, String source) throws SQLException {
        List<Definition> out = new ArrayList<>();
        try (PreparedStatement ps = admin.prepareStatement("select routine_type, routine_name from information_schema.routines"
                + " where routine_schema = ? order by routine_type, routine_name")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String kind = rs.getString(1).toLowerCase(java.util.Locale.ROOT);
                    out.add(definition(admin, kind, rs.getString(2), source));
                }
            }
        }
        return out;
    }

    /**
     * The source's triggers in the order the server fires them (per table, event and timing, by
     * {@code ACTION_ORDER}, which making them again in that order keeps). VenomQA's own journal
     * triggers mean a journal run is connected to the source, or ended without cleaning up: refused.
     */
    private List<Definition> triggers(Connection admin, String source) throws SQLException {
        List<String> names = strings(admin, "select trigger_name from information_schema.triggers where event_object_schema = ?"
                + " order by event_object_table, action_timing, event_manipulation, action_order", source);
        List<String> journal = names.stream().filter(n -> n.startsWith("venomqa_journal")).toList();
        if (!journal.isEmpty()) {
            throw new SQLException("database '" + source + "' has VenomQA's journal triggers " + journal + ": a journal run is"
                    + " connected to it, or one ended without cleaning up. Make the workers before connecting the state manager of"
                    + " the database under test; after a crash, connect and disconnect it once (the journal recovers), then make them.");
        }
        List<Definition> out = new ArrayList<>();
        for (String name : names) {
            out.add(definition(admin, "trigger", name, source));
        }
        return out;
    }

    private Definition definition(Connection admin, String kind, String name, String source) throws SQLException {
        String what = kind + " " + name;
        String sqlMode;
        String statement;
        try (Statement st = admin.createStatement();
             ResultSet rs = st.executeQuery("show create " + kind + " " + dialect().quote(source) + "." + dialect().quote(name))) {
            if (!rs.next()) {
                throw new SQLException("database '" + source + "': " + what + " vanished while it was being copied; try again.");
            }
            sqlMode = rs.getString(2);
            statement = rs.getString(3);
        }
        if (statement == null) {
            throw new SQLException("database '" + source + "': the user of db_url may not read the definition of " + what
                    + " (MariaDB shows it to its definer and to users with SHOW CREATE ROUTINE or SELECT on mysql.proc), so a"
                    + " worker copy would lack it. Grant that, or run with one worker.");
        }
        if (namesDatabase(statement, source)) {
            throw new SQLException("database '" + source + "': " + what + " names the database itself ('" + source + "."
                    + "…'), so its copy would read or write the database under test instead of the worker's own. Leave the"
                    + " database name out of its body, or run with one worker.");
        }
        return new Definition(what, sqlMode, statement);
    }

    /** Whether {@code sql} qualifies a name with database {@code db} ({@code db.x} or {@code `db`.x}, any case). */
    static boolean namesDatabase(String sql, String db) {
        String name = java.util.regex.Pattern.quote(db);
        String quoted = java.util.regex.Pattern.quote(db.replace("`", "``"));
        return java.util.regex.Pattern.compile("(?i)(?<![A-Za-z0-9_$`])(" + name + "|`" + quoted + "`)\\s*\\.")
                .matcher(sql).find();
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
        // A session with an open transaction that read the copy holds a metadata lock that would block the drop
        // for the server's lock_wait_timeout (a year by default): give up after 10 s, and the set's close says
        // to disconnect what uses it (the next run drops the copy as a leftover).
        String was = single(admin, "select @@session.lock_wait_timeout");
        exec(admin, "set session lock_wait_timeout = " + DROP_WAIT_SECONDS);
        try {
            exec(admin, "drop database if exists " + dialect().quote(copy));
        } finally {
            exec(admin, "set session lock_wait_timeout = " + Long.parseLong(was));
        }
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
