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
 * Row 2: {@code reset()} of 50 tables linked by foreign keys with 100 rows each, against the loop a
 * user would write ({@link ResetSchema#loop}). The rows are put back before every call, outside the
 * measured time. The manager is only connected in the trial that measures it, so that its open
 * connection cannot slow the baseline down.
 */
@Compares(row = 2, what = "reset() of 50 FK-linked tables × 100 rows",
        baseline = "TRUNCATE t CASCADE per table (PostgreSQL) / DELETE per table children first (MariaDB, SQLite), one commit",
        maxRatio = 1 / 2.0, maxRatioByParam = "backend=postgresql:0.3333")
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ResetBenchmark {

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

    @Setup(Level.Invocation)
    public void fill() throws SQLException {
        ResetSchema.fill(db);
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
