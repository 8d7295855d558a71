package io.venomqa.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A move as a report keeps it: its name, description and the statuses it expects, written as
 * ranges so that a move accepting every status stays one short entry ({@code "100-599"}).
 *
 * @param name             the move's name
 * @param description      its description (may be empty)
 * @param expectedStatuses expected statuses as {@code "200"} or {@code "200-299"} entries, ascending;
 *                         empty means "any status below 500" ({@link Move#isExpected(int)})
 */
public record MoveSummary(String name, String description, List<String> expectedStatuses) {
    public MoveSummary {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        expectedStatuses = List.copyOf(expectedStatuses);
    }

    /** The summary of {@code move}. */
    public static MoveSummary of(Move move) {
        List<String> ranges = new ArrayList<>();
        int start = -1;
        int prev = -1;
        for (int s : move.expectedStatuses()) {
            if (start >= 0 && s == prev + 1) {
                prev = s;
                continue;
            }
            if (start >= 0) {
                ranges.add(range(start, prev));
            }
            start = s;
            prev = s;
        }
        if (start >= 0) {
            ranges.add(range(start, prev));
        }
        return new MoveSummary(move.name(), move.description(), ranges);
    }

    private static String range(int from, int to) {
        return from == to ? String.valueOf(from) : from + "-" + to;
    }

    /**
     * Whether {@code status} is expected, as {@link Move#isExpected(int)} decided during the exploration.
     *
     * @throws IllegalArgumentException when an entry is neither {@code N} nor {@code N-M}
     */
    public boolean isExpected(int status) {
        if (expectedStatuses.isEmpty()) {
            return status < 500;
        }
        for (String r : expectedStatuses) {
            String[] parts = r.strip().split("-", 2);
            try {
                int from = Integer.parseInt(parts[0].strip());
                int to = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : from;
                if (status >= from && status <= to) {
                    return true;
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Expected status '" + r + "' of move '" + name + "' is neither N nor N-M.", e);
            }
        }
        return false;
    }

    /** {@code 200, 409} or {@code any status below 500}. */
    public String expectedDescription() {
        return expectedStatuses.isEmpty() ? "any status below 500" : String.join(", ", expectedStatuses);
    }
}
