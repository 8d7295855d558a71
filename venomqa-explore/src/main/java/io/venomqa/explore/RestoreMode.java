package io.venomqa.explore;

/** How the explorer returned to states it had seen. */
public enum RestoreMode {
    /** The state manager restores any held checkpoint ({@link io.venomqa.state.CheckpointTree}): no call repeated. */
    TREE,
    /**
     * The state manager keeps a stack of checkpoints: the explorer rolled back to the nearest
     * checkpoint on the stack that leads to the target and replayed the moves from there.
     */
    REPLAY
}
