package io.venomqa.examples;

import io.venomqa.examples.shop.ShopApp;
import io.venomqa.examples.shop.ShopProcess;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.runner.WorkerApi;
import io.venomqa.runner.WorkerCommand;
import io.venomqa.runner.Workers;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.JdbcStateManager;


/**
 * A program that runs a journey on two workers and is then stopped by the test
 * ({@code InterruptedWorkersTest}): it makes the workers from the database given as arguments, prints
 * {@code WORKER <base URL>} per worker, and both paths of the journey's branch print {@code READY}
 * and wait. Arguments: backend, {@code db_url}, {@code copies} (a shop per worker in this JVM, savepoint
 * strategy) or {@code processes} (a {@link ShopProcess} JVM per worker, journal strategy), the
 * database user for {@code ShopProcess}.
 */
public final class WorkersChild {

    private WorkersChild() {
    }

    public static void main(String[] args) {
        boolean processes = args[2].equals("processes");
        StateConfig.Builder config = StateConfig.builder().backend(args[0]).url(args[1]).option("allow_remote", true);
        if (processes) {
            config.option("checkpoint_strategy", "journal");
        }
        StateManager source = StateManagers.create(config.build());
        Workers workers;
        if (processes) {
            workers = Workers.commands(source, 2, WorkerCommand.of(ShopProcess.command("${jdbc_url}", args[3], "${port}"))
                    .healthUrl("http://127.0.0.1:${port}/stats"));
        } else {
            workers = Workers.copies(source, 2, state -> {
                ShopApp shop = ShopApp.start(((JdbcStateManager) state).sharedDataSource(), 0);
                return WorkerApi.of(shop.baseUrl(), shop);
            });
        }
        workers.baseUrls().forEach(u -> System.out.println("WORKER " + u));
        // Never closed here: the signal ends this JVM while the paths wait, and the shutdown hook must close the workers.
        JourneyRunner.builder(CheckoutJourney.client("http://unused.invalid")).workers(workers).build().run(journey());
    }

    private static Journey journey() {
        return Journey.builder("interrupted_on_workers")
                .step("stats", (c, ctx) -> CheckoutJourney.expect(c.get("/stats"), 200))
                .checkpoint("start")
                .branch("start", waiting("first"), waiting("second"))
                .build();
    }

    private static Path waiting(String name) {
        return Path.builder(name).step("wait_" + name, (c, ctx) -> {
            System.out.println("READY");
            System.out.flush();
            Thread.sleep(120_000);
            return "not reached: the test stops this JVM";
        }).build();
    }
}
