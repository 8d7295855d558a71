package io.venomqa.benchmarks;

import io.venomqa.state.ChangeMark;
import io.venomqa.state.ChangeTracker;
import io.venomqa.state.DbChanges;
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

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * Row 10: a step that updates all {@value #ROWS} rows of a table, with the runner's change capture
 * around it (a mark before, the changes read after: what every step costs with {@code track_changes}
 * on), against the same update without capture. The manager is connected on both sides (with the
 * journal, its triggers record the update on both sides too), so the ratio is the capture alone. The
 * application writes through the manager's shared DataSource with the savepoint strategy, through a
 * connection of its own with the journal.
 */
@Compares(row = 10, what = "step updating 1 000 rows, change capture on", baseline = "the same step, capture off",
        maxRatio = 1.5)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ChangeCaptureBenchmark {

    static final int ROWS = 1000;

    @Param({Db.PG, Db.MARIADB, Db.SQLITE})
    public String backend;

    @Param({"savepoint", "journal"})
    public String strategy;

    private Db db;
    private JdbcStateManager manager;
    private ChangeTracker tracker;
    private Connection own;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        db = Db.create(backend);
        db.exec("create table accounts (id integer primary key, balance integer not null)");
        StringBuilder insert = new StringBuilder("insert into accounts (id, balance) values ");
        for (int i = 1; i <= ROWS; i++) {
            insert.append(i > 1 ? ", " : "").append('(').append(i).append(", 0)");
        }
        db.exec(insert.toString());
        manager = db.manager(db.config().option("checkpoint_strategy", strategy).option("track_changes", "true").build());
        manager.connect();
        tracker = manager.changeTracker().orElseThrow();
        if (strategy.equals("journal")) {
            own = db.open();
        }
    }

    /**
     * Each iteration (each batch of the paired mode) starts from the same table: with the savepoint
     * strategy every step's update stays in the manager's open transaction, whose dead row versions
     * every later statement scans, so without going back the cost of a step grew with how long the
     * trial had run, on both sides, and the ratio with it.
     */
    @Setup(Level.Iteration)
    public void startIteration() {
        manager.checkpoint("iteration");
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        manager.rollback("iteration");
        manager.release("iteration");
    }

    @Benchmark
    public DbChanges venomqa() throws SQLException {
        ChangeMark mark = tracker.mark();
        step();
        DbChanges changes = tracker.changesSince(mark);
        if (changes.updatedCount() != ROWS) {
            throw new IllegalStateException("expected " + ROWS + " updated rows, got " + changes.summary());
        }
        return changes;
    }

    @Benchmark
    public int baseline() throws SQLException {
        return step();
    }

    private int step() throws SQLException {
        if (own != null) {
            try (Statement st = own.createStatement()) {
                return st.executeUpdate("update accounts set balance = balance + 1");
            }
        }
        try (Connection c = manager.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            return st.executeUpdate("update accounts set balance = balance + 1");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        if (own != null) {
            own.close();
        }
        manager.disconnect();
        db.close();
    }
}
