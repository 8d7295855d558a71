package io.venomqa.benchmarks;

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

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Row 21: the journal's cycle (checkpoint, an application's auto-commit one-row {@code INSERT} on its own
 * connection, rollback, release) in a schema of {@code tables} journaled tables, each but the first referencing the
 * one before it. The undo costs what changed, one row here; what grows with the schema is the catalog read each
 * checkpoint and rollback makes to notice DDL the triggers cannot see (tables created, columns rewritten, objects
 * changed: docs/journal.md, "Schema changes during a run"). Measured to know that cost; no target.
 *
 * <p>The baseline (the same {@code INSERT}, then a {@code DELETE} of the row, both auto-commit) only gives the
 * row a scale. The tables are made once per trial and dropped with the database after it.
 */
@Compares(row = 21, what = "journal: checkpoint + app's 1-row insert + rollback, in a schema of N tables",
        baseline = "the same insert and a DELETE of it, auto-commit", maxRatio = Double.NaN)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JournalManyTablesBenchmark {

    @Param({Db.PG, Db.MARIADB})
    public String backend;

    /** Journaled tables in the schema. */
    @Param({"30", "300"})
    public int tables;

    private Db db;
    private JournalCycle cycle;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws SQLException {
        db = Db.create(backend);
        List<String> ddl = new ArrayList<>();
        for (int t = 0; t < tables; t++) {
            ddl.add("create table items" + t + " (" + db.idColumn() + ", name varchar(100) not null"
                    + (t == 0 ? "" : ", parent integer references items" + (t - 1) + " (id)") + ")");
        }
        db.exec(ddl.toArray(String[]::new));
        cycle = new JournalCycle(db, params.getBenchmark().endsWith(".venomqa"), "items0");
    }

    @Benchmark
    public int venomqa() throws SQLException {
        return cycle.venomqa();
    }

    @Benchmark
    public int baseline() throws SQLException {
        return cycle.baseline();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        if (cycle != null) {
            cycle.close();
        }
        db.close();
    }
}
