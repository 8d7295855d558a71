package io.venomqa.benchmarks;

import org.openjdk.jmh.annotations.Param;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * The {@code paired} mode of {@link BenchmarkMain}: for every {@link Compares} class and parameter
 * set, a fresh JVM runs {@link PairedRun} (VenomQA and its baseline alternately, one ratio per
 * pair), and the table prints the median ratio with its 95 % bootstrap interval, the verdict
 * against the target ({@link PairedStatistics.Verdict}: met, missed or undecided) and the load
 * average seen during the measurement.
 *
 * <pre>java -jar benchmarks.jar paired [regex] [rounds] [ms per batch]</pre>
 *
 * <p>A longer batch averages more calls into each ratio: for rows whose calls take about a
 * millisecond each (row 7) the 40 ms default leaves scheduling noise in every pair.
 */
final class PairedMain {

    /** Pairs per parameter set unless given. */
    static final int DEFAULT_ROUNDS = 30;
    /** Rounds run before measuring, for the JIT and the database's caches. */
    static final int WARMUP_ROUNDS = 8;
    /** Length of one batch unless given: long enough to average over timer granularity, short enough for many rounds. */
    static final long MILLIS_PER_BATCH = 40;

    private PairedMain() {
    }

    /** Runs every selected class's parameter sets and returns the Markdown table. */
    static String run(List<Class<?>> benchmarks, String include, int rounds, long millisPerBatch)
            throws IOException, InterruptedException {
        if (rounds < 2 || millisPerBatch < 1) {
            throw new IllegalArgumentException("paired needs at least 2 pairs and 1 ms per batch, got " + rounds
                    + " pairs and " + millisPerBatch + " ms");
        }
        List<String> failed = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        sb.append("Measured ").append(java.time.LocalDate.now()).append(", mode paired (").append(rounds)
                .append(" pairs after ").append(WARMUP_ROUNDS).append(" warm-up rounds and at least ")
                .append(PairedRun.WARMUP_NANOS / 1_000_000_000L).append(" s of warm-up per side, ").append(millisPerBatch)
                .append(" ms batches, a fresh JVM per parameter set; row 4: ").append(BenchmarkMain.QUICK_ROW4)
                .append("), ").append(Machine.describe()).append("\n\n");
        sb.append("| # | what | params | VenomQA | baseline | ratio: median [95% CI] | target | verdict | load |\n");
        sb.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Class<?> type : benchmarks) {
            Compares meta = type.getAnnotation(Compares.class);
            if (meta == null || !java.util.regex.Pattern.compile(include).matcher(type.getName()).find()) {
                continue;
            }
            for (Map<String, String> params : parameterSets(type)) {
                String shown = params.isEmpty() ? "-" : String.join(", ", params.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).toList());
                System.out.println("paired: " + type.getSimpleName() + " " + shown);
                String line;
                try {
                    line = fork(type, params, rounds, millisPerBatch);
                } catch (IllegalStateException e) {
                    // One broken parameter set must not cost the rows after it (a whole run is half an hour):
                    // its row says so, its output is printed here, and the command ends with status 1.
                    System.out.println(e.getMessage());
                    failed.add(type.getSimpleName() + " " + shown);
                    sb.append(String.format(Locale.ROOT, "| %d | %s | %s | - | - | **failed** (output above the table) | - | - | - |%n",
                            meta.row(), meta.what(), shown));
                    continue;
                }
                double[] ratios = doubles(value(line, "ratios"));
                double[] load = doubles(value(line, "load"));
                double[] ns = doubles(value(line, "ns"));
                PairedStatistics stats = PairedStatistics.of(ratios);
                double max = BenchmarkMain.maxRatio(meta, params.isEmpty() ? "" : shown);
                sb.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s (%d pairs) | %s | %s | %.1f–%.1f |%n",
                        meta.row(), meta.what(), shown, time(ns[0]), time(ns[1]), stats.describe(), stats.pairs(),
                        Double.isNaN(max) ? "-" : BenchmarkMain.target(max),
                        Double.isNaN(max) ? "-" : stats.verdict(max).word(), load[0], load[1]));
            }
        }
        if (!failed.isEmpty()) {
            sb.append("\nFailed: ").append(String.join("; ", failed)).append('\n');
        }
        return sb.toString();
    }

    /** Every combination of the class's {@code @Param} values, row 4 cut down as in quick mode. */
    static List<Map<String, String>> parameterSets(Class<?> type) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                Param p = f.getAnnotation(Param.class);
                if (p != null) {
                    values.put(f.getName(), restrict(type, f.getName(), List.of(p.value())));
                }
            }
        }
        List<Map<String, String>> sets = new ArrayList<>();
        sets.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> set : sets) {
                for (String v : e.getValue()) {
                    Map<String, String> extended = new LinkedHashMap<>(set);
                    extended.put(e.getKey(), v);
                    next.add(extended);
                }
            }
            sets = next;
        }
        return sets;
    }

    private static List<String> restrict(Class<?> type, String param, List<String> all) {
        if (type != JournalRollbackBenchmark.class) {
            return all;
        }
        return switch (param) {
            case "k" -> List.of("10");
            case "rows" -> List.of("1000", "1000000");
            default -> all;
        };
    }

    private static String fork(Class<?> type, Map<String, String> params, int rounds, long millisPerBatch)
            throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        StringJoiner p = new StringJoiner(",");
        params.forEach((k, v) -> p.add(k + "=" + v));
        Process child = new ProcessBuilder(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                PairedRun.class.getName(), type.getName(), params.isEmpty() ? "-" : p.toString(),
                Integer.toString(WARMUP_ROUNDS), Integer.toString(rounds), Long.toString(millisPerBatch))
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!child.waitFor(30, TimeUnit.MINUTES) || child.exitValue() != 0) {
            child.destroyForcibly();
            throw new IllegalStateException("The paired run of " + type.getSimpleName() + " " + params + " failed:\n" + output);
        }
        return output.lines().filter(l -> l.startsWith("PAIRED ")).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("No PAIRED line from " + type.getSimpleName() + ":\n" + output));
    }

    static String value(String line, String key) {
        for (String part : line.split(" ")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        throw new IllegalArgumentException("No " + key + "= in '" + line + "'");
    }

    static double[] doubles(String csv) {
        String[] parts = csv.split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Double.parseDouble(parts[i]);
        }
        return out;
    }

    private static String time(double nanos) {
        return nanos >= 1_000_000 ? String.format(Locale.ROOT, "%.3f ms", nanos / 1e6)
                : String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
    }
}
