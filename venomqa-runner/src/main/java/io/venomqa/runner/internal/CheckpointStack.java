package io.venomqa.runner.internal;

import io.venomqa.context.ContextSnapshot;
import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Client;
import io.venomqa.state.CheckpointNames;
import io.venomqa.state.StateConnectionException;
import io.venomqa.state.StateManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The runner's mirror of the state manager's checkpoint stack during one run: which journey
 * checkpoints are alive, under which name the state manager knows each, and the context snapshot
 * taken with it, and the client's cookies. Saving, putting back and releasing go through here, so the database,
 * the context and the session cookies always move together. Without a state manager only the context and cookies
 * are saved.
 */
final class CheckpointStack {

    private static final Logger LOG = LoggerFactory.getLogger(JourneyExecution.class);

    /** A checkpoint alive during the run. */
    record Live(String name, Scope scope, String stateName, ContextSnapshot snapshot, Client.CookieSnapshot cookies) {
    }

    private final StateManager stateManager;
    private final ExecutionContext context;
    private final Client client;
    private final RunOutput out;
    private final List<Live> live = new ArrayList<>();
    private boolean connectionLost;

    CheckpointStack(StateManager stateManager, ExecutionContext context, Client client, RunOutput out) {
        this.stateManager = stateManager;
        this.context = context;
        this.client = client;
        this.out = out;
    }

    /** Whether a state manager call failed because its connection was lost. */
    boolean connectionLost() {
        return connectionLost;
    }

    /**
     * Saves the database (when there is a state manager) and the context as checkpoint {@code name}
     * of {@code scope}. On failure nothing stays saved.
     */
    void save(String name, Scope scope) {
        String stateName = null;
        try {
            if (stateManager != null) {
                stateName = stateName(scope, name);
                stateManager.checkpoint(stateName);
            } else {
                out.warnNoStateManager();
            }
            live.add(new Live(name, scope, stateName, context.snapshot(), client == null ? null : client.cookies()));
        } catch (RuntimeException e) {
            connectionLost |= e instanceof StateConnectionException;
            if (stateName != null && stateManager.hasCheckpoint(stateName)) {
                release(stateName); // the context snapshot failed after the database saved
            }
            throw e;
        }
    }

    /** Rolls the database back and restores the context; returns why that failed, or null. */
    String restore(Live target, int depth) {
        try {
            if (target.stateName() != null) {
                stateManager.rollback(target.stateName());
            }
            context.restore(target.snapshot());
            if (client != null && target.cookies() != null) {
                client.restoreCookies(target.cookies());
            }
        } catch (RuntimeException e) {
            connectionLost |= e instanceof StateConnectionException;
            LOG.warn("Could not put the state back to checkpoint '{}': {}", target.name(), out.mask(e.getMessage()));
            return out.describe(e);
        }
        int index = live.indexOf(target);
        live.subList(index + 1, live.size()).clear();
        out.notify(l -> l.rolledBack(target.name(), target.stateName() != null, depth));
        return null;
    }

    /** Whether the state manager has lost {@code target} (it forgets every checkpoint when its connection dies). */
    boolean isGone(Live target) {
        try {
            return target.stateName() != null && !stateManager.hasCheckpoint(target.stateName());
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** The newest live checkpoint named {@code name}, or null. */
    Live find(String name) {
        for (int i = live.size() - 1; i >= 0; i--) {
            if (live.get(i).name().equals(name)) {
                return live.get(i);
            }
        }
        return null;
    }

    /** Forgets the checkpoints a scope created, so the state manager's stack does not grow. */
    void releaseScope(Scope scope) {
        for (int i = 0; i < live.size(); i++) {
            if (live.get(i).scope() == scope) {
                Live first = live.get(i);
                if (first.stateName() != null) {
                    release(first.stateName());
                }
                live.subList(i, live.size()).clear();
                return;
            }
        }
    }

    private void release(String stateName) {
        try {
            if (stateManager.isConnected() && stateManager.hasCheckpoint(stateName)) {
                stateManager.release(stateName);
            }
        } catch (RuntimeException e) {
            out.warn("Could not release checkpoint '" + stateName + "': " + out.mask(e.getMessage()));
        }
    }

    /**
     * A name for the state manager that is unique in its stack: the scope-qualified name
     * ({@code checkout/card/paid}), whole (names never reach SQL, so no length of a database
     * identifier applies), with {@code ~2}, {@code ~3}… when nested paths reuse a name.
     *
     * @throws IllegalArgumentException when the qualified name is longer than {@link CheckpointNames#MAX_LENGTH}
     */
    private String stateName(Scope scope, String checkpoint) {
        String full = sanitize(scope.qualified + "/" + checkpoint);
        String candidate = full;
        Set<String> taken = new HashSet<>(stateManager.activeCheckpoints());
        int n = 1;
        while (taken.contains(candidate)) {
            candidate = full + "~" + (++n);
        }
        CheckpointNames.validate(candidate);
        return candidate;
    }

    private static String sanitize(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> sb.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return sb.toString();
    }
}
