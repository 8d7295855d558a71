package io.venomqa.runner;

import io.venomqa.testsupport.ChildJvm;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A journey of 10 000 steps, each receiving a 6 000-byte body (57 MiB of bodies), in a JVM with a
 * 64 MiB heap: completes under {@code keep_responses: failures}, keeping only the failing step's
 * body. Under {@code all} the same run ends with an OutOfMemoryError (docs/runner.md says how it was
 * checked); that case is not run here, to keep the test to one child JVM of a few seconds.
 */
class LongJourneyMemoryTest {

    /** C1 only: a run this short is over before C2's compilations would pay for themselves on two cores. */
    static final List<String> SMALL_HEAP = List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:+ExitOnOutOfMemoryError");

    @Test
    void tenThousandStepsFitIn64MiBWhenOnlyFailuresKeepTheirBodies() throws Exception {
        ChildJvm.Finished run = ChildJvm.run(SMALL_HEAP, LongJourneyChild.class.getName(), 180, "failures", "10000", "6000");

        assertThat(run.output()).doesNotContain("OutOfMemoryError");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("RESULT steps=10000 passed=9999 failed=1 passingWithBodies=0"
                + " failedBody=the last step broke");
    }
}
