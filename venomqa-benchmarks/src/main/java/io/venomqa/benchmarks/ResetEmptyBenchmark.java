package io.venomqa.benchmarks;

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

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * Row 3: {@code reset()} of the 50 tables of row 2 when they are already empty, against the loop a
 * user would write ({@link ResetSchema#loop}). Nothing is written between calls: the common case of a reset before a journey that
 * found the database clean. The manager is only connected in the trial that measures it, so that its open
 * connection cannot slow the baseline down.
 */
@Compares(row = 3, what = "reset() of the 50 tables, already empty",
        baseline = "TRUNCATE t CASCADE per table (PostgreSQL) / DELETE per table children first (MariaDB, SQLite), one commit",
        maxRatio = 1 / 10.0)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ResetEmptyBenchmark {

    @Param({Db.PG, Db.MARIADB, Db.SQLITE})
    public String backend;

    private Db db;
    private JdbcStateManager manager;
    private Connection raw;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws SQLException {
        db = Db.create(backend);
        ResetSchema.create(db);
        if (params.getBenchmark().endsWith(".venomqa")) {
            manager = ResetSchema.connectedManager(db);
        } else {
            raw = db.open();
            raw.setAutoCommit(false);
        }
    }

    @Benchmark
    public JdbcStateManager venomqa() {
        manager.reset();
        return manager;
    }

    @Benchmark
    public Connection baseline() throws SQLException {
        ResetSchema.loop(db, raw);
        return raw;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        if (manager != null) {
            manager.disconnect();
        }
        if (raw != null) {
            raw.close();
        }
        db.close();
    }
}
