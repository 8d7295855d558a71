package io.venomqa.runner;

import io.venomqa.http.Client;
import io.venomqa.journey.Journey;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Where step actions run: on the calling thread unless a timeout must be enforced. */
class StepThreadTest {

    private static final Client CLIENT = new Client("http://127.0.0.1:9");

    @Test
    void aStepWithoutTimeoutRunsOnTheCallingThreadAndOneWithATimeoutOnTheStepThread() {
        AtomicReference<Thread> plain = new AtomicReference<>();
        AtomicReference<Thread> timed = new AtomicReference<>();
        Journey journey = Journey.builder("threads")
                .step("plain", (client, ctx) -> {
                    plain.set(Thread.currentThread());
                    return "ok";
                })
                .step("timed", (client, ctx) -> {
                    timed.set(Thread.currentThread());
                    return "ok";
                }, s -> s.timeout(Duration.ofSeconds(30)))
                .build();

        JourneyResult result = JourneyRunner.builder(CLIENT).build().run(journey);

        assertThat(result.passed()).as(result.failures().toString()).isTrue();
        assertThat(plain.get()).isSameAs(Thread.currentThread());
        assertThat(timed.get()).isNotSameAs(Thread.currentThread());
        assertThat(timed.get().getName()).startsWith("venomqa-runner-");
    }

    @Test
    void anInterruptDuringAStepOnTheCallingThreadStopsTheRun() throws Exception {
        Journey journey = Journey.builder("interrupted")
                .step("interrupts", (client, ctx) -> {
                    Thread.currentThread().interrupt(); // as if the caller were interrupted while the step ran
                    return "ok";
                })
                .step("after", (client, ctx) -> "not run")
                .build();
        AtomicReference<JourneyResult> result = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            result.set(JourneyRunner.builder(CLIENT).build().run(journey));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        caller.join(30_000);

        assertThat(result.get().step("after").status()).isEqualTo(Status.SKIPPED);
        assertThat(result.get().step("after").message()).contains("the run was interrupted");
        assertThat(stillInterrupted.get()).as("the interrupt is kept for the caller").isTrue();
    }
}
