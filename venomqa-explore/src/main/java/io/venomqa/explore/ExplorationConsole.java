package io.venomqa.explore;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Prints an exploration to a console: a progress line every few seconds once a run lasts longer
 * than that (states, transitions, steps/s, violations, time left), each new violation as it is
 * found, and a {@link #summary summary} at the end.
 */
public final class ExplorationConsole implements ExplorationListener {

    /** Interval of the progress line unless set. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

    private final PrintStream out;
    private final long intervalNanos;
    private long nextProgressAt;

    /** Prints to {@code System.out} every 2 seconds. */
    public ExplorationConsole() {
        this(System.out, DEFAULT_INTERVAL);
    }

    /** Prints to {@code out}, a progress line every {@code interval} (the first after one interval). */
    public ExplorationConsole(PrintStream out, Duration interval) {
        this.out = Objects.requireNonNull(out, "out");
        this.intervalNanos = Objects.requireNonNull(interval, "interval").toNanos();
    }

    @Override
    public void onStart(String name, Strategy strategy, Limits limits) {
        nextProgressAt = System.nanoTime() + intervalNanos;
        out.println("Exploring '" + name + "' (" + strategy + ", max " + limits.maxSteps() + (limits.maxSteps() == 1 ? " step" : " steps") + ", depth "
                + limits.maxDepth() + (limits.budget() != null ? ", budget " + format(limits.budget()) : "") + ")");
    }

    @Override
    public void onProgress(Progress p) {
        long now = System.nanoTime();
        if (now < nextProgressAt) {
            return;
        }
        nextProgressAt = now + intervalNanos;
        out.println(progressLine(p));
    }

    @Override
    public void onViolation(Violation v) {
        out.println("  ! " + v.severity() + " " + v.invariant() + " after '" + v.lastMove() + "' in " + v.state() + ": "
                + v.message());
    }

    @Override
    public void onFinish(ExplorationResult result) {
        out.print(summary(result));
    }

    /** {@code 120 steps, 14 states, 120 transitions, 85.3 steps/s, 1 failed check, 12s left}. */
    public static String progressLine(Progress p) {
        // Failures before grouping: the summary groups them by (invariant, last move), "1 violation (x8)".
        return String.format(Locale.ROOT, "  %d steps, %d states, %d transitions, %.1f steps/s, %d %s%s", p.steps(),
                p.states(), p.transitions(), p.stepsPerSecond(), p.violations(),
                p.violations() == 1 ? "failed check" : "failed checks",
                p.timeLeft() != null ? ", " + format(p.timeLeft()) + " left" : "");
    }

    /** The end-of-run summary: counts, stop reason, restore mode, violations with their paths, never-run moves, invariants that did not run (and why), warnings. */
    public static String summary(ExplorationResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.summary()).append(" in ").append(format(r.duration())).append('\n');
        sb.append("  restore: ").append(r.restoreMode()).append(" — ").append(r.restoreNote()).append('\n');
        sb.append(String.format(Locale.ROOT, "  coverage: %d of %d (state, move) pairs tried%n",
                r.coverage().pairsTried(), r.coverage().pairsPossible()));
        for (Violation v : r.violations()) {
            sb.append("  VIOLATION ").append(v.severity()).append(' ').append(v.invariant()).append(" (x").append(v.count())
                    .append("): ").append(v.message()).append('\n');
            sb.append("    path: ").append(ViolationText.pathLength(v, "")).append('\n');
            for (PathStep s : v.path()) {
                sb.append("      ").append(s.index()).append(". ").append(s.move());
                if (!s.args().isEmpty()) {
                    sb.append(' ').append(s.args());
                }
                s.exchanges().forEach(x -> sb.append("\n         ").append(x.summary()));
                if (s.error() != null) {
                    sb.append("\n         error: ").append(s.error());
                }
                sb.append('\n');
            }
        }
        for (NeverRun n : r.neverRun()) {
            sb.append("  never ran: ").append(n.move()).append(" — ").append(n.detail()).append('\n');
        }
        for (InvariantSummary i : r.invariants()) {
            if (i.didWarn()) {
                sb.append("  warned: ").append(i.name()).append(" — ").append(i.warnedDetail()).append('\n');
            } else if (i.didNotRun()) {
                sb.append("  not run: ").append(i.name()).append(" — ").append(i.notRunDetail()).append('\n');
            }
        }
        for (Warning w : r.warnings()) {
            sb.append("  warning: ").append(w).append('\n');
        }
        sb.append(r.passed() ? "  PASSED\n" : "  FAILED: " + r.violations().size()
                + (r.violations().size() == 1 ? " violation" : " violations") + " found\n");
        return sb.toString();
    }

    private static String format(Duration d) {
        long ms = d.toMillis();
        return ms < 1000 ? ms + "ms" : String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
}
