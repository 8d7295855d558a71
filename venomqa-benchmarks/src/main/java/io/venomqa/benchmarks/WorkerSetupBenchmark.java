package io.venomqa.benchmarks;

import io.venomqa.state.StateManagers;
import io.venomqa.state.WorkerDatabases;
import io.venomqa.state.WorkerSet;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * Row 18: what one worker costs to set up, by backend: {@code workerDatabases().create(1)} and its
 * {@code close()} (one copy of a database of {@value #TABLES} tables × {@value #ROWS} rows made and
 * dropped, with VenomQA's admin session, liveness lock and scan for leftovers), against the same copy
 * made and dropped by hand the way each backend allows: {@code CREATE DATABASE … TEMPLATE} and
 * {@code DROP DATABASE} (PostgreSQL), {@code CREATE DATABASE}, {@code CREATE TABLE … LIKE} and
 * {@code INSERT … SELECT} per table, {@code DROP DATABASE} (MariaDB), a file copy and delete (SQLite;
 * VenomQA's {@code VACUUM INTO} is consistent while others write, a file copy is not). Each side
 * opens one admin connection per copy, as a script would. No target: the figures say what a worker
 * costs and what VenomQA's bookkeeping adds to the copy itself.
 */
@Compares(row = 18, what = "set-up of one worker database (8 tables × 1,000 rows): create(1) + close()",
        baseline = "the same copy by hand: CREATE DATABASE … TEMPLATE (PostgreSQL), CREATE TABLE … LIKE + INSERT … SELECT"
                + " per table (MariaDB), a file copy (SQLite); then dropped",
        maxRatio = Double.NaN)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class WorkerSetupBenchmark {

    static final int TABLES = 8;
    static final int ROWS = 1_000;

    @Param({"postgresql", "mariadb", "sqlite"})
    public String backend;

    private WorkerSource source;
    private WorkerDatabases copies;
    private int made;

    @Setup(Level.Trial)
    public void setUp() {
        source = WorkerSource.create(backend, TABLES, ROWS);
        copies = StateManagers.create(source.config()).workerDatabases().orElseThrow();
    }

    @Benchmark
    public String venomqa() {
        try (WorkerSet set = copies.create(1)) {
            return set.runId();
        }
    }

    @Benchmark
    public String baseline() throws SQLException, IOException {
        String copy = source.name + "_hand_" + (++made);
        switch (backend) {
            case Db.PG -> {
                try (Connection c = source.open("postgres"); Statement st = c.createStatement()) {
                    st.execute("create database " + copy + " template " + source.name);
                    st.execute("drop database " + copy);
                }
            }
            case Db.MARIADB -> {
                try (Connection c = source.open("test"); Statement st = c.createStatement()) {
                    st.execute("create database " + copy);
                    for (int t = 0; t < TABLES; t++) {
                        st.execute("create table " + copy + ".t" + t + " like " + source.name + ".t" + t);
                        st.execute("insert into " + copy + ".t" + t + " select * from " + source.name + ".t" + t);
                    }
                    st.execute("drop database " + copy);
                }
            }
            default -> {
                Path to = source.file(copy);
                Files.copy(source.file(source.name), to);
                Files.delete(to);
            }
        }
        return copy;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        source.close();
    }
}
