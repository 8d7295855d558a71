package io.venomqa.benchmarks;

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
import org.openjdk.jmh.infra.BenchmarkParams;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * Row 5: an application's single-row auto-commit {@code INSERT} followed by an {@code UPDATE} of
 * that row, on its own connection, while a {@code journal} manager is connected (its triggers
 * record both), against the same two statements on the same table with no manager and no triggers.
 * Each auto-commit write ends in the database's commit (a disk flush), as in a real application.
 */
@Compares(row = 5, what = "app's auto-commit 1-row INSERT + UPDATE with journal triggers",
        baseline = "the same statements without triggers", maxRatio = 1.5)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JournalWriteBenchmark {

    @Param({Db.PG, Db.MARIADB, Db.SQLITE})
    public String backend;

    private Db db;
    private JdbcStateManager manager;
    private Connection app;
    private PreparedStatement insert;
    private PreparedStatement update;
    private int id;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws SQLException {
        db = Db.create(backend);
        db.exec("create table items (id integer primary key, name varchar(100) not null, qty integer not null)");
        if (params.getBenchmark().endsWith(".venomqa")) {
            manager = db.manager(db.config().option("checkpoint_strategy", "journal").build());
            manager.connect();
        }
        app = db.open();
        insert = app.prepareStatement("insert into items (id, name, qty) values (?, ?, 1)");
        update = app.prepareStatement("update items set qty = qty + 1 where id = ?");
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public int venomqa() throws SQLException {
        return write();
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public int baseline() throws SQLException {
        return write();
    }

    private int write() throws SQLException {
        int next = ++id;
        insert.setInt(1, next);
        insert.setString(2, "item " + next);
        insert.executeUpdate();
        update.setInt(1, next);
        return update.executeUpdate();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        app.close();
        if (manager != null) {
            manager.disconnect();
        }
        db.close();
    }
}
