package io.venomqa.runner.internal;

import io.venomqa.state.StateManager;

/**
 * One parallel worker as the runner uses it: its number (1 …), the base URL of its API and its state
 * manager, connected to its own database. Not API.
 */
public record Worker(int number, String baseUrl, StateManager state) {
}
