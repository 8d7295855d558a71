package io.venomqa.explore;

import java.util.Objects;

/**
 * A move that never ran, and why.
 *
 * @param move   the move's name
 * @param reason the kind of reason
 * @param detail the reason in words, e.g. {@code requires order_id: false in all 7 states}
 */
public record NeverRun(String move, NeverRunReason reason, String detail) {
    public NeverRun {
        Objects.requireNonNull(move, "move");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
