package io.venomqa.state;

/**
 * Optional capability of a {@link StateManager}: returning to <em>any</em> checkpoint it still
 * holds, not only along the stack. Exploration (breadth-first search in particular) needs it to
 * jump across the tree of states it has seen without repeating the calls that led there.
 *
 * <p>Obtained with {@link StateManager#checkpointTree()}; a manager that cannot do it returns
 * empty, and callers fall back to {@link StateManager#rollback(String)} to the nearest checkpoint
 * on the stack plus replaying their own calls.
 *
 * <p>Guarantees, checked by {@code venomqa-testkit}'s {@code CheckpointTreeContract}:
 * <ul>
 *   <li>{@link #restore(String)} makes the state exactly what it was when checkpoint {@code name} was
 *       taken (rows, and identity/sequence counters where the backend restores them on rollback),
 *       wherever the current state is in the tree;</li>
 *   <li>no checkpoint is forgotten by a restore: every checkpoint held before is still held after,
 *       and can itself be restored later, in any order and any number of times;</li>
 *   <li>a checkpoint taken after {@code restore(a)} describes the state reached from {@code a};</li>
 *   <li>{@link StateManager#rollback(String)}, {@link StateManager#release(String)},
 *       {@link StateManager#reset()} and {@link StateManager#disconnect()} keep their contracts
 *       ({@code rollback(n)} and {@code release(n)} forget every checkpoint <em>taken after</em>
 *       {@code n}, in time);</li>
 *   <li>an unknown name raises {@link CheckpointNotFoundException}.</li>
 * </ul>
 */
public interface CheckpointTree {

    /**
     * Puts the state back to checkpoint {@code name}, keeping every checkpoint held.
     *
     * @throws CheckpointNotFoundException when {@code name} is not held
     * @throws RollbackException           when the state could not be restored exactly
     */
    void restore(String name);
}
