package io.venomqa.state.journal;

import io.venomqa.state.StateConfig;
import io.venomqa.state.mysql.MySQLStateManager;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * A database of its own on the test MariaDB/MySQL server (127.0.0.1:3306, root, empty password),
 * dropped by {@link #close()}. Unreachable: fails with a message saying so, never skips.
 */
final class MyDb implements JournalDb {

    static final String HOST = "127.0.0.1";
    static final int PORT = 3306;
    static final String USER = "root";

    final String name = "vqj_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    private final List<MySQLStateManager> tracked = new ArrayList<>();

    MyDb() {
        try (Connection c = DriverManager.getConnection(jdbc(""), props()); Statement st = c.createStatement()) {
            st.execute("create database `" + name + "` character set utf8mb4");
        } catch (SQLException e) {
            throw new AssertionError("The journal tests need MariaDB/MySQL at " + HOST + ":" + PORT + " (user " + USER
                    + ", empty password) and none is reachable: " + e.getMessage(), e);
        }
    }

    static String jdbc(String db) {
        return "jdbc:mysql://" + HOST + ":" + PORT + "/" + db + "?useUnicode=true&characterEncoding=UTF-8";
    }

    static Properties props() {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("password", "");
        return p;
    }

    String url() {
        return "mysql://" + USER + "@" + HOST + ":" + PORT + "/" + name;
    }

    @Override
    public StateConfig.Builder config() {
        return StateConfig.builder().backend("mysql").url(url()).option("checkpoint_strategy", "journal");
    }

    @Override
    public MySQLStateManager manager() {
        return new MySQLStateManager(config().build());
    }

    @Override
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbc(name), props());
    }

    /**
     * A manager of this database that {@link #close()} disconnects before dropping it; a disconnect
     * that fails there is ignored, since the tests that expect one assert it themselves.
     */
    MySQLStateManager trackedManager() {
        return track(manager());
    }

    /** {@code m}, made one of the managers {@link #close()} disconnects (see {@link #trackedManager()}). */
    MySQLStateManager track(MySQLStateManager m) {
        tracked.add(m);
        return m;
    }

    /**
     * Every row of every application table, each value through {@code quote()} and binary ones in
     * hex, sorted in Java (an {@code order by} under a case-insensitive collation could hide a
     * difference), then the {@code AUTO_INCREMENT} counters and the application's triggers: what an
     * exact rollback must leave as it found it.
     */
    List<String> dump() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(); Statement st = c.createStatement()) {
            List<String[]> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("select table_name, group_concat(case when data_type like '%blob' "
                    + "or data_type like '%binary' then concat('hex(`', column_name, '`)') "
                    + "else concat('quote(`', column_name, '`)') end order by ordinal_position "
                    + "separator ', ''|'', ') from information_schema.columns where table_schema = database() "
                    + "and table_name not like 'venomqa%' group by table_name order by table_name")) {
                while (rs.next()) {
                    tables.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            for (String[] t : tables) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("select concat_ws('', " + t[1] + ") from `" + t[0] + "`")) {
                    while (rs.next()) {
                        rows.add(t[0] + " " + rs.getString(1));
                    }
                }
                Collections.sort(rows);
                out.addAll(rows);
            }
            try (ResultSet rs = st.executeQuery("select table_name, auto_increment from information_schema.tables "
                    + "where table_schema = database() and table_name not like 'venomqa%' order by 1")) {
                while (rs.next()) {
                    out.add("auto_increment " + rs.getString(1) + " " + rs.getString(2));
                }
            }
            try (ResultSet rs = st.executeQuery("select concat(event_object_table, '.', trigger_name) from "
                    + "information_schema.triggers where event_object_schema = database() and trigger_name not like 'venomqa%' "
                    + "order by 1")) {
                while (rs.next()) {
                    out.add("trigger " + rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Runs SQL in the mariadb command-line client: another process with its own connection. */
    String cli(String sql) {
        return Cli.run(List.of("mariadb", "-h", HOST, "-P", String.valueOf(PORT), "-u", USER,
                "--default-character-set=utf8mb4", "-N", "-B", name), sql);
    }

    @Override
    public void close() throws SQLException {
        for (MySQLStateManager m : tracked) {
            try {
                m.disconnect();
            } catch (RuntimeException alreadyAsserted) {
                // see trackedManager()
            }
        }
        tracked.clear();
        try (Connection c = DriverManager.getConnection(jdbc(""), props()); Statement st = c.createStatement()) {
            st.execute("drop database if exists `" + name + "`");
        }
    }
}
