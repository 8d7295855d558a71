package io.venomqa.state.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a manager's checkpoint stack, as handed to a backend by {@link BaseStateManager}.
 *
 * @param name       the user's name, any printable text of 1 to {@link io.venomqa.state.CheckpointNames#MAX_LENGTH} characters; never put it into SQL
 * @param identifier a generated identifier safe to use in SQL unquoted ({@code venomqa_sp_1}, …):
 *                   unique within one connection, never reused in it
 * @param createdAt  when the checkpoint was taken
 * @param parentIdentifier the {@link #identifier()} of the checkpoint whose state this one was
 *                   reached from (the manager's current checkpoint when it was taken, see
 *                   {@link BaseStateManager#currentCheckpoint()}), or {@code null} when it was
 *                   reached from the state {@code connect()} (or the last reset) left. A held
 *                   checkpoint's parent is always held too: it is older, and forgetting a
 *                   checkpoint forgets every later one.
 */
public record ActiveCheckpoint(String name, String identifier, Instant createdAt, String parentIdentifier) {
    public ActiveCheckpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A checkpoint reached from the state {@code connect()} left (no parent). */
    public ActiveCheckpoint(String name, String identifier, Instant createdAt) {
        this(name, identifier, createdAt, null);
    }

    /** {@link #parentIdentifier()}, empty for a checkpoint reached from the connect (or reset) state. */
    public Optional<String> parent() {
        return Optional.ofNullable(parentIdentifier);
    }
}
