package io.venomqa.cli;

import io.venomqa.cli.support.InterruptedJourneys;
import io.venomqa.cli.support.PgDatabase;
import io.venomqa.cli.support.RunnerChild;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, bug 3: Ctrl-C (SIGINT) or SIGTERM in the middle of a run. A real child JVM runs a
 * journey that writes through "the application's" own connection (journal strategy) or through the
 * manager's shared DataSource (savepoint strategy), prints READY from a step and waits; the test
 * signals it and then compares a full dump of the database ({@code pg_dump} of the schema,
 * {@code mariadb-dump} of the database, {@code sqlite3 .dump}: rows, identity counters, triggers,
 * VenomQA's own tables) with the one taken before the run. Before the shutdown hook the journal's
 * triggers, tables and the application's rows stayed until a later connect().
 */
class InterruptedRunTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void dropDatabases() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    /** How the child is started: the command line, or a program using the runner as a library. */
    enum Mode { CLI, RUNNER, RUNNER_SHARED }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            "postgresql, INT,  CLI",
            "postgresql, TERM, CLI",
            "mariadb,    INT,  CLI",
            "mariadb,    TERM, CLI",
            "sqlite,     INT,  CLI",
            "sqlite,     TERM, CLI",
            "postgresql, TERM, RUNNER",
            "mariadb,    INT,  RUNNER",
            "sqlite,     TERM, RUNNER",
    })
    void aSignalDuringAJournalRunPutsTheDatabaseBackAsFound(String db, String signal, Mode mode) throws Exception {
        Db database = Db.create(db, dir);
        cleanup.add(database);
        Path yaml = dir.resolve("venomqa.yaml");
        Files.writeString(yaml, "base_url: http://127.0.0.1:9\n" + database.yaml() + "checkpoint_strategy: journal\n");
        String before = database.dump();

        Child child = Child.start(mode, yaml, database);
        String wrote = database.dump();
        assertThat(wrote).as("the run wrote before it was interrupted").isNotEqualTo(before);
        String output = child.signal(signal);

        assertThat(output).contains("venomqa: the JVM is shutting down during a run")
                .contains("venomqa: database put back as found and disconnected")
                .doesNotContain("COULD NOT");
        assertThat(database.dump()).as("full dump after SIG" + signal + "\n--- child output\n" + output).isEqualTo(before);
    }

    @org.junit.jupiter.api.Test
    void aSignalDuringASavepointRunRollsBackTheOpenTransactionAndTheSequences() throws Exception {
        Db database = Db.create("postgresql", dir);
        cleanup.add(database);
        Path yaml = dir.resolve("venomqa.yaml");
        Files.writeString(yaml, "base_url: http://127.0.0.1:9\n" + database.yaml() + "checkpoint_strategy: savepoint\n");
        String before = database.dump();

        Child child = Child.start(Mode.RUNNER_SHARED, yaml, database);
        String output = child.signal("TERM");

        assertThat(output).contains("✓ write_more").contains("venomqa: database put back as found and disconnected");
        // The savepoint strategy restores a sequence by its next value (setval(s, 4, false)); pg_dump may have
        // shown the same state as setval(s, 3, true): compared as the value nextval() will return.
        assertThat(nextValues(database.dump())).as("full dump after SIGTERM\n--- child output\n" + output)
                .isEqualTo(nextValues(before));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"postgresql", "mariadb", "sqlite"})
    void theSavepointStrategysOpenTransactionIsDiscardedWhenTheJvmDiesWithoutCleanup(String db) throws Exception {
        Db database = Db.create(db, dir);
        cleanup.add(database);
        Path yaml = dir.resolve("venomqa.yaml");
        Files.writeString(yaml, "base_url: http://127.0.0.1:9\n" + database.yaml() + "checkpoint_strategy: savepoint\n");
        String before = database.dump();

        Child child = Child.start(Mode.RUNNER_SHARED, yaml, database);
        String output = child.signal("KILL"); // no hook runs: only the server (or SQLite's rollback journal) can undo

        assertThat(output).contains("✓ write_more");
        // Identity counters are not transactional (PostgreSQL sequences, InnoDB AUTO_INCREMENT): after a kill -9
        // nobody is left to put them back (documented). Every row, and SQLite's counters, must be as before.
        assertThat(withoutCounters(database.dump())).as("full dump after SIGKILL\n--- child output\n" + output)
                .isEqualTo(withoutCounters(before));
    }

    private static String nextValues(String dump) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?m)^SELECT pg_catalog\\.setval\\('([^']+)', (\\d+), (true|false)\\);$").matcher(dump);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            long next = Long.parseLong(m.group(2)) + (m.group(3).equals("true") ? 1 : 0);
            m.appendReplacement(out, "-- next value of " + m.group(1) + ": " + next);
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String withoutCounters(String dump) {
        return dump.replaceAll(" AUTO_INCREMENT=\\d+", "").replaceAll("(?m)^SELECT pg_catalog.setval\\(.*$", "");
    }

    // ---- the child JVM ------------------------------------------------------------------------

    private record Child(Process process, StringBuilder seen, CompletableFuture<Void> reader) {

        static Child start(Mode mode, Path yaml, Db db) throws IOException, InterruptedException {
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                    "-Dvenomqa.test.app_jdbc=" + db.appJdbc(), "-Dvenomqa.test.app_user=" + db.appUser(),
                    "-Dvenomqa.test.app_password=" + db.appPassword()));
            if (mode == Mode.CLI) {
                cmd.addAll(List.of(VenomQACommand.class.getName(), "run", "-c", yaml.toString(),
                        "--class", InterruptedJourneys.class.getName()));
            } else {
                cmd.addAll(List.of(RunnerChild.class.getName(), yaml.toString()));
                if (mode == Mode.RUNNER_SHARED) {
                    cmd.add("shared");
                }
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            StringBuilder seen = new StringBuilder();
            CompletableFuture<Void> ready = new CompletableFuture<>();
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (seen) {
                            seen.append(line).append('\n');
                        }
                        if (line.equals("READY")) {
                            ready.complete(null);
                        }
                    }
                } catch (IOException e) {
                    // the process is gone; what was read is kept
                }
                ready.complete(null);
            });
            try {
                ready.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
                throw new AssertionError("The child JVM did not get ready:\n" + seen, e);
            }
            synchronized (seen) {
                if (!seen.toString().contains("READY\n")) {
                    throw new AssertionError("The child JVM ended before it was ready:\n" + seen);
                }
            }
            return new Child(p, seen, reader);
        }

        /** Sends the signal, waits for the JVM to end, and returns everything it printed. */
        String signal(String name) throws Exception {
            if (name.equals("KILL")) {
                process.destroyForcibly();
            } else {
                Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
                assertThat(kill.waitFor()).isZero();
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("The child JVM did not end after SIG" + name + ":\n" + seen);
            }
            reader.get(10, TimeUnit.SECONDS);
            return seen.toString();
        }
    }

    // ---- the databases ------------------------------------------------------------------------

    /** A database of its own with users and orders (→ users), identity columns, and three rows each. */
    private interface Db extends AutoCloseable {

        static Db create(String kind, Path dir) throws Exception {
            return switch (kind) {
                case "postgresql" -> new Pg();
                case "mariadb" -> new Maria();
                case "sqlite" -> new Sqlite(dir.resolve("shop.db"));
                default -> throw new IllegalArgumentException(kind);
            };
        }

        /** db_url and options for venomqa.yaml. */
        String yaml();

        String appJdbc();

        default String appUser() {
            return "";
        }

        default String appPassword() {
            return "";
        }

        /** The full dump, as the database's own tool prints it. */
        String dump() throws Exception;
    }

    static String run(List<String> cmd, java.util.Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError(cmd.get(0) + " failed: " + new String(err.join(), StandardCharsets.UTF_8));
        }
        return out;
    }

    static void exec(Connection c, String... sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private static final class Pg implements Db {
        final PgDatabase pg = new PgDatabase(); // users, orders, countries, flyway_schema_history

        Pg() throws SQLException {
            pg.exec("insert into " + pg.schema + ".users(email) values ('c@example.com')",
                    "insert into " + pg.schema + ".orders(user_id) values (3)");
        }

        @Override
        public String yaml() {
            return "db_url: " + pg.url + "\ndb_options: {schema: " + pg.schema + "}\n";
        }

        @Override
        public String appJdbc() {
            return "jdbc:postgresql://" + pg.host + ":" + pg.port + "/" + pg.database + "?currentSchema=" + pg.schema;
        }

        @Override
        public String appUser() {
            return pg.user;
        }

        @Override
        public String dump() throws Exception {
            String env = System.getenv(PgDatabase.ENV);
            String password = env == null ? null : URI.create(env.replaceFirst("^jdbc:", "")).getUserInfo();
            java.util.Map<String, String> vars = new java.util.HashMap<>();
            if (password != null && password.contains(":")) {
                vars.put("PGPASSWORD", password.substring(password.indexOf(':') + 1));
            }
            // The \\restrict lines carry a random key (pg_dump 15.14+): not part of the database.
            String dump = run(List.of("pg_dump", "-h", pg.host, "-p", Integer.toString(pg.port), "-U", pg.user,
                    "--schema=" + pg.schema, "--no-owner", pg.database), vars).replaceAll("(?m)^\\\\(un)?restrict .*$", "");
            return sortedCopyBlocks(dump);
        }

        /**
         * The rows of each COPY block sorted: an undone UPDATE writes a new row version, so the physical
         * order (which pg_dump follows) may change while the table's contents are the same.
         */
        static String sortedCopyBlocks(String dump) {
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
            pg.close();
        }
    }

    private static final class Maria implements Db {
        static final String ENV = "VENOMQA_TEST_MYSQL_URL";
        final String host;
        final int port;
        final String user;
        final String password;
        final String database = "vqint_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

        Maria() throws SQLException {
            String env = System.getenv(ENV);
            URI uri = URI.create((env == null || env.isBlank() ? "mysql://root@127.0.0.1:3306/test" : env.trim())
                    .replaceFirst("^jdbc:", "").replaceFirst("^mariadb://", "mysql://"));
            host = uri.getHost();
            port = uri.getPort() < 0 ? 3306 : uri.getPort();
            String info = uri.getUserInfo() == null ? "root" : uri.getUserInfo();
            user = info.contains(":") ? info.substring(0, info.indexOf(':')) : info;
            password = info.contains(":") ? info.substring(info.indexOf(':') + 1) : "";
            try (Connection c = server()) {
                exec(c, "create database " + database,
                        "create table " + database + ".users (id int auto_increment primary key, email varchar(100) not null) engine=InnoDB",
                        "create table " + database + ".orders (id int auto_increment primary key, user_id int not null,"
                                + " foreign key (user_id) references " + database + ".users(id)) engine=InnoDB",
                        "insert into " + database + ".users(email) values ('a@example.com'), ('b@example.com'), ('c@example.com')",
                        "insert into " + database + ".orders(user_id) values (1), (2), (3)");
            } catch (SQLException e) {
                throw new AssertionError("These tests need MariaDB/MySQL at " + host + ":" + port
                        + " (root, empty password) or " + ENV + ": " + e.getMessage(), e);
            }
        }

        Connection server() throws SQLException {
            return DriverManager.getConnection("jdbc:mysql://" + host + ":" + port + "/", user, password);
        }

        @Override
        public String yaml() {
            return "db_url: mariadb://" + user + (password.isEmpty() ? "" : ":" + password) + "@" + host + ":" + port
                    + "/" + database + "\n";
        }

        @Override
        public String appJdbc() {
            return "jdbc:mysql://" + host + ":" + port + "/" + database;
        }

        @Override
        public String appUser() {
            return user;
        }

        @Override
        public String appPassword() {
            return password;
        }

        @Override
        public String dump() throws Exception {
            return run(List.of("mariadb-dump", "-h", host, "-P", Integer.toString(port), "-u", user,
                    "--skip-dump-date", "--skip-comments", "--routines", "--triggers", "--databases", database),
                    password.isEmpty() ? java.util.Map.of() : java.util.Map.of("MYSQL_PWD", password));
        }

        @Override
        public void close() throws SQLException {
            try (Connection c = server()) {
                exec(c, "drop database if exists " + database);
            }
        }
    }

    private static final class Sqlite implements Db {
        final Path file;

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
        public String yaml() {
            return "db_url: sqlite:" + file + "\n";
        }

        @Override
        public String appJdbc() {
            return "jdbc:sqlite:" + file;
        }

        @Override
        public String dump() throws Exception {
            return run(List.of("sqlite3", file.toString(), ".dump"), java.util.Map.of());
        }

        @Override
        public void close() {
            // the file goes with the temporary directory
        }
    }
}
