package io.venomqa.examples;

import io.venomqa.examples.shop.ShopProcess;
import io.venomqa.http.Client;
import io.venomqa.http.HttpRequestException;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.runner.WorkerCommand;
import io.venomqa.runner.Workers;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManagers;
import io.venomqa.state.WorkerDatabaseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Workers whose APIs are processes VenomQA starts from a command template: the shop in a JVM of its
 * own per worker ({@link ShopProcess}, its own pool, so the journal strategy), on PostgreSQL, MariaDB
 * and SQLite copies. The checkout passes on 2 and 4 of them with the JSON report and console output of a
 * serial run (the shop in this JVM on the database itself, compared as {@link CheckoutOnWorkersTest}
 * does); closing stops the processes and drops the copies; a command
 * that ends before its API answers fails with its output, and nothing is left.
 */
class CheckoutOnWorkerProcessesTest {

    @TempDir
    java.nio.file.Path dir;

    private static StateConfig journal(ShopDatabase db) {
        return db.config().toBuilder().option("checkpoint_strategy", "journal").build();
    }

    // One journey on 2 and 4 worker JVMs per database (started together, so a set costs about one start): 2 runs
    // a worker's paths one after the other and wraps the paths round the workers, 4 leaves a worker idle. A
    // single worker takes no path of its own in Workers or the runner; CheckoutOnWorkersTest runs 1 worker
    // against the serial run.
    @ParameterizedTest
    @EnumSource(ShopDatabase.Kind.class)
    void theCheckoutRunsOnShopProcessesStartedPerWorkerLikeASerialRunAndEverythingIsStoppedAndDropped(ShopDatabase.Kind kind)
            throws Exception {
        try (ShopDatabase db = ShopDatabase.create(kind, dir)) {
            WorkerCommand shop = WorkerCommand.of(ShopProcess.command("${jdbc_url}", db.user(), "${port}"))
                    .healthUrl("http://127.0.0.1:${port}/stats");
            java.util.Map<Integer, CheckoutOnWorkersTest.Run> parallel = new java.util.TreeMap<>();
            for (int n : new int[]{2, 4}) {
                List<String> urls;
                CheckoutOnWorkersTest.Run run;
                try (Workers workers = Workers.commands(StateManagers.create(journal(db)), n, shop)) {
                    urls = workers.baseUrls();
                    assertThat(urls).hasSize(n).doesNotHaveDuplicates().allMatch(u -> u.matches("http://127\\.0\\.0\\.1:\\d+"));
                    assertThat(db.copies()).hasSize(n);
                    run = CheckoutOnWorkersTest.run(kind, List.of(CheckoutJourney.build()), console -> JourneyRunner.builder(
                            CheckoutJourney.client("http://unused.invalid")).workers(workers).listener(console).build()::run);
                }
                JourneyResult r = run.results().get(0);
                assertThat(r.passed()).as(r.summary()).isTrue();
                // Top-level path k runs on worker k mod min(n, 3); each worker's order is order 1 of its own database.
                List<String> paths = List.of("card", "paypal", "declined_card");
                for (int k = 0; k < paths.size(); k++) {
                    String url = r.path(paths.get(k)).steps().get(2).exchanges().get(0).url();
                    assertThat(url).as("%s on %d worker(s)", paths.get(k), n).startsWith(urls.get(k % Math.min(n, 3)) + "/orders/1/");
                }
                for (String u : urls) {
                    assertThatThrownBy(() -> new Client(u).get("/stats")).isInstanceOf(HttpRequestException.class);
                }
                assertThat(db.copies()).isEmpty();
                parallel.put(n, run);
            }
            assertThat(db.userAndOrderRows()).isZero();

            CheckoutOnWorkersTest.Run serial = CheckoutOnWorkersTest.serial(db, kind, List.of(CheckoutJourney.build()));
            parallel.forEach((n, run) -> {
                assertThat(run.json()).as("%s, %d workers: JSON report", kind, n).isEqualTo(serial.json());
                assertThat(run.console()).as("%s, %d workers: console", kind, n).isEqualTo(serial.console());
            });
        }
    }

    @Test
    void aCommandThatEndsBeforeItsApiAnswersFailsWithItsOutputAndLeavesNothing() throws Exception {
        try (ShopDatabase db = ShopDatabase.create(ShopDatabase.Kind.POSTGRESQL, dir)) {
            WorkerCommand broken = WorkerCommand.of(ShopProcess.command("jdbc:postgresql://127.0.0.1:1/nowhere", "postgres", "${port}"));
            assertThatThrownBy(() -> Workers.commands(StateManagers.create(journal(db)), 2, broken))
                    .isInstanceOf(WorkerDatabaseException.class)
                    .hasMessageContaining("Worker 1's API ended (exit code")
                    .hasMessageContaining("Its last output:");
            assertThat(db.copies()).isEmpty();
        }
    }
}
