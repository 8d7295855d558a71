package io.venomqa.benchmarks;

import io.venomqa.state.jdbc.JdbcStateManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What rows 2 and 3 share: 50 FK-linked tables ({@link ResetSchema}), {@code reset()} against the loop
 * a user would write ({@link ResetSchema#loop}). The manager is only connected in the trial that
 * measures it, so that its open connection cannot slow the baseline down. The subclasses differ only
 * in what the tables hold when each call starts (JMH runs inherited {@code @Benchmark}, {@code @Setup}
 * and {@code @Param} members under the subclass's name).
 */
@State(Scope.Thread)
public abstract class AbstractResetBenchmark {

    @Param({Db.PG, Db.MARIADB, Db.SQLITE})
    public String backend;

    protected Db db;
    protected JdbcStateManager manager;
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
