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
 * and SQLite copies. The checkout passes on two of them with the JSON report and console output of a
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

    // One journey, two worker JVMs per database: each JVM costs seconds, so no more than the test needs.
    @ParameterizedTest
    @EnumSource(ShopDatabase.Kind.class)
    void theCheckoutRunsOnShopProcessesStartedPerWorkerLikeASerialRunAndEverythingIsStoppedAndDropped(ShopDatabase.Kind kind)
            throws Exception {
        try (ShopDatabase db = ShopDatabase.create(kind, dir)) {
            WorkerCommand shop = WorkerCommand.of(ShopProcess.command("${jdbc_url}", db.user(), "${port}"))
                    .healthUrl("http://127.0.0.1:${port}/stats");
            List<String> urls;
            CheckoutOnWorkersTest.Run parallel;
            try (Workers workers = Workers.commands(StateManagers.create(journal(db)), 2, shop)) {
                urls = workers.baseUrls();
                assertThat(urls).hasSize(2).allMatch(u -> u.matches("http://127\\.0\\.0\\.1:\\d+"));
                assertThat(db.copies()).hasSize(2);
                parallel = CheckoutOnWorkersTest.run(kind, List.of(CheckoutJourney.build()), console -> JourneyRunner.builder(
                        CheckoutJourney.client("http://unused.invalid")).workers(workers).listener(console).build()::run);
            }
            JourneyResult r = parallel.results().get(0);
            assertThat(r.passed()).as(r.summary()).isTrue();
            // Each worker's order is order 1 of its own database: the paths ran on the two copies.
            assertThat(r.path("card").steps().get(2).exchanges().get(0).url()).startsWith(urls.get(0)).endsWith("/orders/1/payments");
            assertThat(r.path("paypal").steps().get(2).exchanges().get(0).url()).startsWith(urls.get(1)).endsWith("/orders/1/payments");
            for (String u : urls) {
                assertThatThrownBy(() -> new Client(u).get("/stats")).isInstanceOf(HttpRequestException.class);
            }
            assertThat(db.copies()).isEmpty();
            assertThat(db.userAndOrderRows()).isZero();

            CheckoutOnWorkersTest.Run serial = CheckoutOnWorkersTest.serial(db, kind, List.of(CheckoutJourney.build()));
            assertThat(parallel.json()).as("%s: JSON report", kind).isEqualTo(serial.json());
            assertThat(parallel.console()).as("%s: console", kind).isEqualTo(serial.console());
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
