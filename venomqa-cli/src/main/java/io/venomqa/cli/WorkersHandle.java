package io.venomqa.cli;

import io.venomqa.runner.Workers;

/**
 * The workers of one command, if the configuration asks for any, closed when the command ends:
 * the APIs VenomQA started are stopped, the managers disconnected, the copies it made dropped.
 */
record WorkersHandle(Workers workers) implements AutoCloseable {
    @Override
    public void close() {
        if (workers != null) {
            workers.close();
        }
    }
}
