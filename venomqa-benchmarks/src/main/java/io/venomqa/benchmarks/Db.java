package io.venomqa.benchmarks;

import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.spi.ConnectionSpec;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.mysql.MySQLDialect;
import io.venomqa.state.postgres.PostgreSQLDialect;
import io.venomqa.state.sqlite.SQLiteDialect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A scratch schema of the benchmark machine's databases: a random schema in PostgreSQL's database
 * {@code test}, a random database on MariaDB, a SQLite file in a temporary directory. Created by
 * {@link #create(String)}, removed by {@link #close()}. The servers are those of the development
 * machine (127.0.0.1, users {@code postgres} / {@code root}, trust or empty password); the
 * {@code VENOMQA_BENCH_POSTGRES_HOST}-style overrides are deliberately absent: numbers only mean
 * something on the machine they were measured on, which the summary names.
 *
 * <p>Raw connections (the baselines and the "other process" writers) are opened from the dialect's
 * own {@link ConnectionSpec}, so they carry the same driver properties as the manager's connection
 * and the comparison is between the work done, not between connection settings.
 */
final class Db implements AutoCloseable {

    static final String PG = "postgresql";
    static final String MARIADB = "mariadb";
    static final String SQLITE = "sqlite";

    final String backend;
    final String name;
    private final Path dir;
    private final JdbcDialect dialect;

    private Db(String backend, String name, Path dir) {
        this.backend = backend;
        this.name = name;
        this.dir = dir;
        this.dialect = switch (backend) {
            case PG -> new PostgreSQLDialect();
            case MARIADB -> new MySQLDialect();
            case SQLITE -> new SQLiteDialect();
            default -> throw new IllegalArgumentException("Unknown backend " + backend);
        };
    }

    /** A new, empty schema (PostgreSQL), database (MariaDB) or file (SQLite). */
    static Db create(String backend) {
        String name = "vqb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            Db db = switch (backend) {
                case SQLITE -> new Db(backend, name, Files.createTempDirectory("venomqa-bench"));
                default -> new Db(backend, name, null);
            };
            if (!backend.equals(SQLITE)) {
                db.admin(backend.equals(PG) ? "create schema " + name : "create database " + name);
            }
            return db;
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("Cannot create a scratch " + backend + " schema for the benchmark. The "
                    + "benchmarks need PostgreSQL at 127.0.0.1:5432 (user postgres, database test) and MariaDB at "
                    + "127.0.0.1:3306 (user root, database test): " + e.getMessage(), e);
        }
    }

    /** The VenomQA URL of this schema. */
    String url() {
        return switch (backend) {
            case PG -> "postgresql://postgres@127.0.0.1:5432/test";
            case MARIADB -> "mysql://root@127.0.0.1:3306/" + name;
            default -> "sqlite:" + file();
        };
    }

    Path file() {
        return dir.resolve(name + ".db");
    }

    /** The manager's configuration for this schema (savepoint strategy unless changed). */
    StateConfig.Builder config() {
        StateConfig.Builder b = StateConfig.builder().backend(backend.equals(MARIADB) ? "mysql" : backend).url(url());
        return backend.equals(PG) ? b.option("schema", name) : b;
    }

    JdbcStateManager manager(StateConfig config) {
        return (JdbcStateManager) StateManagers.create(config);
    }

    /** A raw auto-commit connection to this schema, with the properties the manager would use. */
    Connection open() throws SQLException {
        return open(new Properties());
    }

    /** {@link #open()} with extra driver properties. */
    Connection open(Properties extra) throws SQLException {
        ConnectionSpec spec = dialect.connectionSpec(config().build(), Duration.ofSeconds(10));
        Properties props = spec.properties();
        props.putAll(extra);
        Connection c = dialect.openConnection(new ConnectionSpec(spec.jdbcUrl(), props, spec.displayUrl()));
        if (backend.equals(PG)) {
            try (Statement st = c.createStatement()) {
                st.execute("set search_path to " + name);
            }
        }
        return c;
    }

    /** Runs statements on a fresh auto-commit connection. */
    void exec(String... sql) throws SQLException {
        try (Connection c = open(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    /** SQL to declare an auto-numbered integer primary key column {@code id}. */
    String idColumn() {
        return switch (backend) {
            case PG -> "id serial primary key";
            case MARIADB -> "id integer auto_increment primary key";
            default -> "id integer primary key autoincrement";
        };
    }

    /** Server or library version, for the summary. */
    String version() throws SQLException {
        try (Connection c = open(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(backend.equals(SQLITE) ? "select sqlite_version()" : "select version()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void admin(String sql) throws SQLException {
        // On the server databases, create/drop the scratch schema from the database every user has.
        String url = backend.equals(PG) ? "postgresql://postgres@127.0.0.1:5432/test" : "mysql://root@127.0.0.1:3306/test";
        StateConfig cfg = StateConfig.builder().backend(backend.equals(PG) ? PG : "mysql").url(url).build();
        try (Connection c = dialect.openConnection(dialect.connectionSpec(cfg, Duration.ofSeconds(10)));
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Override
    public void close() {
        try {
            switch (backend) {
                case PG -> admin("drop schema if exists " + name + " cascade");
                case MARIADB -> admin("drop database if exists " + name);
                default -> {
                    try (Stream<Path> files = Files.walk(dir)) {
                        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        } catch (SQLException | IOException e) {
            System.err.println("warning: could not drop " + backend + " scratch schema " + name + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return backend.toLowerCase(Locale.ROOT) + " " + name;
    }
}
