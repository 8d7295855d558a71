package io.venomqa.benchmarks;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

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
public class ResetEmptyBenchmark extends AbstractResetBenchmark {
}
