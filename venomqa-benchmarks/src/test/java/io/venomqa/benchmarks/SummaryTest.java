package io.venomqa.benchmarks;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The summary's target lookup per parameter set (no benchmark is run). */
class SummaryTest {

    @Compares(row = 9, what = "w", baseline = "b", maxRatio = 0.5,
            maxRatioByParam = "backend=postgresql:0.3333; k=10,rows=1000000:0.01; backend=x:NaN")
    static final class Annotated {
    }

    private static final Compares META = Annotated.class.getAnnotation(Compares.class);

    @Test
    @DisplayName("a parameter-specific target wins over the default, first match first")
    void byParam() {
        assertThat(BenchmarkMain.maxRatio(META, "backend=postgresql")).isEqualTo(0.3333);
        assertThat(BenchmarkMain.maxRatio(META, "backend=sqlite, k=10, rows=1000000")).isEqualTo(0.01);
        assertThat(BenchmarkMain.maxRatio(META, "backend=sqlite, k=1, rows=1000000")).isEqualTo(0.5);
    }

    @Test
    @DisplayName("NaN marks a parameter set reported without a target")
    void noTarget() {
        assertThat(BenchmarkMain.maxRatio(META, "backend=x")).isNaN();
    }
}
