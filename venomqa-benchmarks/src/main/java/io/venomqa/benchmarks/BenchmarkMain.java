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

    private static final List<Class<?>> BENCHMARKS = List.of(ContextSnapshotBenchmark.class);

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        String mode = args.length > 0 ? args[0] : "quick";
        String include = args.length > 1 ? args[1] : ".*";
        ChainedOptionsBuilder options = new OptionsBuilder().shouldFailOnError(true);
        for (Class<?> c : BENCHMARKS) {
            if (c.getName().matches(".*" + include + ".*")) {
                options.include(c.getName().replace("$", "\\$") + "\\.");
            }
        }
        switch (mode) {
            case "quick" -> options.forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1));
            case "full" -> options.forks(2).warmupIterations(5).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(10).measurementTime(TimeValue.seconds(2));
            default -> throw new IllegalArgumentException("Mode must be 'quick' or 'full', got '" + mode + "'");
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        String table = summary(mode, results);
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
        sb.append("Measured ").append(java.time.LocalDate.now()).append(", mode ").append(mode).append(", ")
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
                boolean met = meta != null && ratio <= meta.maxRatio();
                rows.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.3f ± %.3f | %s | %s |",
                        meta == null ? "?" : meta.row(), meta == null ? byClass.getKey() : meta.what(),
                        byParams.getKey().isEmpty() ? "-" : byParams.getKey(), fmt(v), fmt(b), ratio, ratioError,
                        meta == null ? "?" : target(meta.maxRatio()), met ? "yes" : "**no**"));
            }
        }
        rows.forEach(r -> sb.append(r).append('\n'));
        return sb.toString();
    }

    private static String target(double maxRatio) {
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
