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
 * Row 20: a MariaDB journal's cycle (checkpoint, an application's auto-commit one-row {@code INSERT} on its own
 * connection, rollback, release) in a database of 20 tables, with {@code others} other databases on the same
 * server, each of 5 tables with 3 triggers: what parallel workers' journals, or other projects' schemas, put on a
 * shared server. VenomQA's time must stay flat in {@code others} (the summary's "flat in others" line): until
 * 2026-12-06 each of the journal's trigger reads, one at every checkpoint and one at every rollback, made MariaDB
 * parse every trigger of every database on the server ({@code information_schema.TRIGGERS} filtered on
 * {@code TRIGGER_SCHEMA}, which is not the column the server looks tables up by).
 *
 * <p>The baseline (the same {@code INSERT}, then a {@code DELETE} of the row, both auto-commit) only gives the
 * row a scale; the ratio to it has no target. The other databases are made once per trial and dropped after it.
 */
@Compares(row = 20, what = "MariaDB journal: checkpoint + app's 1-row insert + rollback, other databases' triggers on the server",
        baseline = "the same insert and a DELETE of it, auto-commit", maxRatio = Double.NaN,
        flatIn = "others", flatMaxRatio = 1.10)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JournalOtherDatabasesBenchmark {

    /** Other databases on the server, 5 tables with 3 triggers each: 0 or 600 triggers in all. */
    @Param({"0", "40"})
    public int others;

    private Db db;
    private final List<Db> elsewhere = new ArrayList<>();
    private JournalCycle cycle;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws SQLException {
        for (int i = 0; i < others; i++) {
            Db other = Db.create(Db.MARIADB);
            elsewhere.add(other);
            List<String> ddl = new ArrayList<>();
            for (int t = 0; t < 5; t++) {
                ddl.add("create table t" + t + " (id integer primary key, v integer)");
                for (String event : new String[] {"insert", "update", "delete"}) {
                    ddl.add("create trigger t" + t + "_" + event + " after " + event + " on t" + t
                            + " for each row set @bench_" + event + " = 1");
                }
            }
            other.exec(ddl.toArray(String[]::new));
        }
        db = Db.create(Db.MARIADB);
        List<String> tables = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            tables.add("create table items" + t + " (" + db.idColumn() + ", name varchar(100) not null)");
        }
        db.exec(tables.toArray(String[]::new));
        cycle = new JournalCycle(db, params.getBenchmark().endsWith(".venomqa"), "items3");
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
        elsewhere.forEach(Db::close);
        elsewhere.clear();
    }
}
