package io.venomqa.benchmarks;

import io.venomqa.http.Client;
import io.venomqa.journey.Journey;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.runner.KeepResponses;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The runner's heap for a journey of {@value #STEPS} steps, each receiving a {@value #BODY}-byte
 * response: run in a JVM of its own (so nothing else is on the heap) by {@link #measure()}.
 * Reports the peak of the heap pools during the run (after a reset of the peaks) and what is
 * still reachable after a full GC while the {@link JourneyResult} is held, as a user holding the
 * result would see it. A runner that kept every full body would retain at least
 * {@value #STEPS} × {@value #BODY} bytes. Measured for {@code keep_responses: all} (the default) and
 * {@code failures}, each in a JVM of its own.
 */
public final class RunnerMemory {

    static final int STEPS = 10_000;
    static final int BODY = 10_000;

    private RunnerMemory() {
    }

    /** Child JVM entry point, argument {@code all} or {@code failures}: prints one line {@code peak=<bytes> retained=<bytes>}. */
    public static void main(String[] args) throws IOException {
        KeepResponses keep = KeepResponses.fromConfig(args.length > 0 ? args[0] : "all");
        try (PingServer server = new PingServer(BODY)) {
            JourneyRunner runner = JourneyRunner.builder(Client.builder(server.baseUrl()).build()).keepResponses(keep).build();
            Journey.Builder b = Journey.builder("long");
            for (int i = 0; i < STEPS; i++) {
                b.step("step_" + i, (client, ctx) -> client.get("/item"));
            }
            Journey journey = b.build();
            long before = usedAfterGc();
            List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).toList();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            JourneyResult result = runner.run(journey);
            long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            long retained = usedAfterGc() - before;
            if (!result.passed()) {
                throw new IllegalStateException("journey failed: " + result.failures());
            }
            System.out.println("peak=" + peak + " retained=" + retained);
            System.out.flush();
        }
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** {@link #measure(KeepResponses)} for both modes, one line each. */
    static String measure() {
        StringBuilder sb = new StringBuilder();
        for (KeepResponses keep : KeepResponses.values()) {
            sb.append(sb.length() == 0 ? "" : "\n- runner: ").append(measure(keep));
        }
        return sb.toString();
    }

    /** Runs {@link #main} in a child JVM (-Xmx1g, G1) with {@code keep} and returns its line, or why it failed. */
    static String measure(KeepResponses keep) {
        try {
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            String cp = System.getProperty("java.class.path");
            Process p = new ProcessBuilder(java, "-Xmx1g", "-XX:+UseG1GC", "-cp", cp, RunnerMemory.class.getName(),
                    keep.configValue())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            String line = out.lines().filter(l -> l.startsWith("peak=")).findFirst().orElse(null);
            if (rc != 0 || line == null) {
                return "failed (exit " + rc + "): " + out.lines().limit(5).reduce("", (a, l) -> a + " " + l);
            }
            long peak = Long.parseLong(line.replaceAll(".*peak=(\\d+).*", "$1"));
            long retained = Long.parseLong(line.replaceAll(".*retained=(-?\\d+).*", "$1"));
            return String.format(Locale.ROOT, "keep_responses: %s, journey of %,d steps, %,d-byte response bodies (%.0f MiB of"
                            + " bodies in all): peak heap during the run %.1f MiB, still reachable after GC while the result is"
                            + " held %.1f MiB", keep.configValue(), STEPS, BODY, STEPS * (double) BODY / (1 << 20), peak / 1048576.0, retained / 1048576.0);
        } catch (IOException | RuntimeException e) {
            return "failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
