package io.venomqa.benchmarks;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The ratio of a paired, interleaved measurement: the median of the per-pair ratios
 * (VenomQA / baseline, each pair measured back to back in the same JVM) with a 95 % bootstrap
 * confidence interval of that median. A target is decided only when the whole interval is on one
 * side of it, so one noisy run cannot flip a row from "met" to "missed": it becomes "undecided".
 *
 * @param pairs  how many pairs were measured
 * @param median the median ratio
 * @param low    the interval's lower bound (2.5th percentile of the bootstrapped medians)
 * @param high   the interval's upper bound (97.5th percentile)
 */
record PairedStatistics(int pairs, double median, double low, double high) {

    /** How a target compares with the interval. */
    enum Verdict {
        /** The whole interval is at or below the largest acceptable ratio. */
        MET,
        /** The whole interval is above it. */
        MISSED,
        /** The interval straddles it: the run cannot tell. */
        UNDECIDED;

        String word() {
            return switch (this) {
                case MET -> "met";
                case MISSED -> "**missed**";
                case UNDECIDED -> "undecided";
            };
        }
    }

    /** Resamples drawn for the interval: enough that its bounds move less than the noise. */
    static final int RESAMPLES = 4000;

    /**
     * The median of {@code ratios} and its 95 % interval, bootstrapped with a fixed seed so the same
     * measurements always print the same interval.
     *
     * @throws IllegalArgumentException with fewer than 3 ratios, or a ratio that is not finite and positive
     */
    static PairedStatistics of(double[] ratios) {
        if (ratios.length < 3) {
            throw new IllegalArgumentException("A paired measurement needs at least 3 pairs, got " + ratios.length);
        }
        for (double r : ratios) {
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new IllegalArgumentException("Ratios must be finite and positive: " + Arrays.toString(ratios));
            }
        }
        SplittableRandom random = new SplittableRandom(42);
        double[] medians = new double[RESAMPLES];
        double[] sample = new double[ratios.length];
        for (int i = 0; i < RESAMPLES; i++) {
            for (int j = 0; j < sample.length; j++) {
                sample[j] = ratios[random.nextInt(ratios.length)];
            }
            medians[i] = median(sample);
        }
        Arrays.sort(medians);
        return new PairedStatistics(ratios.length, median(ratios.clone()), percentile(medians, 0.025),
                percentile(medians, 0.975));
    }

    /** {@link Verdict#MET} when {@code high ≤ maxRatio}, {@link Verdict#MISSED} when {@code low > maxRatio}. */
    Verdict verdict(double maxRatio) {
        if (high <= maxRatio) {
            return Verdict.MET;
        }
        return low > maxRatio ? Verdict.MISSED : Verdict.UNDECIDED;
    }

    /** {@code 1.04 [0.98, 1.11]}. */
    String describe() {
        return String.format(Locale.ROOT, "%s [%s, %s]", num(median), num(low), num(high));
    }

    static String num(double d) {
        return d >= 100 ? String.format(Locale.ROOT, "%.0f", d)
                : d >= 0.01 || d == 0 ? String.format(Locale.ROOT, "%.3f", d) : String.format(Locale.ROOT, "%.2e", d);
    }

    private static double median(double[] values) {
        Arrays.sort(values);
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static double percentile(double[] sorted, double p) {
        double index = p * (sorted.length - 1);
        int lo = (int) Math.floor(index);
        int hi = (int) Math.ceil(index);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (index - lo);
    }
}
