package io.venomqa.report;

import io.venomqa.http.HttpExchange;
import io.venomqa.journey.Branch;
import io.venomqa.journey.Checkpoint;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.journey.Step;
import io.venomqa.runner.BranchResult;
import io.venomqa.runner.CheckpointResult;
import io.venomqa.runner.JourneyListener;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.PathResult;
import io.venomqa.runner.Status;
import io.venomqa.runner.StepResult;
import io.venomqa.state.DbChanges;
import io.venomqa.http.internal.Redactor;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Prints a journey as a tree while it runs: ✓/✗ per step, path and branch with durations, the
 * rollback before each path, and for a failed step the request, the response status and body (cut)
 * and the head of the stack trace. Register it with {@code JourneyRunner.builder(client).console()}
 * or {@code .listener(new ConsoleReporter(out, false))}.
 *
 * <pre>
 * ▶ journey checkout
 *   ✓ login  12 ms
 *   ◆ checkpoint cart_ready (database + context)
 *   ⇶ branch from cart_ready (3 paths)
 *     ↺ rolled back to cart_ready (database + context)
 *     ▸ path card
 *       ✓ pay_card  8 ms
 *     ✓ path card  9 ms
 *     …
 *   ✓ branch from cart_ready: 3/3 paths passed  40 ms
 * ✓ checkout PASSED  steps 5 passed, 0 failed, 0 skipped · paths 3/3 · 71 ms · postgresql
 * </pre>
 *
 * Colour (ANSI) only when asked for: {@link #toStdout()} uses it when standard output is a terminal
 * ({@code System.console() != null}), {@code CI} is not set and {@code NO_COLOR} is not set. Every
 * text printed comes from masked results, so no credential reaches the console.
 */
public final class ConsoleReporter implements JourneyListener {

    /** Characters of a response body printed under a failed step. */
    public static final int MAX_BODY_CHARS = 500;
    private static final int STACK_LINES = 6;

    private static final String RESET = "\u001b[0m";
    private static final String GREEN = "\u001b[32m";
    private static final String RED = "\u001b[31m";
    private static final String YELLOW = "\u001b[33m";
    private static final String CYAN = "\u001b[36m";
    private static final String DIM = "\u001b[2m";
    private static final String BOLD = "\u001b[1m";

    private final PrintStream out;
    private final boolean colour;

    /** A reporter printing to {@code out}, with ANSI colour when {@code colour} is true. */
    public ConsoleReporter(PrintStream out, boolean colour) {
        this.out = Objects.requireNonNull(out, "out");
        this.colour = colour;
    }

    /** A reporter printing to standard output, coloured only on an interactive terminal outside CI. */
    public static ConsoleReporter toStdout() {
        return new ConsoleReporter(new PrintStream(System.out, true, StandardCharsets.UTF_8), colourWanted());
    }

    /** Whether colour suits standard output: a terminal, and neither {@code CI} nor {@code NO_COLOR} set. */
    public static boolean colourWanted() {
        return System.console() != null && System.getenv("CI") == null && System.getenv("NO_COLOR") == null
                && !"dumb".equals(System.getenv("TERM"));
    }

    /** The last "not tracked" reason printed in this journey: said once, not under every step. */
    private String notTrackedSaid;

    @Override
    public void journeyStarted(Journey journey) {
        notTrackedSaid = null;
        print(0, paint(BOLD, "▶ journey " + journey.name())
                + (journey.description().isEmpty() ? "" : paint(DIM, " — " + journey.description())));
    }

    @Override
    public void stepFinished(StepResult r, int depth) {
        int level = 1 + 2 * depth;
        String extra = r.attempts() > 1 ? " (" + r.attempts() + " attempts)" : "";
        String expected = r.expectFailure() && r.passed() ? paint(DIM, "  " + r.message()) : "";
        if (!r.changesBefore().isEmpty() && r.changesBefore().tracked()) {
            print(level + 2, paint(YELLOW, "db between steps: " + r.changesBefore().summary()));
        }
        print(level, mark(r.status()) + " " + r.name() + "  " + paint(DIM, ms(r.duration()) + extra) + expected);
        printChanges(level + 2, r);
        if (r.failed()) {
            printFailure(level + 2, r);
        }
    }

    /** One line: what the step wrote; nothing when it wrote nothing; "not tracked" once per reason. */
    private void printChanges(int level, StepResult r) {
        DbChanges c = r.dbChanges();
        if (r.status() == Status.SKIPPED) {
            return;
        }
        if (!c.tracked()) {
            String reason = c.notTrackedReason().orElse("");
            if (!reason.equals(notTrackedSaid) && !reason.equals("no state manager")) {
                notTrackedSaid = reason;
                print(level, paint(DIM, "db: " + c.summary()));
            }
            return;
        }
        if (!c.tables().isEmpty()) {
            print(level, paint(DIM, "db: " + c.summary()));
        }
        for (String note : c.notes()) {
            print(level, paint(YELLOW, "db: " + note));
        }
    }

    @Override
    public void stepRetrying(Step step, int failedAttempt, String reason, long delayMillis, int depth) {
        print(1 + 2 * depth, paint(YELLOW, "↻ " + step.name() + " attempt " + failedAttempt + " failed ("
                + oneLine(reason) + "); retrying in " + delayMillis + " ms"));
    }

    @Override
    public void checkpointFinished(Checkpoint checkpoint, CheckpointResult r, int depth) {
        String what = r.databaseSaved() ? "database + context" : "context only";
        if (r.failed()) {
            print(1 + 2 * depth, mark(Status.FAILED) + " checkpoint " + r.name() + "  " + paint(RED, oneLine(r.message())));
        } else {
            print(1 + 2 * depth, paint(CYAN, "◆ checkpoint " + r.name()) + paint(DIM, " (" + what + ")"));
        }
    }

    @Override
    public void branchStarted(Branch branch, int depth) {
        print(1 + 2 * depth, paint(CYAN, "⇶ branch from " + branch.checkpointName())
                + paint(DIM, " (" + branch.paths().size() + (branch.paths().size() == 1 ? " path)" : " paths)")));
    }

    @Override
    public void rolledBack(String checkpointName, boolean database, int depth) {
        print(2 + 2 * depth, paint(DIM, "↺ rolled back to " + checkpointName
                + (database ? " (database + context)" : " (context only; database not rolled back)")));
    }

    @Override
    public void pathStarted(Path path, int depth) {
        print(2 + 2 * depth, paint(BOLD, "▸ path " + path.name())
                + (path.description().isEmpty() ? "" : paint(DIM, " — " + path.description())));
    }

    @Override
    public void pathFinished(PathResult r, int depth) {
        print(2 + 2 * depth, mark(r.status()) + " path " + r.name() + "  " + paint(DIM, ms(r.duration()))
                + (r.message() != null ? "  " + paint(RED, oneLine(r.message())) : ""));
    }

    @Override
    public void branchFinished(BranchResult r, int depth) {
        long passed = r.paths().stream().filter(PathResult::passed).count();
        print(1 + 2 * depth, mark(r.status()) + " branch from " + r.name() + ": " + passed + "/" + r.paths().size()
                + " paths passed  " + paint(DIM, ms(r.duration()))
                + (r.message() != null ? "  " + paint(RED, oneLine(r.message())) : ""));
    }

    @Override
    public void warning(String message) {
        print(1, paint(YELLOW, "⚠ " + message));
    }

    @Override
    public void journeyFinished(JourneyResult r) {
        long paths = r.paths().size();
        String counts = "steps " + r.stepCount(Status.PASSED) + " passed, " + r.stepCount(Status.FAILED) + " failed, "
                + r.stepCount(Status.SKIPPED) + " skipped · paths " + r.pathCount(Status.PASSED) + "/" + paths
                + " · " + ms(r.duration()) + (r.backend() == null ? "" : " · " + r.backend());
        print(0, mark(r.status()) + " " + paint(BOLD, r.name() + " " + r.status()) + "  " + paint(DIM, counts));
        if (r.message() != null) {
            print(1, paint(RED, r.message()));
        }
    }

    /** The journeys whose reports this reporter named, so that a second writing reads as an update. */
    private final java.util.Set<String> reported = java.util.Collections.synchronizedSet(new java.util.HashSet<>());

    @Override
    public void reportsWritten(JourneyResult result, List<java.nio.file.Path> files) {
        // Written again after the run (a disconnect() that did not put the database back): the same files, updated.
        String what = reported.add(result.name()) ? "reports: "
                : "reports updated" + (result.databaseIsolated() ? ": " : " (the database was not put back as found): ");
        print(1, paint(DIM, what + String.join(", ", files.stream().map(java.nio.file.Path::toString).toList())));
    }

    private void printFailure(int level, StepResult r) {
        if (r.message() != null) {
            print(level, paint(RED, oneLine(r.message())));
        }
        HttpExchange x = r.lastExchange();
        if (x != null) {
            print(level, paint(DIM, "request:  ") + x.method() + " " + x.url()
                    + (x.requestBody().isEmpty() ? "" : "  " + oneLine(Redactor.truncate(x.requestBody(), MAX_BODY_CHARS))));
            if (x.hasResponse()) {
                print(level, paint(DIM, "response: ") + x.status()
                        + (x.responseBody().isEmpty() ? "" : "  " + oneLine(Redactor.truncate(x.responseBody(), MAX_BODY_CHARS))));
            } else {
                print(level, paint(DIM, "response: ") + "none (" + x.error() + ")");
            }
        }
        if (r.stackTrace() != null && !r.stackTrace().isBlank()) {
            String[] lines = r.stackTrace().split("\\R");
            for (int i = 0; i < Math.min(lines.length, STACK_LINES); i++) {
                print(level, paint(DIM, lines[i].strip()));
            }
            if (lines.length > STACK_LINES) {
                print(level, paint(DIM, "… " + (lines.length - STACK_LINES) + " more lines in the reports"));
            }
        }
    }

    private String mark(Status s) {
        return switch (s) {
            case PASSED -> paint(GREEN, s.symbol());
            case FAILED -> paint(RED, s.symbol());
            case SKIPPED -> paint(YELLOW, s.symbol());
        };
    }

    private String paint(String code, String text) {
        return colour ? code + text + RESET : text;
    }

    private synchronized void print(int level, String text) {
        out.println("  ".repeat(level) + text);
        out.flush();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ⏎ ").strip();
    }

    static String ms(Duration d) {
        long ms = d.toMillis();
        return ms < 10_000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
