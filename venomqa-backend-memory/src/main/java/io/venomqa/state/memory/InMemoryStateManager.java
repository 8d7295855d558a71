package io.venomqa.state.memory;

import io.venomqa.state.ChangeMark;
import io.venomqa.state.ChangeTracker;
import io.venomqa.state.DbChanges;
import io.venomqa.state.spi.ActiveCheckpoint;
import io.venomqa.state.spi.ChangeTracking;
import io.venomqa.state.spi.BaseStateManager;
import io.venomqa.core.DatabaseUrl;
import io.venomqa.state.StateConfig;
import io.venomqa.state.spi.TestDatabaseGuard;
import io.venomqa.state.spi.OptionSpec;

import java.util.ArrayList;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checkpoints of an {@link InMemoryStore}: {@code db_backend: memory}, for applications that keep
 * their state in the JVM and for trying journeys out without a database.
 *
 * <p>A checkpoint is a deep snapshot of the store ({@link io.venomqa.context.DeepCopy} rules), a
 * rollback puts that snapshot back, {@link #reset()} returns the store to its initial state, and
 * {@link #disconnect()} returns it to what {@link #connect()} found (or to the state right after
 * the last reset). Cost is proportional to the store's size per checkpoint and rollback.
 *
 * <p>It has the {@link io.venomqa.state.CheckpointTree} capability: every held checkpoint keeps
 * its own snapshot, so {@code checkpointTree().get().restore(name)} copies it back whatever the
 * current state is, and no snapshot is dropped by it.
 *
 * <p>Which store: {@code db_url: memory://<name>} uses the JVM-wide {@link InMemoryStore#named(String)
 * named store}, so an in-process application can share it; without a URL the manager has a store
 * of its own. Option {@code initial_state} (a map) is the content a newly created store starts
 * with and a reset returns to.
 *
 * <p>Change tracking ({@link #changeTracker()}, off unless {@code track_changes: true}) compares the
 * store before and after: each key is a row of a table named {@value #CHANGES_TABLE} with the
 * columns {@code key} and {@code value} (the value's {@code toString()}), so a step that put
 * {@code order:7} shows as {@code +1 store}. The value of a key whose name looks secret
 * ({@code api_token}) is masked.
 */
public final class InMemoryStateManager extends BaseStateManager {

    /** Option: the keys and values a new store starts with and resets to. */
    public static final String OPTION_INITIAL_STATE = "initial_state";
    /** The options this backend reads. */
    public static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.any(OPTION_INITIAL_STATE, null, "A map of keys and values the store starts with and resets to."),
            ChangeTracking.OPTION);
    /** The table name under which changes of the store are reported. */
    public static final String CHANGES_TABLE = "store";
    private static final List<String> CHANGES_KEY = List.of("key");

    private final InMemoryStore store;
    private final Map<String, Map<String, Object>> snapshots = new HashMap<>();
    private Map<String, Object> stateAtConnect;

    /** A manager over a new private, empty store. */
    public InMemoryStateManager() {
        this(StateConfig.builder().backend("memory").build());
    }

    /** A manager over a new private store that starts with, and resets to, {@code initialState}. */
    public InMemoryStateManager(Map<String, ?> initialState) {
        this(StateConfig.builder().backend("memory").build(), new InMemoryStore(initialState));
    }

    /** A manager over the store {@code config} names (see the class documentation). */
    public InMemoryStateManager(StateConfig config) {
        this(config, storeFor(config));
    }

    /** A manager over an existing store. */
    public InMemoryStateManager(StateConfig config, InMemoryStore store) {
        super(config);
        List<OptionSpec> accepted = new ArrayList<>(OPTIONS);
        accepted.addAll(TestDatabaseGuard.OPTIONS);
        OptionSpec.requireKnown(config, accepted, "the memory backend");
        OptionSpec.requireValid(config, accepted, "the memory backend");
        this.store = store;
    }

    /**
     * Copies of the store as JVM-wide named stores ({@code memory://<name>_vqw_<run>_<n>}), each
     * holding the content the store has when {@link io.venomqa.state.WorkerDatabases#create(int)} is called.
     */
    @Override
    public java.util.Optional<io.venomqa.state.WorkerDatabases> workerDatabases() {
        return java.util.Optional.of(new InMemoryWorkerDatabases(config(), store));
    }

    /** The store this manager checkpoints; write the application's state here. */
    public InMemoryStore store() {
        return store;
    }

    @Override
    protected void doConnect() {
        stateAtConnect = store.snapshot();
    }

    @Override
    protected void doDisconnect() {
        try {
            store.restore(stateAtConnect);
        } finally {
            snapshots.clear();
            stateAtConnect = null;
        }
    }

    @Override
    protected void doCheckpoint(ActiveCheckpoint checkpoint) {
        snapshots.put(checkpoint.identifier(), store.snapshot());
    }

    @Override
    protected void doRollback(ActiveCheckpoint target, List<ActiveCheckpoint> discarded) {
        store.restore(snapshots.get(target.identifier()));
        discarded.forEach(cp -> snapshots.remove(cp.identifier()));
    }

    @Override
    protected boolean supportsCheckpointTree() {
        return true;
    }

    @Override
    protected void doRestore(ActiveCheckpoint target, ActiveCheckpoint from) {
        store.restore(snapshots.get(target.identifier()));
    }

    @Override
    protected void doRelease(ActiveCheckpoint target, List<ActiveCheckpoint> released) {
        released.forEach(cp -> snapshots.remove(cp.identifier()));
    }

    @Override
    protected void doReset() {
        store.resetToInitial();
        snapshots.clear();
        // A reset counts as committed: disconnect() returns to the state right after it.
        stateAtConnect = store.snapshot();
    }

    @Override
    public String backendName() {
        return "memory";
    }

    @Override
    public Optional<ChangeTracker> changeTracker() {
        return ChangeTracking.enabled(config()) ? Optional.of(new StoreTracker()) : Optional.empty();
    }

    @Override
    public String changesNotTrackedReason() {
        return ChangeTracking.enabled(config()) ? super.changesNotTrackedReason() : ChangeTracking.OFF_REASON;
    }

    private synchronized ChangeTracking.TableSnapshot readStore() {
        ensureConnected();
        List<Map<String, String>> rows = new ArrayList<>();
        for (Map.Entry<String, Object> e : store.asMap().entrySet()) {
            Map<String, String> row = new java.util.LinkedHashMap<>();
            row.put("key", e.getKey());
            // The columns are always key and value, so a secret is recognised by its key's name here.
            row.put("value", e.getValue() == null ? null
                    : io.venomqa.core.CredentialMasker.isSecretKey(e.getKey()) ? io.venomqa.core.CredentialMasker.MASK
                    : String.valueOf(e.getValue()));
            rows.add(row);
        }
        return new ChangeTracking.TableSnapshot(CHANGES_KEY, rows);
    }

    private record StoreMark(InMemoryStateManager owner, ChangeTracking.TableSnapshot rows) implements ChangeMark {
    }

    /** Compares the store as text with the copy kept in the mark. */
    private final class StoreTracker implements ChangeTracker {
        @Override
        public java.util.Optional<java.util.Set<String>> tables() {
            return java.util.Optional.of(java.util.Set.of(CHANGES_TABLE));
        }

        @Override
        public ChangeMark mark() {
            return new StoreMark(InMemoryStateManager.this, readStore());
        }

        @Override
        public DbChanges changesSince(ChangeMark mark) {
            return advance(mark).changes();
        }

        @Override
        public Window advance(ChangeMark mark) {
            if (!(mark instanceof StoreMark m) || m.owner() != InMemoryStateManager.this) {
                throw new IllegalArgumentException("This mark was not made by this manager's tracker: " + mark);
            }
            ChangeTracking.TableSnapshot now = readStore();
            DbChanges.Builder b = DbChanges.builder();
            ChangeTracking.diff(b, CHANGES_TABLE, m.rows(), now);
            return new Window(b.build(), new StoreMark(InMemoryStateManager.this, now));
        }
    }

    private static InMemoryStore storeFor(StateConfig config) {
        Map<String, ?> initial = initialState(config);
        String url = config.url();
        if (url == null) {
            return new InMemoryStore(initial);
        }
        DatabaseUrl parsed = DatabaseUrl.parse(url);
        if (!parsed.scheme().equals("memory") || parsed.isJdbc()) {
            throw new IllegalArgumentException("db_url '" + config.maskedUrl()
                    + "' is not an in-memory URL; use memory://<store name> or leave db_url out");
        }
        String location = parsed.location();
        String name = location.startsWith("//") ? location.substring(2) : location;
        if (name.isBlank()) {
            return new InMemoryStore(initial);
        }
        return InMemoryStore.named(name, initial);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> initialState(StateConfig config) {
        Object v = config.option(OPTION_INITIAL_STATE).orElse(null);
        if (v == null) {
            return Map.of();
        }
        if (v instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                if (!(k instanceof String)) {
                    throw new IllegalArgumentException("Configuration key 'initial_state' must be a map with text keys, got key "
                            + k + " of type " + (k == null ? "null" : k.getClass().getSimpleName()));
                }
            }
            return (Map<String, ?>) m;
        }
        throw new IllegalArgumentException("Configuration key 'initial_state' must be a map of keys to values, got "
                + v.getClass().getSimpleName());
    }
}
