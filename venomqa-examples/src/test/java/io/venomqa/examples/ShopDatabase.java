package io.venomqa.examples;

import io.venomqa.core.CredentialMasker;
import io.venomqa.core.DatabaseUrl;
import io.venomqa.examples.shop.ShopApp;
import io.venomqa.state.StateConfig;
import io.venomqa.state.WorkerDatabases;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A database of one test's own holding the shop's schema and catalogue, on SQLite (a file in a
 * temporary directory), PostgreSQL or MariaDB (the shared local servers, or
 * {@code VENOMQA_TEST_POSTGRES_URL} / {@code VENOMQA_TEST_MYSQL_URL}); it lists the worker copies
 * made of it, and {@link #close()} drops it and any copy left. Fails, never skips, without a server.
 */
final class ShopDatabase implements AutoCloseable {

    enum Kind { SQLITE, POSTGRESQL, MARIADB }

    private final Kind kind;
    private final String serverUrl;
    private final String name;
    private final java.nio.file.Path dir;

    private ShopDatabase(Kind kind, String serverUrl, String name, java.nio.file.Path dir) {
        this.kind = kind;
        this.serverUrl = serverUrl;
        this.name = name;
        this.dir = dir;
    }

    static ShopDatabase create(Kind kind, java.nio.file.Path dir) throws Exception {
        String name = "vqshop_w_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String server = switch (kind) {
            case SQLITE -> null;
            case POSTGRESQL -> env("VENOMQA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test");
            case MARIADB -> env("VENOMQA_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/test");
        };
        ShopDatabase db = new ShopDatabase(kind, server, name, dir);
        if (kind != Kind.SQLITE) {
            try (Connection c = db.open(DatabaseUrl.parse(server).database()); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new AssertionError("This test needs a " + kind + " server and none is usable at "
                        + CredentialMasker.maskUrl(server) + " (" + e.getMessage() + "). Start the local server or set "
                        + (kind == Kind.POSTGRESQL ? "VENOMQA_TEST_POSTGRES_URL" : "VENOMQA_TEST_MYSQL_URL") + ".", e);
            }
        }
        try (Connection c = db.open(name)) {
            ShopApp.createSchema(c);
        }
        return db;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    /** The state manager configuration of this database (savepoint strategy, the shop's API in this JVM). */
    StateConfig config() {
        return switch (kind) {
            case SQLITE -> StateConfig.builder().backend("sqlite").url("jdbc:sqlite:" + dir.resolve(name + ".db")).build();
            case POSTGRESQL -> StateConfig.builder().backend("postgresql").url(DatabaseUrl.parse(serverUrl).withDatabase(name))
                    .option("allow_remote", true).build();
            case MARIADB -> StateConfig.builder().backend("mysql").url(DatabaseUrl.parse(serverUrl).withDatabase(name))
                    .option("allow_remote", true).build();
        };
    }

    /** The worker copies of this database that exist now. */
    List<String> copies() throws Exception {
        String prefix = name + WorkerDatabases.NAME_INFIX;
        if (kind == Kind.SQLITE) {
            try (Stream<java.nio.file.Path> files = Files.list(dir)) {
                return files.map(p -> p.getFileName().toString()).filter(f -> f.startsWith(prefix) && !f.startsWith(".")).toList();
            }
        }
        String sql = kind == Kind.POSTGRESQL ? "SELECT datname FROM pg_database WHERE datname LIKE '" + name + "%'"
                : "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE '" + name + "%'";
        List<String> out = new ArrayList<>();
        try (Connection c = open(DatabaseUrl.parse(serverUrl).database()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                if (rs.getString(1).startsWith(prefix)) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** PostgreSQL: the shop's schema {@code public} and its worker copies as schemas ({@code public_vqw_…}) in this database. */
    List<String> schemas() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = open(name); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT nspname FROM pg_namespace WHERE nspname = 'public' OR nspname LIKE 'public\\_vqw\\_%' ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** The number of rows in the shop's {@code users} and {@code orders} tables of this database. */
    long userAndOrderRows() throws SQLException {
        try (Connection c = open(name); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM orders)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The user an application connects as (SQLite has none: any name does). */
    String user() {
        if (kind == Kind.SQLITE) {
            return "shop";
        }
        DatabaseUrl u = DatabaseUrl.parse(serverUrl);
        return u.user() == null ? (kind == Kind.POSTGRESQL ? "postgres" : "root") : u.user();
    }

    private Connection open(String database) throws SQLException {
        if (kind == Kind.SQLITE) {
            return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(database + ".db"));
        }
        DatabaseUrl u = DatabaseUrl.parse(serverUrl);
        Properties p = new Properties();
        p.setProperty("user", user());
        if (u.password() != null) {
            p.setProperty("password", u.password());
        }
        String scheme = kind == Kind.POSTGRESQL ? "jdbc:postgresql://" : "jdbc:mysql://";
        int port = u.port() != null ? u.port() : kind == Kind.POSTGRESQL ? 5432 : 3306;
        return DriverManager.getConnection(scheme + u.host() + ":" + port + "/" + database, p);
    }

    @Override
    public void close() throws Exception {
        if (kind == Kind.SQLITE) {
            return; // the temporary directory goes with the test
        }
        List<String> all = new ArrayList<>(copies());
        all.add(name);
        try (Connection c = open(DatabaseUrl.parse(serverUrl).database()); Statement s = c.createStatement()) {
            for (String db : all) {
                s.execute(kind == Kind.POSTGRESQL ? "DROP DATABASE IF EXISTS \"" + db + "\" WITH (FORCE)" : "DROP DATABASE IF EXISTS `" + db + "`");
            }
        }
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
