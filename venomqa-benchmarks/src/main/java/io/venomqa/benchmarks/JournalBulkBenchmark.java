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
 * Row 6: an application's bulk write of {@value #ROWS} rows on its own connection while a
 * {@code journal} manager is connected, against the same write without manager and triggers.
 * {@code op=insert}: a JDBC batch in one transaction, with the drivers' batch rewriting on
 * ({@code reWriteBatchedInserts} for PostgreSQL, {@code rewriteBatchedStatements} for MariaDB, as
 * bulk loaders set them); {@code op=update} / {@code op=delete}: one {@code UPDATE} / {@code DELETE}
 * statement over all rows of the table, which were inserted before the call (not measured). The
 * table is emptied after every call, not measured: {@code reset()} on the journal side (which also
 * empties the journal), on the baseline side the statement that {@code reset()} uses for such a
 * table ({@code TRUNCATE} on PostgreSQL and MariaDB, {@code DELETE} on SQLite), so that both sides
 * start from an equally clean table (a {@code DELETE} leaves 100 000 dead rows and index entries
 * behind on PostgreSQL, which made the baseline's next insert slower than VenomQA's).
 */
@Compares(row = 6, what = "app's bulk write of 100 000 rows with journal triggers",
        baseline = "the same write without triggers", maxRatio = 2.0, maxRatioByParam = "backend=postgresql:1.5")
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class JournalBulkBenchmark {

    static final int ROWS = 100_000;

    @Param({Db.PG, Db.MARIADB, Db.SQLITE})
    public String backend;

    @Param({"insert", "update", "delete"})
    public String op;

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

    /** The rows an update or delete works on; inserted before each call, not measured. */
    @Setup(Level.Invocation)
    public void fill() throws SQLException {
        if (!op.equals("insert")) {
            bulk();
        }
    }

    @Benchmark
    public int venomqa() throws SQLException {
        return write();
    }

    @Benchmark
    public int baseline() throws SQLException {
        return write();
    }

    private int write() throws SQLException {
        if (op.equals("insert")) {
            return bulk().length;
        }
        try (Statement st = app.createStatement()) {
            int n = st.executeUpdate(op.equals("update") ? "update items set qty = qty + 1" : "delete from items");
            app.commit();
            return n;
        }
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
                st.executeUpdate(backend.equals(Db.SQLITE) ? "delete from items" : "truncate table items");
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
