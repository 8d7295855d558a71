package io.venomqa.runner.internal;

/**
 * The main line of a journey or one run of a path. Identity matters: two runs of one path are two
 * scopes, and the checkpoints a scope created are released when it ends.
 */
final class Scope {
    /** The journey's name and the path names down to this scope: {@code checkout/card/paid}. */
    final String qualified;
    /** How many paths enclose this scope: 0 for the main line. */
    final int depth;

    Scope(String qualified, int depth) {
        this.qualified = qualified;
        this.depth = depth;
    }

    /** The scope of {@code path} run from this one. */
    Scope child(String path) {
        return new Scope(qualified + "/" + path, depth + 1);
    }
}
