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

    /**
     * Targets that differ by parameter set, overriding {@link #maxRatio()}: entries separated by
     * {@code ;}, each {@code key=value[,key=value…]:ratio}, first match wins; e.g.
     * {@code "backend=postgresql:0.3333"}. A ratio of {@code NaN} ({@code key=value:NaN}) means
     * the row is reported without a target.
     */
    String maxRatioByParam() default "";

    /**
     * A parameter in which VenomQA's time must stay flat (row 4: the table size N): the summary
     * also prints VenomQA's time at the largest value over its time at the smallest, other
     * parameters equal, against {@link #flatMaxRatio()}. Empty when not applicable.
     */
    String flatIn() default "";

    /** Largest acceptable ratio for {@link #flatIn()}. */
    double flatMaxRatio() default 0;
}
