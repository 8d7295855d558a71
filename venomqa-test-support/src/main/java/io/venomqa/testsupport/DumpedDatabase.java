package io.venomqa.testsupport;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A database of its own on one of the test servers, for tests that must find it exactly as they
 * left it: tables {@code users(id, email)} and {@code orders(id, user_id → users)} with identity
 * columns and three rows each, and its full dump as the database's own tool prints it
 * ({@code pg_dump} of the schema, {@code mariadb-dump} of the database, {@code sqlite3 .dump}: rows,
 * identity counters, triggers, VenomQA's own tables), normalised only where the text changes
 * without the database changing. Comparing {@link #dump()} before and after is the whole check.
 *
 * <p>PostgreSQL: {@code VENOMQA_TEST_POSTGRES_URL}, else {@code postgresql://postgres@127.0.0.1:5432/test};
 * MariaDB/MySQL: {@code VENOMQA_TEST_MYSQL_URL}, else {@code mysql://root@127.0.0.1:3306/test}; SQLite: a
 * file in the given directory. An unreachable server fails with what is missing; nothing skips.
 * {@link #close()} drops the schema or database.
 */
public interface DumpedDatabase extends AutoCloseable {

    /** The kinds {@link #create} knows, as test parameters. */
    List<String> KINDS = List.of("postgresql", "mariadb", "sqlite");

    /** {@code postgresql}, {@code mariadb} or {@code sqlite}; {@code dir} holds the SQLite file. */
    static DumpedDatabase create(String kind, Path dir) throws SQLException {
        return switch (kind) {
            case "postgresql" -> new Pg();
            case "mariadb" -> new Maria();
            case "sqlite" -> new Sqlite(dir.resolve("shop.db"));
            default -> throw new IllegalArgumentException("Unknown database kind '" + kind + "', expected one of " + KINDS);
        };
    }

    /** {@code db_url} for VenomQA. */
    String dbUrl();

    /** {@code db_options} for VenomQA (PostgreSQL: the schema). */
    default Map<String, String> dbOptions() {
        return Map.of();
    }

    /** {@code db_url} and {@code db_options} as lines of venomqa.yaml. */
    default String yaml() {
        StringBuilder y = new StringBuilder("db_url: ").append(dbUrl()).append('\n');
        if (!dbOptions().isEmpty()) {
            y.append("db_options:\n");
            dbOptions().forEach((k, v) -> y.append("  ").append(k).append(": ").append(v).append('\n'));
        }
        return y.toString();
    }

    /** The JDBC URL an application (another connection, auto-commit) uses to reach the tables unqualified. */
    String appJdbc();

    /** The application's user; empty when the URL needs none. */
    default String appUser() {
        return "";
    }

    /** The application's password; empty when none. */
    default String appPassword() {
        return "";
    }

    /**
     * System properties ({@code key=value}) that tell a child JVM how "the application" connects:
     * {@code venomqa.test.app_jdbc}, {@code venomqa.test.app_user}, {@code venomqa.test.app_password};
     * the child opens that connection with {@link #applicationConnection()}.
     */
    default List<String> applicationProperties() {
        return List.of("venomqa.test.app_jdbc=" + appJdbc(), "venomqa.test.app_user=" + appUser(),
                "venomqa.test.app_password=" + appPassword());
    }

    /** In the child JVM: a new auto-commit connection as {@link #applicationProperties()} described it. */
    static Connection applicationConnection() throws SQLException {
        Properties p = new Properties();
        String user = System.getProperty("venomqa.test.app_user", "");
        if (!user.isEmpty()) {
            p.setProperty("user", user);
            p.setProperty("password", System.getProperty("venomqa.test.app_password", ""));
        }
        return DriverManager.getConnection(System.getProperty("venomqa.test.app_jdbc"), p);
    }

    /** The full dump, normalised where only the text, not the database, may differ. */
    String dump() throws IOException, InterruptedException;

    /**
     * The dump with every PostgreSQL {@code setval(s, v, is_called)} written as the value
     * {@code nextval()} will return: {@code setval(s, 4, false)} and {@code setval(s, 3, true)} are
     * the same state of the sequence for every later insert, and the savepoint strategy restores by
     * the next value.
     */
    static String withNextValues(String dump) {
        Matcher m = Pattern.compile("(?m)^SELECT pg_catalog\\.setval\\('([^']+)', (\\d+), (true|false)\\);$").matcher(dump);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            long next = Long.parseLong(m.group(2)) + (m.group(3).equals("true") ? 1 : 0);
            m.appendReplacement(out, Matcher.quoteReplacement("-- next value of " + m.group(1) + ": " + next));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The dump without identity counters (PostgreSQL sequences, InnoDB {@code AUTO_INCREMENT}): they
     * are not transactional, so after a process is killed nobody is left to put them back.
     */
    static String withoutCounters(String dump) {
        return dump.replaceAll(" AUTO_INCREMENT=\\d+", "").replaceAll("(?m)^SELECT pg_catalog.setval\\(.*$", "");
    }

    // ---- implementations --------------------------------------------------------------------------

    /** Runs a dump tool and returns what it printed; a failure names the tool and its error output. */
    private static String run(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException(cmd.get(0) + " is needed to compare the database before and after (install the "
                    + "database's client tools): " + e.getMessage(), e);
        }
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(cmd.get(0) + " failed: " + new String(err.join(), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void exec(Connection c, String... sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private static String randomName(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** A database on a server: where it is and who connects, from an environment variable or the default URL. */
    abstract class OnServer implements DumpedDatabase {
        final String host;
        final int port;
        final String user;
        final String password;
        final URI uri;

        OnServer(String env, String defaultUrl, String scheme, int defaultPort, String defaultUser) {
            String given = System.getenv(env);
            uri = URI.create((given == null || given.isBlank() ? defaultUrl : given.trim()).replaceFirst("^jdbc:", "")
                    .replaceFirst("^[a-z]+://", scheme + "://"));
            host = uri.getHost();
            port = uri.getPort() < 0 ? defaultPort : uri.getPort();
            String info = uri.getUserInfo() == null ? defaultUser : uri.getUserInfo();
            int colon = info.indexOf(':');
            user = colon < 0 ? info : info.substring(0, colon);
            password = colon < 0 ? "" : info.substring(colon + 1);
        }

        /** scheme://user[:password]@host:port/database */
        String url(String scheme, String database) {
            return scheme + "://" + user + (password.isEmpty() ? "" : ":" + password) + "@" + host + ":" + port + "/" + database;
        }

        @Override
        public String appUser() {
            return user;
        }

        @Override
        public String appPassword() {
            return password;
        }
    }

    /** A schema of its own on the PostgreSQL test server. */
    final class Pg extends OnServer {
        static final String ENV = "VENOMQA_TEST_POSTGRES_URL";
        private final String database;
        private final String schema = randomName("vqdump_");

        Pg() throws SQLException {
            super(ENV, "postgresql://postgres@127.0.0.1:5432/test", "postgresql", 5432, "postgres");
            database = uri.getPath().substring(1);
            try (Connection c = connect()) {
                exec(c, "create schema " + schema,
                        "create table " + schema + ".users (id serial primary key, email text not null)",
                        "create table " + schema + ".orders (id serial primary key, user_id int not null references "
                                + schema + ".users(id))",
                        "insert into " + schema + ".users(email) values ('a@example.com'), ('b@example.com'), ('c@example.com')",
                        "insert into " + schema + ".orders(user_id) values (1), (2), (3)");
            } catch (SQLException e) {
                throw new SQLException("These tests need PostgreSQL at " + host + ":" + port + " (user postgres, trust "
                        + "auth, database test) or " + ENV + " naming a server you may create schemas on: " + e.getMessage(), e);
            }
        }

        private Connection connect() throws SQLException {
            return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, user,
                    password.isEmpty() ? null : password);
        }

        @Override
        public String dbUrl() {
            return url("postgresql", database);
        }

        @Override
        public Map<String, String> dbOptions() {
            return Map.of("schema", schema);
        }

        @Override
        public String appJdbc() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?currentSchema=" + schema;
        }

        @Override
        public String dump() throws IOException, InterruptedException {
            Map<String, String> env = password.isEmpty() ? Map.of() : Map.of("PGPASSWORD", password);
            // The \restrict lines carry a random key (pg_dump 15.14+): not part of the database.
            String dump = run(List.of("pg_dump", "-h", host, "-p", Integer.toString(port), "-U", user,
                    "--schema=" + schema, "--no-owner", database), env).replaceAll("(?m)^\\\\(un)?restrict .*$", "");
            return sortedCopyBlocks(dump);
        }

        /**
         * The rows of each COPY block sorted: an undone UPDATE writes a new row version, so the physical
         * order (which pg_dump follows) may change while the table's contents are the same.
         */
        private static String sortedCopyBlocks(String dump) {
            StringBuilder out = new StringBuilder();
            List<String> rows = null;
            for (String line : dump.split("\n", -1)) {
                if (rows != null && !line.equals("\\.")) {
                    rows.add(line);
                    continue;
                }
                if (rows != null) {
                    rows.stream().sorted().forEach(r -> out.append(r).append('\n'));
                    rows = null;
                }
                out.append(line).append('\n');
                if (line.startsWith("COPY ") && line.endsWith("FROM stdin;")) {
                    rows = new ArrayList<>();
                }
            }
            return out.toString();
        }

        @Override
        public void close() throws SQLException {
            try (Connection c = connect()) {
                exec(c, "drop schema if exists " + schema + " cascade");
            }
        }
    }

    /** A database of its own on the MariaDB (or MySQL) test server. */
    final class Maria extends OnServer {
        static final String ENV = "VENOMQA_TEST_MYSQL_URL";
        private final String database = randomName("vqdump_");

        Maria() throws SQLException {
            super(ENV, "mysql://root@127.0.0.1:3306/test", "mysql", 3306, "root");
            try (Connection c = server()) {
                exec(c, "create database " + database,
                        "create table " + database + ".users (id int auto_increment primary key, email varchar(100) not null) engine=InnoDB",
                        "create table " + database + ".orders (id int auto_increment primary key, user_id int not null,"
                                + " foreign key (user_id) references " + database + ".users(id)) engine=InnoDB",
                        "insert into " + database + ".users(email) values ('a@example.com'), ('b@example.com'), ('c@example.com')",
                        "insert into " + database + ".orders(user_id) values (1), (2), (3)");
            } catch (SQLException e) {
                throw new SQLException("These tests need MariaDB/MySQL at " + host + ":" + port
                        + " (root, empty password) or " + ENV + ": " + e.getMessage(), e);
            }
        }

        private Connection server() throws SQLException {
            return DriverManager.getConnection("jdbc:mysql://" + host + ":" + port + "/", user, password);
        }

        @Override
        public String dbUrl() {
            return url("mariadb", database);
        }

        @Override
        public String appJdbc() {
            return "jdbc:mysql://" + host + ":" + port + "/" + database;
        }

        @Override
        public String dump() throws IOException, InterruptedException {
            return run(List.of("mariadb-dump", "-h", host, "-P", Integer.toString(port), "-u", user,
                    "--skip-dump-date", "--skip-comments", "--routines", "--triggers", "--databases", database),
                    password.isEmpty() ? Map.of() : Map.of("MYSQL_PWD", password));
        }

        @Override
        public void close() throws SQLException {
            try (Connection c = server()) {
                exec(c, "drop database if exists " + database);
            }
        }
    }

    /** A database file of its own. */
    final class Sqlite implements DumpedDatabase {
        private final Path file;

        Sqlite(Path file) throws SQLException {
            this.file = file;
            try (Connection c = DriverManager.getConnection(appJdbc())) {
                exec(c, "create table users (id integer primary key autoincrement, email text not null)",
                        "create table orders (id integer primary key autoincrement, user_id int not null references users(id))",
                        "insert into users(email) values ('a@example.com'), ('b@example.com'), ('c@example.com')",
                        "insert into orders(user_id) values (1), (2), (3)");
            }
        }

        @Override
        public String dbUrl() {
            return "sqlite:" + file;
        }

        @Override
        public String appJdbc() {
            return "jdbc:sqlite:" + file;
        }

        @Override
        public String dump() throws IOException, InterruptedException {
            return run(List.of("sqlite3", file.toString(), ".dump"), Map.of());
        }

        @Override
        public void close() {
            // the file goes with the caller's temporary directory
        }
    }
}
