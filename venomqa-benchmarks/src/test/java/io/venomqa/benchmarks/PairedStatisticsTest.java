package io.venomqa.benchmarks;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The paired mode's statistics and parameter sets (no benchmark is run). */
class PairedStatisticsTest {

    @Test
    @DisplayName("the interval holds the median, and tight ratios give a tight interval")
    void interval() {
        PairedStatistics s = PairedStatistics.of(new double[]{1.00, 1.02, 0.98, 1.01, 0.99, 1.00, 1.03, 0.97, 1.00});
        assertThat(s.median()).isEqualTo(1.00);
        assertThat(s.low()).isLessThanOrEqualTo(s.median()).isGreaterThanOrEqualTo(0.97);
        assertThat(s.high()).isGreaterThanOrEqualTo(s.median()).isLessThanOrEqualTo(1.03);
        assertThat(s.pairs()).isEqualTo(9);
    }

    @Test
    @DisplayName("a target is met or missed only when the whole interval is on one side, else undecided")
    void verdicts() {
        PairedStatistics s = PairedStatistics.of(new double[]{1.00, 1.05, 1.10, 1.02, 1.08, 1.04, 1.06});
        assertThat(s.verdict(1.20)).isEqualTo(PairedStatistics.Verdict.MET);
        assertThat(s.verdict(0.90)).isEqualTo(PairedStatistics.Verdict.MISSED);
        assertThat(s.verdict(s.median())).isEqualTo(PairedStatistics.Verdict.UNDECIDED);
    }

    @Test
    @DisplayName("the same measurements always print the same interval")
    void deterministic() {
        double[] ratios = {0.5, 2.0, 1.1, 0.9, 1.3, 0.7, 1.0, 1.6};
        assertThat(PairedStatistics.of(ratios)).isEqualTo(PairedStatistics.of(ratios.clone()));
    }

    @Test
    @DisplayName("too few pairs or a ratio that is not positive is refused")
    void refused() {
        assertThatThrownBy(() -> PairedStatistics.of(new double[]{1, 2})).hasMessageContaining("at least 3 pairs");
        assertThatThrownBy(() -> PairedStatistics.of(new double[]{1, 0, 2})).hasMessageContaining("finite and positive");
    }

    @Test
    @DisplayName("parameter sets are every combination of @Param values, row 4 cut to k=10 and two table sizes")
    void parameterSets() {
        assertThat(PairedMain.parameterSets(CheckpointBenchmark.class)).containsExactly(
                Map.of("backend", "postgresql", "capture", "off"), Map.of("backend", "postgresql", "capture", "on"),
                Map.of("backend", "mariadb", "capture", "off"), Map.of("backend", "mariadb", "capture", "on"),
                Map.of("backend", "sqlite", "capture", "off"), Map.of("backend", "sqlite", "capture", "on"));
        List<Map<String, String>> row4 = PairedMain.parameterSets(JournalRollbackBenchmark.class);
        assertThat(row4).hasSize(4).allSatisfy(p -> assertThat(p).containsEntry("k", "10"));
        assertThat(PairedMain.parameterSets(ContextSnapshotBenchmark.class)).containsExactly(Map.of());
    }
}
