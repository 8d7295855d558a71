package io.venomqa.explore;

import java.util.Objects;

/**
 * Something about the run the user should know and can act on.
 *
 * @param message    what was seen ("only one state seen")
 * @param suggestion what to do about it, or empty
 */
public record Warning(String message, String suggestion) {
    public Warning {
        Objects.requireNonNull(message, "message");
        suggestion = suggestion == null ? "" : suggestion;
    }

    @Override
    public String toString() {
        return suggestion.isEmpty() ? message : message + " — " + suggestion;
    }
}
