package io.venomqa.benchmarks;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the benchmarks and prints, per row, VenomQA's time against its baseline's as a ratio with
 * JMH's error bars. {@code quick} (the default) finishes in minutes; {@code full} takes longer and
 * narrows the errors. An optional second argument is a regular expression selecting benchmarks.
 *
 * <pre>java -jar venomqa-benchmarks/target/benchmarks.jar quick [regex]</pre>
 */
public final class BenchmarkMain {

    private static final List<Class<?>> BENCHMARKS = List.of(CheckpointBenchmark.class, ResetBenchmark.class,
            ResetEmptyBenchmark.class, JournalRollbackBenchmark.class, JournalWriteBenchmark.class,
            JournalBulkBenchmark.class, RunnerStepBenchmark.class, ContextSnapshotBenchmark.class,
            ContextManyStepsBenchmark.class, ExplorerStepBenchmark.class, TreeRestoreBenchmark.class,
            OpenApiMovesBenchmark.class, OpenApiExplorationBenchmark.class,
            WorkersBenchmark.class, SpringStepBenchmark.class, ExploreWorkersBenchmark.class,
            WorkerSetupBenchmark.class, CopyVsReplayBenchmark.class, ChangeCaptureBenchmark.class,
            JournalOtherDatabasesBenchmark.class, JournalManyTablesBenchmark.class);

    /**
     * Row 4 in quick mode: only k = 10 at the smallest and largest table, which is what its two
     * targets need; full mode runs every k and N of the issue.
     */
    static final String QUICK_ROW4 = "k=10; N=1000, 1000000";

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
        String mode = args.length > 0 ? args[0] : "quick";
        String include = args.length > 1 ? args[1] : ".*";
        if (mode.equals("paired")) {
            String table = PairedMain.run(BENCHMARKS, include, args.length > 2 ? Integer.parseInt(args[2]) : PairedMain.DEFAULT_ROUNDS,
                    args.length > 3 ? Long.parseLong(args[3]) : PairedMain.MILLIS_PER_BATCH);
            write(table);
            if (table.contains("\nFailed: ")) {
                System.exit(1); // the table is written; a script running it must still see that rows are missing
            }
            return;
        }
        ChainedOptionsBuilder options = new OptionsBuilder().shouldFailOnError(true);
        for (Class<?> c : BENCHMARKS) {
            if (c.getName().matches(".*(?:" + include + ").*")) {
                options.include(c.getName().replace("$", "\\$") + "\\.");
            }
        }
        switch (mode) {
            case "quick" -> options.forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1))
                    .param("k", "10").param("rows", "1000", "1000000");
            case "full" -> options.forks(2).warmupIterations(5).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(10).measurementTime(TimeValue.seconds(2));
            default -> throw new IllegalArgumentException("Mode must be 'quick', 'full' or 'paired', got '" + mode + "'");
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        write(summary(mode, results) + "\n" + environment(include));
    }

    private static void write(String table) throws IOException {
        System.out.println();
        System.out.println(table);
        Path out = Path.of("target", "benchmark-summary.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
        System.out.println("(written to " + out.toAbsolutePath() + ")");
    }

    /** The ratio table in Markdown, with the machine it ran on. */
    static String summary(String mode, Collection<RunResult> results) {
        // class -> params -> method -> result
        Map<String, Map<String, Map<String, Result<?>>>> grouped = new TreeMap<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            int dot = label.lastIndexOf('.');
            String cls = label.substring(0, dot);
            String method = label.substring(dot + 1);
            StringBuilder params = new StringBuilder();
            for (String key : r.getParams().getParamsKeys()) {
                params.append(params.length() == 0 ? "" : ", ").append(key).append('=').append(r.getParams().getParam(key));
            }
            grouped.computeIfAbsent(cls, k -> new LinkedHashMap<>())
                    .computeIfAbsent(params.toString(), k -> new LinkedHashMap<>())
                    .put(method, r.getPrimaryResult());
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Measured ").append(java.time.LocalDate.now()).append(", mode ").append(mode)
                .append(mode.equals("quick") ? " (row 4: " + QUICK_ROW4 + ")" : "").append(", ")
                .append(Machine.describe()).append("\n\n");
        sb.append("| # | what | params | VenomQA | baseline | ratio (VenomQA/baseline) | target | met |\n");
        sb.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        List<String> rows = new ArrayList<>();
        for (var byClass : grouped.entrySet()) {
            Compares meta = compares(byClass.getKey());
            for (var byParams : byClass.getValue().entrySet()) {
                Result<?> v = byParams.getValue().get("venomqa");
                Result<?> b = byParams.getValue().get("baseline");
                if (v == null || b == null) {
                    continue;
                }
                double ratio = v.getScore() / b.getScore();
                double ratioError = ratio * Math.sqrt(sq(rel(v)) + sq(rel(b)));
                double max = meta == null ? Double.NaN : maxRatio(meta, byParams.getKey());
                rows.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s ± %s | %s | %s |",
                        meta == null ? "?" : meta.row(), meta == null ? byClass.getKey() : meta.what(),
                        byParams.getKey().isEmpty() ? "-" : byParams.getKey(), fmt(v), fmt(b), num(ratio), num(ratioError),
                        Double.isNaN(max) ? "-" : target(max), Double.isNaN(max) ? "-" : ratio <= max ? "yes" : "**no**"));
            }
            if (meta != null && !meta.flatIn().isEmpty()) {
                rows.addAll(flatRows(meta, byClass.getValue()));
            }
        }
        rows.forEach(r -> sb.append(r).append('\n'));
        return sb.toString();
    }

    /**
     * The target for one parameter set: the first entry of {@link Compares#maxRatioByParam()}
     * whose every {@code key=value} is in {@code params}, else {@link Compares#maxRatio()}.
     */
    static double maxRatio(Compares meta, String params) {
        List<String> have = List.of(params.split(",\\s*"));
        for (String entry : meta.maxRatioByParam().split(";")) {
            int colon = entry.lastIndexOf(':');
            if (entry.isBlank() || colon < 0) {
                continue;
            }
            if (have.containsAll(List.of(entry.substring(0, colon).trim().split(",\\s*")))) {
                return Double.parseDouble(entry.substring(colon + 1).trim());
            }
        }
        return meta.maxRatio();
    }

    /** VenomQA's time at the largest value of {@code flatIn} over its time at the smallest, per other params. */
    static List<String> flatRows(Compares meta, Map<String, Map<String, Result<?>>> byParams) {
        String key = meta.flatIn();
        // other params -> (value of key -> result)
        Map<String, TreeMap<Long, Result<?>>> series = new TreeMap<>();
        for (var e : byParams.entrySet()) {
            Result<?> v = e.getValue().get("venomqa");
            if (v == null) {
                continue;
            }
            Long value = null;
            StringBuilder others = new StringBuilder();
            for (String kv : e.getKey().split(",\\s*")) {
                if (kv.startsWith(key + "=")) {
                    value = Long.parseLong(kv.substring(key.length() + 1));
                } else {
                    others.append(others.length() == 0 ? "" : ", ").append(kv);
                }
            }
            if (value != null) {
                series.computeIfAbsent(others.toString(), k -> new TreeMap<>()).put(value, v);
            }
        }
        List<String> out = new ArrayList<>();
        for (var s : series.entrySet()) {
            if (s.getValue().size() < 2) {
                continue;
            }
            var lo = s.getValue().firstEntry();
            var hi = s.getValue().lastEntry();
            double ratio = hi.getValue().getScore() / lo.getValue().getScore();
            double err = ratio * Math.sqrt(sq(rel(hi.getValue())) + sq(rel(lo.getValue())));
            out.add(String.format(Locale.ROOT, "| %d | flat in %s: VenomQA at %s=%d / at %s=%d | %s | %s | %s | %s ± %s | ≤ %.2f× | %s |",
                    meta.row(), key, key, hi.getKey(), key, lo.getKey(), s.getKey(), fmt(hi.getValue()), fmt(lo.getValue()),
                    num(ratio), num(err), meta.flatMaxRatio(), ratio <= meta.flatMaxRatio() ? "yes" : "**no**"));
        }
        return out;
    }

    /** Database versions and the memory figures, measured after the JMH run. */
    static String environment(String include) {
        StringBuilder sb = new StringBuilder();
        sb.append("Databases:");
        for (String backend : List.of(Db.PG, Db.MARIADB, Db.SQLITE)) {
            String version;
            try (Db db = Db.create(backend)) {
                version = db.version();
            } catch (Exception e) {
                version = "unavailable (" + e.getMessage() + ")";
            }
            sb.append(' ').append(backend).append(" = ").append(version).append(';');
        }
        sb.append("\n\nMemory");
        if (!"memory".matches(".*(?:" + include + ").*") && !include.equals(".*")) {
            return sb.append(": not measured (benchmark selection given)\n").toString();
        }
        sb.append(":\n\n");
        for (String backend : List.of(Db.PG, Db.MARIADB, Db.SQLITE)) {
            sb.append("- journal, ").append(backend).append(": ").append(JournalSize.measure(backend)).append('\n');
        }
        sb.append("- runner: ").append(RunnerMemory.measure()).append('\n');
        return sb.toString();
    }

    private static String num(double d) {
        return d >= 100 ? String.format(Locale.ROOT, "%.0f", d)
                : d >= 0.01 || d == 0 ? String.format(Locale.ROOT, "%.3f", d) : String.format(Locale.ROOT, "%.2e", d);
    }

    static String target(double maxRatio) {
        return maxRatio >= 1 ? String.format(Locale.ROOT, "≤ %.2f×", maxRatio)
                : String.format(Locale.ROOT, "≥ %.0f× faster (ratio ≤ %.3f)", 1 / maxRatio, maxRatio);
    }

    private static String fmt(Result<?> r) {
        return String.format(Locale.ROOT, "%.3f ± %.3f %s", r.getScore(), finite(r.getScoreError()), r.getScoreUnit());
    }

    private static double rel(Result<?> r) {
        return finite(r.getScoreError()) / r.getScore();
    }

    private static double finite(double d) {
        return Double.isFinite(d) ? d : 0;
    }

    private static double sq(double d) {
        return d * d;
    }

    private static Compares compares(String className) {
        try {
            return Class.forName(className).getAnnotation(Compares.class);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
