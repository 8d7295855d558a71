package io.venomqa.state.spi;

import io.venomqa.core.DatabaseUrl;
import io.venomqa.state.internal.KnownBackends;

import java.util.List;

/**
 * The URL prefixes of the backends VenomQA publishes, written once: discovery, the providers'
 * {@link StateManagerProvider#acceptsUrl(String)} and the dialects' "is this my URL" checks all ask
 * here, so a prefix added for a backend is accepted everywhere at once.
 */
public final class BackendUrls {

    private BackendUrls() {
    }

    /**
     * The prefixes (lower case) of URLs that the published backend named {@code backend} reads, such
     * as {@code postgresql://}, {@code postgres://}, {@code jdbc:postgresql:}; empty for a backend
     * VenomQA does not publish.
     */
    public static List<String> prefixes(String backend) {
        return KnownBackends.byName(backend).map(KnownBackends.Known::urlPrefixes).orElse(List.of());
    }

    /** Whether {@code url} starts with one of {@link #prefixes(String) backend's prefixes} (case-insensitive). */
    public static boolean claims(String backend, String url) {
        return DatabaseUrl.hasPrefix(url, prefixes(backend));
    }
}
