package io.venomqa.benchmarks;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

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
public class ResetBenchmark extends AbstractResetBenchmark {

    /**
     * On SQLite the connected manager holds the database's write lock from connect() to disconnect()
     * (no other connection can commit during a run), so its side fills through the manager's shared
     * DataSource: the rows are then the run's own, emptied and committed by the reset as before.
     */
    @Setup(Level.Invocation)
    public void fill() throws SQLException {
        if (manager != null && backend.equals(Db.SQLITE)) {
            try (Connection c = manager.sharedDataSource().getConnection()) {
                ResetSchema.fill(c);
            }
        } else {
            try (Connection c = db.open()) {
                ResetSchema.fill(c);
            }
        }
    }
}
