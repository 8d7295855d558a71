package io.venomqa.state;

/**
 * A position handed out by {@link ChangeTracker#mark()}: opaque to callers, meaningful only to the
 * tracker that made it. Backends implement it with whatever they need (a journal position, a copy
 * of the store).
 */
public interface ChangeMark {
}
