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
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Row 6: an application's bulk insert of {@value #ROWS} rows on its own connection (a JDBC batch
 * in one transaction, with the drivers' batch rewriting on: {@code reWriteBatchedInserts} for
 * PostgreSQL, {@code rewriteBatchedStatements} for MariaDB, as bulk loaders set them) while a
 * {@code journal} manager is connected, against the same insert without manager and triggers.
 * The table is emptied after every call, not measured ({@code reset()} on the journal side, which
 * also empties the journal).
 */
@Compares(row = 6, what = "app's bulk insert of 100 000 rows with journal triggers",
        baseline = "the same batch without triggers", maxRatio = 2.0)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class JournalBulkBenchmark {

    static final int ROWS = 100_000;

    @Param({Db.PG, Db.MARIADB, Db.SQLITE})
    public String backend;

    private Db db;
    private JdbcStateManager manager;
    private Connection app;
    private PreparedStatement insert;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws SQLException {
        db = Db.create(backend);
        db.exec("create table items (id integer primary key, name varchar(100) not null, qty integer not null)");
        if (params.getBenchmark().endsWith(".venomqa")) {
            manager = db.manager(db.config().option("checkpoint_strategy", "journal").build());
            manager.connect();
        }
        app = openWithBatchRewrite();
        app.setAutoCommit(false);
        insert = app.prepareStatement("insert into items (id, name, qty) values (?, ?, ?)");
    }

    private Connection openWithBatchRewrite() throws SQLException {
        Properties extra = new Properties();
        switch (backend) {
            case Db.PG -> extra.setProperty("reWriteBatchedInserts", "true");
            case Db.MARIADB -> extra.setProperty("rewriteBatchedStatements", "true");
            default -> { }
        }
        return db.open(extra);
    }

    @Benchmark
    public int[] venomqa() throws SQLException {
        return bulk();
    }

    @Benchmark
    public int[] baseline() throws SQLException {
        return bulk();
    }

    private int[] bulk() throws SQLException {
        for (int i = 1; i <= ROWS; i++) {
            insert.setInt(1, i);
            insert.setString(2, "item " + i);
            insert.setInt(3, i % 10);
            insert.addBatch();
        }
        int[] counts = insert.executeBatch();
        app.commit();
        return counts;
    }

    @TearDown(Level.Invocation)
    public void empty() throws SQLException {
        if (manager != null) {
            manager.reset();
        } else {
            try (Statement st = app.createStatement()) {
                st.executeUpdate("delete from items");
            }
            app.commit();
        }
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
