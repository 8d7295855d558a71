package io.venomqa.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.WorkloadParams;
import org.openjdk.jmh.runner.options.TimeValue;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * One paired, interleaved measurement of a {@link Compares} benchmark class for one parameter set,
 * run in a JVM of its own (as a JMH fork is): its {@code venomqa()} and {@code baseline()} methods
 * are timed alternately — a batch of one, then a batch of the other, the order swapped every round
 * (A B, B A, …) — so both see the same machine load, and each round gives one ratio. Each side has
 * a state object of its own, as each JMH benchmark method has its own trial (two connections to
 * one SQLite file must not hold each other's locks). The class's JMH fixtures run as JMH would run
 * them: {@code @Setup}/{@code @TearDown} at trial level once, at iteration level around each batch,
 * at invocation level around each call, outside the timing.
 *
 * <p>Prints one line {@code PAIRED ratios=… load=min,max ns=venomqa,baseline} for
 * {@link BenchmarkMain}'s {@code paired} mode to read.
 *
 * <pre>java -cp benchmarks.jar io.venomqa.benchmarks.PairedRun &lt;class&gt; &lt;k=v,k=v|-&gt; &lt;warm-up rounds&gt; &lt;rounds&gt; &lt;ms per batch&gt;</pre>
 */
public final class PairedRun {

    /** The least time each side runs during the warm-up, whatever the number of rounds. */
    static final long WARMUP_NANOS = 2_000_000_000L;

    /** Where results go so the JIT cannot drop the calls (JMH's blackhole, for methods returning values). */
    static volatile Object sink;

    private final Object venomqaState;
    private final Object baselineState;
    private final Method venomqa;
    private final Method baseline;
    private final Map<Level, List<Method>> setups = new LinkedHashMap<>();
    private final Map<Level, List<Method>> teardowns = new LinkedHashMap<>();
    /** What a fixture taking JMH's {@link BenchmarkParams} gets, per side: the benchmark's name tells the side. */
    private final BenchmarkParams venomqaParams;
    private final BenchmarkParams baselineParams;

    PairedRun(Class<?> type, Map<String, String> params) throws ReflectiveOperationException {
        venomqaState = newState(type, params);
        baselineState = newState(type, params);
        venomqaParams = jmhParams(type, "venomqa", params);
        baselineParams = jmhParams(type, "baseline", params);
        Method v = null;
        Method b = null;
        for (Level level : Level.values()) {
            setups.put(level, new ArrayList<>());
            teardowns.put(level, new ArrayList<>());
        }
        // Superclass fixtures first, as JMH orders inherited @Setup methods.
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            chain.add(0, c);
        }
        for (Class<?> c : chain) {
            for (Method m : c.getDeclaredMethods()) {
                m.setAccessible(true);
                if (m.isAnnotationPresent(Benchmark.class) && m.getName().equals("venomqa")) {
                    v = m;
                } else if (m.isAnnotationPresent(Benchmark.class) && m.getName().equals("baseline")) {
                    b = m;
                }
                if (m.isAnnotationPresent(Setup.class)) {
                    setups.get(m.getAnnotation(Setup.class).value()).add(m);
                }
                if (m.isAnnotationPresent(TearDown.class)) {
                    teardowns.get(m.getAnnotation(TearDown.class).value()).add(m);
                }
            }
        }
        if (v == null || b == null) {
            throw new IllegalArgumentException(type.getName() + " needs @Benchmark methods venomqa() and baseline()");
        }
        venomqa = v;
        baseline = b;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            throw new IllegalArgumentException("usage: PairedRun <class> <k=v,k=v|-> <warm-up rounds> <rounds> <ms per batch>");
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (!args[1].equals("-")) {
            for (String kv : args[1].split(",")) {
                int eq = kv.indexOf('=');
                params.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        PairedRun run = new PairedRun(Class.forName(args[0]), params);
        System.out.println(run.measure(Integer.parseInt(args[2]), Integer.parseInt(args[3]), Long.parseLong(args[4])));
    }

    private static Object newState(Class<?> type, Map<String, String> params) throws ReflectiveOperationException {
        Object state = type.getDeclaredConstructor().newInstance();
        for (Map.Entry<String, String> p : params.entrySet()) {
            Field f = field(type, p.getKey());
            f.setAccessible(true);
            f.set(state, convert(f.getType(), p.getValue()));
        }
        return state;
    }

    /**
     * The {@link BenchmarkParams} JMH would hand a fixture of this side (rows 2, 3 and 4 read the
     * benchmark's name to connect only the side they measure); the iteration and fork figures are
     * placeholders, as no fixture reads them.
     */
    private static BenchmarkParams jmhParams(Class<?> type, String method, Map<String, String> params) {
        WorkloadParams workload = new WorkloadParams();
        int order = 0;
        for (Map.Entry<String, String> p : params.entrySet()) {
            workload.put(p.getKey(), p.getValue(), order++);
        }
        String name = type.getName() + "." + method;
        IterationParams one = new IterationParams(IterationType.MEASUREMENT, 1, TimeValue.seconds(1), 1);
        return new BenchmarkParams(name, name, false, 1, new int[] {1}, List.of(), 1, 0,
                new IterationParams(IterationType.WARMUP, 1, TimeValue.seconds(1), 1), one, Mode.AverageTime, workload,
                TimeUnit.MILLISECONDS, 1, "java", List.of(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), System.getProperty("java.vm.version"), "1.37", TimeValue.minutes(10));
    }

    /** Warms up, then measures {@code rounds} pairs; returns the {@code PAIRED …} line. */
    String measure(int warmupRounds, int rounds, long millisPerBatch) throws Exception {
        call(venomqaState, Level.Trial, setups);
        try {
            call(baselineState, Level.Trial, setups);
            try {
                return measureSetUp(warmupRounds, rounds, millisPerBatch);
            } finally {
                call(baselineState, Level.Trial, teardowns);
            }
        } finally {
            call(venomqaState, Level.Trial, teardowns);
        }
    }

    private String measureSetUp(int warmupRounds, int rounds, long millisPerBatch) throws Exception {
        // Each side warms up with batches sized to its own pace, for warmupRounds rounds and then until
        // it has run WARMUP_NANOS itself. With one size for both (the slower side's), a side a hundred
        // times faster than the other ran a handful of calls before it was measured, its code barely
        // compiled: row 4 on PostgreSQL measured a rollback at 5 ms that takes 1.5 ms warm.
        int sizeVenomqa = batchSize(batch(venomqa, 1), 0, 1, millisPerBatch);
        int sizeBaseline = batchSize(0, batch(baseline, 1), 1, millisPerBatch);
        long spentVenomqa = 0;
        long spentBaseline = 0;
        long lastVenomqa = 0;
        long lastBaseline = 0;
        for (int round = 0; round < warmupRounds; round++) {
            lastVenomqa = batch(venomqa, sizeVenomqa);
            spentVenomqa += lastVenomqa;
            lastBaseline = batch(baseline, sizeBaseline);
            spentBaseline += lastBaseline;
        }
        while (spentVenomqa < WARMUP_NANOS) {
            lastVenomqa = batch(venomqa, sizeVenomqa);
            spentVenomqa += lastVenomqa;
        }
        while (spentBaseline < WARMUP_NANOS) {
            lastBaseline = batch(baseline, sizeBaseline);
            spentBaseline += lastBaseline;
        }
        // Measured batches are one size for both sides, sized by the slower one's warm pace.
        int size = batchSize(lastVenomqa / sizeVenomqa, lastBaseline / sizeBaseline, 1, millisPerBatch);
        double minLoad = Double.MAX_VALUE;
        double maxLoad = 0;
        double[] ratios = new double[rounds];
        long totalVenomqa = 0;
        long totalBaseline = 0;
        for (int round = 0; round < rounds; round++) {
            boolean venomqaFirst = round % 2 == 0;
            long first = batch(venomqaFirst ? venomqa : baseline, size);
            long second = batch(venomqaFirst ? baseline : venomqa, size);
            long tv = venomqaFirst ? first : second;
            long tb = venomqaFirst ? second : first;
            ratios[round] = (double) tv / tb;
            totalVenomqa += tv;
            totalBaseline += tb;
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            minLoad = Math.min(minLoad, load);
            maxLoad = Math.max(maxLoad, load);
        }
        StringJoiner r = new StringJoiner(",");
        for (double ratio : ratios) {
            r.add(Double.toString(ratio));
        }
        long calls = (long) rounds * size;
        return String.format(Locale.ROOT, "PAIRED ratios=%s load=%.2f,%.2f ns=%d,%d", r, minLoad, maxLoad,
                totalVenomqa / calls, totalBaseline / calls);
    }

    private static int batchSize(long nanosVenomqa, long nanosBaseline, int calls, long millisPerBatch) {
        long perCall = Math.max(1, Math.max(nanosVenomqa, nanosBaseline) / calls);
        return (int) Math.max(1, Math.min(100_000, millisPerBatch * 1_000_000L / perCall));
    }

    /** Nanoseconds spent in {@code size} calls of {@code method}, fixtures excluded. */
    private long batch(Method method, int size) throws Exception {
        Object state = method == venomqa ? venomqaState : baselineState;
        call(state, Level.Iteration, setups);
        long spent = 0;
        boolean perCall = !setups.get(Level.Invocation).isEmpty() || !teardowns.get(Level.Invocation).isEmpty();
        if (perCall) {
            for (int i = 0; i < size; i++) {
                call(state, Level.Invocation, setups);
                long t0 = System.nanoTime();
                sink = invoke(state, method);
                spent += System.nanoTime() - t0;
                call(state, Level.Invocation, teardowns);
            }
        } else {
            long t0 = System.nanoTime();
            for (int i = 0; i < size; i++) {
                sink = invoke(state, method);
            }
            spent = System.nanoTime() - t0;
        }
        call(state, Level.Iteration, teardowns);
        return spent;
    }

    private void call(Object state, Level level, Map<Level, List<Method>> fixtures) throws Exception {
        for (Method m : fixtures.get(level)) {
            invoke(state, m);
        }
    }

    private Object invoke(Object state, Method m) throws Exception {
        try {
            if (m.getParameterCount() == 1 && m.getParameterTypes()[0] == BenchmarkParams.class) {
                return m.invoke(state, state == venomqaState ? venomqaParams : baselineParams);
            }
            return m.invoke(state);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name) && f.isAnnotationPresent(Param.class)) {
                    return f;
                }
            }
        }
        throw new NoSuchFieldException(type.getName() + " has no @Param field '" + name + "'");
    }

    private static Object convert(Class<?> type, String value) {
        if (type == int.class || type == Integer.class) {
            return Integer.parseInt(value);
        }
        if (type == long.class || type == Long.class) {
            return Long.parseLong(value);
        }
        if (type == boolean.class || type == Boolean.class) {
            return Boolean.parseBoolean(value);
        }
        if (type == double.class || type == Double.class) {
            return Double.parseDouble(value);
        }
        return value;
    }
}
