package io.venomqa.explore;

import io.venomqa.state.StateManager;

import java.util.List;

/**
 * A state manager that hides its delegate's {@link io.venomqa.state.CheckpointTree}: checkpoints form
 * a stack only, so the explorer must roll back and replay ({@link RestoreMode#REPLAY}). Lets the same
 * backend, API and exploration run in both restore modes, to compare the results.
 */
final class StackOnly implements StateManager {

    private final StateManager delegate;

    StackOnly(StateManager delegate) {
        this.delegate = delegate;
    }

    @Override
    public void connect() {
        delegate.connect();
    }

    @Override
    public void disconnect() {
        delegate.disconnect();
    }

    @Override
    public boolean isConnected() {
        return delegate.isConnected();
    }

    @Override
    public void checkpoint(String name) {
        delegate.checkpoint(name);
    }

    @Override
    public void rollback(String name) {
        delegate.rollback(name);
    }

    @Override
    public void release(String name) {
        delegate.release(name);
    }

    @Override
    public void reset() {
        delegate.reset();
    }

    @Override
    public String backendName() {
        return delegate.backendName();
    }

    @Override
    public List<String> activeCheckpoints() {
        return delegate.activeCheckpoints();
    }
}
