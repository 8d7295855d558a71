package io.venomqa.journey;

import io.venomqa.state.CheckpointNames;

import java.util.Objects;

/**
 * Saves the state at this point of a journey under a name that a later {@link Branch} can name:
 * the database (through the runner's {@code StateManager}) and a snapshot of the execution context.
 *
 * <p>The name follows the state contract ({@link CheckpointNames}: 1 to 1000 characters, no control characters) and must be
 * unique within its scope (the journey's main line, or one path). A path may reuse a name from an
 * enclosing scope; inside that path the inner checkpoint wins. The runner gives the state manager
 * its own scope-qualified names, so reuse never clashes in the database.
 */
public final class Checkpoint implements JourneyNode {

    private final String name;
    private final String description;

    /** A checkpoint named {@code name}. */
    public Checkpoint(String name) {
        this(name, "");
    }

    /** A checkpoint named {@code name} with a description for reports. */
    public Checkpoint(String name, String description) {
        CheckpointNames.validate(name);
        this.name = name;
        this.description = description == null ? "" : description;
    }

    /** Same as {@code new Checkpoint(name)}. */
    public static Checkpoint of(String name) {
        return new Checkpoint(name);
    }

    public String name() {
        return name;
    }

    /** The description, empty when none was given. */
    public String description() {
        return description;
    }

    @Override
    public String label() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && c.name.equals(name) && c.description.equals(description);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, description);
    }

    @Override
    public String toString() {
        return "Checkpoint[" + name + "]";
    }
}
