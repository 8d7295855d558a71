package io.venomqa.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.venomqa.examples.shop.ShopApp;
import io.venomqa.journey.Journey;
import io.venomqa.report.ConsoleReporter;
import io.venomqa.report.JsonReporter;
import io.venomqa.runner.JourneyListener;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.runner.PathResult;
import io.venomqa.runner.Status;
import io.venomqa.runner.WorkerApi;
import io.venomqa.runner.WorkerApiFactory;
import io.venomqa.runner.Workers;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shop's journeys on 1, 2 and 4 parallel workers in this JVM (a copy of the database and a shop
 * per worker) on SQLite, PostgreSQL and MariaDB: the results and the console output are those of a
 * serial run, apart from times and the worker's port; every copy is dropped afterwards and the
 * database under test is untouched. And a worker whose API dies half-way: its paths fail with the
 * cause, the other worker's pass, every copy is still dropped.
 */
class CheckoutOnWorkersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    java.nio.file.Path dir;

    /** One run's journeys: normalized JSON result and console text of each. */
    record Run(List<String> json, List<String> console, List<JourneyResult> results) {
    }

    private static List<Journey> journeys() {
        return List.of(CheckoutJourney.build(), WideShopJourney.build(null));
    }

    @ParameterizedTest
    @EnumSource(ShopDatabase.Kind.class)
    void workersGiveTheResultsAndOutputOfASerialRun(ShopDatabase.Kind kind) throws Exception {
        try (ShopDatabase db = ShopDatabase.create(kind, dir)) {
            // Workers first: on MariaDB the serial run would move the AUTO_INCREMENT counters the copies start from.
            Map<Integer, Run> parallel = new java.util.TreeMap<>();
            for (int n : new int[]{1, 2, 4}) {
                try (Workers workers = Workers.copies(StateManagers.create(db.config()), n, SHOP)) {
                    assertThat(workers.size()).isEqualTo(n);
                    assertThat(db.copies()).hasSize(n);
                    parallel.put(n, run(kind, console -> JourneyRunner.builder(CheckoutJourney.client("http://unused.invalid"))
                            .workers(workers).listener(console).build()::run));
                }
                assertThat(db.copies()).as("copies left after closing %d workers", n).isEmpty();
            }
            assertThat(db.userAndOrderRows()).as("the database under test is only copied").isZero();

            Run serial = serial(db, kind, journeys());
            assertThat(serial.results()).allSatisfy(r -> assertThat(r.passed()).as(r.summary()).isTrue());
            parallel.forEach((n, run) -> {
                assertThat(run.json()).as("%s, %d workers", db, n).isEqualTo(serial.json());
                assertThat(run.console()).as("%s, %d workers", db, n).isEqualTo(serial.console());
            });
        }
    }

    /**
     * PostgreSQL worker copies as schemas of the same database ({@code worker_copies: schema}, what a role
     * without CREATEDB gets): the shop on each copy's DataSource, and the shop as processes started on
     * each copy's {@code ${jdbc_url}} (its search path names the copy), both give the serial run.
     */
    @org.junit.jupiter.api.Test
    void schemaCopiesOnPostgresGiveTheResultsOfASerialRun() throws Exception {
        try (ShopDatabase db = ShopDatabase.create(ShopDatabase.Kind.POSTGRESQL, dir)) {
            io.venomqa.state.StateConfig schemas = db.config().toBuilder().option("worker_copies", "schema").build();
            Run inJvm;
            try (Workers workers = Workers.copies(StateManagers.create(schemas), 2, SHOP)) {
                assertThat(db.schemas()).as("copies are schemas of the database under test").hasSize(3);
                inJvm = run(ShopDatabase.Kind.POSTGRESQL, console -> JourneyRunner.builder(CheckoutJourney.client("http://unused.invalid"))
                        .workers(workers).listener(console).build()::run);
            }
            Run processes;
            io.venomqa.runner.WorkerCommand shop = io.venomqa.runner.WorkerCommand.of(io.venomqa.examples.shop.ShopProcess.command(
                    "${jdbc_url}", db.user(), "${port}")).healthUrl("http://127.0.0.1:${port}/stats");
            try (Workers workers = Workers.commands(StateManagers.create(schemas.toBuilder()
                    .option("checkpoint_strategy", "journal").build()), 2, shop)) {
                processes = run(ShopDatabase.Kind.POSTGRESQL, List.of(CheckoutJourney.build()), console -> JourneyRunner.builder(
                        CheckoutJourney.client("http://unused.invalid")).workers(workers).listener(console).build()::run);
            }
            assertThat(db.schemas()).as("only the source's schema is left").hasSize(1);
            assertThat(db.userAndOrderRows()).isZero();
            Run serial = serial(db, ShopDatabase.Kind.POSTGRESQL, journeys());
            assertThat(inJvm.json()).isEqualTo(serial.json());
            assertThat(inJvm.console()).isEqualTo(serial.console());
            Run serialCheckout = serial(db, ShopDatabase.Kind.POSTGRESQL, List.of(CheckoutJourney.build()));
            assertThat(processes.json()).isEqualTo(serialCheckout.json());
            assertThat(processes.console()).isEqualTo(serialCheckout.console());
        }
    }

    @ParameterizedTest
    @EnumSource(ShopDatabase.Kind.class)
    void aWorkerWhoseApiDiesFailsItsPathsWithTheCauseAndTheOthersFinish(ShopDatabase.Kind kind) throws Exception {
        // The second top-level path runs on worker 2: its first step stops that worker's API.
        Journey journey = WideShopJourney.build((client, ctx) -> {
            STARTED.get(client.baseUrl()).close();
            return null;
        });
        try (ShopDatabase db = ShopDatabase.create(kind, dir)) {
            JourneyResult r;
            String deadApi;
            try (Workers workers = Workers.copies(StateManagers.create(db.config()), 2, SHOP)) {
                deadApi = workers.baseUrls().get(1);
                r = JourneyRunner.builder(CheckoutJourney.client("http://unused.invalid")).workers(workers).build().run(journey);
            }
            assertThat(db.copies()).isEmpty();

            List<String> failed = new ArrayList<>();
            List<String> passed = new ArrayList<>();
            for (JourneyResult.LocatedPath p : r.paths()) {
                (p.path().failed() ? failed : passed).add(p.location());
            }
            // Paths 1, 3 (branch one) and 5 (branch two: worker 2 never got there) ran on worker 2.
            assertThat(failed).containsExactly("paypal", "card_again", "order_total");
            assertThat(passed).containsExactly("card", "declined", "stats_only", "cart_total");
            String port = deadApi.substring(deadApi.lastIndexOf(':') + 1);
            PathResult paypal = r.path("paypal");
            assertThat(paypal.steps().get(1).status()).isEqualTo(Status.FAILED);
            assertThat(paypal.steps().get(1).message()).contains(port);
            assertThat(r.path("card_again").steps().get(0).message()).contains(port);
            assertThat(r.path("order_total").message())
                    .startsWith("Worker 2 did not reach this path: its run of the journey failed first")
                    .contains(port);
            assertThat(r.step("add_sticker").passed()).as("the main line is worker 1's").isTrue();
            assertThat(r.failed()).isTrue();
        }
    }

    private static final Map<String, ShopApp> STARTED = new ConcurrentHashMap<>();

    /** A shop writing through the worker's shared DataSource. */
    private static final WorkerApiFactory SHOP = WorkerApiFactory.withDataSource(dataSource -> {
        ShopApp shop = ShopApp.start(dataSource, 0);
        STARTED.put(shop.baseUrl(), shop);
        return WorkerApi.of(shop.baseUrl(), shop);
    });

    /**
     * The serial run the workers' runs are compared with: the shop in this JVM on {@code db} itself, each
     * journey from the database as it is, as on a worker (checkpoint before, roll back after).
     */
    static Run serial(ShopDatabase db, ShopDatabase.Kind kind, List<Journey> journeys) throws Exception {
        try (StateManager state = StateManagers.create(db.config())) {
            state.connect();
            try (ShopApp shop = ShopApp.start(((JdbcStateManager) state).sharedDataSource(), 0)) {
                return run(kind, journeys, console -> {
                    JourneyRunner runner = JourneyRunner.builder(CheckoutJourney.client(shop.baseUrl())).stateManager(state)
                            .listener(console).build();
                    return journey -> {
                        state.checkpoint("serial_journey");
                        try {
                            return runner.run(journey);
                        } finally {
                            state.rollback("serial_journey");
                            state.release("serial_journey");
                        }
                    };
                });
            }
        }
    }

    private static Run run(ShopDatabase.Kind kind, Function<JourneyListener, Function<Journey, JourneyResult>> runnerWithConsole)
            throws Exception {
        return run(kind, journeys(), runnerWithConsole);
    }

    /** Runs {@code journeys} with the runner made for a console listener: normalized JSON and console text of each. */
    static Run run(ShopDatabase.Kind kind, List<Journey> journeys,
                   Function<JourneyListener, Function<Journey, JourneyResult>> runnerWithConsole) throws Exception {
        List<String> json = new ArrayList<>();
        List<String> console = new ArrayList<>();
        List<JourneyResult> results = new ArrayList<>();
        for (Journey j : journeys) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            JourneyResult r = runnerWithConsole.apply(new ConsoleReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false)).apply(j);
            results.add(r);
            json.add(ids(kind, normalized(JSON.readTree(new JsonReporter().render(r))).toPrettyString()));
            console.add(ids(kind, normalized(bytes.toString(StandardCharsets.UTF_8))));
        }
        return new Run(json, console, results);
    }

    /** Without what differs from run to run whatever the workers: times, the API's port. */
    private static JsonNode normalized(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (k.equals("startedAt") || k.equals("date") || k.toLowerCase(java.util.Locale.ROOT).contains("duration")) {
                    it.remove();
                } else {
                    o.set(k, normalized(o.get(k)));
                }
            }
            return o;
        }
        if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, normalized(a.get(i)));
            }
            return a;
        }
        return node.isTextual() ? TextNode.valueOf(normalized(sortedKeys(node.asText()))) : node;
    }

    private static final ObjectMapper SORTED = new ObjectMapper().configure(
            com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /**
     * A JSON object body with its keys sorted: the shop answers with {@code Map.of(...)}, whose order of keys
     * is chosen afresh in every JVM, so the shop in another process answers the same content in another order.
     */
    private static String sortedKeys(String text) {
        if (!text.startsWith("{")) {
            return text;
        }
        try {
            return SORTED.writeValueAsString(SORTED.treeToValue(SORTED.readTree(text), Object.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return text; // not JSON: compared as it is
        }
    }

    /**
     * On MariaDB a savepoint rollback does not give AUTO_INCREMENT values back (docs/mysql-backend.md):
     * in a serial run each path gets ids after those its predecessors used, on workers after those of
     * the paths of its own worker. Ids are the only difference allowed, there only.
     */
    private static String ids(ShopDatabase.Kind kind, String text) {
        return kind != ShopDatabase.Kind.MARIADB ? text
                : text.replaceAll("(\\\\?\"(id|order_id)\\\\?\" ?: ?)\\d+", "$1ID").replaceAll("(/orders/|order )\\d+", "$1ID");
    }

    private static String normalized(String text) {
        return text.replaceAll("http://127\\.0\\.0\\.1:\\d+", "http://api")
                .replaceAll("\\d+(\\.\\d+)? ?(ms|s)\\b", "T");
    }
}
