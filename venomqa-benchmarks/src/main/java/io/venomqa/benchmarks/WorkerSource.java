package io.venomqa.benchmarks;

import io.venomqa.state.StateConfig;
import io.venomqa.state.WorkerDatabases;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A database of its own for rows 18 and 19 (worker copies need a whole database, not a schema: a
 * PostgreSQL template clone copies a database and refuses while anyone is connected to it): a
 * database on the local PostgreSQL or MariaDB server, or a SQLite file, holding {@code tables} tables
 * {@code t0 …} of {@code rows} rows each ({@code id}, a text and a number column). {@link #close()}
 * drops it and every worker copy of it.
 */
final class WorkerSource implements AutoCloseable {

    final String backend;
    final String name;
    final int tables;
    private final Path dir;

    private WorkerSource(String backend, String name, int tables, Path dir) {
        this.backend = backend;
        this.name = name;
        this.tables = tables;
        this.dir = dir;
    }

    static WorkerSource create(String backend, int tables, int rows) {
        return create(backend, "vqb_w_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10), tables, rows);
    }

    /** A database called {@code name} on the same server (or directory) as this one, same shape. */
    WorkerSource sibling(String suffix, int rows) {
        return create(backend, name + suffix, tables, rows, dir);
    }

    private static WorkerSource create(String backend, String name, int tables, int rows) {
        try {
            return create(backend, name, tables, rows, backend.equals(Db.SQLITE) ? Files.createTempDirectory("venomqa-bench-w") : null);
        } catch (IOException e) {
            throw new IllegalStateException("no temporary directory: " + e.getMessage(), e);
        }
    }

    private static WorkerSource create(String backend, String name, int tables, int rows, Path dir) {
        WorkerSource s = new WorkerSource(backend, name, tables, dir);
        try {
            if (!backend.equals(Db.SQLITE)) {
                s.admin("create database " + name);
            }
            try (Connection c = s.open(name); Statement st = c.createStatement()) {
                for (int t = 0; t < tables; t++) {
                    st.execute("create table t" + t + " (id integer primary key, label varchar(40) not null, amount integer not null)");
                }
                s.fill(c, rows);
            }
            return s;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create a " + backend + " database for the worker benchmarks (PostgreSQL at"
                    + " 127.0.0.1:5432 user postgres, MariaDB at 127.0.0.1:3306 user root): " + e.getMessage(), e);
        }
    }

    /** Puts {@code rows} rows in every table (ids 1 … rows), in one transaction. */
    void fill(Connection c, int rows) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        for (int t = 0; t < tables; t++) {
            try (PreparedStatement ps = c.prepareStatement("insert into t" + t + " (id, label, amount) values (?, ?, ?)")) {
                for (int r = 1; r <= rows; r++) {
                    ps.setInt(1, r);
                    ps.setString(2, "row " + r + " of t" + t);
                    ps.setInt(3, r * 7);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        c.commit();
        c.setAutoCommit(auto);
    }

    /** The configuration of this database for a state manager. */
    StateConfig config() {
        return StateConfig.builder().backend(backend.equals(Db.MARIADB) ? "mysql" : backend).url(url(name)).build();
    }

    String url(String database) {
        return switch (backend) {
            case Db.PG -> "postgresql://postgres@127.0.0.1:5432/" + database;
            case Db.MARIADB -> "mysql://root@127.0.0.1:3306/" + database;
            default -> "sqlite:" + file(database);
        };
    }

    Path file(String database) {
        return dir.resolve(database + ".db");
    }

    /** A new auto-commit connection to database {@code database} of this server (or directory). */
    Connection open(String database) throws SQLException {
        Properties p = new Properties();
        return switch (backend) {
            case Db.PG -> {
                p.setProperty("user", "postgres");
                p.setProperty("reWriteBatchedInserts", "true"); // a copy would batch its inserts as well as it can
                yield DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, p);
            }
            case Db.MARIADB -> {
                p.setProperty("user", "root");
                p.setProperty("rewriteBatchedStatements", "true");
                yield DriverManager.getConnection("jdbc:mysql://127.0.0.1:3306/" + database, p);
            }
            default -> DriverManager.getConnection("jdbc:sqlite:" + file(database));
        };
    }

    /** Runs one statement on the server's administration database ({@code postgres} / {@code test}). */
    void admin(String sql) throws SQLException {
        try (Connection c = open(backend.equals(Db.PG) ? "postgres" : "test"); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Drops this database and every database or file named after it ({@code <name>_…}: siblings, worker copies). */
    @Override
    public void close() {
        try {
            if (backend.equals(Db.SQLITE)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
                return;
            }
            List<String> names = new ArrayList<>();
            String list = backend.equals(Db.PG) ? "select datname from pg_database" : "select schema_name from information_schema.schemata";
            try (Connection c = open(backend.equals(Db.PG) ? "postgres" : "test"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery(list)) {
                while (rs.next()) {
                    if (rs.getString(1).startsWith(name)) {
                        names.add(rs.getString(1));
                    }
                }
            }
            for (String n : names) {
                admin(backend.equals(Db.PG) ? "drop database if exists " + n + " with (force)" : "drop database if exists " + n);
            }
        } catch (SQLException | IOException e) {
            System.err.println("warning: could not drop " + backend + " database " + name + " (and its "
                    + WorkerDatabases.NAME_INFIX + " copies): " + e.getMessage());
        }
    }
}
