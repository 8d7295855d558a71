package io.venomqa.examples;

import io.venomqa.examples.shop.ShopApp;
import io.venomqa.explore.ExplorationResult;
import io.venomqa.explore.StateProjection;
import io.venomqa.http.Client;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.runner.WorkerApi;
import io.venomqa.runner.WorkerApiFactory;
import io.venomqa.runner.Workers;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's examples of parallel workers in one JVM, journeys and an exploration, compiled and run (SQLite). */
class ReadmeWorkersExampleTest {

    @TempDir
    java.nio.file.Path dir;

    @Test
    void fourWorkersRunTheCheckout() throws Exception {
        java.nio.file.Path shopDb = CheckoutDemo.freshDatabase(dir, "shop.db");
        StateManager source = StateManagers.fromUrl("jdbc:sqlite:" + shopDb);   // not connected: it is only copied
        try (Workers workers = Workers.copies(source, 4, WorkerApiFactory.withDataSource(dataSource -> {
            ShopApp shop = ShopApp.start(dataSource, 0);             // writes through the worker's transaction
            return WorkerApi.of(shop.baseUrl(), shop);               // stopped when the workers close
        }))) {
            JourneyRunner runner = JourneyRunner.builder(Client.builder("http://unused.invalid").build())
                    .workers(workers)                                // each worker's client is a copy of this one
                    .build();
            JourneyResult result = runner.run(CheckoutJourney.build());
            assertThat(result.passed()).isTrue();
        }                                                            // APIs stopped, copies dropped
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("_vqw_") && !n.startsWith("."));
        }
    }

    @Test
    void fourWorkersExploreTheShop() throws Exception {
        java.nio.file.Path shopDb = CheckoutDemo.freshDatabase(dir, "shop.db");
        StateManager source = StateManagers.fromUrl("jdbc:sqlite:" + shopDb);
        try (Workers workers = Workers.copies(source, 4, WorkerApiFactory.withDataSource(dataSource -> {
            ShopApp shop = ShopApp.start(dataSource, 0);
            return WorkerApi.of(shop.baseUrl(), shop);
        }))) {
            ExplorationResult result = ShopExploration.builder()
                    .projection(StateProjection.sql("select * from orders order by id",
                            "select * from payments order by id"))   // equal on every worker: no session tokens
                    .client(Client.builder("http://unused.invalid").build())
                    .workers(workers)                                // breadth-first, on all four at once
                    .build()
                    .run();
            assertThat(result.violations()).isNotEmpty();            // the planted refund bug, as a serial run finds it
            assertThat(result.violations()).extracting(v -> v.invariant()).contains(ShopExploration.REFUNDS_WITHIN_TOTAL.name());
        }
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("_vqw_") && !n.startsWith("."));
        }
    }
}
