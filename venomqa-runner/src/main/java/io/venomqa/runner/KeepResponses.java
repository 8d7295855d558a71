package io.venomqa.runner;

import io.venomqa.core.DidYouMean;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which steps keep their HTTP bodies in the {@link JourneyResult}: {@code keep_responses} in
 * {@code venomqa.yaml}, {@link JourneyRunner.Builder#keepResponses(KeepResponses)} in code.
 *
 * <p>Guarantee of {@link #FAILURES}: a step that passed keeps its name, description, status,
 * attempts, duration, message, value summary and, per HTTP call, method, URL, status, start and
 * duration; it drops its returned value (the {@code Response}), the calls' headers and bodies, its
 * stack trace and its database row details ({@link StepResult#bodiesKept()} is then false, and
 * reports say so instead of showing empty bodies). Failed and skipped steps keep everything. While
 * the journey runs, a passing step's full result stays in the {@code ExecutionContext} until the
 * next step has finished, so the step right after it can still read its response; later steps
 * cannot (save what they need with {@code ctx.set(...)}). Listeners' {@code stepFinished} always
 * gets the full result.
 */
public enum KeepResponses {
    /** Every step keeps its value, bodies, headers, stack trace and row details: the default. */
    ALL,
    /** Only failed (and skipped) steps keep them; memory stays flat in the number of passing steps. */
    FAILURES;

    /** The {@code keep_responses} key of {@code venomqa.yaml}. */
    public static final String CONFIG_KEY = "keep_responses";

    /** The value as written in {@code venomqa.yaml}: {@code all} or {@code failures}. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The values {@code venomqa.yaml} accepts, in declaration order. */
    public static List<String> configValues() {
        return Arrays.stream(values()).map(KeepResponses::configValue).toList();
    }

    /**
     * The mode written as {@code value} (case and surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the value, the allowed ones and the nearest of them
     */
    public static KeepResponses fromConfig(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        for (KeepResponses k : values()) {
            if (k.configValue().equals(v)) {
                return k;
            }
        }
        String hint = DidYouMean.nearest(v, configValues()).map(n -> " Did you mean '" + n + "'?").orElse("");
        throw new IllegalArgumentException(CONFIG_KEY + " must be one of " + String.join(", ", configValues())
                + ", got '" + value + "'." + hint);
    }
}
