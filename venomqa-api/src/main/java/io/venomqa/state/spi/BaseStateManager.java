package io.venomqa.state.spi;

import io.venomqa.core.CredentialMasker;
import io.venomqa.core.VenomQAException;
import io.venomqa.state.CheckpointException;
import io.venomqa.state.CheckpointNames;
import io.venomqa.state.CheckpointNotFoundException;
import io.venomqa.state.CheckpointTree;
import io.venomqa.state.ResetException;
import io.venomqa.state.RollbackException;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateConnectionException;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateNotConnectedException;
import io.venomqa.state.UnsafeDatabaseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every backend shares: the connected flag, checkpoint-name validation, the ordered stack of
 * active checkpoints with the semantics of the {@link StateManager} contract, generated
 * identifiers, and URL masking. A backend supplies only the storage-specific part through the
 * {@code do…} methods.
 *
 * <p>Guarantees made here, for every subclass:
 * <ul>
 *   <li>The {@code do…} methods are called only while connected, with a validated name, and
 *       never concurrently: public methods are {@code synchronized} on the manager.</li>
 *   <li>The checkpoint stack changes only after the backend call returned normally; a backend
 *       that throws leaves the stack as it was (except {@link #disconnect()}, which always ends
 *       in the disconnected state with no checkpoints).</li>
 *   <li>{@link #reset()} first passes {@link #checkSafeToDestroyData(String)}: no table is emptied on
 *       a database that is not clearly for tests unless the configuration allows it.</li>
 *   <li>Unexpected failures of a backend call, checked exceptions included (a file- or JDBC-based
 *       backend needs no wrappers), are wrapped in the exception type of the operation
 *       ({@link StateConnectionException} for connect and disconnect, {@link CheckpointException},
 *       {@link RollbackException}, {@link ResetException}) with the backend, operation and masked URL
 *       named and the original as cause; {@link VenomQAException}s pass through as thrown, and so do
 *       other runtime exceptions of {@code doConnect}/{@code doDisconnect}.</li>
 *   <li>Where the backend says {@link #supportsCheckpointTree()}, {@link #checkpointTree()} offers
 *       {@link CheckpointTree#restore(String)}, which calls {@link #doRestore} under the same rules;
 *       the stack keeps creation order, so {@code rollback(n)} and {@code release(n)} still forget
 *       every checkpoint taken after {@code n} in time. The manager tracks the tree: each checkpoint's
 *       {@link ActiveCheckpoint#parentIdentifier() parent} and the {@link #currentCheckpoint() current}
 *       one.</li>
 * </ul>
 */
public abstract class BaseStateManager implements StateManager {

    /** Longest checkpoint name accepted, in characters (Unicode code points): {@link CheckpointNames#MAX_LENGTH}. */
    public static final int MAX_CHECKPOINT_NAME_LENGTH = CheckpointNames.MAX_LENGTH;

    /** Prefix of the generated checkpoint identifiers handed to backends. */
    public static final String IDENTIFIER_PREFIX = "venomqa_sp_";

    private final StateConfig config;
    /** Operations {@link #checkSafeToDestroyData(String)} has let through for this configuration. */
    private final Set<String> safeOperations = ConcurrentHashMap.newKeySet();
    private final List<ActiveCheckpoint> checkpoints = new ArrayList<>();
    private final CheckpointTree tree = this::restore;
    /** The checkpoint whose state the store is in or was derived from since; null: the connect (or reset) state. */
    private ActiveCheckpoint current;
    private boolean connected;
    private long identifierCounter;

    protected BaseStateManager(StateConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The configuration this manager was built with. */
    public StateConfig config() {
        return config;
    }

    // ---- storage-specific part -------------------------------------------------------------

    /**
     * Opens the connection or store. Called only while disconnected; the manager counts as connected
     * only when this returns. May throw checked exceptions: they reach the caller wrapped in a
     * {@link StateConnectionException} naming the backend and the masked URL; {@link VenomQAException}s
     * and other runtime exceptions pass through as thrown.
     */
    protected abstract void doConnect() throws Exception;

    /**
     * Ends the session, putting the store back as {@link #doConnect()} found it (resets aside).
     * Called only while connected; the manager counts as disconnected afterwards even if this throws
     * (checked exceptions wrapped in a {@link StateConnectionException}), and the stack is emptied.
     */
    protected abstract void doDisconnect() throws Exception;

    /**
     * Saves the current state under {@code checkpoint} (use its {@link ActiveCheckpoint#identifier()}
     * in storage, never its name). The checkpoint joins the stack only when this returns; a failure
     * other than a {@link VenomQAException} reaches the caller as a {@link CheckpointException}.
     */
    protected abstract void doCheckpoint(ActiveCheckpoint checkpoint) throws Exception;

    /**
     * Puts the state back to {@code target}. {@code discarded} are the checkpoints taken after it,
     * oldest first, newest last (empty when {@code target} is the newest); they are removed from the
     * stack once this returns, so drop what you saved for them here. {@code target} stays active. Where
     * the backend {@link #supportsCheckpointTree() supports the tree}, {@code target} need not be an
     * ancestor of the current state (it may be on a branch left by a restore): the state must still
     * become exactly {@code target}'s. A
     * failure other than a {@link VenomQAException} reaches the caller as a {@link RollbackException},
     * and the stack is left as it was.
     */
    protected abstract void doRollback(ActiveCheckpoint target, List<ActiveCheckpoint> discarded) throws Exception;

    /**
     * Forgets {@code released} ({@code target} first, then every later checkpoint) without
     * changing the state; {@code released} holds {@code target} and every later one, oldest first, so
     * drop what you saved for all of them. Failures reach the caller as a {@link CheckpointException}.
     */
    protected abstract void doRelease(ActiveCheckpoint target, List<ActiveCheckpoint> released) throws Exception;

    /**
     * Empties the reset set ({@link TableSelection} has the rules), restarts identities and commits.
     * Called after {@link #checkSafeToDestroyData(String)} passed. The stack is cleared by this class
     * afterwards, so drop every saved state here. Failures reach the caller as a {@link ResetException}.
     */
    protected abstract void doReset() throws Exception;

    /**
     * Whether this backend can restore any held checkpoint ({@link #doRestore}), not only along the
     * stack. Default {@code false}: {@link #checkpointTree()} is then empty. May depend on the
     * configuration (a SQL backend asks its checkpoint strategy), not on the data.
     */
    protected boolean supportsCheckpointTree() {
        return false;
    }

    /**
     * Puts the state back to {@code target} wherever the current state is in the tree, keeping
     * every checkpoint held: what was saved for the others must stay usable, including for the
     * checkpoints on the path being left. {@code from} is the {@link #currentCheckpoint() current
     * checkpoint} (null: the state derived from {@code connect()} or the last reset); changes made
     * after it and not saved by a checkpoint are discarded, as by a rollback. {@link #ancestry} gives
     * either one's path from the root, so the common ancestor is the last entry both paths share.
     * Called only when {@link #supportsCheckpointTree()}; a failure other than a
     * {@link VenomQAException} reaches the caller as a {@link RollbackException}, and the bookkeeping
     * is left as it was (the backend must then have left the state as it was too, or say otherwise).
     */
    protected void doRestore(ActiveCheckpoint target, ActiveCheckpoint from) throws Exception {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " declares supportsCheckpointTree() "
                + "but does not implement doRestore()");
    }

    /** The backend's name as {@code db_backend} spells it, such as {@code postgresql}: shown in messages and by tools. */
    @Override
    public abstract String backendName();

    // ---- the contract -----------------------------------------------------------------------

    @Override
    public final synchronized void connect() {
        if (connected) {
            return;
        }
        try {
            doConnect();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new StateConnectionException(failure("connect", e), e);
        }
        connected = true;
        identifierCounter = 0;
    }

    @Override
    public final synchronized void disconnect() {
        if (!connected) {
            return;
        }
        try {
            doDisconnect();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new StateConnectionException(failure("disconnect", e), e);
        } finally {
            connected = false;
            checkpoints.clear();
            current = null;
        }
    }

    @Override
    public final synchronized boolean isConnected() {
        return connected;
    }

    @Override
    public final synchronized void checkpoint(String name) {
        ensureConnected();
        validateCheckpointName(name);
        if (indexOf(name) >= 0) {
            throw new CheckpointException("Checkpoint '" + name + "' is already active. Active checkpoints: "
                    + activeCheckpoints() + ". Release it first or choose another name.");
        }
        ActiveCheckpoint cp = new ActiveCheckpoint(name, IDENTIFIER_PREFIX + (++identifierCounter), Instant.now(),
                current == null ? null : current.identifier());
        try {
            doCheckpoint(cp);
        } catch (VenomQAException e) {
            throw e;
        } catch (Exception e) {
            throw new CheckpointException(failure("create checkpoint '" + name + "'", e), e);
        }
        checkpoints.add(cp);
        current = cp;
    }

    @Override
    public final synchronized void rollback(String name) {
        ensureConnected();
        int index = requireIndex(name);
        ActiveCheckpoint target = checkpoints.get(index);
        List<ActiveCheckpoint> later = List.copyOf(checkpoints.subList(index + 1, checkpoints.size()));
        try {
            doRollback(target, later);
        } catch (VenomQAException e) {
            throw e;
        } catch (Exception e) {
            throw new RollbackException(failure("roll back to checkpoint '" + name + "'", e), e);
        }
        checkpoints.subList(index + 1, checkpoints.size()).clear();
        current = target;
    }

    /**
     * The capability to restore any held checkpoint, present when {@link #supportsCheckpointTree()}.
     * Its {@code restore(name)} is synchronized with the other operations, checks the connection and
     * the name ({@link CheckpointNotFoundException}) and wraps failures in a {@link RollbackException}.
     */
    @Override
    public final Optional<CheckpointTree> checkpointTree() {
        return supportsCheckpointTree() ? Optional.of(tree) : Optional.empty();
    }

    private synchronized void restore(String name) {
        ensureConnected();
        ActiveCheckpoint target = checkpoints.get(requireIndex(name));
        try {
            doRestore(target, current);
        } catch (VenomQAException e) {
            throw e;
        } catch (Exception e) {
            throw new RollbackException(failure("restore checkpoint '" + name + "'", e), e);
        }
        current = target;
    }

    @Override
    public final synchronized void release(String name) {
        ensureConnected();
        int index = requireIndex(name);
        List<ActiveCheckpoint> released = List.copyOf(checkpoints.subList(index, checkpoints.size()));
        try {
            doRelease(released.get(0), released);
        } catch (VenomQAException e) {
            throw e;
        } catch (Exception e) {
            throw new CheckpointException(failure("release checkpoint '" + name + "'", e), e);
        }
        // The state stays; it now derives from the nearest ancestor still held (ancestors are older).
        while (current != null && released.contains(current)) {
            current = parentOf(current);
        }
        checkpoints.subList(index, checkpoints.size()).clear();
    }

    @Override
    public final synchronized void reset() {
        ensureConnected();
        checkSafeToDestroyData("reset");
        try {
            doReset();
        } catch (VenomQAException e) {
            throw e;
        } catch (Exception e) {
            throw new ResetException(failure("reset", e), e);
        }
        checkpoints.clear();
        current = null;
    }

    @Override
    public final synchronized List<String> activeCheckpoints() {
        List<String> names = new ArrayList<>(checkpoints.size());
        for (ActiveCheckpoint cp : checkpoints) {
            names.add(cp.name());
        }
        return Collections.unmodifiableList(names);
    }

    @Override
    public final synchronized boolean hasCheckpoint(String name) {
        return indexOf(name) >= 0;
    }

    // ---- helpers for subclasses -------------------------------------------------------------

    /** The active checkpoints with their identifiers, oldest first. */
    protected final synchronized List<ActiveCheckpoint> activeCheckpointEntries() {
        return List.copyOf(checkpoints);
    }

    /**
     * Forgets every checkpoint without touching the store: for a backend that learns its saved
     * states are gone (a lost connection, an implicit commit) and must not offer them any more.
     */
    protected final synchronized void forgetAllCheckpoints() {
        checkpoints.clear();
        current = null;
    }

    /**
     * The checkpoint whose state the store was last put in or saved as (the last one taken, rolled
     * back to or restored; after a release of it, its nearest held ancestor), or empty for the state
     * {@code connect()} or the last reset left. A checkpoint taken now gets it as parent.
     */
    protected final synchronized Optional<ActiveCheckpoint> currentCheckpoint() {
        return Optional.ofNullable(current);
    }

    /**
     * The path from the root of the tree to {@code checkpoint}: its held ancestors oldest first,
     * then {@code checkpoint} itself; empty for null (the connect or reset state).
     */
    protected final synchronized List<ActiveCheckpoint> ancestry(ActiveCheckpoint checkpoint) {
        List<ActiveCheckpoint> path = new ArrayList<>();
        for (ActiveCheckpoint cp = checkpoint; cp != null; cp = parentOf(cp)) {
            path.add(0, cp);
        }
        return Collections.unmodifiableList(path);
    }

    private ActiveCheckpoint parentOf(ActiveCheckpoint cp) {
        if (cp.parentIdentifier() == null) {
            return null;
        }
        for (ActiveCheckpoint c : checkpoints) {
            if (c.identifier().equals(cp.parentIdentifier())) {
                return c;
            }
        }
        return null;
    }

    /**
     * Refuses destructive work on a database that is not clearly for tests (see
     * {@link TestDatabaseGuard}). Called before every {@link #reset()}; backends call it before
     * other destructive set-up, such as installing a journal. The check is made once per operation
     * and manager: the configuration cannot change and neither can the process environment it reads,
     * so a pass holds for the manager's life, and a refusal is raised again on every call. Override
     * only for a backend whose URLs carry no host in the usual place, and then apply an equivalent check.
     *
     * @throws UnsafeDatabaseException saying why and how to allow the database
     */
    protected void checkSafeToDestroyData(String operation) {
        // Checked anew, parsing the URL and splitting the database name into words was half of
        // VenomQA's own CPU in a reset of empty tables (benchmark row 3).
        if (safeOperations.contains(operation)) {
            return;
        }
        TestDatabaseGuard.check(config, operation);
        safeOperations.add(operation);
    }

    /** Throws {@link StateNotConnectedException} unless connected. */
    protected final synchronized void ensureConnected() {
        if (!connected) {
            throw new StateNotConnectedException();
        }
    }

    /** The configured URL with its password masked, or {@code "(no url)"}. */
    protected final String maskedUrl() {
        return config.url() == null ? "(no url)" : CredentialMasker.maskUrl(config.url());
    }

    /**
     * Checks a checkpoint name against the contract ({@link CheckpointNames#validate(String)}).
     *
     * @throws IllegalArgumentException saying what is wrong with the name
     */
    public static void validateCheckpointName(String name) {
        CheckpointNames.validate(name);
    }

    private int indexOf(String name) {
        for (int i = 0; i < checkpoints.size(); i++) {
            if (checkpoints.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private int requireIndex(String name) {
        int index = name == null ? -1 : indexOf(name);
        if (index < 0) {
            throw new CheckpointNotFoundException(String.valueOf(name), activeCheckpoints());
        }
        return index;
    }

    private String failure(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return "The " + backendName() + " backend could not " + what + " (" + maskedUrl() + "): "
                + (e instanceof RuntimeException ? "" : e.getClass().getSimpleName() + ": ")
                + CredentialMasker.maskText(String.valueOf(e.getMessage()));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + maskedUrl() + ", connected=" + connected + "]";
    }
}
