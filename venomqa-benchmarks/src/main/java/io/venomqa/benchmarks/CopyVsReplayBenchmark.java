package io.venomqa.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.venomqa.http.Client;
import io.venomqa.http.Response;
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

import java.io.IOException;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Row 19: bringing a second worker to a branch's checkpoint. What VenomQA does ({@code venomqa}):
 * the worker replays the journey's main line, here {@value #PREFIX_STEPS} calls to its API, each of
 * which waits {@code waitMs} (as a real API waits for its database or network) and inserts a row in
 * the worker's database. The alternative the issue asks to measure ({@code baseline}): copying the
 * checkpoint's database state from the worker that got there (its connection is open, as a worker's
 * is) into the second worker's database: per table, delete every row, read the first worker's rows and
 * insert them in batches, in one transaction, over {@value #TABLES} tables of {@code rows} rows.
 *
 * <p>Why a row copy and not the backend's fast copy: at a checkpoint the state is the savepoint
 * strategy's open transaction (only that connection sees it) or, with the journal strategy, committed
 * rows of a database the API is connected to; a PostgreSQL template clone refuses a source with any
 * session, a SQLite file copy is inconsistent while it is written, and MariaDB has no database-level
 * copy at all. This row copy is a lower bound for a real one, which must also put back identity
 * counters, follow foreign keys and leave the journal's triggers alone. No target: the ratio
 * (replay / copy) says which is cheaper where; above 1, copying would have been faster.
 */
@Compares(row = 19, what = "bring a worker to a checkpoint: replay of a 3-call main line (VenomQA today)",
        baseline = "copy the checkpoint's rows (8 tables) from the worker that got there", maxRatio = Double.NaN)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CopyVsReplayBenchmark {

    static final int TABLES = 8;
    static final int PREFIX_STEPS = 3;

    static {
        // As for PingServer: without TCP_NODELAY every call meets the client's delayed ACK (~40 ms on Linux).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    @Param({"postgresql", "mariadb", "sqlite"})
    public String backend;

    @Param({"100", "10000"})
    public int rows;

    @Param({"0", "20"})
    public int waitMs;

    private WorkerSource first;
    private WorkerSource second;
    private Connection atCheckpoint;
    private Connection worker;
    private Connection apiConnection;
    private HttpServer api;
    private Client client;
    private int nextId;

    @Setup(Level.Trial)
    public void setUp() throws SQLException, IOException {
        first = WorkerSource.create(backend, TABLES, rows);
        second = first.sibling("_second", rows);
        atCheckpoint = first.open(first.name);
        try (PreparedStatement ps = atCheckpoint.prepareStatement("insert into t0 (id, label, amount) values (?, 'written by the main line', 1)")) {
            for (int i = 1; i <= PREFIX_STEPS; i++) {
                ps.setInt(1, rows + i); // what the main line wrote before the checkpoint
                ps.executeUpdate();
            }
        }
        worker = second.open(second.name);
        apiConnection = second.open(second.name);
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        api.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "copy-vs-replay-api");
            t.setDaemon(true); // the forked JVM must end when the measurement does
            return t;
        }));
        api.createContext("/write", x -> {
            int status = 201;
            try {
                if (waitMs > 0) {
                    Thread.sleep(waitMs);
                }
                write();
            } catch (InterruptedException | SQLException e) {
                status = 500;
            }
            byte[] body = "{\"ok\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            x.sendResponseHeaders(status, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        api.start();
        client = new Client("http://127.0.0.1:" + api.getAddress().getPort());
    }

    /** The API's write: one row in the second worker's database, committed. */
    private synchronized void write() throws SQLException {
        try (PreparedStatement ps = apiConnection.prepareStatement("insert into t0 (id, label, amount) values (?, 'written by the main line', 1)")) {
            ps.setInt(1, ++nextId);
            ps.executeUpdate();
        }
    }

    /** The second worker back at the journey's start: without the main line's rows (outside the timing). */
    @Setup(Level.Invocation)
    public void backToStart() throws SQLException {
        try (Statement st = worker.createStatement()) {
            st.execute("delete from t0 where id > " + rows);
        }
        nextId = rows;
    }

    @Benchmark
    public int venomqa() {
        int ok = 0;
        for (int i = 0; i < PREFIX_STEPS; i++) {
            Response r = client.post("/write", "{}");
            if (r.statusCode() != 201) {
                throw new IllegalStateException("the API failed: HTTP " + r.statusCode());
            }
            ok++;
        }
        return ok;
    }

    @Benchmark
    public int baseline() throws SQLException {
        int copied = 0;
        worker.setAutoCommit(false);
        try (Statement read = atCheckpoint.createStatement(); Statement clear = worker.createStatement()) {
            for (int t = 0; t < TABLES; t++) {
                clear.execute("delete from t" + t);
                try (ResultSet rs = read.executeQuery("select id, label, amount from t" + t);
                     PreparedStatement ps = worker.prepareStatement("insert into t" + t + " (id, label, amount) values (?, ?, ?)")) {
                    while (rs.next()) {
                        ps.setInt(1, rs.getInt(1));
                        ps.setString(2, rs.getString(2));
                        ps.setInt(3, rs.getInt(3));
                        ps.addBatch();
                        copied++;
                    }
                    ps.executeBatch();
                }
            }
            worker.commit();
        } finally {
            worker.setAutoCommit(true);
        }
        return copied;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        api.stop(0);
        atCheckpoint.close();
        worker.close();
        apiConnection.close();
        first.close();
    }
}
