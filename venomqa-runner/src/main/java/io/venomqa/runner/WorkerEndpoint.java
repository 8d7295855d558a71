package io.venomqa.runner;

import io.venomqa.core.CredentialMasker;
import io.venomqa.state.StateConfig;

import java.util.Objects;

/**
 * A worker that already runs: an API at {@code baseUrl} writing to the database {@code state}
 * describes (its own, not shared with another worker). A {@code (base_url, db_url)} pair of
 * {@code worker_apis} in {@code venomqa.yaml}; an API in another process, so usually with the
 * {@code journal} checkpoint strategy.
 *
 * @param baseUrl the worker's API
 * @param state   its database, with the same backend settings as the database under test
 */
public record WorkerEndpoint(String baseUrl, StateConfig state) {

    public WorkerEndpoint {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(state, "state");
    }

    @Override
    public String toString() {
        return "WorkerEndpoint[" + CredentialMasker.maskUrl(baseUrl) + ", " + CredentialMasker.maskUrl(state.url()) + "]";
    }
}
