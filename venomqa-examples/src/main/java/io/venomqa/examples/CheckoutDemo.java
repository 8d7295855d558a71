package io.venomqa.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.venomqa.config.VenomQAConfig;
import io.venomqa.examples.shop.ShopApp;
import io.venomqa.journey.Branch;
import io.venomqa.journey.Journey;
import io.venomqa.journey.JourneyNode;
import io.venomqa.journey.Path;
import io.venomqa.report.ConsoleReporter;
import io.venomqa.runner.JourneyListener;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.runner.StepResult;
import io.venomqa.state.StateManager;
import io.venomqa.state.jdbc.JdbcStateManager;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo: starts the {@link ShopApp} on a free port over a fresh SQLite file, runs the
 * {@link CheckoutJourney} with the SQLite state manager (savepoints; the shop writes through the
 * manager's shared DataSource, so every rollback undoes its writes), prints the journey tree,
 * writes the JSON, JUnit XML and HTML reports, checks that every path started from the same
 * database state, and exits with 1 if anything failed.
 *
 * <pre>
 * mvn -q -pl venomqa-examples -am verify -DskipTests -Pdemo
 * </pre>
 */
public final class CheckoutDemo {

    private CheckoutDemo() {
    }

    /** {@code args[0]}: the working directory for the database and the reports (default {@code target/venomqa-examples}). */
    public static void main(String[] args) throws Exception {
        java.nio.file.Path workDir = java.nio.file.Path.of(args.length > 0 ? args[0] : "target/venomqa-examples");
        int code = run(workDir, ConsoleReporter.toStdout(), new PrintStream(System.out, true, StandardCharsets.UTF_8),
                CheckoutJourney.build());
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs {@code journey} against a fresh shop in {@code workDir}.
     *
     * @return 0 when the journey passed and every top-level path started from the same state, else 1
     */
    public static int run(java.nio.file.Path workDir, JourneyListener console, PrintStream out, Journey journey) throws Exception {
        java.nio.file.Path db = freshDatabase(workDir, "shop.db");
        VenomQAConfig config = VenomQAConfig.builder()
                .dbUrl("jdbc:sqlite:" + db)
                .dbOption("track_changes", true) // the reports show what each step wrote
                .reportDir(workDir.resolve("reports").toString())
                .build();
        out.println("VenomQA checkout demo: shop database " + db);
        try (StateManager state = config.createStateManager()) {
            state.connect();
            return runAgainst((JdbcStateManager) state, config.reportDir().orElseThrow(), console, out, journey);
        }
    }

    /**
     * A new SQLite file {@code workDir/name} holding the shop's schema and catalogue, committed
     * before any manager connects: the state every run starts from, and what {@code disconnect()}
     * puts the file back to.
     */
    static java.nio.file.Path freshDatabase(java.nio.file.Path workDir, String name) throws java.sql.SQLException,
            java.io.IOException {
        Files.createDirectories(workDir);
        java.nio.file.Path db = workDir.resolve(name).toAbsolutePath();
        for (String suffix : List.of("", "-journal", "-wal", "-shm")) {
            Files.deleteIfExists(java.nio.file.Path.of(db + suffix));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            ShopApp.createSchema(c);
        }
        return db;
    }

    /**
     * Runs {@code journey} against a shop that stores its data through {@code state}'s shared
     * DataSource; {@code state} must be connected and its database must hold the shop's schema
     * ({@link ShopApp#createSchema}). Works with any SQL backend whose SQL the shop speaks (SQLite,
     * PostgreSQL).
     *
     * @return 0 when the journey passed and every top-level path started from the same state, else 1
     */
    public static int runAgainst(JdbcStateManager state, java.nio.file.Path reportDir, JourneyListener console,
                                 PrintStream out, Journey journey) throws java.io.IOException {
        try (ShopApp shop = ShopApp.start(state.sharedDataSource(), 0)) {
            return runJourney(state, shop.baseUrl(), reportDir, console, out, journey);
        }
    }

    /**
     * Runs {@code journey} against the shop at {@code baseUrl} with {@code state} (connected),
     * prints the isolation proof and where the reports are.
     *
     * @return 0 when the journey passed and every top-level path started from the same state, else 1
     */
    static int runJourney(StateManager state, String baseUrl, java.nio.file.Path reportDir, JourneyListener console,
                          PrintStream out, Journey journey) {
        out.println("Shop API at " + baseUrl + ", state manager " + state);
        out.println();
        JourneyRunner runner = JourneyRunner.builder(CheckoutJourney.client(baseUrl))
                .stateManager(state)
                .reportDir(reportDir)
                .listener(console)
                .build();
        JourneyResult result = runner.run(journey);
        boolean isolated = reportIsolation(journey, result, out);
        out.println();
        out.println("Reports in " + reportDir.toAbsolutePath() + ": open " + new io.venomqa.report.HtmlReporter().fileName(result)
                + " in a browser.");
        if (!result.passed()) {
            out.println("FAILED: " + result.failures().size() + " failure(s); see the tree above and the reports.");
        }
        return result.passed() && isolated ? 0 : 1;
    }

    /**
     * Prints what {@code GET /stats} returned at the start of each top-level path, and whether they
     * are all the same: the proof that each path started from the checkpoint's database state.
     */
    static boolean reportIsolation(Journey journey, JourneyResult result, PrintStream out) {
        Map<String, JsonNode> seen = new LinkedHashMap<>();
        for (JourneyNode node : journey.nodes()) {
            if (node instanceof Branch b) {
                for (Path p : b.paths()) {
                    StepResult s = result.step(CheckoutJourney.statsStep(p.name()));
                    if (s != null && s.hasResponse()) {
                        seen.put(p.name(), s.response().json());
                    }
                }
            }
        }
        out.println();
        if (seen.size() < 2) {
            out.println("Isolation: not enough paths recorded /stats to compare (" + seen.keySet() + ").");
            return false;
        }
        boolean same = seen.values().stream().distinct().count() == 1;
        if (same) {
            JsonNode s = seen.values().iterator().next();
            out.println("Isolation: every path started from the same database state " + s
                    + " (" + String.join(", ", seen.keySet()) + "), although each one created an order.");
        } else {
            out.println("Isolation BROKEN: the paths started from different states: " + seen);
        }
        return same;
    }
}
