package io.venomqa.core;

import java.util.Collection;
import java.util.Optional;

/**
 * "Did you mean …?" for error messages: the known name closest to what was typed, when it is close
 * enough to be a typo. Shared by every module that names a key, a backend or a checkpoint in an error.
 */
public final class DidYouMean {

    private DidYouMean() {
    }

    /** Levenshtein distance between {@code a} and {@code b}. */
    public static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /**
     * The candidate closest to {@code typed}, if within a distance that still looks like a typo
     * (at most 2, or a third of the typed length when longer) and shorter than what was typed: a
     * one-letter name is no typo of another one-letter name.
     */
    public static Optional<String> nearest(String typed, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = editDistance(typed, c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= Math.max(2, typed.length() / 3) && bestDistance < typed.length()
                ? Optional.of(best) : Optional.empty();
    }
}
