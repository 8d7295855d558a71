package io.venomqa.examples;

import io.venomqa.config.VenomQAConfig;
import io.venomqa.examples.shop.ShopApp;
import io.venomqa.explore.ExplorationConsole;
import io.venomqa.explore.ExplorationReports;
import io.venomqa.explore.ExplorationResult;
import io.venomqa.explore.StateProjection;
import io.venomqa.explore.Strategy;
import io.venomqa.explore.Violation;
import io.venomqa.explore.ViolationText;
import io.venomqa.openapi.Check;
import io.venomqa.openapi.OpenApiDocument;
import io.venomqa.openapi.OpenApiExploration;
import io.venomqa.state.StateManager;
import io.venomqa.state.jdbc.JdbcStateManager;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The OpenAPI demo: starts the {@link ShopApp} on a fresh SQLite file, reads the document the shop
 * publishes at {@code GET /openapi.yaml}, and explores the shop from that document alone: every move
 * is an operation of the document (sign up, log in, fill the cart, order, pay with either documented
 * card, refund, and the reads), with the checks that need no code and the one SQL invariant of the
 * {@code venomqa.yaml} section it prints. It reports what it found, writes the reports, and exits 0
 * when it found both planted problems: the refund bug (a sequence of seven calls) and the schema
 * mismatch of {@code GET /products/{sku}}; 1 otherwise.
 *
 * <pre>
 * mvn -q -pl venomqa-examples -am verify -DskipTests -Popenapi-demo
 * </pre>
 */
public final class OpenApiDemo {

    /**
     * The configuration the demo explores with, as it would stand in {@code venomqa.yaml}: the login
     * operation (its body is the document's example) and the invariant the refund bug breaks.
     */
    public static final String CONFIG = """
            openapi:
              document: http://127.0.0.1:PORT/openapi.yaml
              login: {operation: login}
              invariants:
                - name: refunds never exceed the order total
                  severity: critical
                  sql: >-
                    select count(*) = 0 from orders o where (select coalesce(sum(p.amount_cents), 0) from payments p
                    where p.order_id = o.id and p.status = 'refunded') > o.total_cents
            """;

    /**
     * What identifies a state: row counts of users, sessions and the cart, orders and payments by
     * status. Sessions count: a second login is a new state, so the token the context holds always
     * has its row in the database the explorer returns to.
     */
    static final String PROJECTION = "select 'users' as k, count(*) as n from users"
            + " union all select 'sessions', count(*) from sessions"
            + " union all select 'cart', count(*) from cart_items"
            + " union all select 'order ' || status, count(*) from orders group by status"
            + " union all select 'payment ' || status, count(*) from payments group by status"
            + " order by 1";

    private OpenApiDemo() {
    }

    /** {@code args[0]}: the working directory for the database and the reports (default {@code target/venomqa-openapi}). */
    public static void main(String[] args) throws Exception {
        Path workDir = Path.of(args.length > 0 ? args[0] : "target/venomqa-openapi");
        int code = run(workDir, new PrintStream(System.out, true, StandardCharsets.UTF_8));
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Explores a fresh embedded shop from its document, in {@code workDir}.
     *
     * @return 0 when both planted problems were found, else 1
     */
    public static int run(Path workDir, PrintStream out) throws Exception {
        Path db = CheckoutDemo.freshDatabase(workDir, "shop.db");
        out.println("VenomQA OpenAPI demo: shop database " + db);
        try (StateManager state = VenomQAConfig.builder().dbUrl("jdbc:sqlite:" + db)
                // Tracked changes let the check "safe method writes nothing" judge every GET.
                .dbOption("track_changes", true).build().createStateManager()) {
            state.connect();
            try (ShopApp shop = ShopApp.start(((JdbcStateManager) state).sharedDataSource(), 0)) {
                String yaml = CONFIG.replace("http://127.0.0.1:PORT", shop.baseUrl());
                out.println("Exploring " + shop.baseUrl() + " from its OpenAPI document alone, with this venomqa.yaml section:");
                yaml.lines().forEach(l -> out.println("  " + l));
                OpenApiExploration oa = OpenApiExploration.from(OpenApiDocument.read(shop.baseUrl() + "/openapi.yaml"))
                        .configure(VenomQAConfig.parse(yaml));
                ExplorationResult result = oa.explorationBuilder(CheckoutJourney.client(shop.baseUrl()), state)
                        .projection(oa.projectionFor(StateProjection.sql(PROJECTION)))
                        .strategy(Strategy.breadthFirst())
                        .maxDepth(7)
                        .maxSteps(3_000)
                        .listener(new ExplorationConsole(out, Duration.ofSeconds(2)))
                        .build()
                        .run();
                oa.notRun().forEach(n -> out.println("Check " + n.check().invariantName() + " " + n.message()));
                return report(result, workDir, out);
            }
        }
    }

    /** Prints every violation, writes the reports; 0 when both planted problems are among the violations. */
    static int report(ExplorationResult result, Path workDir, PrintStream out) {
        Path reports = workDir.resolve("reports");
        List<Path> files = ExplorationReports.writeAll(result, reports);
        out.println();
        for (Violation v : result.violations()) {
            out.println("Found: " + ViolationText.headline(v));
            out.println("  path (" + v.shrunkLength() + " calls): " + ViolationText.moves(v));
        }
        out.println("Reports: " + files.stream().map(p -> p.getFileName().toString()).toList() + " in " + reports.toAbsolutePath()
                + " (replay one with: venomqa replay " + reports.resolve("explore-shop.json") + " --violation N)");
        Optional<Violation> refund = refundBug(result);
        Optional<Violation> schema = schemaMismatch(result);
        out.println(refund.isPresent() ? "FOUND the planted refund bug." : "NOT FOUND: the planted refund bug.");
        out.println(schema.isPresent() ? "FOUND the planted schema mismatch of GET /products/{sku}."
                : "NOT FOUND: the planted schema mismatch of GET /products/{sku}.");
        return refund.isPresent() && schema.isPresent() ? 0 : 1;
    }

    /** The violation of the refund invariant. */
    static Optional<Violation> refundBug(ExplorationResult result) {
        return result.violationsOf(ShopExploration.REFUNDS_WITHIN_TOTAL.name()).stream().findFirst();
    }

    /** The schema violation of {@code getProduct}. */
    static Optional<Violation> schemaMismatch(ExplorationResult result) {
        return result.violationsOf(Check.RESPONSE_SCHEMA.invariantName()).stream()
                .filter(v -> v.lastMove().equals("getProduct")).findFirst();
    }
}
