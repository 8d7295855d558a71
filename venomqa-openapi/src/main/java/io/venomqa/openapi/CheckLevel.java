package io.venomqa.openapi;

import java.util.Locale;
import java.util.Optional;

/** What a {@link Check} does when it fails. */
public enum CheckLevel {
    /** A violation of its invariant (the run fails). The default. */
    ERROR,
    /** A {@link OpenApiFinding} in {@link OpenApiExploration#warnings()}; the run does not fail for it. */
    WARNING,
    /** Not checked. */
    OFF;

    /** {@code error}, {@code warning} (or {@code warn}), {@code off} (or {@code false}); case ignored. */
    public static Optional<CheckLevel> parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT).trim()) {
            case "error", "on", "true" -> Optional.of(ERROR);
            case "warning", "warn" -> Optional.of(WARNING);
            case "off", "false" -> Optional.of(OFF);
            default -> Optional.empty();
        };
    }
}
