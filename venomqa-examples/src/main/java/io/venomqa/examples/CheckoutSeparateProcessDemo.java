package io.venomqa.examples;

import io.venomqa.config.VenomQAConfig;
import io.venomqa.examples.shop.ShopProcess;
import io.venomqa.journey.Journey;
import io.venomqa.report.ConsoleReporter;
import io.venomqa.runner.JourneyListener;
import io.venomqa.state.StateManager;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The second demo: the same shop and checkout journey, but the shop runs as a <b>separate
 * process</b> (its own JVM and pool of four connections, committing every request), the way a
 * real service runs. A savepoint could not undo those writes; {@code checkpoint_strategy:
 * journal} does: triggers record every row change in the SQLite file, and each rollback undoes
 * them, identity counters included. Prints the tree, writes the reports, proves that every path
 * started from the same rows, and exits with 1 if anything failed.
 *
 * <pre>
 * mvn -q -pl venomqa-examples -am verify -DskipTests -Pdemo-journal
 * </pre>
 */
public final class CheckoutSeparateProcessDemo {

    private CheckoutSeparateProcessDemo() {
    }

    /** {@code args[0]}: the working directory for the database and the reports (default {@code target/venomqa-examples-journal}). */
    public static void main(String[] args) throws Exception {
        Path workDir = Path.of(args.length > 0 ? args[0] : "target/venomqa-examples-journal");
        int code = run(workDir, ConsoleReporter.toStdout(), new PrintStream(System.out, true, StandardCharsets.UTF_8),
                CheckoutJourney.build());
        System.exit(code);
    }

    /**
     * Runs {@code journey} against a shop process over a fresh SQLite file in {@code workDir}.
     *
     * @return 0 when the journey passed and every top-level path started from the same state, else 1
     */
    public static int run(Path workDir, JourneyListener console, PrintStream out, Journey journey) throws Exception {
        Path db = CheckoutDemo.freshDatabase(workDir, "shop.db");
        VenomQAConfig config = VenomQAConfig.builder()
                .dbUrl("jdbc:sqlite:" + db)
                .checkpointStrategy("journal")
                .dbOption("track_changes", true) // the reports show what each step wrote
                .reportDir(workDir.resolve("reports").toString())
                .build();
        out.println("VenomQA checkout demo, shop in another process: database " + db);
        try (ShopProcess shop = ShopProcess.start("jdbc:sqlite:" + db, "shop");
             StateManager state = config.createStateManager()) {
            state.connect();
            return CheckoutDemo.runJourney(state, shop.baseUrl(), config.reportDir().orElseThrow(), console, out, journey);
        }
    }
}
