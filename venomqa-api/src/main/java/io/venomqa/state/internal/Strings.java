package io.venomqa.state.internal;

import io.venomqa.core.DidYouMean;

import java.util.Collection;
import java.util.Optional;

/**
 * Text helpers for messages inside venomqa-api. Not API: other modules use {@link DidYouMean}
 * (the architecture test fails on a use of this class from another module).
 */
public final class Strings {
    private Strings() {
    }

    /** Levenshtein distance, for "did you mean" suggestions. */
    public static int editDistance(String a, String b) {
        return DidYouMean.editDistance(a, b);
    }

    /** The candidate closest to {@code typed}, if within a distance that still looks like a typo. */
    public static Optional<String> nearest(String typed, Collection<String> candidates) {
        return DidYouMean.nearest(typed, candidates);
    }
}
