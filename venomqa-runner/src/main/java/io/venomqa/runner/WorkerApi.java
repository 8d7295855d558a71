package io.venomqa.runner;

import java.util.Objects;

/**
 * The API of one parallel worker: where it listens, and how to stop it. Made by a
 * {@link WorkerApiFactory}; {@link Workers#close()} stops it once, after the worker's last journey
 * (also when the run failed).
 */
public final class WorkerApi implements AutoCloseable {

    private final String baseUrl;
    private final AutoCloseable stop;

    private WorkerApi(String baseUrl, AutoCloseable stop) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.stop = Objects.requireNonNull(stop, "stop");
    }

    /** An API at {@code baseUrl} stopped by {@code stop} (for example the server object itself). */
    public static WorkerApi of(String baseUrl, AutoCloseable stop) {
        return new WorkerApi(baseUrl, stop);
    }

    /** An API VenomQA does not stop (it runs elsewhere, or the caller stops it). */
    public static WorkerApi at(String baseUrl) {
        return new WorkerApi(baseUrl, () -> { });
    }

    /** The base URL the worker's journeys call. */
    public String baseUrl() {
        return baseUrl;
    }

    /** Stops the API. */
    @Override
    public void close() throws Exception {
        stop.close();
    }
}
