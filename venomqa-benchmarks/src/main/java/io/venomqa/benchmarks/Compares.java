package io.venomqa.benchmarks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a JMH benchmark class that measures VenomQA (method {@code venomqa}) against a baseline
 * (method {@code baseline}) in the same run. {@link BenchmarkMain} pairs the two per parameter set
 * and prints {@code venomqa / baseline} with its error.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Compares {
    /** Row number in the README's performance table. */
    int row();

    /** What is measured, in a few words. */
    String what();

    /** What the baseline is. */
    String baseline();

    /**
     * Largest acceptable time ratio venomqa/baseline: 1.10 for "at most 10% slower", 1/3.0 for
     * "at least 3× faster".
     */
    double maxRatio();
}
