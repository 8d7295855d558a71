package io.venomqa.benchmarks;

import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Row 4: {@code rollback} with the {@code journal} strategy after another connection changed
 * {@code k} rows (one auto-commit {@code UPDATE} of {@code k} rows, {@code times} times, made before
 * each call and not measured) of a table of {@code rows} rows, against getting a pristine database the way one would
 * without a journal: PostgreSQL {@code CREATE DATABASE … TEMPLATE} of the database (the measured
 * part; dropping the dirty copy afterwards is not measured, which favours the baseline), SQLite a
 * file copy of a saved database file over the live one, synced to disk (file and directory) so that
 * it is as durable as the rollback, which SQLite commits with {@code synchronous=FULL}.
 *
 * <p>The PostgreSQL side works in a database of its own (a template must have no other
 * connections, so it cannot be the shared {@code test}).
 */
@Compares(row = 4, what = "journal rollback of k changed rows in a table of N rows",
        baseline = "CREATE DATABASE … TEMPLATE (PostgreSQL) / copy of the database file, fsynced (SQLite)",
        maxRatio = Double.NaN, maxRatioByParam = "k=10,rows=1000000:0.01",
        flatIn = "rows", flatMaxRatio = 1.5)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class JournalRollbackBenchmark {

    private static final String PG_ADMIN = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @Param({Db.PG, Db.SQLITE})
    public String backend;

    @Param({"1000", "100000", "1000000"})
    public int rows;

    @Param({"1", "10", "100", "1000"})
    public int k;

    /**
     * How many times the {@code k} rows are updated (one auto-commit statement each) before the
     * rollback: 1 in the table's runs; more to measure a rollback whose rows were changed again and
     * again (a journey raising one balance at every step), as in docs/performance.md (run through
     * JMH's own main with {@code -p times=10}).
     */
    @Param({"1"})
    public int times;

    private String pgDatabase;
    private String pgClone;
    private Path sqliteDir;
    private Path sqliteFile;
    private Path sqliteSaved;
    private JdbcStateManager manager;
    private Connection app;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws SQLException, IOException {
        boolean venomqa = params.getBenchmark().endsWith(".venomqa");
        String url;
        if (backend.equals(Db.PG)) {
            pgDatabase = "vqb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            pgAdmin("create database " + pgDatabase);
            url = "postgresql://postgres@127.0.0.1:5432/" + pgDatabase;
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + pgDatabase + "?user=postgres");
                 Statement st = c.createStatement()) {
                st.execute("create table accounts (id integer primary key, name varchar(50) not null, balance integer not null)");
                st.execute("insert into accounts select g, 'account ' || g, 100 from generate_series(1, " + rows + ") g");
                st.execute("vacuum analyze accounts");
            }
        } else {
            sqliteDir = Files.createTempDirectory("venomqa-bench");
            sqliteFile = sqliteDir.resolve("bench.db");
            sqliteSaved = sqliteDir.resolve("saved.db");
            url = "sqlite:" + sqliteFile;
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile); Statement st = c.createStatement()) {
                st.execute("create table accounts (id integer primary key, name varchar(50) not null, balance integer not null)");
                st.execute("with recursive g(i) as (select 1 union all select i + 1 from g where i < " + rows + ") "
                        + "insert into accounts select i, 'account ' || i, 100 from g");
            }
            Files.copy(sqliteFile, sqliteSaved);
        }
        if (venomqa) {
            manager = (JdbcStateManager) StateManagers.create(StateConfig.builder()
                    .backend(backend).url(url).option("checkpoint_strategy", "journal").build());
            manager.connect();
            app = backend.equals(Db.PG)
                    ? DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + pgDatabase + "?user=postgres")
                    : DriverManager.getConnection("jdbc:sqlite:" + sqliteFile);
        }
    }

    @Setup(Level.Invocation)
    public void change() throws SQLException {
        if (manager != null) {
            manager.checkpoint("before_change");
            try (Statement st = app.createStatement()) {
                for (int i = 0; i < times; i++) {
                    st.executeUpdate("update accounts set balance = balance + 1 where id <= " + k);
                }
            }
        }
    }

    @Benchmark
    public JdbcStateManager venomqa() {
        manager.rollback("before_change");
        return manager;
    }

    @Benchmark
    public Object baseline() throws SQLException, IOException {
        if (backend.equals(Db.PG)) {
            pgClone = pgDatabase + "_clone";
            pgAdmin("create database " + pgClone + " template " + pgDatabase);
            return pgClone;
        }
        Files.copy(sqliteSaved, sqliteFile, StandardCopyOption.REPLACE_EXISTING);
        // As durable as the rollback it is compared with, which SQLite commits with synchronous=FULL
        // (its default, which VenomQA keeps): the copy's data, then the directory entry of the file
        // that REPLACE_EXISTING created anew.
        try (FileChannel file = FileChannel.open(sqliteFile, StandardOpenOption.WRITE)) {
            file.force(true);
        }
        try (FileChannel dir = FileChannel.open(sqliteDir, StandardOpenOption.READ)) {
            dir.force(true);
        }
        return sqliteFile;
    }

    @TearDown(Level.Invocation)
    public void afterCall() throws SQLException {
        if (manager != null) {
            manager.release("before_change");
        } else if (pgClone != null) {
            pgAdmin("drop database " + pgClone);
            pgClone = null;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException, IOException {
        if (app != null) {
            app.close();
        }
        if (manager != null) {
            manager.disconnect();
        }
        if (pgDatabase != null) {
            pgAdmin("drop database if exists " + pgDatabase);
        }
        if (sqliteDir != null) {
            try (Stream<Path> files = Files.walk(sqliteDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void pgAdmin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_ADMIN); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
