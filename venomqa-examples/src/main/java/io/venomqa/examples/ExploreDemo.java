package io.venomqa.examples;

import io.venomqa.config.VenomQAConfig;
import io.venomqa.examples.shop.ShopApp;
import io.venomqa.explore.Exploration;
import io.venomqa.explore.ExplorationConsole;
import io.venomqa.explore.ExplorationReports;
import io.venomqa.explore.ExplorationResult;
import io.venomqa.explore.Violation;
import io.venomqa.explore.ViolationExport;
import io.venomqa.explore.ViolationText;
import io.venomqa.state.StateManager;
import io.venomqa.state.jdbc.JdbcStateManager;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The exploration demo: starts the {@link ShopApp} on a fresh SQLite file (savepoints; the shop writes
 * through the manager's shared DataSource), explores it with {@link ShopExploration}, prints the
 * summary and the minimal path of the planted bug, writes the HTML, JSON and JUnit XML reports and the
 * bug's reproduction as a journey and a JUnit test, and exits 0 when it found the planted bug with a
 * path of at most {@value #MAX_PATH} calls (its purpose), 1 otherwise.
 *
 * <pre>
 * mvn -q -pl venomqa-examples -am verify -DskipTests -Pexplore
 * </pre>
 */
public final class ExploreDemo {

    /** Longest minimal path the demo accepts for the planted bug. */
    public static final int MAX_PATH = 4;

    private ExploreDemo() {
    }

    /** {@code args[0]}: the working directory for the database and the reports (default {@code target/venomqa-explore}). */
    public static void main(String[] args) throws Exception {
        Path workDir = Path.of(args.length > 0 ? args[0] : "target/venomqa-explore");
        int code = run(workDir, new PrintStream(System.out, true, StandardCharsets.UTF_8));
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Explores a fresh embedded shop in {@code workDir}.
     *
     * @return 0 when the planted bug was found with a path of at most {@value #MAX_PATH} moves, else 1
     */
    public static int run(Path workDir, PrintStream out) throws Exception {
        Path db = CheckoutDemo.freshDatabase(workDir, "shop.db");
        VenomQAConfig config = VenomQAConfig.builder().dbUrl("jdbc:sqlite:" + db).build();
        out.println("VenomQA exploration demo: shop database " + db);
        try (StateManager state = config.createStateManager()) {
            state.connect();
            try (ShopApp shop = ShopApp.start(((JdbcStateManager) state).sharedDataSource(), 0)) {
                ExplorationResult result = ShopExploration.builder()
                        .client(CheckoutJourney.client(shop.baseUrl()))
                        .stateManager(state)
                        .listener(new ExplorationConsole(out, Duration.ofSeconds(2)))
                        .build()
                        .run();
                return report(result, workDir, out);
            }
        }
    }

    /**
     * Prints the planted bug's minimal path, writes the reports and the reproduction into {@code workDir}.
     *
     * @return 0 when the planted bug was found with a path of at most {@value #MAX_PATH} moves, else 1
     */
    static int report(ExplorationResult result, Path workDir, PrintStream out) {
        Path reports = workDir.resolve("reports");
        List<Path> files = ExplorationReports.writeAll(result, reports);
        out.println();
        out.println("Reports: " + files.stream().map(p -> p.getFileName().toString()).toList() + " in "
                + reports.toAbsolutePath() + " (open the .html in a browser)");
        Optional<Violation> bug = plantedBug(result);
        if (bug.isEmpty()) {
            out.println("NOT FOUND: the exploration did not find the planted bug ('"
                    + ShopExploration.REFUNDS_WITHIN_TOTAL.name() + "').");
            return 1;
        }
        Violation v = bug.get();
        Path src = workDir.resolve("reproduction");
        List<Path> exported = ViolationExport.of(v)
                .className("io.venomqa.examples.reproduction.RefundBeyondTotal")
                .startFrom("io.venomqa.examples.CheckoutJourney.build()", ShopExploration.START)
                .invariantSql(ShopExploration.REFUNDS_WITHIN_TOTAL.sqlQuery())
                .writeTo(src);
        out.println();
        out.println("Found the planted bug: " + ViolationText.headline(v));
        out.println("Minimal path (" + v.shrunkLength() + " calls" + (v.shrunk() && v.originalLength() > v.shrunkLength()
                ? ", shrunk from " + v.originalLength() : v.shrunk() ? ", already minimal" : "") + "): " + ViolationText.moves(v));
        v.path().forEach(s -> s.exchanges().forEach(x -> out.println("  " + s.index() + ". " + s.move() + ": "
                + x.method() + " " + pathOf(x.url()) + (x.requestBody().isEmpty() ? "" : " " + x.requestBody()) + " → " + x.status())));
        out.println("Reproduction: " + exported.stream().map(p -> src.relativize(p).toString()).toList() + " in " + src.toAbsolutePath());
        if (v.shrunkLength() > MAX_PATH) {
            out.println("FAILED: the minimal path has " + v.shrunkLength() + " calls, more than " + MAX_PATH + ".");
            return 1;
        }
        return 0;
    }

    /** The violation of the invariant the planted bug breaks, if the run found it. */
    static Optional<Violation> plantedBug(ExplorationResult result) {
        return result.violationsOf(ShopExploration.REFUNDS_WITHIN_TOTAL.name()).stream().findFirst();
    }

    private static String pathOf(String url) {
        int slash = url.indexOf('/', url.indexOf("//") + 2);
        return slash < 0 ? url : url.substring(slash);
    }
}
