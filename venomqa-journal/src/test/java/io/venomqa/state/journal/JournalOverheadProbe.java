package io.venomqa.state.journal;

import io.venomqa.state.StateManager;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;

/**
 * A rough, by-hand measurement of what the journal triggers add to one auto-commit write of an
 * application (for docs/journal.md; proper JMH benchmarks belong to venomqa-benchmarks). Not a
 * test: run it with {@code java -cp <test class path> io.venomqa.state.journal.JournalOverheadProbe}.
 * Prints microseconds per single-row INSERT, UPDATE and DELETE statement, without and with the
 * journal, for each database; the statements of one kind run in one transaction so that the
 * commit's disk flush (which dwarfs the trigger on this machine) is left out. Best of five rounds.
 */
public final class JournalOverheadProbe {

    private static final int ROWS = 2000;

    private JournalOverheadProbe() {
    }

    interface Db extends AutoCloseable {
        Connection connect() throws SQLException;

        StateManager manager();
    }

    public static void main(String[] args) throws Exception {
        run("postgresql", () -> {
            PgDb pg = new PgDb();
            return new Db() {
                public Connection connect() throws SQLException { return pg.connect(); }
                public StateManager manager() { return pg.manager(); }
                public void close() throws SQLException { pg.close(); }
            };
        }, "create table w (id int primary key, a text, b timestamptz)");
        run("mariadb", () -> {
            MyDb my = new MyDb();
            return new Db() {
                public Connection connect() throws SQLException { return my.connect(); }
                public StateManager manager() { return my.manager(); }
                public void close() throws SQLException { my.close(); }
            };
        }, "create table w (id int primary key, a text, b timestamp(6) null)");
        run("sqlite", () -> {
            SqliteDb sq = new SqliteDb();
            return new Db() {
                public Connection connect() throws SQLException { return sq.connect(); }
                public StateManager manager() { return sq.manager(); }
                public void close() throws Exception { sq.close(); }
            };
        }, "create table w (id integer primary key, a text, b text)");
    }

    private static void run(String name, Supplier<Db> factory, String ddl) throws Exception {
        try (Db db = factory.get()) {
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute(ddl);
            }
            loop(db, 0); // warm-up
            double[] plain = best(db);
            StateManager m = db.manager();
            m.connect();
            double[] journaled;
            try {
                loop(db, 0);
                journaled = best(db);
            } finally {
                m.disconnect();
            }
            System.out.printf("%-10s µs per single-row statement: insert %.1f -> %.1f, update %.1f -> %.1f, delete %.1f -> %.1f%n",
                    name, plain[0], journaled[0], plain[1], journaled[1], plain[2], journaled[2]);
        }
    }

    private static double[] best(Db db) throws SQLException {
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        for (int round = 0; round < 5; round++) {
            double[] r = loop(db, ROWS);
            for (int k = 0; k < 3; k++) {
                best[k] = Math.min(best[k], r[k]);
            }
        }
        return best;
    }

    private static double[] loop(Db db, int rows) throws SQLException {
        int n = rows == 0 ? 300 : rows;
        double[] out = new double[3];
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            String[] sql = {"insert into w values (?, 'x', current_timestamp)", "update w set a = 'y' where id = ?",
                    "delete from w where id = ?"};
            for (int k = 0; k < 3; k++) {
                try (PreparedStatement ps = c.prepareStatement(sql[k])) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        ps.setInt(1, i);
                        ps.executeUpdate();
                    }
                    out[k] = (System.nanoTime() - t0) / 1000.0 / n;
                }
                c.commit();
            }
        }
        return out;
    }
}
