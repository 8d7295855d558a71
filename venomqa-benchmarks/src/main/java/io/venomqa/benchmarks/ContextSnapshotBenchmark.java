package io.venomqa.benchmarks;

import io.venomqa.context.ContextSnapshot;
import io.venomqa.context.ExecutionContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Row 8: {@code ExecutionContext.snapshot()} + {@code restore()} of 100 keys of nested maps and
 * lists, against a hand-written snapshot and restore of the same map (two deep copies: one to
 * save it, one to hand back values the caller may change without touching the saved copy, which
 * is what restore must do too).
 */
@Compares(row = 8, what = "ExecutionContext snapshot() + restore(), 100 keys of nested maps/lists",
        baseline = "hand-written deep copy to save + deep copy to restore", maxRatio = 1.5)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ContextSnapshotBenchmark {

    private ExecutionContext context;
    private Map<String, Object> plain;

    @Setup
    public void setUp() {
        plain = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            Map<String, Object> order = new HashMap<>();
            order.put("id", i);
            order.put("status", "new");
            order.put("total", 12.5 * i);
            List<Object> items = new ArrayList<>();
            for (int j = 0; j < 5; j++) {
                Map<String, Object> item = new HashMap<>();
                item.put("sku", "SKU-" + j);
                item.put("qty", j);
                items.add(item);
            }
            order.put("items", items);
            plain.put("order_" + i, order);
        }
        context = new ExecutionContext(plain);
    }

    @Benchmark
    public ExecutionContext venomqa() {
        ContextSnapshot snapshot = context.snapshot();
        context.restore(snapshot);
        return context;
    }

    @Benchmark
    public Map<String, Object> baseline() {
        Map<String, Object> saved = copyMap(plain);
        plain = copyMap(saved);
        return plain;
    }

    // The copy a user would write for this shape of data: maps of lists of maps.
    @SuppressWarnings("unchecked")
    private static Object copy(Object v) {
        if (v instanceof Map<?, ?> m) {
            return copyMap((Map<String, Object>) m);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(copy(o));
            }
            return out;
        }
        return v;
    }

    private static Map<String, Object> copyMap(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            out.put(e.getKey(), copy(e.getValue()));
        }
        return out;
    }
}
