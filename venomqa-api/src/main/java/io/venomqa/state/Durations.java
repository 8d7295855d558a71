package io.venomqa.state;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The one reader of durations in configuration ({@code timeout}, {@code connection_timeout},
 * {@code lock_timeout}, …), so that every key accepts the same forms: a number is seconds
 * ({@code 30}, {@code 1.5}); text may be {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, a bare
 * number, or ISO-8601 ({@code PT30S}); a {@link Duration} is taken as it is.
 */
public final class Durations {

    private Durations() {
    }

    /** The duration {@code value} denotes, or empty when it is none of the accepted forms (or negative). */
    public static Optional<Duration> parse(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        Duration d = read(value);
        return d == null || d.isNegative() ? Optional.empty() : Optional.of(d);
    }

    private static Duration read(Object v) {
        if (v instanceof Duration d) {
            return d;
        }
        try {
            if (v instanceof Number n) {
                return Duration.ofMillis(Math.round(n.doubleValue() * 1000));
            }
            String s = v.toString().strip().toLowerCase(Locale.ROOT);
            if (s.startsWith("p")) {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).strip()));
            }
            if (s.endsWith("s")) {
                return ofMillis(s, 1, 1000);
            }
            if (s.endsWith("m")) {
                return ofMillis(s, 1, 60_000);
            }
            if (s.endsWith("h")) {
                return ofMillis(s, 1, 3_600_000);
            }
            return ofMillis(s, 0, 1000);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Duration ofMillis(String s, int suffix, long millisPerUnit) {
        return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - suffix).strip()) * millisPerUnit));
    }
}
