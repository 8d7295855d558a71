package io.venomqa.benchmarks;

import io.venomqa.state.CheckpointTree;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * Row 11: returning to a state at tree distance {@code d} on PostgreSQL with the {@code journal}
 * strategy. Two branches leave a common ancestor, one of {@code ceil(d/2)} moves and one of
 * {@code floor(d/2)}, each move one committed {@code UPDATE} of one row made by another connection
 * (the application's) and followed by a checkpoint. One operation goes from the end of one branch
 * to the end of the other (distance {@code d}); each call makes the trip there and back.
 * VenomQA: {@link CheckpointTree#restore} (the journal undoes to the ancestor and redoes down, no
 * application call). Baseline, what an explorer without the tree does: {@code rollback} to the
 * ancestor, then the same writes again through the application's connection, with a checkpoint after
 * each (the explorer checkpoints every state it replays through). Replaying real moves would cost
 * HTTP calls as well, so this baseline is the cheapest replay there is.
 */
@Compares(row = 12, what = "return to a state at tree distance d (PostgreSQL journal)",
        baseline = "rollback to the common ancestor + the same writes again", maxRatio = 1.0,
        maxRatioByParam = "d=1:NaN")
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TreeRestoreBenchmark {

    @Param({"1", "2", "3", "4", "5", "6", "7", "8"})
    public int d;

    private Db db;
    private JdbcStateManager manager;
    private CheckpointTree tree;
    private Connection app;
    private PreparedStatement write;
    private int left;
    private int right;
    private boolean treeBuilt;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        db = Db.create(Db.PG);
        db.exec("create table items (id integer primary key, n integer not null)",
                "insert into items select g, 0 from generate_series(1, 1000) g");
        manager = db.manager(db.config().option("checkpoint_strategy", "journal").build());
        manager.connect();
        tree = manager.checkpointTree().orElseThrow(() -> new IllegalStateException("the journal has no checkpoint tree"));
        app = db.open();
        write = app.prepareStatement("update items set n = n + 1 where id = ?");
        left = (d + 1) / 2;
        right = d / 2;
        manager.checkpoint("root");
        walk("l", left);
    }

    /** From the ancestor, {@code moves} writes with a checkpoint after each: rows 100·branch + i. */
    private void walk(String branch, int moves) throws SQLException {
        for (int i = 1; i <= moves; i++) {
            write.setInt(1, (branch.equals("l") ? 100 : 500) + i);
            write.executeUpdate();
            manager.checkpoint(branch + i);
        }
    }

    private static String end(String branch, int moves) {
        return moves == 0 ? "root" : branch + moves;
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public JdbcStateManager venomqa() throws SQLException {
        if (!treeBuilt) {
            // First (warm-up) call: the other branch, which the tree keeps; a rollback would forget it.
            tree.restore("root");
            walk("r", right);
            tree.restore(end("l", left));
            treeBuilt = true;
        }
        tree.restore(end("r", right));
        tree.restore(end("l", left));
        return manager;
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public JdbcStateManager baseline() throws SQLException {
        manager.rollback("root");
        walk("r", right);
        manager.rollback("root");
        walk("l", left);
        return manager;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        try {
            app.close();
            manager.disconnect();
        } finally {
            db.close();
        }
    }
}
