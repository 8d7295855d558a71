package io.venomqa.state;

import io.venomqa.core.VenomQAException;

/** A state operation was called before {@link StateManager#connect()} or after {@link StateManager#disconnect()}. */
public class StateNotConnectedException extends VenomQAException {
    private static final long serialVersionUID = 1L;

    /** The exact message every backend uses. */
    public static final String MESSAGE = "StateManager not connected. Call connect() first.";

    public StateNotConnectedException() {
        super(MESSAGE);
    }
}
