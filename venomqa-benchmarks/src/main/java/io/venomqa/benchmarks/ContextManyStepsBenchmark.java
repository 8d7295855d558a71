package io.venomqa.benchmarks;

import io.venomqa.context.ContextSnapshot;
import io.venomqa.context.ExecutionContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Row 9: one checkpoint's {@code ExecutionContext.snapshot()} late in a long
 * journey, with {@code steps} step results already stored (immutable records, as the runner's
 * {@code StepResult}s are) and a handful of values. The baseline is what {@code snapshot()} did
 * before step results were shared: a copy of the whole step-result map per snapshot, which made
 * memory grow with steps × live checkpoints. With {@code -prof gc}, {@code gc.alloc.rate.norm}
 * shows the bytes each snapshot keeps alive.
 */
@Compares(row = 9, what = "ExecutionContext snapshot() after N step results (runner records), 5 values",
        baseline = "copying the step-result map per snapshot (the old snapshot())", maxRatio = 0.5,
        flatIn = "steps", flatMaxRatio = 2.0)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ContextManyStepsBenchmark {

    /** An immutable per-step record like the runner's StepResult. */
    record Step(String name, int status, long micros) {
    }

    @Param({"200", "2000", "8000"})
    public int steps;

    private ExecutionContext context;
    private Map<String, Object> stepResults;

    @Setup
    public void setUp() {
        context = new ExecutionContext();
        stepResults = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            context.set("value_" + i, "v" + i);
        }
        for (int i = 0; i < steps; i++) {
            Step s = new Step("step_" + i, 200, i);
            context.storeStepResult(s.name(), s);
            stepResults.put(s.name(), s);
        }
    }

    @Benchmark
    public ContextSnapshot venomqa() {
        return context.snapshot();
    }

    @Benchmark
    public Map<String, Object> baseline() {
        // Records are shared by the copy rules, so the old deep copy amounted to this map copy.
        return new LinkedHashMap<>(stepResults);
    }
}
