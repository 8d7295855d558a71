package io.venomqa.explore.internal;

import io.venomqa.context.ContextSnapshot;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A state of the graph while the exploration runs. */
final class Node {
    final int index;
    final String fingerprint;
    final String summary;
    final int discoveredAtStep;
    /** The state this one was first (or most shortly) reached from; null for the start state. */
    Node parent;
    /** Index of the move that leads from {@link #parent} here. */
    int via = -1;
    ContextSnapshot snapshot;
    /** The client's cookies when this state was first reached (a session cookie is part of where the API is). */
    io.venomqa.http.Client.CookieSnapshot cookies;
    List<Integer> enabled = List.of();
    boolean expanded;
    /** Set when a replay could not reach this state again to expand it late. */
    boolean unreachable;
    /**
     * Invariants of the user's that already failed on arriving here, with the group of their first
     * failure: a move from a broken state that leaves it broken repeats that failure, it is no new one.
     */
    final java.util.Map<String, Object> brokenBy = new java.util.HashMap<>();

    Node(int index, String fingerprint, String summary, int discoveredAtStep) {
        this.index = index;
        this.fingerprint = fingerprint;
        this.summary = summary;
        this.discoveredAtStep = discoveredAtStep;
    }

    String id() {
        return "S" + index;
    }

    /** The states from the start to this one, both included. */
    List<Node> chain() {
        Deque<Node> d = new ArrayDeque<>();
        for (Node n = this; n != null; n = n.parent) {
            d.addFirst(n);
        }
        return new ArrayList<>(d);
    }

    int depth() {
        int d = 0;
        for (Node n = parent; n != null; n = n.parent) {
            d++;
        }
        return d;
    }
}
