package io.venomqa.explore.internal;

import io.venomqa.explore.Exploration;
import io.venomqa.explore.ExplorationResult;

/** The exploration engine (being written). */
public final class Explorer {

    private final Exploration exploration;

    public Explorer(Exploration exploration) {
        this.exploration = exploration;
    }

    public ExplorationResult run() {
        throw new UnsupportedOperationException("The exploration engine of '" + exploration.name() + "' is not written yet.");
    }
}
