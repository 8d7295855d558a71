package io.venomqa.state.journal;

import io.venomqa.state.CheckpointNotFoundException;
import io.venomqa.state.CheckpointTree;
import io.venomqa.state.StateManager;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded, randomized differential tester of the journal strategy: a random schema and a random workload
 * written by the application's own connection (auto-commit, or explicit transactions that commit or roll
 * back), with checkpoints, rollbacks and tree restores in between. The oracle is a full dump taken by the
 * server itself: at each checkpoint, compared after every rollback or restore to it that reports success, and
 * the dump taken before {@code connect()} compared after {@code disconnect()}. A mismatch while VenomQA
 * reported success is a finding; a loud refusal (an exception) is allowed and counted.
 *
 * <p>Everything that decides what runs comes from the seed, so a seed replays the same SQL. A finding is
 * reduced (steps, then statements within steps, removed while the mismatch stays) and printed as a script.
 */
final class JournalFuzz {

    /** The seeds the default suite runs, unless {@code -Dvenomqa.fuzz.seeds=N} asks for N from {@code venomqa.fuzz.first}. */
    static long[] seeds(long... defaults) {
        String n = System.getProperty("venomqa.fuzz.seeds");
        if (n == null || n.isBlank()) {
            return defaults;
        }
        long first = Long.parseLong(System.getProperty("venomqa.fuzz.first", "1"));
        long[] out = new long[Integer.parseInt(n.trim())];
        for (int i = 0; i < out.length; i++) {
            out[i] = first + i;
        }
        return out;
    }

    enum Kind { WRITE, TXN_COMMIT, TXN_ROLLBACK, CHECKPOINT, ROLLBACK, RESTORE }

    /** One step of a workload: SQL of the application (one auto-commit statement, or a transaction), or a call of the manager. */
    record Step(Kind kind, List<String> sql, String name) {

        static Step write(String sql) {
            return new Step(Kind.WRITE, List.of(sql), null);
        }

        static Step call(Kind kind, String name) {
            return new Step(kind, List.of(), name);
        }

        String script() {
            return switch (kind) {
                case WRITE -> sql.get(0) + ";";
                case TXN_COMMIT -> "begin; " + String.join("; ", sql) + "; commit;";
                case TXN_ROLLBACK -> "begin; " + String.join("; ", sql) + "; rollback;";
                case CHECKPOINT -> "-- manager.checkpoint(\"" + name + "\")";
                case ROLLBACK -> "-- manager.rollback(\"" + name + "\")";
                case RESTORE -> "-- manager.checkpointTree().restore(\"" + name + "\")";
            };
        }
    }

    /** A generated case: the schema's DDL and the workload. */
    record Scenario(long seed, List<String> ddl, List<Step> steps) {

        String script() {
            StringBuilder b = new StringBuilder();
            for (String d : ddl) {
                b.append(d).append(";\n");
            }
            b.append("-- manager.connect()\n");
            for (Step s : steps) {
                b.append(s.script()).append('\n');
            }
            b.append("-- manager.disconnect()\n");
            return b.toString();
        }
    }

    /** A database for one run of a scenario. */
    interface Target extends AutoCloseable {
        Connection connect() throws SQLException;

        StateManager manager();

        /** Runs the schema's DDL (as the tables' owner). */
        default void ddl(List<String> ddl) throws SQLException {
            try (Connection c = connect(); Statement st = c.createStatement()) {
                for (String d : ddl) {
                    st.execute(d);
                }
            }
        }

        /** Every row of every table, the counters, as exact text taken by the server. */
        List<String> dump() throws SQLException;

        @Override
        void close() throws Exception;
    }

    /** A database kind: makes new targets and generates scenarios. */
    interface Backend {
        Target fresh();

        Scenario generate(long seed);

        /** Whether a failed statement leaves an explicit transaction unusable (PostgreSQL). */
        boolean failedStatementAbortsTransaction();
    }

    /** What a run found: a mismatch (the finding), a refusal, or neither. */
    record Outcome(String mismatch, String refusal, int comparisons, int undone, int written, int failed) {

        boolean found() {
            return mismatch != null;
        }
    }

    private JournalFuzz() {
    }

    /** Runs {@code scenario} on a new target. */
    static Outcome run(Backend backend, Scenario scenario) throws Exception {
        try (Target t = backend.fresh()) {
            t.ddl(scenario.ddl());
            List<String> asFound = t.dump();
            StateManager m = t.manager();
            m.connect();
            int comparisons = 0;
            int undone = 0;
            int written = 0;
            int failedWrites = 0;
            Map<String, List<String>> dumps = new LinkedHashMap<>();
            boolean disconnected = false;
            try (Connection app = t.connect(); Statement st = app.createStatement()) {
                for (int i = 0; i < scenario.steps().size(); i++) {
                    Step s = scenario.steps().get(i);
                    switch (s.kind()) {
                        case WRITE -> {
                            try {
                                execute(st, s.sql().get(0));
                                written++;
                            } catch (SQLException refusedByTheDatabase) {
                                failedWrites++; // a constraint the random write broke: part of the workload
                            }
                        }
                        case TXN_COMMIT, TXN_ROLLBACK -> {
                            app.setAutoCommit(false);
                            boolean failed = false;
                            for (String sql : s.sql()) {
                                try {
                                    execute(st, sql);
                                    written++;
                                } catch (SQLException e) {
                                    failedWrites++;
                                    if (backend.failedStatementAbortsTransaction()) {
                                        failed = true;
                                        break;
                                    }
                                }
                            }
                            if (s.kind() == Kind.TXN_COMMIT && !failed) {
                                try {
                                    app.commit();
                                } catch (SQLException deferredConstraint) {
                                    failedWrites++; // the transaction was rolled back
                                }
                            } else {
                                app.rollback();
                            }
                            app.setAutoCommit(true);
                        }
                        case CHECKPOINT -> {
                            if (m.hasCheckpoint(s.name())) {
                                continue;
                            }
                            try {
                                m.checkpoint(s.name());
                            } catch (RuntimeException refused) {
                                return new Outcome(null, "step " + i + " (" + s.script() + "): " + refused, comparisons, undone,
                                        written, failedWrites);
                            }
                            dumps.put(s.name(), t.dump());
                        }
                        case ROLLBACK, RESTORE -> {
                            List<String> expected = dumps.get(s.name());
                            if (expected == null || (s.kind() == Kind.ROLLBACK && !m.hasCheckpoint(s.name()))) {
                                continue;
                            }
                            if (!t.dump().equals(expected)) {
                                undone++;
                            }
                            try {
                                if (s.kind() == Kind.ROLLBACK) {
                                    m.rollback(s.name());
                                } else {
                                    CheckpointTree tree = m.checkpointTree().orElseThrow();
                                    tree.restore(s.name());
                                }
                            } catch (CheckpointNotFoundException forgotten) {
                                dumps.remove(s.name());
                                continue;
                            } catch (RuntimeException refused) {
                                return new Outcome(null, "step " + i + " (" + s.script() + "): " + refused, comparisons, undone, written, failedWrites);
                            }
                            comparisons++;
                            List<String> now = t.dump();
                            if (!now.equals(expected)) {
                                return new Outcome("step " + i + " " + s.script() + " reported success, but\n"
                                        + diff(expected, now), null, comparisons, undone, written, failedWrites);
                            }
                        }
                    }
                }
            } finally {
                try {
                    m.disconnect();
                    disconnected = true;
                } catch (RuntimeException refused) {
                    return new Outcome(null, "disconnect(): " + refused, comparisons, undone, written, failedWrites);
                }
            }
            comparisons++;
            List<String> now = t.dump();
            if (disconnected && !now.equals(asFound)) {
                return new Outcome("disconnect() reported success, but\n" + diff(asFound, now), null, comparisons, undone, written, failedWrites);
            }
            return new Outcome(null, null, comparisons, undone, written, failedWrites);
        }
    }

    /** Runs {@code sql}, reading and closing what it returns ({@code RETURNING}): an open result keeps SQLite's statement running. */
    private static void execute(Statement st, String sql) throws SQLException {
        if (st.execute(sql)) {
            try (java.sql.ResultSet rs = st.getResultSet()) {
                while (rs.next()) {
                    // read to the end
                }
            }
        }
    }

    /** The lines only in {@code expected} and only in {@code actual}, each at most 400 characters. */
    static String diff(List<String> expected, List<String> actual) {
        List<String> missing = new ArrayList<>(expected);
        missing.removeAll(actual);
        List<String> extra = new ArrayList<>(actual);
        extra.removeAll(expected);
        StringBuilder b = new StringBuilder();
        if (missing.isEmpty() && extra.isEmpty()) {
            b.append("  same lines, other multiplicity or order: expected ").append(expected.size()).append(" lines, found ")
                    .append(actual.size()).append('\n');
        }
        for (String s : missing) {
            b.append("  expected, missing: ").append(cut(s)).append('\n');
        }
        for (String s : extra) {
            b.append("  found, not expected: ").append(cut(s)).append('\n');
        }
        return b.toString();
    }

    private static String cut(String s) {
        return s.length() <= 400 ? s : s.substring(0, 400) + "... (" + s.length() + " chars)";
    }

    /**
     * Runs each seed; on a finding, reduces it and returns a report (seed, minimal script, the mismatch);
     * null when no seed found anything. Refusals are printed and counted, not failures.
     */
    static String fuzz(Backend backend, long[] seeds) throws Exception {
        int refusals = 0;
        int comparisons = 0;
        int undone = 0;
        int written = 0;
        int failed = 0;
        StringBuilder findings = new StringBuilder();
        for (long seed : seeds) {
            Scenario sc = backend.generate(seed);
            if (System.getProperty("venomqa.fuzz.print") != null) {
                System.out.println("[fuzz] seed " + seed + ":\n" + sc.script());
            }
            Outcome o;
            try {
                o = run(backend, sc);
            } catch (Exception | AssertionError e) {
                throw new AssertionError("seed " + seed + ": the run itself failed: " + e + "\n" + sc.script(), e);
            }
            comparisons += o.comparisons();
            undone += o.undone();
            written += o.written();
            failed += o.failed();
            if (o.refusal() != null) {
                refusals++;
                System.out.println("[fuzz] seed " + seed + " refused (allowed): " + o.refusal().replace('\n', ' '));
                if (Boolean.getBoolean("venomqa.fuzz.reduceRefusals")) {
                    Scenario min = reduce(backend, sc, x -> x.refusal() != null);
                    System.out.println("[fuzz] refusal of seed " + seed + ", minimal script:\n" + min.script() + "\n"
                            + run(backend, min).refusal());
                }
            }
            if (o.found()) {
                Scenario min = reduce(backend, sc, Outcome::found);
                Outcome mo = run(backend, min);
                findings.append("seed ").append(seed).append(": ").append(mo.found() ? mo.mismatch() : o.mismatch())
                        .append("minimal script:\n").append(min.script()).append('\n');
                System.out.println("[fuzz] FINDING seed " + seed + "\n" + findings);
                if (System.getProperty("venomqa.fuzz.seeds") == null) {
                    break;
                }
            }
        }
        System.out.println("[fuzz] " + seeds.length + " seeds, " + written + " statements run (" + failed + " refused by the database), "
                + comparisons + " comparisons (" + undone + " after a rollback or restore that had something to undo), " + refusals
                + " refused by VenomQA");
        return findings.length() == 0 ? null : findings.toString();
    }

    /** Removes steps, then statements of transactions, then DDL statements, while the run still finds a mismatch. */
    static Scenario reduce(Backend backend, Scenario sc, java.util.function.Predicate<Outcome> finds) throws Exception {
        List<Step> steps = new ArrayList<>(sc.steps());
        // chunks first, then single steps
        for (int chunk = Math.max(1, steps.size() / 2); chunk >= 1; chunk /= 2) {
            boolean progress = true;
            while (progress) {
                progress = false;
                for (int i = 0; i + chunk <= steps.size(); ) {
                    List<Step> tryIt = new ArrayList<>(steps);
                    tryIt.subList(i, i + chunk).clear();
                    if (stillFinds(backend, finds, new Scenario(sc.seed(), sc.ddl(), tryIt))) {
                        steps = tryIt;
                        progress = true;
                    } else {
                        i += chunk;
                    }
                }
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (s.sql().size() < 2) {
                continue;
            }
            for (int j = 0; j < s.sql().size() && s.sql().size() > 1; ) {
                List<String> sql = new ArrayList<>(s.sql());
                sql.remove(j);
                List<Step> tryIt = new ArrayList<>(steps);
                tryIt.set(i, new Step(s.kind(), sql, s.name()));
                if (stillFinds(backend, finds, new Scenario(sc.seed(), sc.ddl(), tryIt))) {
                    steps = tryIt;
                    s = tryIt.get(i);
                } else {
                    j++;
                }
            }
            if (s.sql().size() == 1 && s.kind() == Kind.TXN_COMMIT) {
                List<Step> tryIt = new ArrayList<>(steps);
                tryIt.set(i, Step.write(s.sql().get(0)));
                if (stillFinds(backend, finds, new Scenario(sc.seed(), sc.ddl(), tryIt))) {
                    steps = tryIt;
                }
            }
        }
        List<String> ddl = new ArrayList<>(sc.ddl());
        for (int i = ddl.size() - 1; i >= 0; i--) {
            List<String> tryIt = new ArrayList<>(ddl);
            tryIt.remove(i);
            if (stillFinds(backend, finds, new Scenario(sc.seed(), tryIt, steps))) {
                ddl = tryIt;
            }
        }
        return new Scenario(sc.seed(), ddl, steps);
    }

    private static boolean stillFinds(Backend backend, java.util.function.Predicate<Outcome> finds, Scenario sc) {
        try {
            return finds.test(run(backend, sc));
        } catch (Exception | AssertionError e) {
            return false;
        }
    }

    // ---- helpers for the generators ----

    /** A generator for {@code seed}: seeds next to each other give unrelated sequences ({@code java.util.Random}'s first values do not). */
    static Random random(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new Random(z ^ (z >>> 31));
    }

    static <T> T pick(Random r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }

    @SafeVarargs
    static <T> T pick(Random r, T... from) {
        return from[r.nextInt(from.length)];
    }

    /**
     * Appends the random workload both generators share: 15 to 44 steps, each a single auto-commit write (eight in
     * ten) or a transaction of two to five writes that commits or (one in three) rolls back. {@code write} makes one
     * statement. Draws from {@code r} in one fixed order, so a seed gives the same workload.
     */
    static void addWrites(Random r, List<Step> writes, java.util.function.Supplier<String> write) {
        int steps = 15 + r.nextInt(30);
        for (int i = 0; i < steps; i++) {
            if (r.nextInt(10) < 2) {
                List<String> sql = new ArrayList<>();
                int k = 2 + r.nextInt(4);
                for (int j = 0; j < k; j++) {
                    sql.add(write.get());
                }
                writes.add(new Step(r.nextInt(3) == 0 ? Kind.TXN_ROLLBACK : Kind.TXN_COMMIT, sql, null));
            } else {
                writes.add(Step.write(write.get()));
            }
        }
    }


    /**
     * The manager steps mixed into {@code writes}: checkpoints (named c0, c1, ...), rollbacks and, with a
     * tree, restores, to random earlier checkpoints. Steps naming a checkpoint no longer held are skipped when run.
     */
    static List<Step> interleave(Random r, List<Step> writes, boolean tree) {
        List<Step> out = new ArrayList<>();
        List<String> names = new ArrayList<>();
        out.add(Step.call(Kind.CHECKPOINT, "c0"));
        names.add("c0");
        for (Step w : writes) {
            out.add(w);
            int roll = r.nextInt(100);
            if (roll < 18) {
                String n = "c" + names.size();
                names.add(n);
                out.add(Step.call(Kind.CHECKPOINT, n));
            } else if (roll < 28) {
                out.add(Step.call(Kind.ROLLBACK, pick(r, names)));
            } else if (roll < 40 && tree) {
                out.add(Step.call(Kind.RESTORE, pick(r, names)));
            }
        }
        if (r.nextBoolean()) {
            out.add(Step.call(tree && r.nextBoolean() ? Kind.RESTORE : Kind.ROLLBACK, pick(r, names)));
        }
        return out;
    }
}
