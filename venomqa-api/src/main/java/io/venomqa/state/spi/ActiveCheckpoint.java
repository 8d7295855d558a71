package io.venomqa.state.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a manager's checkpoint stack, as handed to a backend by {@link BaseStateManager}.
 *
 * @param name       the user's name, any printable text of 1 to {@link io.venomqa.state.CheckpointNames#MAX_LENGTH} characters; never put it into SQL
 * @param identifier a generated identifier safe to use in SQL unquoted ({@code venomqa_sp_1}, …):
 *                   unique within one connection, never reused in it
 * @param createdAt  when the checkpoint was taken
 */
public record ActiveCheckpoint(String name, String identifier, Instant createdAt) {
    public ActiveCheckpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
